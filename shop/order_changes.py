"""Writes that change what an order holds or how it is paid, with τ-bench semantics: exchange delivered items,
modify a pending order's items or payment method, and change a customer's default address.

Each checks the order inside its own transaction (so a change made meanwhile is seen) and writes all or nothing;
the tools (tools/order_changes.py) reach them only through the confirmation path (tools.orders.execute_pending).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from core.config import Policy
from core.errors import NotFoundError, RetainError
from shop.db import rows, transaction
from shop.queries import (
    _require_status,
    add_payment,
    check_window,
    clean_address,
    customer_payment_method,
    get_order,
    original_payment_method,
    pick_lines,
    require_gift_card_balance,
)

if TYPE_CHECKING:
    import duckdb


def _swaps(con: duckdb.DuckDBPyConnection, order: dict[str, Any], item_ids: list[str], new_item_ids: list[str]
           ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(line, new variant) pairs: each new item must be an available variant of the line's own product."""
    if len(item_ids) != len(new_item_ids):
        raise RetainError(f"{len(item_ids)} item(s) to change but {len(new_item_ids)} new item(s) given: each item "
                          "needs exactly one new option")
    out = []
    for line, new_id in zip(pick_lines(order, item_ids), new_item_ids, strict=True):
        found = rows(con, "SELECT item_id, product_id, options, price, available FROM product_variants "
                          "WHERE item_id = ?", [new_id])
        if not found or found[0]["product_id"] != line["product_id"]:
            raise RetainError(f"item {new_id} is not an option of {line['name']} (product {line['product_id']}); "
                              "an item can only change to another option of the same product")
        if not found[0]["available"]:
            raise RetainError(f"item {new_id} ({options_text(found[0]['options'])}) of {line['name']} is not available")
        out.append((line, found[0]))
    return out


def options_text(raw: Any) -> str:
    """'size L, color red' from a variant's options (a dict or its JSON)."""
    opts = json.loads(raw) if isinstance(raw, str) else (raw or {})
    return ", ".join(f"{k} {v}" for k, v in opts.items()) or "standard"


def price_difference(swaps: list[tuple[dict[str, Any], dict[str, Any]]]) -> float:
    """New prices minus old: positive is charged, negative refunded."""
    return round(sum(new["price"] - line["unit_price"] for line, new in swaps), 2)


def _priced_swaps(con: duckdb.DuckDBPyConnection, order: dict[str, Any], item_ids: list[str],
                  new_item_ids: list[str], payment_method_id: str, paying_for: str) -> dict[str, Any]:
    """The order with its line swaps and their price difference, which the chosen method must be able to pay."""
    order["swaps"] = _swaps(con, order, item_ids, new_item_ids)
    order["difference"] = price_difference(order["swaps"])
    method = customer_payment_method(con, order["customer_id"], payment_method_id)
    require_gift_card_balance(method, order["difference"], paying_for)
    return order


def check_exchange(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, item_ids: list[str],
                   new_item_ids: list[str], payment_method_id: str) -> dict[str, Any]:
    order = get_order(con, order_id)
    _require_status(order, policy.returnable_statuses, "exchanged")
    check_window(con, order, policy.exchange_window_days)
    return _priced_swaps(con, order, item_ids, new_item_ids, payment_method_id, "the price difference")


def exchange_delivered_items(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, item_ids: list[str],
                             new_item_ids: list[str], payment_method_id: str) -> dict[str, Any]:
    """Status 'exchange requested'; each line records its new item; the difference is settled on the method given
    when the items come back (nothing is charged yet, as in τ)."""
    with transaction(con):
        order = check_exchange(con, policy, order_id, item_ids, new_item_ids, payment_method_id)
        con.execute("UPDATE orders SET status = 'exchange requested', exchange_payment_method_id = ?, "
                    "exchange_price_difference = ? WHERE order_id = ?",
                    [payment_method_id, order["difference"], order_id])
        for line, new in order["swaps"]:
            con.execute("UPDATE order_items SET status = 'exchange requested', exchange_item_id = ? WHERE order_id = ? "
                        "AND line_no = ?", [new["item_id"], order_id, line["line_no"]])
    return {"order_id": order_id, "status": "exchange requested", "items": item_ids, "new_items": new_item_ids,
            "price_difference": order["difference"], "payment_method_id": payment_method_id}


def check_modify_items(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, item_ids: list[str],
                       new_item_ids: list[str], payment_method_id: str) -> dict[str, Any]:
    order = get_order(con, order_id)
    if order["status"] == policy.modified_items_status and policy.item_modification_once:
        raise RetainError(f"the items of order {order_id} were already changed once; they cannot be changed again")
    _require_status(order, policy.modifiable_statuses, "modified")
    return _priced_swaps(con, order, item_ids, new_item_ids, payment_method_id, "the new item(s)")


