"""Shopper tools that change what an order holds or how it is paid, and the shopper's default address; plus
product look-ups by id. Writes only prepare a pending action: they run after the shopper's explicit yes, through
tools.orders.execute_pending (audited), like cancel_order and return_items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from core.config import Policy
from core.errors import NeedsDetail
from core.session import PendingAction, Session
from shop import order_changes as oc
from shop import order_requests as words
from shop import queries as q
from tools import tool
from tools.orders import CONFIRM, Address, NoArgs, OrderArg, me, money, one_line, own_order, policy


class SwapArgs(OrderArg):
    item_ids: list[str] = Field(default_factory=list, description="item ids to change, one per item (an id twice "
                                                                  "changes two of it)")
    new_item_ids: list[str] = Field(default_factory=list, description="the new item id for each, in the same order: "
                                                                      "another option of the same product")
    payment_method_id: str = Field("", description="the shopper's payment method (id, or gift_card | paypal | "
                                                   "credit_card) that pays or receives the price difference; "
                                                   "empty: the order's original method")
    request: str = Field("", description="instead of ids: the shopper's words naming one item and its new option, "
                                         "e.g. 'the t-shirt in size L'")


class PaymentArgs(OrderArg):
    payment_method_id: str = Field("", description="the shopper's other payment method to pay the order with (id, or "
                                               "gift_card | paypal | credit_card)")


class ProductArg(BaseModel):
    product_id: str = Field(description="the product id (not an item id)")


def _resolve(session: Session, order_id: str, item_ids: list[str], new_item_ids: list[str], method: str,
             request: str) -> tuple[list[str], list[str], str]:
    """Ids as given, or resolved from the shopper's words; the payment method from an id, a kind or the order's
    original one."""
    order = own_order(session, order_id)
    if not item_ids and not new_item_ids:
        if not request:
            raise NeedsDetail(f"Which item of order {order_id} would you like to change, and to which option?")
        old, new = words.resolve_swap(session.con, order, request)
        item_ids, new_item_ids = [old], [new]
    method = words.resolve_method(session.con, me(session), method or words.method_kind(request),
                               q.original_payment_method(order))
    return item_ids, new_item_ids, method


def _ask(action: str, order_id: str, request: str, message: str) -> dict[str, Any]:
    """A question back to the shopper; the offline engine continues the same action with their answer."""
    return {"kind": "ask", "action": action, "order_id": order_id, "request": request, "message": message}


def _swap_text(order: dict[str, Any]) -> str:
    return "; ".join(f"{line['name']} ({oc.options_text(line['options'])}) -> {oc.options_text(new['options'])}"
                     for line, new in order["swaps"])


def _settle(pol: Any, diff: float, method: str, later: bool = False) -> str:
    if abs(diff) < 0.005:
        return "no price difference"
    verb = "charged to" if diff > 0 else "refunded to"
    return f"{money(pol, abs(diff))} {'to be ' + verb if later else verb} {method}" + (
        " once the items are back" if later else "")


def _exchange_summary(pol: Policy, order: dict[str, Any], order_id: str, method: str) -> str:
    return (f"Exchange in order {order_id}: {_swap_text(order)}; {_settle(pol, order['difference'], method, later=True)}."
            " You'll get an email on how to send the items back. Have you listed every item you want to exchange?")


def _change_summary(pol: Policy, order: dict[str, Any], order_id: str, method: str) -> str:
    once = " This can only be done once: the order's items can't be changed again afterwards." \
        if pol.item_modification_once else ""
    return (f"Change in order {order_id}: {_swap_text(order)}; {_settle(pol, order['difference'], method)}.{once} "
            "Have you listed every item you want to change?")


def _swap(session: Session, action: str, check: Callable[..., dict[str, Any]],
          describe: Callable[[Policy, dict[str, Any], str, str], str], order_id: str, item_ids: list[str],
          new_item_ids: list[str], payment_method_id: str, request: str) -> dict[str, Any]:
    """An exchange or item change: the shopper's words resolved to ids (or the question back when one is missing),
    the policy checked, then held as a pending action for the shopper's yes with the summary they are shown."""
    try:
        item_ids, new_item_ids, payment_method_id = _resolve(session, order_id, item_ids, new_item_ids,
                                                             payment_method_id, request)
    except NeedsDetail as e:
        return _ask(action, order_id, request, str(e))  # which item, which option, which payment method
    pol = policy(session)
    order = check(session.con, pol, order_id, item_ids, new_item_ids, payment_method_id)
    summary = describe(pol, order, order_id, payment_method_id)
    args = {"order_id": order_id, "item_ids": item_ids, "new_item_ids": new_item_ids,
            "payment_method_id": payment_method_id}
    session.pending = PendingAction(action, args, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": action, **args,
            "price_difference": order["difference"], "currency": pol.currency}


