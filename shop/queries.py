"""The reads and writes the agent's tools use. All SQL for tools lives here; every write is audited.

Writes follow the τ-bench retail conventions under the store's policy profile (shop/policy.py): only pending
orders can be cancelled or modified; only delivered orders can have items returned or exchanged (within the
return window, where the profile has one, counted from delivery by the shop clock). Each write checks the
order inside its transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

from core.config import Policy
from core.errors import NotFoundError, RetainError
from shop.clock import shop_today
from shop.db import rows as _rows
from shop.db import scalar, transaction
from shop.redact import redact, scrub  # noqa: F401 - redact is imported from here too

if TYPE_CHECKING:
    import duckdb

CANCEL_REASONS = ("no longer needed", "ordered by mistake")


def audit(con: duckdb.DuckDBPyConnection, role: str, actor_id: str | None, action: str, target: str | None,
          details: dict[str, Any], ok: bool) -> None:
    """One audit row: who (the principal's role and actor id), what, on what, whether it happened; the details
    with personal data masked (shop.redact)."""
    text = json.dumps(scrub(json.loads(json.dumps(details, default=str))), ensure_ascii=False)
    con.execute("INSERT INTO audit_log (actor_role, actor_id, action, target, details, ok) VALUES (?, ?, ?, ?, ?, ?)",
                [role, actor_id, action, target, text, ok])


# --- customers ---------------------------------------------------------------------------------------------

def get_customer(con: duckdb.DuckDBPyConnection, customer_id: str) -> dict[str, Any]:
    rows = _rows(con, "SELECT customer_id, first_name, last_name, email, phone, country, preferred_language, "
                      "marketing_consent, unsubscribed FROM customers WHERE customer_id = ?", [customer_id])
    if not rows:
        raise NotFoundError(f"no customer with id {customer_id!r}")
    c = rows[0]
    c["default_address"] = next(iter(_rows(con, "SELECT address1, address2, city, state, zip, country FROM "
                                                "addresses WHERE customer_id = ? AND is_default", [customer_id])),
                                None)
    c["payment_methods"] = _rows(con, "SELECT payment_method_id, kind, brand, last_four, balance FROM "
                                      "payment_methods WHERE customer_id = ?", [customer_id])
    return c


def find_customer_by_email(con: duckdb.DuckDBPyConnection, email: str) -> str | None:
    return scalar(con, "SELECT customer_id FROM customers WHERE lower(email) = lower(?)", [email.strip()])


def find_customer_by_name_zip(con: duckdb.DuckDBPyConnection, first: str, last: str, zip_code: str) -> str | None:
    rows = con.execute(
        "SELECT c.customer_id FROM customers c JOIN addresses a USING (customer_id) WHERE lower(c.first_name) = "
        "lower(?) AND lower(c.last_name) = lower(?) AND replace(lower(a.zip), ' ', '') = replace(lower(?), ' ', '')",
        [first, last, zip_code]).fetchall()
    return rows[0][0] if len(rows) == 1 else None


def search_customers(con: duckdb.DuckDBPyConnection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    like = f"%{text.strip().lower()}%"
    return _rows(con, "SELECT customer_id, first_name, last_name, email, country FROM customers WHERE "
                      "customer_id = ? OR lower(email) LIKE ? OR lower(first_name || ' ' || last_name) LIKE ? "
                      "ORDER BY customer_id LIMIT ?", [text.strip(), like, like, limit])


# --- orders ------------------------------------------------------------------------------------------------

def list_orders(con: duckdb.DuckDBPyConnection, customer_id: str, limit: int = 10) -> list[dict[str, Any]]:
    return _rows(con, """
        SELECT o.order_id, o.status, o.kind, CAST(o.created_at AS DATE) AS date,
               round(sum(i.quantity * i.unit_price), 2) AS total, count(*) AS lines
        FROM orders o JOIN order_items i USING (order_id)
        WHERE o.customer_id = ? GROUP BY o.order_id, o.status, o.kind, o.created_at
        ORDER BY o.created_at DESC LIMIT ?""", [customer_id, limit])


def get_order(con: duckdb.DuckDBPyConnection, order_id: str) -> dict[str, Any]:
    """One order with its items (line by line, options from the variant), payment history and what a
    cancellation, return or exchange recorded on it."""
    rows = _rows(con, "SELECT order_id, customer_id, status, kind, created_at, updated_at, ship_address, "
                      "payment_method_id, tracking_ids, fulfillments, source, currency, cancel_reason, "
                      "return_payment_method_id, exchange_payment_method_id, exchange_price_difference "
                      "FROM orders WHERE order_id = ?", [order_id])
    if not rows:
        raise NotFoundError(f"no order {order_id!r}")
    order = rows[0]
    order["items"] = _rows(con, """
        SELECT i.line_no, i.item_id, i.product_id, coalesce(p.name, i.description) AS name, p.category,
               v.options, i.quantity, i.unit_price, i.status, i.exchange_item_id
        FROM order_items i LEFT JOIN products p USING (product_id) LEFT JOIN product_variants v USING (item_id)
        WHERE i.order_id = ? ORDER BY i.line_no""", [order_id])
    order["total"] = round(sum(i["quantity"] * i["unit_price"] for i in order["items"]), 2)
    for key in ("ship_address", "tracking_ids", "fulfillments"):
        order[key] = json.loads(order[key]) if order[key] else None
    for it in order["items"]:
        it["options"] = json.loads(it["options"]) if it["options"] else {}
    order["payment_history"] = refund_status(con, order_id)
    return order


def order_owner(con: duckdb.DuckDBPyConnection, order_id: str) -> str | None:
    return scalar(con, "SELECT customer_id FROM orders WHERE order_id = ?", [order_id])


def variants_of(con: duckdb.DuckDBPyConnection, product_id: str) -> list[dict[str, Any]]:
    rows = _rows(con, "SELECT item_id, options, price, available FROM product_variants WHERE product_id = ? "
                      "ORDER BY item_id", [product_id])
    for r in rows:
        r["options"] = json.loads(r["options"]) if r["options"] else {}
    return rows


_STOP = {"the", "does", "come", "comes", "which", "what", "colour", "colours", "color", "colors", "available",
         "size", "sizes", "have", "you", "your", "any", "there", "stock", "options", "variants", "with", "for", "and",
         "can", "get", "buy", "this", "that", "is", "are", "in"}


def find_products(con: duckdb.DuckDBPyConnection, text: str, limit: int = 5) -> list[dict[str, Any]]:
    words = [w for w in re.findall(r"[a-z0-9-]+", text.lower()) if len(w) > 2 and w not in _STOP]
    if not words:
        return []
    score = " + ".join("CASE WHEN lower(name) LIKE ? THEN 1 ELSE 0 END" for _ in words)
    params: list[Any] = [f"%{w}%" for w in words]
    return _rows(con, f"SELECT product_id, name, category, ({score}) AS hits FROM products WHERE ({score}) > 0 "
                      "ORDER BY hits DESC, length(name) LIMIT ?", params + params + [limit])


# --- writes ------------------------------------------------------------------------------------------------

def _require_status(order: dict[str, Any], allowed: tuple[str, ...], action: str) -> None:
    if order["status"] not in allowed:
        raise RetainError(f"order {order['order_id']} is {order['status']}; only {' or '.join(allowed)} orders can "
                          f"be {action}")


def _now(con: duckdb.DuckDBPyConnection) -> dt.datetime:
    return dt.datetime.combine(shop_today(con), dt.datetime.now().time())


def customer_payment_method(con: duckdb.DuckDBPyConnection, customer_id: str, payment_method_id: str
                            ) -> dict[str, Any]:
    """One of the customer's own payment methods, or an error naming the id (the same whoever owns it)."""
    found = _rows(con, "SELECT payment_method_id, kind, brand, last_four, balance FROM payment_methods "
                       "WHERE payment_method_id = ? AND customer_id = ?", [payment_method_id, customer_id])
    if not found:
        raise RetainError(f"payment method {payment_method_id!r} is not one of this customer's payment methods")
    return found[0]


def require_gift_card_balance(method: dict[str, Any], amount: float, what: str) -> None:
    """A gift card must cover `amount` (τ's rule for payments by gift card)."""
    if method["kind"] == "gift_card" and (method["balance"] or 0.0) < amount - 1e-9:
        raise RetainError(f"insufficient gift card balance: {method['payment_method_id']} holds "
                          f"{method['balance'] or 0.0:.2f}, not enough to pay {amount:.2f} for {what}")


def add_payment(con: duckdb.DuckDBPyConnection, order_id: str, kind: str, amount: float, payment_method_id: str | None
                ) -> None:
    """Append a payment or refund to the order's history; a gift card's balance moves with it."""
    seq = scalar(con, "SELECT coalesce(max(seq), 0) + 1 FROM payments WHERE order_id = ?", [order_id])
    con.execute("INSERT INTO payments VALUES (?, ?, ?, ?, ?, ?)",
                [order_id, seq, kind, round(amount, 2), payment_method_id, _now(con)])
    if payment_method_id is not None:
        sign = -1.0 if kind == "payment" else 1.0
        con.execute("UPDATE payment_methods SET balance = round(balance + ?, 2) WHERE payment_method_id = ? "
                    "AND kind = 'gift_card'", [sign * amount, payment_method_id])


def original_payment_method(order: dict[str, Any]) -> str | None:
    """The method that paid for the order: the first payment in its history, else the order's own."""
    paid = [p for p in order.get("payment_history") or [] if p["transaction_type"] == "payment"]
    return paid[0]["payment_method_id"] if paid else order.get("payment_method_id")


def pick_lines(order: dict[str, Any], item_ids: list[str]) -> list[dict[str, Any]]:
    """The order lines named by item ids, one line per id: an id given twice takes two lines holding it."""
    if not item_ids:
        raise RetainError(f"no items given for order {order['order_id']}")
    free = [it for it in order["items"] if not it.get("status")]
    picked: list[dict[str, Any]] = []
    for iid in item_ids:
        line = next((it for it in free if it["item_id"] == iid and it not in picked), None)
        if line is None:
            held = sum(1 for it in free if it["item_id"] == iid)
            raise RetainError(f"order {order['order_id']} has no item {iid}" if not held else
                              f"order {order['order_id']} holds item {iid} {held} time(s), fewer than asked")
        picked.append(line)
    return picked


def check_cancel(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, reason: str) -> dict[str, Any]:
    order = get_order(con, order_id)
    _require_status(order, policy.cancellable_statuses, "cancelled")
    if reason not in CANCEL_REASONS:
        raise RetainError(f"a cancellation reason must be one of: {', '.join(CANCEL_REASONS)}")
    return order


def cancel_refunds(order: dict[str, Any]) -> list[tuple[str | None, float]]:
    """(method, amount) refunded on cancellation: what each method paid, less what it already got back."""
    net: dict[str | None, float] = {}
    for p in order["payment_history"]:
        net[p["payment_method_id"]] = net.get(p["payment_method_id"], 0.0) + (
            p["amount"] if p["transaction_type"] == "payment" else -p["amount"])
    if not order["payment_history"]:
        net = {order["payment_method_id"]: order["total"]}
    return [(m, round(a, 2)) for m, a in net.items() if a > 0.005]


def cancel_pending_order(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, reason: str) -> dict[str, Any]:
    """Cancel, record the reason, refund every payment to its method (a gift card is credited at once)."""
    with transaction(con):
        order = check_cancel(con, policy, order_id, reason)
        refunds = cancel_refunds(order)
        con.execute("UPDATE orders SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE order_id = ?",
                    [reason, dt.datetime.combine(shop_today(con), dt.time(12)), order_id])
        for method, amount in refunds:
            add_payment(con, order_id, "refund", amount, method)
    return {"order_id": order_id, "status": "cancelled", "refund": round(sum(a for _, a in refunds), 2),
            "refunds": [{"payment_method_id": m, "amount": a} for m, a in refunds], "reason": reason}


def check_window(con: duckdb.DuckDBPyConnection, order: dict[str, Any], days_allowed: int | None) -> None:
    if days_allowed is None:
        return
    delivered = (order["updated_at"] or order["created_at"]).date()
    days = (shop_today(con) - delivered).days
    if days > days_allowed:
        raise RetainError(f"order {order['order_id']} was delivered {days} days ago; returns and exchanges are "
                          f"accepted within {days_allowed} days of delivery")


def refund_method(con: duckdb.DuckDBPyConnection, policy: Policy, order: dict[str, Any],
                  payment_method_id: str | None) -> str | None:
    """Where a return is refunded: the original method, or (where the policy allows) one of the customer's gift
    cards; anything else is refused."""
    original = original_payment_method(order)
    if not payment_method_id or payment_method_id == original:
        return original
    method = customer_payment_method(con, order["customer_id"], payment_method_id)
    if policy.refund_to_gift_card and method["kind"] == "gift_card":
        return payment_method_id
    allowed = "the original payment method" + (" or one of your gift cards" if policy.refund_to_gift_card else "")
    raise RetainError(f"a refund for order {order['order_id']} can only go to {allowed} ({original}), "
                      f"not {payment_method_id}")


def check_return(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, item_ids: list[str],
                 payment_method_id: str | None = None) -> dict[str, Any]:
    """The order, with `lines` (one per item id given) and `refund_to`, if a return is allowed."""
    order = get_order(con, order_id)
    _require_status(order, policy.returnable_statuses, "returned or exchanged")
    check_window(con, order, policy.return_window_days)
    order["lines"] = pick_lines(order, item_ids)
    blocked = [it["name"] for it in order["lines"] if it["category"] in policy.non_returnable_categories]
    if blocked:
        raise RetainError(f"{', '.join(blocked)} cannot be returned (category excluded by the returns policy)")
    order["refund_to"] = refund_method(con, policy, order, payment_method_id)
    return order


def return_delivered_items(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str, item_ids: list[str],
                           payment_method_id: str | None = None) -> dict[str, Any]:
    """Mark the named lines (repeats counted separately) and the order 'return requested', with the refund's
    method; the refund itself is paid when the items come back."""
    with transaction(con):
        order = check_return(con, policy, order_id, item_ids, payment_method_id)
        refund = round(sum(it["unit_price"] * it["quantity"] for it in order["lines"]), 2)
        con.execute("UPDATE orders SET status = 'return requested', return_payment_method_id = ? WHERE order_id = ?",
                    [order["refund_to"], order_id])
        for it in order["lines"]:
            con.execute("UPDATE order_items SET status = 'return requested' WHERE order_id = ? AND line_no = ?",
                        [order_id, it["line_no"]])
    return {"order_id": order_id, "status": "return requested", "items": item_ids, "refund": refund,
            "payment_method_id": order["refund_to"]}


ADDRESS_FIELDS = ("address1", "address2", "city", "state", "zip", "country")


def clean_address(address: dict[str, Any]) -> dict[str, str]:
    """The six address fields, trimmed; address1, city, zip and country must be given (state/county and the
    second line may be empty)."""
    out = {k: str(address.get(k) or "").strip() for k in ADDRESS_FIELDS}
    missing = [k for k in ("address1", "city", "zip", "country") if not out[k]]
    if missing:
        raise RetainError(f"the address lacks {', '.join(missing)}")
    return out


def modify_pending_order_address(con: duckdb.DuckDBPyConnection, policy: Policy, order_id: str,
                                 address: dict[str, str]) -> dict[str, Any]:
    addr = clean_address(address)
    with transaction(con):
        order = get_order(con, order_id)
        _require_status(order, policy.modifiable_statuses, "modified")
        con.execute("UPDATE orders SET ship_address = ?, country = ? WHERE order_id = ?",
                    [json.dumps(addr), addr["country"], order_id])
    return {"order_id": order_id, "ship_address": addr}


def create_ticket(con: duckdb.DuckDBPyConnection, customer_id: str | None, category: str, subject: str, body: str,
                  order_id: str | None = None, thread_id: str | None = None, transcript: str | None = None) -> str:
    """A new open ticket; its number comes from a sequence (distinct under concurrency), skipping any taken. A
    handoff keeps the conversation it came from (thread_id) and its turns so far (transcript, for staff only)."""
    next_number = "SELECT 8000000 + nextval('ticket_seq')"
    ticket_id = f"T{scalar(con, next_number)}"
    while scalar(con, "SELECT count(*) FROM tickets WHERE ticket_id = ?", [ticket_id]):
        ticket_id = f"T{scalar(con, next_number)}"
    now = dt.datetime.combine(shop_today(con), dt.datetime.now().time())
    con.execute("INSERT INTO tickets (ticket_id, customer_id, order_id, created_at, category, subject, body, "
                "status, thread_id, transcript, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
                [ticket_id, customer_id, order_id, now, category, subject, body, thread_id, transcript, now])
    return ticket_id


def refund_status(con: duckdb.DuckDBPyConnection, order_id: str) -> list[dict[str, Any]]:
    return _rows(con, "SELECT seq, transaction_type, amount, payment_method_id FROM payments WHERE order_id = ? "
                      "ORDER BY seq", [order_id])


# --- language ----------------------------------------------------------------------------------------------

def preferred_language(con: duckdb.DuckDBPyConnection, customer_id: str) -> str | None:
    return scalar(con, "SELECT preferred_language FROM customers WHERE customer_id = ?", [customer_id])


def set_preferred_language(con: duckdb.DuckDBPyConnection, customer_id: str, language: str) -> str | None:
    """Set a customer's preferred language (a code of core.language.available()); returns the previous one. The
    caller audits."""
    from core.language import available

    if language not in (have := available()):
        raise RetainError(f"preferred language must be one of {', '.join(have)}, not {language!r}")
    before = preferred_language(con, customer_id)
    if before is None and not scalar(con, "SELECT count(*) FROM customers WHERE customer_id = ?", [customer_id]):
        raise NotFoundError(f"no customer with id {customer_id!r}")
    con.execute("UPDATE customers SET preferred_language = ? WHERE customer_id = ?", [language, customer_id])
    return before