def modify_pending_items(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, item_ids: list[str],
                         new_item_ids: list[str], payment_method_id: str) -> dict[str, Any]:
    """Swap the lines' items in place, charge or refund the difference on the method given, and (once-only
    policy) lock the order's items with the status 'pending (item modified)'."""
    with transaction(con):
        order = check_modify_items(con, policy, order_id, item_ids, new_item_ids, payment_method_id)
        diff = order["difference"]
        add_payment(con, order_id, "payment" if diff > 0 else "refund", abs(diff), payment_method_id)
        for line, new in order["swaps"]:
            con.execute("UPDATE order_items SET item_id = ?, unit_price = ? WHERE order_id = ? AND line_no = ?",
                        [new["item_id"], new["price"], order_id, line["line_no"]])
        status = policy.modified_items_status if policy.item_modification_once else order["status"]
        con.execute("UPDATE orders SET status = ? WHERE order_id = ?", [status, order_id])
    return {"order_id": order_id, "status": status, "items": item_ids, "new_items": new_item_ids,
            "price_difference": diff, "payment_method_id": payment_method_id}


def check_modify_payment(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, payment_method_id: str
                         ) -> dict[str, Any]:
    order = get_order(con, order_id)
    _require_status(order, policy.modifiable_statuses, "modified")
    method = customer_payment_method(con, order["customer_id"], payment_method_id)
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise RetainError(f"order {order_id} has {len(history)} payment record(s); its payment method can only be "
                          "changed while it holds exactly one payment")
    if original_payment_method(order) == payment_method_id:
        raise RetainError(f"order {order_id} is already paid with {payment_method_id}; choose a different method")
    order["amount"] = history[0]["amount"]
    require_gift_card_balance(method, order["amount"], f"order {order_id}")
    return order


def modify_pending_payment(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, payment_method_id: str
                           ) -> dict[str, Any]:
    """Pay the order with the new method and refund the old one (gift cards debited and credited at once)."""
    with transaction(con):
        order = check_modify_payment(con, policy, order_id, payment_method_id)
        old = original_payment_method(order)
        add_payment(con, order_id, "payment", order["amount"], payment_method_id)
        add_payment(con, order_id, "refund", order["amount"], old)
        con.execute("UPDATE orders SET payment_method_id = ? WHERE order_id = ?", [payment_method_id, order_id])
    return {"order_id": order_id, "amount": order["amount"], "payment_method_id": payment_method_id,
            "refunded_to": old}


def update_default_address(con: duckdb.DuckDBPyConnection, customer_id: str, address: dict[str, Any]
                           ) -> dict[str, Any]:
    """Replace the customer's default address (all six fields)."""
    addr = clean_address(address)
    with transaction(con):
        if not rows(con, "SELECT customer_id FROM customers WHERE customer_id = ?", [customer_id]):
            raise NotFoundError(f"no customer with id {customer_id!r}")
        sets = ", ".join(f"{k} = ?" for k in addr)
        n = con.execute(f"UPDATE addresses SET {sets} WHERE customer_id = ? AND is_default RETURNING address_id",
                        [*addr.values(), customer_id]).fetchall()
        if not n:
            con.execute(f"INSERT INTO addresses (address_id, customer_id, is_default, {', '.join(addr)}) VALUES "
                        f"(?, ?, TRUE, {', '.join('?' * len(addr))})", [f"{customer_id}:default", customer_id,
                                                                       *addr.values()])
    return {"customer_id": customer_id, "address": addr}


def product_details(con: duckdb.DuckDBPyConnection, product_id: str) -> dict[str, Any]:
    """A product by its id, with every variant (item id, options, price, availability)."""
    found = rows(con, "SELECT product_id, name, category FROM products WHERE product_id = ?", [product_id])
    if not found:
        raise NotFoundError(f"no product with id {product_id!r} (product ids and item ids are different numbers)")
    prod = found[0]
    prod["variants"] = rows(con, "SELECT item_id, options, price, available FROM product_variants "
                                 "WHERE product_id = ? ORDER BY item_id", [product_id])
    for v in prod["variants"]:
        v["options"] = json.loads(v["options"]) if v["options"] else {}
    return prod


def product_types(con: duckdb.DuckDBPyConnection, limit: int = 100) -> list[dict[str, Any]]:
    """Product types (name and product id), by name."""
    return rows(con, "SELECT name, product_id FROM products ORDER BY name, product_id LIMIT ?", [limit])
