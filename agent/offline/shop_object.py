"""The shop-object rule: a write route (cancel, return, address change, the order operations) needs positive
evidence that it is about this shop, not only the absence of another business's words (agent/offline/write_veto.py).

A write is about this shop when the message names
- an order id, or one of this shop's things with a determiner ('my order', 'the parcel', 'this item', 'the stuff I
  bought'; 订单, 包裹, 快递, 货, 买的 ...),
- a product of the catalogue (`product_words` and `products` of agent/lang/<lang>/writes.toml [shop], and the
  glossary: 'the lantern', 'the hot water bottle', 台灯), or picks an item by colour or position (`pick`: 'the blue
  one', 'the second item', 蓝色的那个),
- or, for a cancel, return or order operation, only a pronoun (`pronoun`: 'cancel it', 'return them', 'send them
  all back', 都退了, 取消它) or a purchase verb (`purchase`: 'I ordered by mistake', 'I bought two'), with no other
  object named;
- for an address change, where the parcel goes (`address`: 'the delivery address', 'send it to ...', 'deliver my
  order to', 收货地址, 快递改寄到 ...); a bare 'change my address, I've moved' is what every business hears.

What the message names is read as a whole, not word by word:
- a shop noun whose `of` ('of', 'for') holds another object is that object ('the order of flowers', 'my order for
  the wine tasting'; `holders`; whom it is for is not: `recipients`), and 'the new one' after another object is
  that object ('freeze my card and send the new one'; `anaphors`); a phrase that runs on into a time is read
  without it ('the spin class last week'; `times`);
- what was bought (`purchased`: 'I bought the wrong movie'; `bought_after`: 'the mesh booster you sent') or what
  the write acts on (`acted_on`: 'cancel the points scheme'; unless a goods cue says otherwise) must be one of this
  shop's things, whatever pronoun follows; lost property is no shop's (`elsewhere`: 'I left my jacket in room 214');
- an address change that names another object to deliver, and none of this shop's things, makes no write ('deliver
  my Sunday paper to my new address'); a phrase after a place word (`places`: 'to my hotel') is where, not what;
- what is sent or acted on is also read without noun phrases, by each language's `sent` and `acted` patterns less
  their `filler` ('send new card to ...', '老年卡能补寄到...', '取消明天的理发').

Otherwise the router asks first ('cancel an order, or something other than this shop?') instead of starting a
write; a shopper loses one question, another business's customer starts nothing. The planner lets a write through
when the conversation already has an order in focus (agent/offline/planner.py).

The words are data: the [shop] table of agent/lang/<lang>/writes.toml, each key joined across the languages that
have the file, English first (agent/offline/words.py; docs/languages.md). The noun phrases a determiner opens
('my last order', 'the milk delivery') are read by code (`_heads`), with the words of each language that gives
`determiners` (English: `determiners`, `stop`, `nouns`, `modifiers`, `neutral`, `times`, `recipients`, `anaphors`,
`holders`, `of`, `bought_after`, `purchased`, `acted_on`, `places`); a language without them has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from agent.offline.glossary import GLOSSARY, SYNONYMS
from agent.offline.words import WRITES
from core.catalogue import Catalogue, catalogue


def _plural(word: str) -> str:
    return re.escape(word.replace("-", " ")).replace(r"\ ", r"[\s-]") + r"(?:e?s)?"


def _shop(key: str) -> re.Pattern[str]:
    return WRITES.joined(key, "shop", re.I)


# the catalogue's nouns, as whole words with a plural ending, and the English words of the glossary
_PRODUCT_WORDS = sorted({*(w for _c, words in WRITES.values("product_words", "shop") for w in words.split()),
                         *(v for v in GLOSSARY.values())}, key=len, reverse=True)
PRODUCT = re.compile(r"\b(?:" + "|".join(_plural(w) for w in _PRODUCT_WORDS) + r")\b", re.I)
# product words given as patterns (languages written without spaces), and the glossary's and synonyms' own words
PRODUCT_PATTERNS = re.compile("|".join([*(c.expand(v) for c, v in WRITES.values("products", "shop")),
                                  *map(re.escape, [*GLOSSARY, *SYNONYMS])]))
SHOP_OBJECTS = WRITES.joined("objects", "shop")  # what a shopper calls an order, a parcel or the goods


def _items(c: Catalogue, words: str) -> list[str]:
    """The [items.<words>] words of the dialogue.toml of catalogue `c`'s language."""
    return list(catalogue(c.lang, "dialogue").get("items", {}).get(words, {}))


