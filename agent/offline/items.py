"""Which items of an order a message means: by name ("only the bicycle", "运动鞋"), option ("the blue one", "绿色的那个"),
position ("the second item", "第二件"), all of them ("everything", "都退"), less the ones it excludes ("except the
bicycle", "背包不退", "不是水壶"). Used for item-level returns. The words of each language are data: the [items]
table of agent/lang/<lang>/dialogue.toml (agent/offline/words.py) and the [synonyms] of products.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agent.offline import words
from agent.offline.glossary import GLOSSARY, SYNONYMS
from agent.offline.replies import reply

# (regex, the colour in the catalogue's English) for each colour word of each language
COLOURS = [(re.compile(str(template).replace("{word}", re.escape(word))), str(colour))
           for template, table in words.lookup("colour", "colours") for word, colour in table.items()]
# (regex whose group 1 is a position word, the words' positions) per language
POSITIONS = [(re.compile(str(template).replace("{words}", "|".join(sorted(map(re.escape, table), key=len,
                                                                         reverse=True)))), table)
             for template, table in words.lookup("position", "positions")]
LAST = words.joined("last", "items", re.I)
ALL = words.joined("all", "items")
EXCLUDE = words.each("exclude", "items", re.I)  # group 1: the items not meant
BETWEEN = words.joined("between", "items")      # what separates two mentions
PLURAL = re.compile(r"\b(both|all|them|t-shirts|shirts|\w{1,30}s and)\b", re.I)


@dataclass
class Choice:
    """The items meant (ids), or why not: ambiguous (the candidates) or nothing matched."""

    ids: list[str] = field(default_factory=list)
    ambiguous: list[dict[str, Any]] = field(default_factory=list)
    selected: bool = False  # the message names, picks or excludes items at all


def _norm(text: str) -> str:
    t = text.lower().replace("’", "'")
    return re.sub(r"\bt[\s-]?shirts?\b|\btees?\b", lambda m: "t-shirts" if m.group(0).endswith("s") else "t-shirt", t)


def _heads(name: str) -> set[str]:
    words = _norm(name).split()
    return {words[-1], " ".join(words)} if words else set()


def _names_in(text: str, items: list[dict[str, Any]]) -> set[int]:
    """Indices of items whose name (or its last word, singular or plural) the text says."""
    low, found = _norm(text), set()
    zh_words = [w for k, v in GLOSSARY.items() if k in text for w in v.split()]
    zh_words += [w for k, v in SYNONYMS.items() if k in text for w in v]
    for i, it in enumerate(items):
        for h in _heads(it["name"]):
            if re.search(rf"(?<![\w-]){re.escape(h)}(?:e?s)?(?![\w-])", low) or h in zh_words:
                found.add(i)
    return found


def _colours_in(text: str) -> set[str]:
    low = text.lower()
    return {colour for pattern, colour in COLOURS if pattern.search(low)}


def _position_in(text: str, n: int) -> int | None:
    if LAST.search(text):
        return n
    low = text.lower()
    return next((int(table[m.group(1)]) for pattern, table in POSITIONS if (m := pattern.search(low))), None)


def _has_colour(it: dict[str, Any], colours: set[str]) -> bool:
    vals = " ".join(str(v).lower() for v in (it.get("options") or {}).values())
    return any(re.search(rf"\b{c}\b", vals) for c in colours)


def _mention(text: str, items: list[dict[str, Any]]) -> tuple[set[int], bool]:
    """The items one mention picks, and whether it says which at all."""
    names, colours, pos = _names_in(text, items), _colours_in(text), _position_in(text, len(items))
    if pos is not None and 1 <= pos <= len(items):
        return {pos - 1}, True
    if not names and not colours:
        return set(), False
    picked = names or set(range(len(items)))
    if colours:
        picked = {i for i in picked if _has_colour(items[i], colours)}
    return picked, True


NAMED = re.compile(r"\b(?:the|my|only|just|a|an)\s+([a-z][a-z-]{1,30}(?:\s[a-z-]{1,30})?)\s+(?:from|in|of|on)\b",
                   re.I)
NOT_ITEMS = {"order", "orders", "item", "items", "everything", "stuff", "things", "thing", "parcel", "package", "one",
             "whole order", "rest", "lot"}


def _named_product(text: str) -> bool:
    """Whether the text names some product (to tell 'not in this order' from 'no item named')."""
    low = _norm(text)
    if any(k in text for k in (*GLOSSARY, *SYNONYMS)):
        return True
    if any(re.search(rf"\b{re.escape(v)}s?\b", low) for v in GLOSSARY.values()):
        return True
    return any(m.group(1).lower() not in NOT_ITEMS for m in NAMED.finditer(low))


def hint(text: str) -> bool:
    """Whether the text picks items at all (a name, colour, position, 'everything' or an exclusion)."""
    return bool(_colours_in(text) or _position_in(text, 9) or ALL.search(text) or _named_product(text)
                or any(p.search(text) for p in EXCLUDE))


def choose(text: str, items: list[dict[str, Any]]) -> Choice:
    """The items of an order the text means; an empty Choice (selected False) when it names none."""
    excluded: set[int] = set()
    rest = text
    for pat in EXCLUDE:
        for m in pat.finditer(text):
            hit, said = _mention(m.group(1), items)
            if said:
                excluded |= hit
                rest = rest.replace(m.group(0), " ")
    mentions = [x for x in BETWEEN.split(rest) if x.strip()]
    picked: set[int] = set()
    ambiguous: set[int] = set()
    said_any = False
    for one in mentions:
        hit, said = _mention(one, items)
        said_any |= said
        if len(hit) > 1 and not PLURAL.search(one) and not ALL.search(one):
            ambiguous |= hit
        else:
            picked |= hit
    everything = bool(ALL.search(rest)) and not said_any
    if not said_any and not excluded and not everything:
        return Choice(selected=_named_product(rest))  # a product named that the order does not hold: no ids
    if everything or (excluded and not said_any):
        picked = set(range(len(items)))
    picked -= excluded
    ambiguous -= excluded
    if ambiguous and len(ambiguous) > 1:
        return Choice(ambiguous=[items[i] for i in sorted(ambiguous)], selected=True)
    picked |= ambiguous
    return Choice(ids=[items[i]["item_id"] for i in sorted(picked)], selected=True)


def describe(it: dict[str, Any], lang: str = "en") -> str:
    """An item with its options and price, to ask which one is meant."""
    price = f"{float(it['unit_price']):.2f}"
    opts = reply(lang, "option_sep").join(f"{k}: {v}" for k, v in (it.get("options") or {}).items())
    if opts:
        return reply(lang, "item_options", name=it["name"], options=opts, price=price)
    return reply(lang, "item_plain", name=it["name"], price=price)
