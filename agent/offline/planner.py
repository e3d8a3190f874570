"""From a routed turn and the conversation so far to the tool calls a real LLM would make, or a direct reply."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agent.offline import clarify, ops
from agent.offline import replies_zh as zh
from agent.offline.router import Route, route
from agent.offline.slots import order_ids

ACCOUNT = {"list_orders", "order_details", "cancel_order", "return_items", "change_address", "refund_status",
           "profile", "recommend", "set_language", *ops.INTENTS}
ASK_IDENTITY = ("I can help with that once you're verified: please tell me the email address on your account plus "
                "your zip/postcode or one of your order numbers, or your full name and zip/postcode.")
DIRECT = {
    "greeting": "Hello! I can answer questions about our shop's policies and products, check your orders, and "
                "help with cancellations, returns and address changes. What can I do for you?",
    "injection": "I can't change how I work or share other customers' information, but I'm happy to help with "
                 "your own orders or questions about our shop.",
    "abusive": "I'm sorry you're frustrated. I'm here to help: tell me what went wrong, or I can connect you with "
               "a colleague.",
    "other_customer": "For privacy I can only help with your own account and orders.",
    "campaign": "Win-back campaigns are planned, drafted, validated and approved in the campaign workbench or with "
                "`retain campaign plan|draft|approve|export|analyze`; I can tell you how many customers are in "
                "each segment and risk band, or who is at risk.",
}


@dataclass
class Call:
    name: str
    args: dict[str, Any]


@dataclass
class Plan:
    calls: list[Call]
    reply: str | None = None  # a direct reply when no tool is needed (or to ask for a missing slot)


def remembered_order(history: list[tuple[str, str]]) -> str | None:
    """The last order id mentioned in the conversation (user messages or tool results)."""
    for kind, text in reversed(history):
        if kind in ("human", "tool") and (ids := order_ids(text)):
            return ids[-1] if kind == "human" else ids[0]
    return None


def _shopper_calls(r: Route, text: str, history: list[tuple[str, str]], lang: str = "en") -> Plan:
    s, intent = r.slots, r.intent
    order = s.get("order_id") or remembered_order(history)
    if intent in ops.INTENTS:
        planned = ops.calls(intent, s, text, order)
        return Plan([], planned) if isinstance(planned, str) else Plan([Call(*planned)])
    if intent == "list_orders":
        return Plan([Call("list_my_orders", {})])
    if intent == "order_details":
        return Plan([Call("order_details", {"order_id": order})] if order else [Call("list_my_orders", {})])
    if intent == "cancel_order":
        if not order:
            return Plan([Call("list_my_orders", {})], None)
        return Plan([Call("cancel_order", {"order_id": order, "reason": s["reason"]})])
    if intent == "return_items":
        if not order:
            return Plan([Call("list_my_orders", {})])
        return Plan([Call("return_items", {"order_id": order, "item_ids": []})])
    if intent == "change_address":
        if not order:
            return Plan([Call("list_my_orders", {})])
        if "address" not in s:
            if lang == "zh":
                return Plan([], zh.ASK_ADDRESS.format(order=order))
            return Plan([], "Which new address should order " + order + " go to? Please give street, city and "
                                                                         "postcode, e.g. 'to 5 High Street, Leeds LS1 4AB'.")
        return Plan([Call("change_order_address", {"order_id": order, **s["address"]})])
    if intent == "refund_status":
        return Plan([Call("refund_status", {"order_id": order})] if order else [Call("list_my_orders", {})])
    if intent == "profile":
        return Plan([Call("my_profile", {})])
    if intent == "recommend":
        return Plan([Call("suggest_products", {"k": 5})])
    if intent == "set_language":
        return Plan([Call("set_language", {"language": s["language"]})])
    raise ValueError(intent)


IDENTITY_SLOTS = ("email", "first_name", "zip")


def _identify(r: Route, text: str, role: str, history: list[tuple[str, str]], lang: str) -> Plan:
    """Verify with the details in this message (and an order id given before: a second factor the tool accepts
    only if the shopper typed it), then answer the account question of this message or of the last one before."""
    args: dict[str, Any] = {k: r.slots[k] for k in ("email", "first_name", "last_name", "zip", "order_id")
                            if k in r.slots}
    if "order_id" not in args and (order := remembered_order(history)):
        args["order_id"] = order
    calls = [Call("verify_identity", args)]
    if r.intent in ACCOUNT:
        return Plan(calls + _shopper_calls(r, text, history, lang).calls)
    for earlier in [t for k, t in history if k == "human"][-3:][::-1]:
        prev = route(earlier, role)
        if prev.intent != "identify" and not any(k in prev.slots for k in IDENTITY_SLOTS):
            if prev.intent in ACCOUNT:
                calls += _shopper_calls(prev, earlier, history, lang).calls
            break
    return Plan(calls)


def plan_turn(text: str, role: str, signed_in: bool, history: list[tuple[str, str]], nn: Any = None,
              lang: str = "en") -> Plan:
    """history: earlier (kind, text) pairs, kind in human | ai | tool; lang: the reply language (en | zh)."""
    r = route(text, role, nn=nn)
    if r.intent == "clarify":  # the learned router is unsure: ask, never guess (and never start a write)
        return Plan([], clarify.question(r.alternatives, lang))
    if r.intent == "out_of_scope":
        return Plan([], clarify.OUT_OF_SCOPE["zh" if lang == "zh" else "en"])
    if r.intent in DIRECT:
        return Plan([], zh.DIRECT[r.intent] if lang == "zh" else DIRECT[r.intent])
    if role == "shopper" and r.intent == "set_language" and not signed_in:
        return Plan([], zh.LANGUAGE_NOTED[r.slots["language"]])  # nothing to store for an anonymous visitor
    if role == "shopper":
        if r.intent == "identify" or (not signed_in and any(k in r.slots for k in IDENTITY_SLOTS)):
            return _identify(r, text, role, history, lang)
        if signed_in and (more := ops.follow_up(r.intent, text, history)):
            return Plan([Call(*more)])  # the answer to a tool's question (which item, option or method)
        if r.intent in ACCOUNT:
            if not signed_in:
                return Plan([], zh.ASK_IDENTITY if lang == "zh" else ASK_IDENTITY)
            return _shopper_calls(r, text, history, lang)
        if r.intent == "handoff":
            asked = [t for k, t in history if k == "human"][-2:] + [text]
            return Plan([Call("request_human", {"summary": " / ".join(asked)[:400]})])
        if r.intent == "product_options":
            return Plan([Call("product_options", {"name": zh.product_words(text)})])
        return Plan([Call("search_knowledge", {"query": text})])
    s = r.slots
    if r.intent in ("retention_summary", "customer_orders"):
        if "customer_id" not in s:
            return Plan([], "Which customer? Please give their customer id.")
        name = "retention_summary" if r.intent == "retention_summary" else "customer_orders"
        return Plan([Call(name, {"customer_id": s["customer_id"]})])
    if r.intent == "at_risk" and "customer_id" in s:  # "why is customer 15581 at risk?": that customer's picture
        return Plan([Call("retention_summary", {"customer_id": s["customer_id"]})])
    if r.intent == "at_risk":
        return Plan([Call("at_risk_customers", {"segment": s.get("segment", ""), "band": s.get("band", "high")})])
    if r.intent == "search_customers":
        return Plan([Call("search_customers", {"text": s.get("email") or s.get("customer_id") or text})])
    if r.intent == "audience":
        return Plan([Call("audience_counts", {})])
    return Plan([Call("search_knowledge", {"query": text})])


def tool_payload(content: Any) -> dict[str, Any]:
    try:
        out = json.loads(content) if isinstance(content, str) else content
        return out if isinstance(out, dict) else {"kind": "text", "text": str(out)}
    except (TypeError, ValueError):
        return {"kind": "text", "text": str(content)}