def _pick(c: Catalogue, template: str) -> str:
    return c.expand(template).replace("{colours}", "|".join(map(re.escape, _items(c, "colours")))) \
        .replace("{positions}", "|".join(map(re.escape, _items(c, "positions"))))


# picking an item by colour or position: 'the blue one', 'the second item', 蓝色的那个, 第二件
PICK = re.compile("|".join(_pick(c, t) for c, t in WRITES.values("pick", "shop")) or r"(?!)", re.I)
PRONOUN = _shop("pronoun")  # 'cancel it', 'return them', 都退了
PURCHASE = _shop("purchase")  # 'I ordered by mistake', 'I bought two'
# what only goods are said to be: shipped, in a basket, the wrong size, faulty (a shop's order, a shop's goods)
SHOP_CUE = _shop("cue")
# the purchase was made somewhere else: 'the flowers I ordered from the florist', 'my order with the butcher'
ELSEWHERE = _shop("elsewhere")
ADDRESS = _shop("address")  # where the parcel goes: 'the delivery address', 收货地址
DEFAULT_ADDRESS = _shop("default_address")


@dataclass(frozen=True)
class Phrases:
    """One language's noun-phrase words ([shop] `determiners`, `stop`, `nouns`, `modifiers`, `neutral`)."""

    determiner: re.Pattern[str]  # a lookahead: 'the address for my order' has two
    stop: re.Pattern[str]
    nouns: frozenset[str]  # this shop's own things: what an order is called, the goods in it
    modifiers: frozenset[str]  # what says which of them: 'my last order', 'the second item'
    neutral: frozenset[str]  # heads that name no object: times, reasons, the refund itself
    times: frozenset[str]  # what a phrase may run on into: 'the spin class <last week>'
    recipients: frozenset[str]  # whom an order is for: 'my order for <my mum>'
    colours: frozenset[str]
    of: re.Pattern[str]  # what a holder holds: 'the order <of flowers>'
    bought_after: re.Pattern[str]  # a purchase after the phrase: 'the mesh booster <you sent>'


def _phrases(c: Catalogue) -> Phrases:
    shop = c.own("shop")
    return Phrases(re.compile(r"\b(?:" + c.expand(shop["determiners"]) + r")\s+(?=((?:[a-z][\w'-]*[\s,.!?]*){1,3}))",
                              re.I),
                   re.compile(r"^(?:" + c.expand(shop.get("stop", "(?!)")) + r")$", re.I),
                   frozenset(shop.get("nouns", ())), frozenset(shop.get("modifiers", ())),
                   frozenset(shop.get("neutral", ())), frozenset(shop.get("times", "").split()),
                   frozenset(shop.get("recipients", "").split()), frozenset(_items(c, "colours")),
                   re.compile(r"\s+(?:" + c.expand(shop.get("of", "(?!)")) + r")\s+(?:(?:" + c.expand(shop["determiners"])
                              + r")\s+)?((?:[a-z][\w'-]*\s*){1,3})", re.I),
                   re.compile(r"\s+(?:" + c.expand(shop.get("bought_after", "(?!)")) + r")\b", re.I))


PHRASES = [_phrases(c) for c, _d in WRITES.values("determiners", "shop")]


def _words(key: str) -> frozenset[str]:
    """The words of a space-separated [shop] key, across the languages that give it."""
    return frozenset(w for _c, ws in WRITES.values(key, "shop") for w in ws.split())


