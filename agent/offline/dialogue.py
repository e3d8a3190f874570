"""Dialogue state across turns for the offline engine, derived from the conversation itself (so it is the same
through the offline model and an OpenAI-compatible server): the open write task (cancel, return, address change)
that a short follow-up continues ("the blue one", "I ordered it by mistake", "Flat 3", "no, the other order",
"不对，是另一个订单"), withdrawals ("I don't want to cancel anything", "算了，不退了") and requests the tools cannot
do (undoing a cancellation, adding or removing single items, a delivery day, a price adjustment, gift wrapping),
which get a plain "I can't" and an offer of a human colleague."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from agent.offline import address as addr
from agent.offline import words
from agent.offline.items import hint
from agent.offline.router import route
from agent.offline.slots import extract, order_ids
from agent.offline.write_veto import other_business

WRITES = ("cancel_order", "return_items", "change_address")
# what the dialogue recognises, in every language: the [turns] table of agent/lang/<lang>/dialogue.toml
VERB = words.joined("verb", "turns", re.I)
CORRECTION = words.joined("correction", "turns", re.I)
OTHER_ORDER = words.joined("other_order", "turns")
MISTAKE = words.joined("mistake", "turns", re.I)
NOT_NEEDED = words.joined("not_needed", "turns", re.I)
NEG_ACTION = words.joined("neg_action", "turns", re.I)
WITHDRAW = re.compile(f"^(?:{words.joined('withdraw', 'turns').pattern})$", re.I)
FILLER = re.compile(f"^(?:{words.joined('filler', 'turns').pattern})*$", re.I)
RETURN_VERB = words.joined("return_verb", "turns", re.I)
QUESTION = words.joined("question", "turns", re.I)
WHY = words.joined("why", "turns", re.I)
MOVING = words.joined("moving", "turns", re.I)
CLAUSE_BREAK = words.joined("clause_break", "turns", re.I)
NOT_UNSUPPORTED = words.joined("not_unsupported", "turns", re.I)
# What the order tools cannot do (exchanges and item or payment changes have their own tools, agent/offline/ops.py)
UNSUPPORTED: list[tuple[str, re.Pattern[str]]] = words.kinds("unsupported", re.I)  # [unsupported] of dialogue.toml


@dataclass(frozen=True)
class Task:
    """An open write request: its intent and the shopper's messages about it, oldest first."""

    intent: str
    texts: tuple[str, ...] = ()

    def more(self, text: str) -> Task:
        return Task(self.intent, (*self.texts, text))

    def order(self, history: list[tuple[str, str]], remembered: str | None) -> str | None:
        """The order the task is about: the last one said in it, or 'the other order' than that (or than the one
        remembered from the conversation); None when neither is known."""
        said = None
        for t in self.texts:
            if ids := order_ids(t):
                said = ids[-1]
            elif OTHER_ORDER.search(t):
                said = other_order(history, said or remembered)
        return said


def reason_of(text: str) -> str | None:
    if MISTAKE.search(text):
        return "ordered by mistake"
    if NOT_NEEDED.search(text):
        return "no longer needed"
    return None


def clauses(text: str) -> list[str]:
    parts = CLAUSE_BREAK.split(text)
    return [p.strip() for p in parts if p and p.strip()]


@lru_cache(maxsize=2048)
def withdrawn(text: str) -> bool:
    """Every clause takes something back ("I don't want to cancel it after all", "算了，不退了")."""
    if WHY.search(text):  # "why not ...?" asks, it doesn't take back
        return False
    cs = clauses(text)
    said = [c for c in cs if NEG_ACTION.search(c) or WITHDRAW.match(c)]
    return bool(said) and all(c in said or FILLER.match(c) for c in cs)


def positive_part(text: str) -> str:
    """The text less the clauses that negate an action ("don't cancel #W9000001, I just want to see it")."""
    kept = [c for c in clauses(text) if not NEG_ACTION.search(c)]
    return ", ".join(kept) if kept and len(kept) < len(clauses(text)) else text


def unsupported(text: str, remembered: str | None) -> str | None:
    """The kind of request the tools cannot do, when the text asks one about an order of the shopper's (named, or
    the one being discussed; a general question such as "can I exchange a shirt?" is left to the help centre)."""
    if NOT_UNSUPPORTED.search(text):
        return None
    for kind, pat in UNSUPPORTED:
        if pat.search(text) and (order_ids(text) or (remembered and (kind == "undo"
                                                                     or not QUESTION.search(text.strip())))):
            return kind
    return None


