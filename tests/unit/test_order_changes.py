"""Exchanges, item and payment changes, default address, cancellations and returns with τ semantics, on a small
τ-shaped store: each write waits for the yes (execute_pending), is audited, and is refused where the policy says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.session import Principal, Session
from shop.db import connect

ADDR = {"address1": "1 Main St", "address2": "Apt 2", "city": "Austin", "state": "TX", "zip": "78701",
        "country": "USA"}
PRODUCTS = {
    "p1": {"name": "T-Shirt", "product_id": "p1", "variants": {
        "i1": {"item_id": "i1", "options": {"size": "M"}, "available": True, "price": 100.0},
        "i2": {"item_id": "i2", "options": {"size": "L"}, "available": True, "price": 120.0},
        "i3": {"item_id": "i3", "options": {"size": "S"}, "available": False, "price": 90.0}}},
    "p2": {"name": "Mug", "product_id": "p2", "variants": {
        "j1": {"item_id": "j1", "options": {"color": "blue"}, "available": True, "price": 50.0}}},
}
CARD = {"source": "credit_card", "brand": "visa", "last_four": "4242", "id": "credit_card_1"}
USERS = {
    "ann_1": {"name": {"first_name": "Ann", "last_name": "Lee"}, "email": "ann@example.com", "address": ADDR,
              "payment_methods": {"credit_card_1": CARD,
                                  "paypal_1": {"source": "paypal", "id": "paypal_1"},
                                  "gift_card_1": {"source": "gift_card", "balance": 10.0, "id": "gift_card_1"},
                                  "gift_card_big": {"source": "gift_card", "balance": 1000.0, "id": "gift_card_big"}},
              "orders": ["#W1", "#W2", "#W3", "#W5"]},
    "bob_2": {"name": {"first_name": "Bob", "last_name": "Roe"}, "email": "bob@example.com", "address": ADDR,
              "payment_methods": {"gift_card_2": {"source": "gift_card", "balance": 5.0, "id": "gift_card_2"}},
              "orders": ["#W4"]},
}


def _order(oid: str, user: str, status: str, items: list[str], method: str) -> dict[str, Any]:
    lines = [{"name": PRODUCTS[p]["name"], "product_id": p, "item_id": i, "options": v["options"], "price": v["price"]}
             for i in items for p in PRODUCTS if (v := PRODUCTS[p]["variants"].get(i))]
    return {"order_id": oid, "user_id": user, "address": ADDR, "status": status, "items": lines,
            "fulfillments": [{"tracking_id": ["1"], "item_ids": items}] if status == "delivered" else [],
            "payment_history": [{"transaction_type": "payment", "amount": sum(x["price"] for x in lines),
                                 "payment_method_id": method}]}


ORDERS = {
    "#W1": _order("#W1", "ann_1", "pending", ["i1", "i1", "j1"], "credit_card_1"),
    "#W2": _order("#W2", "ann_1", "delivered", ["i1", "i1", "j1"], "credit_card_1"),
    "#W3": _order("#W3", "ann_1", "processed", ["i1"], "credit_card_1"),
    "#W4": _order("#W4", "bob_2", "pending", ["i1"], "gift_card_2"),
    "#W5": _order("#W5", "ann_1", "pending", ["j1"], "gift_card_big"),
}


@pytest.fixture()
def shop(tmp_path: Path) -> Session:
    from shop.importers import run_import

    d = tmp_path / "tau"
    d.mkdir()
    for name, obj in (("users", USERS), ("orders", ORDERS), ("products", PRODUCTS)):
        (d / f"{name}.json").write_text(json.dumps(obj))
    settings = Settings(data_dir=tmp_path / "data")
    con = connect(settings.db_path)
    run_import(con, "tau-retail", d)
    return Session(settings, con, Principal("shopper", "ann_1"))


def ask(s: Session, tool: str, **args: Any) -> dict[str, Any]:
    from tools import call

    return call(s, tool, args)


def yes(s: Session, tool: str, **args: Any) -> dict[str, Any]:
    from tools.orders import execute_pending

    out = ask(s, tool, **args)
    assert out["kind"] == "confirm", out
    return execute_pending(s)


def one(s: Session, sql: str, params: list[Any] | None = None) -> Any:
    return s.con.execute(sql, params or []).fetchall()[0][0]


def balance(s: Session, pm: str) -> float:
    return float(one(s, "SELECT balance FROM payment_methods WHERE payment_method_id = ?", [pm]))


def test_store_adopts_the_tau_profile(shop: Session) -> None:
    from shop.policy import shop_policy

    pol = shop_policy(shop.con, shop.settings.policy)
    assert (pol.profile, pol.currency, pol.return_window_days, pol.refund_to_gift_card) == ("tau", "USD", None, True)
    assert shop.settings.policy.return_window_days == 30  # the demo default is untouched
    assert one(shop, "SELECT DISTINCT currency FROM orders") == "USD"


def test_exchange_waits_for_yes_then_records_each_line(shop: Session) -> None:
    out = ask(shop, "exchange_items", order_id="#W2", item_ids=["i1"], new_item_ids=["i2"], payment_method_id="paypal_1")
    assert out["kind"] == "confirm" and out["price_difference"] == 20.0
    assert one(shop, "SELECT status FROM orders WHERE order_id = '#W2'") == "delivered"  # nothing written yet
    done = yes(shop, "exchange_items", order_id="#W2", item_ids=["i1"], new_item_ids=["i2"],
               payment_method_id="paypal_1")
    assert done["status"] == "exchange requested"
    lines = shop.con.execute("SELECT item_id, status, exchange_item_id FROM order_items WHERE order_id = '#W2' "
                             "ORDER BY line_no").fetchall()
    assert lines == [("i1", "exchange requested", "i2"), ("i1", None, None), ("j1", None, None)]
    assert one(shop, "SELECT exchange_price_difference FROM orders WHERE order_id = '#W2'") == 20.0
    assert one(shop, "SELECT count(*) FROM audit_log WHERE action = 'write:exchange_items' AND ok") == 1


@pytest.mark.parametrize("args, message", [
    ({"order_id": "#W1", "item_ids": ["i1"], "new_item_ids": ["i2"], "payment_method_id": "paypal_1"}, "is pending"),
    ({"order_id": "#W2", "item_ids": ["i1"], "new_item_ids": ["i3"], "payment_method_id": "paypal_1"},
     "not available"),
    ({"order_id": "#W2", "item_ids": ["i1"], "new_item_ids": ["j1"], "payment_method_id": "paypal_1"},
     "same product"),
    ({"order_id": "#W2", "item_ids": ["i1"], "new_item_ids": ["i2"], "payment_method_id": "gift_card_1"},
     "insufficient gift card balance"),
    ({"order_id": "#W2", "item_ids": ["i1"], "new_item_ids": ["i2"], "payment_method_id": "gift_card_2"},
     "not one of this customer's"),
    ({"order_id": "#W2", "item_ids": ["i1", "i1", "i1"], "new_item_ids": ["i2"] * 3, "payment_method_id": "paypal_1"},
     "fewer than asked"),
    ({"order_id": "#W4", "item_ids": ["i1"], "new_item_ids": ["i2"], "payment_method_id": "paypal_1"}, "can't find"),
])
def test_exchange_refusals(shop: Session, args: dict[str, Any], message: str) -> None:
    out = ask(shop, "exchange_items", **args)
    assert out["kind"] in ("error", "refusal") and message in out["message"], out
    assert shop.pending is None
    assert one(shop, "SELECT count(*) FROM orders WHERE status = 'exchange requested'") == 0


def test_modify_items_once_with_the_difference_paid(shop: Session) -> None:
    done = yes(shop, "modify_items", order_id="#W1", item_ids=["i1"], new_item_ids=["i2"],
               payment_method_id="gift_card_big")
    assert done["status"] == "pending (item modified)"
    items = shop.con.execute("SELECT item_id, unit_price FROM order_items WHERE order_id = '#W1' ORDER BY line_no")
    assert items.fetchall() == [("i2", 120.0), ("i1", 100.0), ("j1", 50.0)]  # one of the two lines
    assert balance(shop, "gift_card_big") == 980.0
    hist = shop.con.execute("SELECT transaction_type, amount, payment_method_id FROM payments WHERE order_id = '#W1' "
                            "ORDER BY seq").fetchall()
    assert hist[-1] == ("payment", 20.0, "gift_card_big")
    again = ask(shop, "modify_items", order_id="#W1", item_ids=["i1"], new_item_ids=["i2"], payment_method_id="paypal_1")
    assert again["kind"] == "error" and "already changed once" in again["message"]
    assert ask(shop, "cancel_order", order_id="#W1", reason="no longer needed")["kind"] == "error"


def test_modify_items_refusals(shop: Session) -> None:
    assert "is delivered" in ask(shop, "modify_items", order_id="#W2", item_ids=["i1"], new_item_ids=["i2"],
                                 payment_method_id="paypal_1")["message"]
    short = ask(shop, "modify_items", order_id="#W1", item_ids=["i1"], new_item_ids=["i2"],
                payment_method_id="gift_card_1")
    assert "insufficient gift card balance" in short["message"]
    assert "not available" in ask(shop, "modify_items", order_id="#W1", item_ids=["i1"], new_item_ids=["i3"],
                                  payment_method_id="paypal_1")["message"]
    assert one(shop, "SELECT status FROM orders WHERE order_id = '#W1'") == "pending"


def test_modify_payment_moves_the_money(shop: Session) -> None:
    assert "insufficient gift card balance" in ask(shop, "modify_payment", order_id="#W1",
                                                   payment_method_id="gift_card_1")["message"]
    assert "different method" in ask(shop, "modify_payment", order_id="#W1",
                                     payment_method_id="credit_card_1")["message"]
    assert "is processed" in ask(shop, "modify_payment", order_id="#W3", payment_method_id="paypal_1")["message"]
    yes(shop, "modify_payment", order_id="#W5", payment_method_id="paypal_1")
    hist = shop.con.execute("SELECT transaction_type, amount, payment_method_id FROM payments WHERE order_id = '#W5' "
                            "ORDER BY seq").fetchall()
    assert hist == [("payment", 50.0, "gift_card_big"), ("payment", 50.0, "paypal_1"),
                    ("refund", 50.0, "gift_card_big")]
    assert balance(shop, "gift_card_big") == 1050.0  # the original gift card is credited at once
    assert "exactly one payment" in ask(shop, "modify_payment", order_id="#W5",
                                        payment_method_id="credit_card_1")["message"]


def test_cancel_credits_a_gift_card_and_keeps_the_reason(shop: Session) -> None:
    yes(shop, "cancel_order", order_id="#W5", reason="ordered by mistake")
    assert one(shop, "SELECT cancel_reason FROM orders WHERE order_id = '#W5'") == "ordered by mistake"
    assert balance(shop, "gift_card_big") == 1050.0
    details = ask(shop, "order_details", order_id="#W5")["order"]
    assert [p["transaction_type"] for p in details["payment_history"]] == ["payment", "refund"]


def test_returns_by_line_and_refund_method(shop: Session) -> None:
    refused = ask(shop, "return_items", order_id="#W2", item_ids=["i1"], payment_method_id="paypal_1")
    assert refused["kind"] == "error" and "original payment method" in refused["message"]
    assert "not one of this customer's" in ask(shop, "return_items", order_id="#W2", item_ids=["i1"],
                                               payment_method_id="gift_card_2")["message"]
    done = yes(shop, "return_items", order_id="#W2", item_ids=["i1"], payment_method_id="gift_card_1")
    assert done["refund"] == 100.0 and done["payment_method_id"] == "gift_card_1"
    marked = shop.con.execute("SELECT item_id FROM order_items WHERE order_id = '#W2' AND status IS NOT NULL")
    assert marked.fetchall() == [("i1",)]  # one of the two identical lines
    assert one(shop, "SELECT return_payment_method_id FROM orders WHERE order_id = '#W2'") == "gift_card_1"


def test_addresses_keep_all_six_fields(shop: Session) -> None:
    new = {"address1": "9 Elm Rd", "address2": "Unit 4", "city": "Boston", "state": "MA", "zip": "02110",
           "country": "USA"}
    yes(shop, "change_order_address", order_id="#W1", **new)
    assert json.loads(one(shop, "SELECT ship_address FROM orders WHERE order_id = '#W1'")) == new
    yes(shop, "update_default_address", **new)
    assert ask(shop, "my_profile")["customer"]["default_address"] == new
    missing = ask(shop, "update_default_address", **{**new, "city": " "})
    assert missing["kind"] == "error" and "city" in missing["message"]
    kept = ask(shop, "change_order_address", order_id="#W1", address1="2 Oak St", city="Dallas", zip="75201")
    assert kept["address"]["country"] == "USA"  # no country given: the order's own, never a made-up default
    assert "zip" in ask(shop, "change_order_address", order_id="#W1", address1="x", city="y", zip="")["message"]


def test_products_by_id(shop: Session) -> None:
    got = ask(shop, "product_details", product_id="p1")["products"][0]
    assert got["name"] == "T-Shirt" and [v["item_id"] for v in got["variants"]] == ["i1", "i2", "i3"]
    assert "no product" in ask(shop, "product_details", product_id="i1")["message"]
    assert [p["name"] for p in ask(shop, "list_product_types")["products"]] == ["Mug", "T-Shirt"]


def test_demo_profile_keeps_its_window() -> None:
    from core.config import Policy
    from core.errors import ConfigError
    from shop.policy import profile_policy, shop_policy

    con = connect(None)
    assert shop_policy(con, Policy()).return_window_days == 30
    with pytest.raises(ConfigError, match="unknown policy profile"):
        profile_policy(Policy(), "nope")


def test_words_resolve_to_ids_or_a_question(shop: Session) -> None:
    out = ask(shop, "exchange_items", order_id="#W2", request="the t-shirt in size L please, to my paypal")
    assert out["kind"] == "confirm" and (out["item_ids"], out["new_item_ids"]) == (["i1"], ["i2"])
    assert out["payment_method_id"] == "paypal_1"
    two = ask(shop, "exchange_items", order_id="#W2", request="the t-shirt in size L, to my gift card")
    assert two["kind"] == "ask" and "gift_card_1" in two["message"] and "gift_card_big" in two["message"]
    plain = ask(shop, "exchange_items", order_id="#W2", request="the t-shirt in size L")
    assert plain["payment_method_id"] == "credit_card_1"  # none named: the original method
    which = ask(shop, "modify_items", order_id="#W1", request="something else please")
    assert which["kind"] == "ask" and "T-Shirt" in which["message"] and "Mug" in which["message"]
    option = ask(shop, "modify_items", order_id="#W1", request="the t-shirt")
    assert option["kind"] == "ask" and "size L" in option["message"] and "size S" not in option["message"]
    assert "not available" in ask(shop, "modify_items", order_id="#W1", request="the t-shirt in size S")["message"]
    assert ask(shop, "modify_payment", order_id="#W1", payment_method_id="")["kind"] == "ask"
    assert ask(shop, "modify_payment", order_id="#W1", payment_method_id="paypal")["payment_method_id"] == "paypal_1"