# the heads that stand for whatever else the message names ('send the new one'), the shop nouns whose 'of' says
# what they hold ('the order of flowers'), the words before the object of a purchase ('I bought the ...') or of the
# write itself ('cancel the ...'), and before a place ('to my hotel')
ANAPHORS, GENERIC, PURCHASED, ACTED_ON, PLACE_WORDS = map(_words, ("anaphors", "holders", "purchased", "acted_on",
                                                                    "places"))


@dataclass(frozen=True)
class Phrase:
    """A noun phrase a determiner opens: the word before it, its words, and what follows it in the message."""

    before: str
    words: list[str]
    after: str


def _heads(text: str, words: Phrases) -> list[Phrase]:
    """Each noun phrase a determiner opens, up to a pronoun, preposition, verb or clause end ('the wrong movie, ...'
    -> wrong movie; 'the card you sent' -> card; 'my parcel delivered to' -> parcel delivered)."""
    out = []
    for m in words.determiner.finditer(text):
        phrase, end = [], m.end()
        for raw in re.finditer(r"\S+", text[m.end():]):
            w = raw.group(0).strip(",.!?;:").lower()
            if not w or words.stop.match(w):
                break
            phrase.append(w.removesuffix("'s"))
            end = m.end() + raw.end()
            if w != raw.group(0).lower():  # a clause ends here
                break
        if phrase:
            before = re.findall(r"[\w']+", text[:m.start()].lower())
            out.append(Phrase(before[-1] if before else "", phrase, text[end:]))
    return out


def _known(phrase: list[str], words: Phrases) -> bool:
    """A phrase whose head is one of this shop's things and whose other words say which ('my last order', 'the
    blue mug'; not 'the milk delivery', 'my food order')."""
    if PRODUCT.search(" ".join(phrase)):  # 'the hot water bottle order', 'the yoga mat', 'the tea set'
        return True
    for i, w in enumerate(phrase):  # 'my parcel delivered to...': the head is the shop noun, what follows is a verb
        if w in words.nouns:
            return all(m in words.modifiers or m in words.colours or m in words.nouns or m in words.neutral
                       for m in phrase[:i])
    return False


def _kind(p: Phrase, words: Phrases) -> str:
    """'known' (this shop's thing), 'unknown' (another object), 'none' (a time, a reason, the address itself) or
    'anaphor' ('the new one': whatever else the message names)."""
    ws = p.words
    while len(ws) > 1 and ws[-1] in words.times:  # 'the spin class last week': the class
        ws = ws[:-1]
    if ws[-1] in words.neutral and not PRODUCT.search(" ".join(ws)):  # 'the delivery address', 'my refund'
        return "none"
    if not _known(ws, words):
        return "unknown"
    head = next((w for w in ws if w in words.nouns), "")  # 'the old one got lost': one
    if head in ANAPHORS:
        return "anaphor"
    if head == ws[-1] in GENERIC and (of := words.of.match(p.after)):  # 'the order of flowers'
        thing = [w for w in of.group(1).lower().split() if w not in words.modifiers and not w.isdigit()][:1]
        if thing and not words.stop.match(thing[0]) and not _known(thing, words) and \
                thing[0].removesuffix("'s") not in words.neutral | words.times | words.recipients:
            return "unknown"
    return "known"


@lru_cache(maxsize=4096)  # read by several checks of one message
def _objects(text: str) -> tuple[tuple[str, str], ...]:
    """(kind, the word before) of each noun phrase of the message (see `_kind`); a phrase that a purchase follows
    ('the mesh booster you sent', 'the movie I bought') counts as after a purchase word."""
    return tuple((_kind(p, words), "bought" if words.bought_after.match(p.after) else p.before)
                 for words in PHRASES for p in _heads(text, words))


def _only_other(text: str, where: Callable[[str], bool]) -> bool:
    """Whether the message names another object at a place `where` accepts (the word before it) and none of this
    shop's things."""
    objects = _objects(text)
    return any(k == "unknown" and where(b) for k, b in objects) and not any(k == "known" for k, _b in objects)


