"""Plans for the shopper's write tasks (cancel, return, change the delivery address) from every message of the task,
so a follow-up ("the blue one", "I ordered it by mistake", "Flat 3", "no, the other order") completes or corrects
what was asked before. A lookup the task needs (the order's items, the pending order) is made first, quietly."""

from __future__ import annotations

import re
from typing import Any

from agent.offline import address as addr
from agent.offline import replies_zh as zh
from agent.offline.dialogue import CANNOT, Task, reason_of
from agent.offline.items import Choice, choose, describe, hint
from agent.offline.plan import Call, Plan
from agent.offline.slots import extract

ASK_REASON = {
    "en": "Before I cancel it: why are you cancelling, do you no longer need it, or was it ordered by mistake? I've "
          "put 'no longer needed' below; tell me if it was ordered by mistake instead.",
    "zh": "取消之前想确认一下原因：是不再需要，还是下错单（误购）？下面先按“不再需要”填写；如果是下错单，请告诉我。"}
ASK_WHICH = {"en": "Which one would you like to return from order {order}: {options}?",
             "zh": "您要退订单 {order} 里的哪一件：{options}？"}
NOT_IN_ORDER = {"en": "I couldn't find that item in order {order} (its items are listed above). Which would you like "
                      "to return?",
                "zh": "订单 {order} 里没有找到这件商品（订单内容见上）。请问您要退哪一件？"}
ASK_ADDRESS = {"en": "Which new address should order {order} go to? Please give street, city and postcode, e.g. 'to 5 "
                     "High Street, Leeds LS1 4AB'.",
               "zh": zh.ASK_ADDRESS}
WHICH_ORDER = {"en": "Which of these pending orders should go to the new address?",
               "zh": "请问是上面哪一个待处理的订单要改地址？"}
NO_PENDING = {"en": "None of your orders is pending, and only a pending order's delivery address can be changed.",
              "zh": "您目前没有待处理的订单，只有待处理的订单才能修改收货地址。"}
CANT = {"en": "I'm sorry, I can't {what} here: my tools don't do that. A colleague can, so I can pass your case on.",
        "zh": "抱歉，我无法在这里{what}，我的工具做不到。我可以把您的情况转给人工客服处理。"}
PENDING_WORDS = re.compile(r"\bpending\b|待处理|未发货|还没发货", re.I)


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
    what_en, what_zh = CANNOT[kind]
    summary = f"Customer asks to {what_en}" + (f" (order {order})" if order else "") + f": \"{text}\""
    return Plan([Call("request_human", {"summary": summary[:400]})],
                note=CANT[lang].format(what=what_zh if lang == "zh" else what_en))


def _cancel(task: Task, order: str | None, lang: str) -> Plan:
    if not order:
        return Plan([Call("list_my_orders", {})])
    reason = None
    for t in task.texts:
        reason = reason_of(t) or reason
    return Plan([Call("cancel_order", {"order_id": order, "reason": reason or "no longer needed"})],
                note="" if reason else ASK_REASON[lang])


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
        sep = " or " if lang == "en" else " 还是 "
        options = sep.join(("the " if lang == "en" else "") + describe(it, lang) for it in choice.ambiguous)
        return Plan([lookup], ASK_WHICH[lang].format(order=order, options=options), quiet={0})
    if not choice.ids:
        return Plan([lookup], NOT_IN_ORDER[lang].format(order=order))
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
        return Plan([], ASK_ADDRESS[lang].format(order=order))
    if order and a is not None:
        return Plan([Call("change_order_address", {"order_id": order, **a})])
    lookup = Call("list_my_orders", {})
    listed = next((r for r in results if r.get("kind") == "orders"), None)
    if a is None or listed is None:
        return Plan([lookup], quiet={0} if a is not None else set())
    pending = [o["order_id"] for o in listed.get("orders") or [] if o.get("status") == "pending"]
    if len(pending) == 1:
        return Plan([lookup, Call("change_order_address", {"order_id": pending[0], **a})], quiet={0})
    return Plan([lookup], WHICH_ORDER[lang] if pending else NO_PENDING[lang], quiet=set() if pending else {0})
