"""Plans for the shopper's write tasks (cancel, return, change the delivery address) from every message of the task,
so a follow-up ("the blue one", "I ordered it by mistake", "Flat 3", "no, the other order") completes or corrects
what was asked before. A lookup the task needs (the order's items, the pending order) is made first, quietly."""

from __future__ import annotations

import re
from typing import Any

from agent.offline import address as addr
from agent.offline import words
from agent.offline.dialogue import Task, reason_of
from agent.offline.items import Choice, choose, describe, hint
from agent.offline.plan import Call, Plan
from agent.offline.replies import reply, table
from agent.offline.slots import extract

PENDING_WORDS = words.joined("pending", flags=re.I)  # said of an order not yet shipped


def plan_task(task: Task, history: list[tuple[str, str]], results: list[dict[str, Any]], lang: str,
              remembered: str | None) -> Plan:
    order = task.order(history, remembered)
    if task.intent == "cancel_order":
        return _cancel(task, order or remembered, lang)
    if task.intent == "return_items":
        return _return(task, order or remembered, results, lang)
    pending_said = any(PENDING_WORDS.search(t) for t in task.texts)
    return _address(task, order or (None if pending_said else remembered), results, lang)


def handoff(kind: str, text: str, order: str | None, lang: str) -> Plan:
    """Say plainly what can't be done and offer a colleague: request_human waits for the shopper's yes."""
    what_en, what = table("en", "cannot")[kind], table(lang, "cannot")[kind]
    summary = f"Customer asks to {what_en}" + (f" (order {order})" if order else "") + f": \"{text}\""
    return Plan([Call("request_human", {"summary": summary[:400]})],
                note=reply(lang, "cant", what=what))


def _cancel(task: Task, order: str | None, lang: str) -> Plan:
    if not order:
        return Plan([Call("list_my_orders", {})])
    reason = None
    for t in task.texts:
        reason = reason_of(t) or reason
    return Plan([Call("cancel_order", {"order_id": order, "reason": reason or "no longer needed"})],
                note="" if reason else reply(lang, "ask_reason"))


def _chosen(texts: tuple[str, ...], items: list[dict[str, Any]]) -> Choice:
    """The items the task's messages pick, a later message narrowing an ambiguous pick or replacing it."""
    choice = Choice()
    for t in texts:
        if not hint(t):
            continue
        c = choose(t, choice.ambiguous) if choice.ambiguous else Choice()
        choice = c if (c.ids or c.ambiguous) else choose(t, items)
    return choice


def _return(task: Task, order: str | None, results: list[dict[str, Any]], lang: str) -> Plan:
    if not order:
        return Plan([Call("list_my_orders", {})])
    if not any(hint(t) for t in task.texts):
        return Plan([Call("return_items", {"order_id": order, "item_ids": []})])
    lookup = Call("order_details", {"order_id": order})
    got = next((r["order"] for r in results if r.get("kind") == "order" and r["order"]["order_id"] == order), None)
    if got is None:
        return Plan([lookup], quiet={0})
    choice = _chosen(task.texts, got["items"])
    if choice.ambiguous:
        options = reply(lang, "which_or").join(reply(lang, "which_the") + describe(it, lang)
                                               for it in choice.ambiguous)
        return Plan([lookup], reply(lang, "ask_which", order=order, options=options), quiet={0})
    if not choice.ids:
        return Plan([lookup], reply(lang, "not_in_order", order=order))
    return Plan([lookup, Call("return_items", {"order_id": order, "item_ids": choice.ids})], quiet={0})


def _new_address(texts: tuple[str, ...]) -> dict[str, str] | None:
    a: dict[str, str] | None = None
    for t in texts:
        if full := extract(t).get("address"):
            a = {**full}
            continue
        if a is None:
            continue
        if line2 := addr.second_line(t):
            a["address2"] = line2
        if z := addr.postcode_correction(t):
            a["zip"] = z
    return a


def _address(task: Task, order: str | None, results: list[dict[str, Any]], lang: str) -> Plan:
    a = _new_address(task.texts)
    if order and a is None:
        return Plan([], reply(lang, "ask_address", order=order))
    if order and a is not None:
        return Plan([Call("change_order_address", {"order_id": order, **a})])
    lookup = Call("list_my_orders", {})
    listed = next((r for r in results if r.get("kind") == "orders"), None)
    if a is None or listed is None:
        return Plan([lookup], quiet={0} if a is not None else set())
    pending = [o["order_id"] for o in listed.get("orders") or [] if o.get("status") == "pending"]
    if len(pending) == 1:
        return Plan([lookup, Call("change_order_address", {"order_id": pending[0], **a})], quiet={0})
    return Plan([lookup], reply(lang, "which_order") if pending else reply(lang, "no_pending"), quiet=set() if pending else {0})
