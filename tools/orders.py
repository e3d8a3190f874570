"""Shopper order tools: list, details, cancel, return, change address, refund status. A shopper's tools take
no customer id: they act for the session's principal only."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, field_validator

from core.errors import PermissionDenied
from core.session import PendingAction, Session
from shop import queries as q
from tools import tool

CONFIRM = " Shall I go ahead? Please answer yes or no."


def me(session: Session) -> str:
    cid = session.principal.customer_id
    if not cid:
        raise PermissionDenied("Please verify your identity first: tell me your email address, or your full name "
                               "and zip/postcode.")
    return cid


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

    @field_validator("order_id")
    @classmethod
    def _hash(cls, v: str) -> str:
        """'W9000001' (as small models write it) is '#W9000001'."""
        v = v.strip()
        return "#" + v.upper() if re.fullmatch(r"[Ww]\d{7}", v) else v


class CancelArgs(OrderArg):
    reason: str = Field("no longer needed", description="'no longer needed' or 'ordered by mistake'")


class ReturnArgs(OrderArg):
    item_ids: list[str] = Field(default_factory=list, description="item ids to return; empty = all items")


class AddressArgs(OrderArg):
    address1: str
    city: str
    zip: str
    country: str = "United Kingdom"
    address2: str = ""


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
    order = q.check_cancel(session.con, session.settings.policy, order_id, reason)
    summary = (f"Cancel order {order_id} ({len(order['items'])} item(s), {order['total']:.2f} "
               f"{session.settings.policy.currency}) because it is '{reason}'; the full amount is refunded to the "
               "original payment method.")
    session.pending = PendingAction("cancel_order", {"order_id": order_id, "reason": reason}, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "cancel_order", "order_id": order_id,
            "items": len(order["items"]), "total": order["total"], "currency": session.settings.policy.currency,
            "reason": reason}


@tool("return_items", ReturnArgs, roles=("shopper",), writes=True)
def return_items(session: Session, order_id: str, item_ids: list[str]) -> dict[str, Any]:
    """Request a return of delivered items within the return window (asks the shopper to confirm first)."""
    order = own_order(session, order_id)
    ids = item_ids or [it["item_id"] for it in order["items"]]
    q.check_return(session.con, session.settings.policy, order_id, ids)
    names = [it["name"] for it in order["items"] if it["item_id"] in ids]
    refund = sum(it["unit_price"] * it["quantity"] for it in order["items"] if it["item_id"] in ids)
    summary = (f"Request a return of {', '.join(names)} from order {order_id}; once the items arrive back, "
               f"{refund:.2f} {session.settings.policy.currency} is refunded to the original payment method.")
    session.pending = PendingAction("return_items", {"order_id": order_id, "item_ids": ids}, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "return_items", "order_id": order_id,
            "names": names, "refund": round(refund, 2), "currency": session.settings.policy.currency}


@tool("change_order_address", AddressArgs, roles=("shopper",), writes=True)
def change_order_address(session: Session, order_id: str, address1: str, city: str, zip: str, country: str,
                         address2: str) -> dict[str, Any]:
    """Change the delivery address of a pending order (asks the shopper to confirm first)."""
    order = own_order(session, order_id)
    if order["status"] not in session.settings.policy.modifiable_statuses:
        return {"kind": "error", "message": f"Order {order_id} is {order['status']}; only pending orders can be "
                                            "changed."}
    addr = {"address1": address1, "address2": address2, "city": city, "zip": zip, "country": country}
    summary = f"Change the delivery address of order {order_id} to {address1}, {city} {zip}, {country}."
    session.pending = PendingAction("change_order_address", {"order_id": order_id, "address": addr}, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "change_order_address", "order_id": order_id,
            "address": addr}


@tool("refund_status", OrderArg, roles=("shopper",))
def refund_status(session: Session, order_id: str) -> dict[str, Any]:
    """Payments and refunds recorded on one of the shopper's orders."""
    own_order(session, order_id)
    return {"kind": "payments", "order_id": order_id, "payments": q.refund_status(session.con, order_id)}


def execute_pending(session: Session) -> dict[str, Any]:
    """Run the confirmed write (called by the runner only after an explicit yes), audited."""
    p = session.pending
    assert p is not None
    session.pending = None
    policy = session.settings.policy
    if p.tool == "cancel_order":
        result = q.cancel_pending_order(session.con, policy, p.args["order_id"], p.args["reason"])
    elif p.tool == "return_items":
        result = q.return_delivered_items(session.con, policy, p.args["order_id"], p.args["item_ids"])
    elif p.tool == "change_order_address":
        result = q.modify_pending_order_address(session.con, policy, p.args["order_id"], p.args["address"])
    elif p.tool == "handoff":
        ticket = q.create_ticket(session.con, session.principal.customer_id, "handoff", "Customer asked for a human",
                                 p.args["summary"], p.args.get("order_id"))
        result = {"ticket_id": ticket}
    else:  # pragma: no cover - only the tools above create pending actions
        raise ValueError(p.tool)
    q.audit(session.con, session.principal.role, session.principal.actor_id, f"write:{p.tool}",
            p.args.get("order_id"), {"args": p.args, "result": result}, True)
    return {"kind": "done", "action": p.tool, **result}
