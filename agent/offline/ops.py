"""The offline engine's order-operation flows: exchange delivered items, change a pending order's items or payment
method, change the default address. Routing rules for them, the tool call for a routed turn, and the follow-up
when the tool asked back (which item, which option, which payment method): the shopper's answer continues the
same action. The tools resolve the shopper's words against the order, and every write still waits for a yes."""

from __future__ import annotations

import json
import re
from typing import Any

_ORDER_REF = r"(?=.*(#?\bw\d{7}\b|\b(my|the|this|that) (pending |last |recent )?order\b|\binstead\b))"
# (intent, pattern): agent/offline/router.py tries them after its handoff and policy rules
RULES: list[tuple[str, str]] = [
    ("default_address", r"\b(change|update|correct|fix|set|move)\b.*\b(default|profile|account|home|saved)\s+"
                        r"address\b|\baddress on (file|my (account|profile))\b"),
    ("modify_payment", r"\b(pay|paying|paid|switch|change|use|move)\b.*\b(gift ?card|pay ?pal|credit card|"
                       r"payment method|card)\b" + _ORDER_REF),
    ("exchange_items", r"\b(exchange|swap)\b.*\b(my|this|that|it|order|#?w\d{7}|for|to)\b(?!.*\b(policy|rules)\b)"),
    ("modify_items", r"\b(change|switch|modify|swap)\b(?=.*\b(size|colou?r|options?|items?|variant|model)\b)"
                     + _ORDER_REF),
]
INTENTS = {intent for intent, _ in RULES}
TOOL = {"exchange_items": "exchange_items", "modify_items": "modify_items", "modify_payment": "modify_payment",
        "default_address": "update_default_address"}
_KEEP_GOING_UNLESS = {"cancel_order", "change_address", "list_orders", "refund_status", "handoff", "identify",
                      "profile", "set_language", "greeting", "injection", "abusive", "other_customer", "return_items",
                      "recommend", *INTENTS}
_STOP = re.compile(r"^\s*(no|nope|never ?mind|forget it|cancel that|stop|leave it)\b", re.I)
_METHOD_ID = re.compile(r"\b((?:gift_card|paypal|credit_card)_\w+)\b", re.I)


def _method(text: str) -> str:
    from shop.order_requests import method_kind

    m = _METHOD_ID.search(text)
    return m.group(1) if m else method_kind(text)


def calls(intent: str, slots: dict[str, Any], text: str, order: str | None) -> tuple[str, dict[str, Any]] | str:
    """The tool call for a routed turn, or a question when the order or the address is missing."""
    if intent == "default_address":
        if "address" not in slots:
            return ("Which address should become your default? Please give street, city and postcode, e.g. "
                    "'to 5 High Street, Leeds LS1 4AB'.")
        return "update_default_address", dict(slots["address"])
    if not order:
        return "list_my_orders", {}
    if intent == "modify_payment":
        return "modify_payment", {"order_id": order, "payment_method_id": _method(text)}
    return TOOL[intent], {"order_id": order, "request": text, "payment_method_id": _method(text)}


def follow_up(intent: str, text: str, history: list[tuple[str, str]]) -> tuple[str, dict[str, Any]] | None:
    """When the last turn's tool asked back, this answer continues that action (unless it starts another)."""
    asked = None
    for kind, content in reversed(history):
        if kind == "human":
            break
        if kind == "tool":
            try:
                payload = json.loads(content)
            except ValueError:
                continue
            if isinstance(payload, dict) and payload.get("kind") == "ask":
                asked = payload
                break
    if asked is None or intent in _KEEP_GOING_UNLESS - {asked["action"]} or _STOP.match(text):
        return None
    if asked["action"] == "modify_payment":
        return "modify_payment", {"order_id": asked["order_id"], "payment_method_id": _method(text) or text.strip()}
    request = f"{asked.get('request') or ''} {text}".strip()
    return asked["action"], {"order_id": asked["order_id"], "request": request, "payment_method_id": _method(request)}
