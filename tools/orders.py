"""Shopper order tools: list, details, cancel, return, change address, refund status (exchanges, item and payment
changes live in tools/order_changes.py). A shopper's tools take
no customer id: they act for the session's principal only."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.config import Policy
from core.errors import PermissionDenied
from core.session import PendingAction, Session
from shop import queries as q
from shop.policy import shop_policy
from tools import tool

CONFIRM = " Shall I go ahead? Please answer yes or no."


def me(session: Session) -> str:
    cid = session.principal.customer_id
    if not cid:
        raise PermissionDenied("Please verify your identity first: tell me your email address plus your zip/postcode "
                               "or an order number, or your full name and zip/postcode.")
    return cid


def policy(session: Session) -> Policy:
    """The rules of this store (its policy profile applied to the settings' policy)."""
    return shop_policy(session.con, session.settings.policy)


def money(pol: Policy, amount: float) -> str:
    return f"{amount:.2f} {pol.currency}"


def own_order(session: Session, order_id: str) -> dict[str, Any]:
    """The order if it belongs to the session's customer; otherwise the same refusal whether or not it exists."""
    cid = me(session)
    if q.order_owner(session.con, order_id) != cid:
        raise PermissionDenied(f"I can't find an order {order_id} on your account.")
    session.facts["order_id"] = order_id
    return q.get_order(session.con, order_id)


class NoArgs(BaseModel):
    pass


class OrderArg(BaseModel):
    order_id: str = Field(description="the order id, e.g. #W9000001 or an invoice number")


class CancelArgs(OrderArg):
    reason: str = Field("no longer needed", description="'no longer needed' or 'ordered by mistake'")


class ReturnArgs(OrderArg):
    item_ids: list[str] = Field(default_factory=list, description="item ids to return, one per item (an id twice "
                                                                  "returns two of it); empty = all items")
    payment_method_id: str = Field("", description="where the refund goes: the original payment method (empty) "
                                                   "or, where the policy allows, one of the shopper's gift cards")


class Address(BaseModel):
    address1: str = Field(description="street and number")
    address2: str = Field("", description="flat, suite or building; may be empty")
    city: str
    state: str = Field("", description="state or county; may be empty")
    zip: str = Field(description="zip or postcode")
    country: str = Field("", description="empty: the country of the address being replaced")


class AddressArgs(OrderArg, Address):
    pass


@tool("list_my_orders", NoArgs, roles=("shopper",))
def list_my_orders(session: Session) -> dict[str, Any]:
    """List the signed-in shopper's most recent orders with status, date and total."""
    return {"kind": "orders", "orders": q.list_orders(session.con, me(session))}


@tool("order_details", OrderArg, roles=("shopper",))
def order_details(session: Session, order_id: str) -> dict[str, Any]:
    """Show one of the shopper's own orders: status, items with options, tracking, delivery address."""
    return {"kind": "order", "order": own_order(session, order_id)}


@tool("cancel_order", CancelArgs, roles=("shopper",), writes=True)
def cancel_order(session: Session, order_id: str, reason: str) -> dict[str, Any]:
    """Cancel a pending order (asks the shopper to confirm first). Reason: 'no longer needed' or 'ordered by mistake'."""
    own_order(session, order_id)
    pol = policy(session)
    order = q.check_cancel(session.con, pol, order_id, reason)
    back = ", ".join(f"{money(pol, a)} to {m}" for m, a in q.cancel_refunds(order)) or "nothing was paid"
    summary = (f"Cancel order {order_id} ({len(order['items'])} item(s), {money(pol, order['total'])}) because it "
               f"is '{reason}'; refunded to the original payment method: {back}.")
    session.pending = PendingAction("cancel_order", {"order_id": order_id, "reason": reason}, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "cancel_order", "order_id": order_id,
            "items": len(order["items"]), "total": order["total"], "currency": pol.currency, "reason": reason}


@tool("return_items", ReturnArgs, roles=("shopper",), writes=True)
def return_items(session: Session, order_id: str, item_ids: list[str], payment_method_id: str) -> dict[str, Any]:
    """Request a return of delivered items (asks the shopper to confirm first); the refund goes to the original
    payment method or, where the policy allows, a gift card of the shopper's."""
    order = own_order(session, order_id)
    pol = policy(session)
    ids = item_ids or [it["item_id"] for it in order["items"] if not it.get("status")]
    checked = q.check_return(session.con, pol, order_id, ids, payment_method_id or None)
    names = [it["name"] for it in checked["lines"]]
    refund = round(sum(it["unit_price"] * it["quantity"] for it in checked["lines"]), 2)
    to = checked["refund_to"] or "the original payment method"
    summary = (f"Request a return of {', '.join(names)} from order {order_id}; once the items arrive back, "
               f"{money(pol, refund)} is refunded to {to}.")
    session.pending = PendingAction("return_items", {"order_id": order_id, "item_ids": ids,
                                                     "payment_method_id": checked["refund_to"]}, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "return_items", "order_id": order_id,
            "names": names, "refund": refund, "currency": pol.currency, "payment_method_id": checked["refund_to"]}


@tool("change_order_address", AddressArgs, roles=("shopper",), writes=True)
def change_order_address(session: Session, order_id: str, address1: str, address2: str, city: str, state: str,
                         zip: str, country: str) -> dict[str, Any]:
    """Change the delivery address of a pending order (asks the shopper to confirm first)."""
    order = own_order(session, order_id)
    if order["status"] not in policy(session).modifiable_statuses:
        return {"kind": "error", "message": f"Order {order_id} is {order['status']}; only pending orders can be "
                                            "changed."}
    addr = q.clean_address({"address1": address1, "address2": address2, "city": city, "state": state, "zip": zip,
                            "country": country or (order["ship_address"] or {}).get("country")})
    summary = f"Change the delivery address of order {order_id} to {one_line(addr)}."
    session.pending = PendingAction("change_order_address", {"order_id": order_id, "address": addr}, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "change_order_address", "order_id": order_id,
            "address": addr}


def one_line(addr: dict[str, str]) -> str:
    """'1 Main St, Suite 2, Austin TX 78701, USA' (empty fields left out)."""
    town = " ".join(x for x in (addr.get("city"), addr.get("state"), addr.get("zip")) if x)
    return ", ".join(x for x in (addr.get("address1"), addr.get("address2"), town, addr.get("country")) if x)


@tool("refund_status", OrderArg, roles=("shopper",))
def refund_status(session: Session, order_id: str) -> dict[str, Any]:
    """Payments and refunds recorded on one of the shopper's orders."""
    own_order(session, order_id)
    return {"kind": "payments", "order_id": order_id, "payments": q.refund_status(session.con, order_id)}


def execute_pending(session: Session) -> dict[str, Any]:
    """Run the confirmed write (called by the runner only after an explicit yes): one transaction that claims
    the action's key, re-checks the state, writes and audits with the principal (shop.writes.run_once). Returns
    {"kind": "done", ...} or {"kind": "error", "message": ...} saying what actually happened."""
    from shop.writes import run_once

    p = session.pending
    assert p is not None
    session.pending = None
    target = p.args.get("order_id") or (me(session) if p.tool == "update_default_address" else None)
    return run_once(session.con, p.key, p.tool, session.principal.role, session.principal.actor_id,
                    target, p.args, lambda con: _perform(session, con, p.tool, p.args))


def _perform(session: Session, con: Any, tool: str, a: dict[str, Any]) -> dict[str, Any]:
    """The write itself, inside run_once's transaction; each re-checks the state it needs (a RetainError if the
    action is no longer allowed)."""
    from shop import order_changes as oc

    pol = policy(session)
    if tool == "cancel_order":
        return q.cancel_pending_order(con, pol, a["order_id"], a["reason"])
    if tool == "return_items":
        return q.return_delivered_items(con, pol, a["order_id"], a["item_ids"], a.get("payment_method_id"))
    if tool == "change_order_address":
        return q.modify_pending_order_address(con, pol, a["order_id"], a["address"])
    if tool == "exchange_items":
        return oc.exchange_delivered_items(con, pol, a["order_id"], a["item_ids"], a["new_item_ids"],
                                           a["payment_method_id"])
    if tool == "modify_items":
        return oc.modify_pending_items(con, pol, a["order_id"], a["item_ids"], a["new_item_ids"],
                                       a["payment_method_id"])
    if tool == "modify_payment":
        return oc.modify_pending_payment(con, pol, a["order_id"], a["payment_method_id"])
    if tool == "update_default_address":
        return oc.update_default_address(con, me(session), a["address"])
    if tool == "handoff":
        ticket = q.create_ticket(con, session.principal.customer_id, "handoff", "Customer asked for a human",
                                 a["summary"], a.get("order_id"))
        return {"ticket_id": ticket}
    raise ValueError(f"no write for pending action {tool!r}")  # pragma: no cover - only the tools above create them