@tool("exchange_items", SwapArgs, roles=("shopper",), writes=True)
def exchange_items(session: Session, order_id: str, item_ids: list[str], new_item_ids: list[str],
                   payment_method_id: str, request: str) -> dict[str, Any]:
    """Exchange items of a delivered order for other available options of the same products (asks the shopper to
    confirm first; give every item to exchange in one call: an order can be exchanged once)."""
    return _swap(session, "exchange_items", oc.check_exchange, _exchange_summary, order_id, item_ids, new_item_ids,
                 payment_method_id, request)


@tool("modify_items", SwapArgs, roles=("shopper",), writes=True)
def modify_items(session: Session, order_id: str, item_ids: list[str], new_item_ids: list[str],
                 payment_method_id: str, request: str) -> dict[str, Any]:
    """Change items of a pending order to other available options of the same products (asks the shopper to
    confirm first). Only once per order: give every item to change in one call."""
    return _swap(session, "modify_items", oc.check_modify_items, _change_summary, order_id, item_ids, new_item_ids,
                 payment_method_id, request)


@tool("modify_payment", PaymentArgs, roles=("shopper",), writes=True)
def modify_payment(session: Session, order_id: str, payment_method_id: str) -> dict[str, Any]:
    """Pay a pending order with another of the shopper's payment methods; the original one is refunded (asks the
    shopper to confirm first). A gift card must cover the whole amount."""
    order = own_order(session, order_id)
    pol = policy(session)
    try:
        payment_method_id = words.resolve_method(session.con, me(session), payment_method_id, None)
    except NeedsDetail as e:
        methods = ", ".join(m["payment_method_id"] for m in q.get_customer(session.con, me(session))["payment_methods"]
                            if m["payment_method_id"] != q.original_payment_method(order))
        return _ask("modify_payment", order_id, "", f"{e} Your other payment methods: {methods or 'none'}.")
    order = oc.check_modify_payment(session.con, pol, order_id, payment_method_id)
    old = q.original_payment_method(order)
    summary = (f"Pay order {order_id} ({money(pol, order['amount'])}) with {payment_method_id} instead of {old}; "
               f"{old} is refunded.")
    args = {"order_id": order_id, "payment_method_id": payment_method_id}
    session.pending = PendingAction("modify_payment", args, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "modify_payment", **args,
            "amount": order["amount"], "currency": pol.currency}


@tool("update_default_address", Address, roles=("shopper",), writes=True)
def update_default_address(session: Session, address1: str, address2: str, city: str, state: str, zip: str,
                           country: str) -> dict[str, Any]:
    """Change the signed-in shopper's default address in their profile (asks the shopper to confirm first)."""
    current = q.get_customer(session.con, me(session))["default_address"] or {}
    addr = q.clean_address({"address1": address1, "address2": address2, "city": city, "state": state, "zip": zip,
                            "country": country or current.get("country")})
    summary = f"Change your default address to {one_line(addr)}."
    session.pending = PendingAction("update_default_address", {"address": addr}, summary)
    return {"kind": "confirm", "summary": summary + CONFIRM, "action": "update_default_address", "address": addr}


@tool("product_details", ProductArg, roles=("shopper", "staff"))
def product_details(session: Session, product_id: str) -> dict[str, Any]:
    """A product by its product id: name and every option (item id, options, price, availability)."""
    prod = oc.product_details(session.con, product_id)
    return {"kind": "products", "products": [prod], "currency": policy(session).currency}


@tool("list_product_types", NoArgs, roles=("shopper", "staff"))
def list_product_types(session: Session) -> dict[str, Any]:
    """The shop's product types with their product ids."""
    return {"kind": "product_types", "products": oc.product_types(session.con)}