def turns(history: list[tuple[str, str]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(human text, tool payloads of that turn) for each earlier turn."""
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for kind, text in history:
        if kind == "human":
            out.append((text, []))
        elif kind == "tool" and out:
            try:
                payload = json.loads(text)
            except ValueError:
                payload = {}
            out[-1][1].append(payload if isinstance(payload, dict) else {})
    return out


def other_order(history: list[tuple[str, str]], current: str | None) -> str | None:
    """The order last discussed before `current` (from what the shopper said and what the tools showed)."""
    seen: list[str] = []
    for kind, text in history:
        if kind == "human":
            seen += order_ids(text)
        elif kind == "tool":
            try:
                p = json.loads(text)
            except ValueError:
                continue
            if isinstance(p, dict) and p.get("kind") in ("order", "confirm", "payments"):
                oid = p.get("order_id") or (p.get("order") or {}).get("order_id")
                if oid:
                    seen.append(oid)
    for oid in reversed(seen):
        if oid != current:
            return oid
    return None


@lru_cache(maxsize=2048)  # every step of a turn folds over the same earlier messages
def intent_of(text: str) -> str:
    """The write a message asks for (an address in it with a moving/sending word is an address change)."""
    if (place := addr.parse_address(text)) and MOVING.search(text) and \
            not other_business(text, "change_address", address=place):
        return "change_address"
    intent = route(text, "shopper").intent
    if intent not in WRITES and RETURN_VERB.search(text) and hint(text) and not QUESTION.search(text.strip()) and \
            not other_business(text, "return_items"):
        return "return_items"  # "return the sneakers", "I'll return the first one" (not "return the hire car")
    return intent


@lru_cache(maxsize=2048)
def continues(task: Task, text: str) -> bool:
    """Whether the message adds to the open task rather than starting something else."""
    ids = order_ids(text)
    fragment = False
    if task.intent == "return_items":
        fragment = hint(text)
    elif task.intent == "cancel_order":
        fragment = reason_of(text) is not None
    elif task.intent == "change_address":
        fragment = bool(addr.parse_address(text) or addr.second_line(text) or addr.postcode_correction(text)
                        or "address" in extract(text))
    if VERB.search(text) and not CORRECTION.search(text):
        return False
    if CORRECTION.search(text) and (ids or fragment or OTHER_ORDER.search(text)):
        return True
    if fragment and not QUESTION.search(text.strip()):  # "what colours does the t-shirt come in?" is not a pick
        return True
    words = re.sub(r"#?\s?W\d{7}|\b\d{6}\b", " ", text).split()
    return bool(ids) and len(words) <= 3 and not any(order_ids(t) for t in task.texts)


def open_task(history: list[tuple[str, str]]) -> Task | None:
    """The write task still open after the earlier turns (None when the last turn closed or left it)."""
    task: Task | None = None
    focus = False  # an order id said or shown earlier (any id in a tool's text, as the planner's remembered_order)
    for text, payloads in turns(history):
        task = step(task, text, focus)
        if any(p.get("kind") == "done" for p in payloads):
            task = None
        focus = focus or bool(order_ids(text)) or any(order_ids(json.dumps(p)) for p in payloads)
    return task


@lru_cache(maxsize=2048)
def bare_write(text: str) -> str | None:
    """The write a message naming nothing of the shop's asks for ('I'd like to cancel please'): the router asks
    first, unless an order is in focus (agent/offline/planner.py), when the write is about that order."""
    r = route(text, "shopper")
    return r.alternatives[0][0] if r.via == "shop-object" and r.alternatives else None


def step(task: Task | None, text: str, focus: bool = False) -> Task | None:
    """The task after one more message: continued, replaced by a new write request, or closed. `focus`: an order
    was in focus before it (a bare write is then that order's, as the planner took it)."""
    if withdrawn(text):
        return None
    if task is not None and continues(task, text):
        return task.more(text)
    intent = intent_of(positive_part(text))
    if intent == "clarify" and focus:
        intent = bare_write(positive_part(text)) or intent
    return Task(intent, (text,)) if intent in WRITES else None