def named_objects(text: str) -> tuple[bool, bool]:
    """(names one of this shop's things, names some other object)."""
    kinds = [k for k, _b in _objects(text)]
    unknown = "unknown" in kinds
    # 'the new one' after 'my card' is the card; 'the one with the crack' is an item
    known = "known" in kinds or ("anaphor" in kinds and "unknown" not in kinds[:kinds.index("anaphor")])
    if unknown and not known:  # a product word inside another business's thing ('the milk delivery') is no product
        return False, True
    return known or bool(PRODUCT.search(text) or PRODUCT_PATTERNS.search(text) or SHOP_OBJECTS.search(text)
                         or PICK.search(text)), unknown


def _bought_elsewhere(text: str) -> bool:
    """'I bought the wrong movie', 'cancel the account': a purchase, or the write's own object, that is none of this
    shop's things (and nothing of the shop's named beside it)."""
    before = PURCHASED if SHOP_CUE.search(text) else PURCHASED | ACTED_ON  # 'cancel the card set before it ships'
    return _only_other(text, before.__contains__)


@dataclass(frozen=True)
class Told:
    """One language's reading of the thing a write is about, for a language whose noun phrases the code does not
    read: `sent` finds what an address change sends (its group `obj`: '<老年卡能补>寄到'), `acted` what a cancel or
    return acts on ('取消<明天的预约>'); `filler` is what around it names nothing (我的, 能, 帮我, 一下)."""

    sent: re.Pattern[str]
    acted: re.Pattern[str]
    filler: re.Pattern[str]


def _told(c: Catalogue) -> Told:
    shop = c.own("shop")
    return Told(*(re.compile(c.expand(shop.get(key, "(?!)")), re.I) for key in ("sent", "acted", "filler")))


TOLD = [_told(c) for c, _v in WRITES.values("filler", "shop")]


def _names_other(text: str, what: str) -> bool:
    """Whether the thing sent (`what` = 'sent': 'send new card to ...', '纸质票能寄到...') or acted on ('acted':
    '取消明天的预约'), less the filler around it, names none of this shop's things: no order, parcel, product or
    pronoun."""
    for lang in TOLD:
        for m in getattr(lang, what).finditer(text):
            thing = lang.filler.sub(" ", m.group("obj")).strip(" ,.!?;:，。！？；：")
            if thing and not (PRODUCT.search(thing) or PRODUCT_PATTERNS.search(thing) or SHOP_OBJECTS.search(thing)
                              or PRONOUN.search(thing) or PICK.search(thing)
                              or any(w in words.nouns for words in PHRASES for w in thing.lower().split())):
                return True
    return False


def _object_named(text: str) -> bool:
    """For an address change: an object other than this shop's things, not a place the parcel goes ('deliver my
    Sunday paper to ...', 'send the bills for ...'; not '... to my mum's house')."""
    return _only_other(text, lambda before: before not in PLACE_WORDS)


@lru_cache(maxsize=4096)
def _about_shop(text: str, intent: str, order_id: bool) -> bool:
    if order_id:
        return True
    if ELSEWHERE.search(text):
        return False
    if intent == "default_address":
        return bool(DEFAULT_ADDRESS.search(text))
    known, unknown = named_objects(text)
    if intent == "change_address":  # the place named beside the parcel is no object ('to my mum's house')
        return not (_object_named(text) or _names_other(text, "sent")) and \
            bool(known or ADDRESS.search(text) or DEFAULT_ADDRESS.search(text))
    if _bought_elsewhere(text) or (not SHOP_CUE.search(text) and _names_other(text, "acted")):
        return False
    if known or PRONOUN.search(text) or SHOP_CUE.search(text):
        return True
    return not unknown and bool(PURCHASE.search(text))


def about_shop(text: str, intent: str, slots: dict[str, Any]) -> bool:
    """Whether a write route names something of this shop's (see the module's doc)."""
    return _about_shop(text, intent, "order_id" in slots)
