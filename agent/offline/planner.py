"""From a routed turn and the conversation so far to the tool calls a real LLM would make, or a direct reply."""

from __future__ import annotations

import json
from typing import Any

from agent.offline import clarify, dialogue, ops
from agent.offline.glossary import product_words
from agent.offline.plan import Call, Plan
from agent.offline.replies import reply, table
from agent.offline.router import Route, route
from agent.offline.slots import order_ids
from agent.offline.tasks import handoff, plan_task

ACCOUNT = {"list_orders", "order_details", "cancel_order", "return_items", "change_address", "refund_status",
           "profile", "recommend", "set_language", *ops.INTENTS}
DIRECT = table("en", "direct")  # the intents answered without a tool
__all__ = ["Call", "Plan", "plan_turn", "remembered_order", "tool_payload"]


def remembered_order(history: list[tuple[str, str]]) -> str | None:
    """The last order id mentioned in the conversation (user messages or tool results)."""
    for kind, text in reversed(history):
        if kind in ("human", "tool") and (ids := order_ids(text)):
            return ids[-1] if kind == "human" else ids[0]
    return None


def _dialogue(r: Route, text: str, history: list[tuple[str, str]], results: list[dict[str, Any]], lang: str
              ) -> Plan | None:
    """A signed-in shopper's turn seen with the conversation: a withdrawal, a request the tools cannot do, or a
    write task (new, or continued by this message). None: plan the message on its own."""
    remembered = remembered_order(history)
    if dialogue.withdrawn(text):
        return Plan([], reply(lang, "withdrawn"))
    if kind := dialogue.unsupported(text, remembered):
        said = order_ids(text)
        return handoff(kind, text, said[-1] if said else remembered, lang)
    prev = dialogue.open_task(history)
    if prev is not None and dialogue.continues(prev, text):
        task = prev.more(text)
    else:
        positive = dialogue.positive_part(text)
        intent = r.intent if positive == text and r.intent in dialogue.WRITES else dialogue.intent_of(positive)
        if intent not in dialogue.WRITES:
            return None
        task = dialogue.Task(intent, (text,))
    return plan_task(task, history, results, lang, remembered)


def _shopper_calls(r: Route, text: str, history: list[tuple[str, str]], lang: str = "en",
                   results: list[dict[str, Any]] | None = None) -> Plan:
    s, intent = r.slots, r.intent
    order = s.get("order_id") or remembered_order(history)
    if intent in dialogue.WRITES:
        return plan_task(dialogue.Task(intent, (text,)), history, results or [], lang, remembered_order(history))
    if intent in ops.INTENTS:
        planned = ops.calls(intent, s, text, order)
        return Plan([], planned) if isinstance(planned, str) else Plan([Call(*planned)])
    if intent == "list_orders":
        return Plan([Call("list_my_orders", {})])
    if intent == "order_details":
        return Plan([Call("order_details", {"order_id": order})] if order else [Call("list_my_orders", {})])
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


def _identify(r: Route, text: str, role: str, history: list[tuple[str, str]], lang: str,
              results: list[dict[str, Any]]) -> Plan:
    """Verify with the details in this message (and an order id given before: a second factor the tool accepts
    only if the shopper typed it), then answer the account question of this message or of the last one before."""
    args: dict[str, Any] = {k: r.slots[k] for k in ("email", "first_name", "last_name", "zip", "order_id")
                            if k in r.slots}
    if "order_id" not in args and (order := remembered_order(history)):
        args["order_id"] = order
    calls = [Call("verify_identity", args)]
    question = (r, text) if r.intent in ACCOUNT else None
    for earlier in ([] if question else [t for k, t in history if k == "human"][-3:][::-1]):
        prev = route(earlier, role)
        if prev.intent != "identify" and not any(k in prev.slots for k in IDENTITY_SLOTS):
            question = (prev, earlier) if prev.intent in ACCOUNT else None
            break
    if question is None:
        return Plan(calls)
    then = _shopper_calls(question[0], question[1], history, lang, results[1:])  # results[0]: the verification
    return Plan(calls + then.calls, then.reply, {i + 1 for i in then.quiet}, then.note)


def plan_turn(text: str, role: str, signed_in: bool, history: list[tuple[str, str]], nn: Any = None,
              lang: str = "en", results: list[dict[str, Any]] | None = None) -> Plan:
    """history: earlier (kind, text) pairs, kind in human | ai | tool; lang: the reply language (en | zh);
    results: the payloads of the tools already called this turn (a plan may look something up first)."""
    results = results or []
    r = route(text, role, nn=nn)
    if r.via == "shop-object" and role == "shopper" and (
            (signed_in and remembered_order(history)) or
            (not signed_in and any(k in r.slots for k in IDENTITY_SLOTS))):
        # a write naming nothing of the shop's ('please cancel', 'change my address'), asked about while an order
        # is in focus: that order is its object (the write still waits for the shopper's yes); before signing in,
        # a message with identity details ('my postcode is BS1 9XN') goes on to identify the shopper as before
        r = Route(r.alternatives[0][0], r.slots, r.confidence, "shop-object+focus", r.alternatives)
    if r.intent in ("injection", "abusive", "other_customer"):
        return Plan([], table(lang, "direct")[r.intent])
    if role == "shopper" and signed_in and r.intent not in ("identify", "set_language", "handoff", *ops.INTENTS) \
            and (plan := _dialogue(r, text, history, results, lang)) is not None:
        return plan  # before the router's doubts: "the blue one" or "Flat 3" continue the task under way
    if r.intent == "clarify":  # the learned router is unsure: ask, never guess (and never start a write)
        return Plan([], clarify.question(r.alternatives, lang))
    if r.intent == "out_of_scope":
        return Plan([], reply(lang, "out_of_scope"))
    if r.intent in DIRECT:
        return Plan([], table(lang, "direct")[r.intent])
    if role == "shopper" and r.intent == "set_language" and not signed_in:
        return Plan([], reply(r.slots["language"], "language_noted"))  # nothing to store for an anonymous visitor
    if role == "shopper":
        if r.intent == "identify" or (not signed_in and any(k in r.slots for k in IDENTITY_SLOTS)):
            return _identify(r, text, role, history, lang, results)
        if signed_in and (more := ops.follow_up(r.intent, text, history)):
            return Plan([Call(*more)])  # the answer to a tool's question (which item, option or method)
        if signed_in and (positive := dialogue.positive_part(text)) != text:  # "don't cancel it, just show me"
            r = route(positive + " " + " ".join(order_ids(text)), role, nn=nn)
        if r.intent in ACCOUNT:
            if not signed_in:
                return Plan([], reply(lang, "ask_identity"))
            return _shopper_calls(r, text, history, lang, results)
        if r.intent == "handoff":
            asked = [t for k, t in history if k == "human"][-2:] + [text]
            return Plan([Call("request_human", {"summary": " / ".join(asked)[:400]})])
        if r.intent == "product_options":
            return Plan([Call("product_options", {"name": product_words(text)})])
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
