"""The shop-object rule: a write route (cancel, return, address change, the order operations) needs positive
evidence that it is about this shop, not only the absence of another business's words (agent/offline/write_veto.py).

A write is about this shop when the message names
- an order id, or one of this shop's things with a determiner ('my order', 'the parcel', 'this item', 'the stuff I
  bought'; 订单, 包裹, 快递, 货, 买的 ...),
- a product of the catalogue (agent/offline/routing/shop_objects.toml and the glossary: 'the lantern', 'the hot
  water bottle', 台灯), or picks an item by colour or position ('the blue one', 'the second item', 蓝色的那个),
- or, for a cancel, return or order operation, only a pronoun ('cancel it', 'return them', 'send them all back',
  都退了, 取消它) or a purchase verb ('I ordered by mistake', 'I bought two'), with no other object named;
- for an address change, where the parcel goes ('the delivery address', 'send it to ...', 'deliver my order to',
  收货地址, 快递改寄到 ...); a bare 'change my address, I've moved' is what every business hears.

Otherwise the router asks first ('cancel an order, or something other than this shop?') instead of starting a
write; a shopper loses one question, another business's customer starts nothing. The planner lets a write through
when the conversation already has an order in focus (agent/offline/planner.py).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from agent.language import CJK
from agent.offline.glossary import GLOSSARY, SYNONYMS
from core.catalogue import catalogue

# the item-choice words of agent/lang/<lang>/dialogue.toml [items]: English colour and position words, Chinese colours
COLOURS = tuple(catalogue("en", "dialogue")["items"]["colours"])
POSITIONS = tuple(catalogue("en", "dialogue")["items"]["positions"])
COLOURS_ZH = tuple(catalogue("zh", "dialogue")["items"]["colours"])

_DATA = tomllib.loads((Path(__file__).parent / "routing" / "shop_objects.toml").read_text(encoding="utf-8"))


def _plural(word: str) -> str:
    return re.escape(word.replace("-", " ")).replace(r"\ ", r"[\s-]") + r"(?:e?s)?"


_PRODUCT_WORDS = sorted({*_DATA["products"].split(), *(v for v in GLOSSARY.values())}, key=len, reverse=True)
PRODUCT = re.compile(r"\b(?:" + "|".join(_plural(w) for w in _PRODUCT_WORDS) + r")\b", re.I)
PRODUCT_ZH = re.compile("|".join([_DATA["zh_products"], *map(re.escape, [*GLOSSARY, *SYNONYMS])]))
OBJECT_ZH = re.compile(_DATA["zh_objects"])
# this shop's own things: what an order is called, the goods in it
SHOP_NOUNS = {"order", "orders", "purchase", "purchases", "item", "items", "parcel", "parcels", "package", "packages",
              "delivery", "deliveries", "shipment", "shipments", "stuff", "things", "thing", "goods", "product",
              "products", "one", "ones", "lot", "rest", "size", "colour", "color", "everything", "whole", "pair",
              "pairs", "gift", "gifts", "present", "presents"}
# what says which of them: 'my last order', 'the whole parcel', 'the second item'
MODIFIERS = {"last", "latest", "recent", "previous", "earlier", "whole", "entire", "pending", "current", "online",
             "other", "new", "big", "bigger", "small", "smaller", "large", "larger", "little", "second", "third", "next",
             "original", "missing", "damaged", "broken", "late", "delayed", "faulty", "today's", "yesterday's",
             "christmas", "birthday", "extra", "duplicate", "same", "wrong", "first", "one", "two", "both", "all", "most",
             "very", "newest", "just", "only"}
# heads that name no object: times, reasons, the refund itself
NEUTRAL = {"morning", "afternoon", "evening", "night", "week", "weekend", "month", "day", "time", "moment", "minute",
           "mind", "money", "refund", "mistake", "way", "end", "meantime", "first", "last", "same", "best",
           "address", "new", "old", "wrong"}
DETERMINER = re.compile(r"\b(?:the|my|a|an|your|our|this|that|these|those|his|her|their|its)\s+"
                        r"(?=((?:[a-z][\w'-]*[\s,.!?]*){1,3}))", re.I)  # a lookahead: 'the address for my order' has two
STOP = re.compile(r"^(?:i|i'?m|i'?ve|i'?d|you|we|he|she|they|it|them|from|to|for|with|on|in|at|of|by|and|or|but|"
                  r"please|because|as|that|which|who|is|was|are|were|has|have|had|yesterday|today|tomorrow|now|again|"
                  r"anymore|back|instead|too|so|if|when|before|after|don'?t|doesn'?t|didn'?t|isn'?t|wasn'?t|aren'?t|won'?t|"
                  r"can'?t|hasn'?t|haven'?t|will|would|should|could|can|need|needs|fit|fits|arrived|came|broke|leaks?|"
                  r"works?|go|goes|went|should|pls|plz|please|thanks|thx|asap|thank|right)$", re.I)
PRONOUN = re.compile(r"\b(?:cancel+(?:ing|ling)?|return(?:ing)?|send(?:ing)?|exchang(?:e|ing)|swap(?:ping)?|refund|stop|"
                     r"scrap|call off)\s+(?:(?:it|them) )?(?:it|them|this|that|these|those|everything|all|both|something|"
                     r"anything|all of (?:it|them)|the lot)\b|\b(?:don'?t|do not|no longer) (?:want|need) (?:it|them)\b"
                     r"|^\s*(?:please\s+)?(?:cancel|return)\s*(?:please)?[.!]*\s*$", re.I)
PURCHASE = re.compile(r"\b(?:i|we)\s+(?:just\s+|recently\s+|accidentally\s+|only\s+)?(?:ordered|bought|purchased)\b|"
                      r"\bordered (?:by mistake|twice|the wrong)\b|\byou (?:sent|shipped|delivered)\b", re.I)
# what only goods are said to be: shipped, in a basket, the wrong size, faulty (a shop's order, a shop's goods)
SHOP_CUE = re.compile(r"\b(?:ship|ships|shipped|shipping|dispatch(?:ed)?|checkout|check out|basket|cart)\b|"
                      r"\b(?:doesn'?t|don'?t|didn'?t|does not|do not) fit\b|\btoo (?:small|big|large|tight|loose|short|long)\b|"
                      r"\bwrong (?:size|colou?r)\b|\b(?:faulty|defective|damaged|broken|cracked|chipped|ripped|torn|"
                      r"stained|scratched|unworn|unused)\b|质量|破损|瑕疵|不合身|不合适|坏了|破了|碎了|不买了|发错", re.I)
# the purchase was made somewhere else: 'the flowers I ordered from the florist', 'my order with the butcher'
ELSEWHERE = re.compile(r"\b(?:orders?|ordered|bought|purchased?|booked|delivery)\b(?:\s+[\w'-]+){0,3}?\s+(?:from|at|with)\s+"
                       r"(?:the|a|an|my|our)\s+(?!(?:shop|store|site|website|sale|sales|range|collection|catalogue|"
                       r"app|basket|cart|order|last|same|first|second)\b)[a-z]|"
                       r"\b(?:signed up|sign up|subscribed|enrolled|registered|joined)\b|"  # services, not goods
                       r"(?<!你们)(?<!贵)(?<!本)(?:店|铺|馆|公司|平台|超市|商场|市场)(?:里|上)?(?:买|订|下)?的(?:订单|包裹|快递|货|东西)|"
                       r"在.{1,6}(?:店|铺|馆|公司|平台|超市|商场|市场)(?:里|上)?(?:买|订|下)", re.I)
ZH_PRONOUN = re.compile(r"它|这个|那个|这些|那些|这件|那件|这两|都退|都取消|全部|全都|所有|整单|退货|换货")
ADDRESS_EN = re.compile(r"\b(?:delivery|shipping|postage|parcel|order)\s+address\b|"
                        r"\b(?:typed|entered|put|gave|filled in|wrote|spelt|spelled|misspelt) (?:in )?(?:the |a |my )?wrong\b|"
                        r"\bwrong (?:postcode|zip|house number|flat number|street)\b|"
                        r"\b(?:missed|forgot|left out) (?:the|my) (?:flat|house|apartment|unit|door) number\b|"
                        r"\b(?:send|deliver|ship|post|redirect|forward|dispatch)\b.{0,25}\b(?:it|them|this|that|my|"
                        r"the (?:order|parcel|package|delivery|items?|stuff))\b|\b(?:deliver|ship|send) (?:it |them )?to\b",
                        re.I)
ADDRESS_ZH = re.compile(r"收货|收件|寄到|送到|改寄|转到|配送地址|快递|包裹|订单")
DEFAULT_ADDRESS = re.compile(r"\b(?:default|saved|profile|shipping|delivery)\b.{0,15}\baddress\b|\baddress (?:on file|book)\b|"
                             r"默认地址|收货地址", re.I)


def _heads(text: str) -> list[list[str]]:
    """The words of each noun phrase a determiner opens, up to a pronoun, preposition, verb or clause end ('the
    wrong movie, ...' -> wrong movie; 'the card you sent' -> card; 'my parcel delivered to' -> parcel delivered)."""
    out = []
    for m in DETERMINER.finditer(text):
        words = []
        for raw in re.split(r"\s+", m.group(1).strip()):
            w = raw.strip(",.!?;:").lower()
            if not w or STOP.match(w):
                break
            words.append(w)
            if w != raw.lower():  # a clause ends here
                break
        if words:
            out.append([w.removesuffix("'s") for w in words])
    return out


def _known(phrase: list[str]) -> bool:
    """A phrase whose head is one of this shop's things and whose other words say which ('my last order', 'the
    blue mug'; not 'the milk delivery', 'my food order')."""
    if PRODUCT.search(" ".join(phrase)):  # 'the hot water bottle order', 'the yoga mat', 'the tea set'
        return True
    for i, w in enumerate(phrase):  # 'my parcel delivered to...': the head is the shop noun, what follows is a verb
        if w in SHOP_NOUNS:
            return all(m in MODIFIERS or m in COLOURS or m in SHOP_NOUNS or m in NEUTRAL for m in phrase[:i])
    return False


def _picks_item(text: str) -> bool:
    low = text.lower()
    if any(re.search(rf"\b{c}\b", low) for c in COLOURS) or any(k + "色" in text or k + "的那" in text for k in COLOURS_ZH):
        return True
    return bool(re.search(r"\b(?:" + "|".join(POSITIONS) + r")\s+(?:one|item|thing)\b", low) or
                re.search(r"第\s*[一二两三四1234]\s*(件|个|样|项)", text))


def named_objects(text: str) -> tuple[bool, bool]:
    """(names one of this shop's things, names some other object)."""
    phrases = _heads(text)
    known = any(_known(p) for p in phrases)
    unknown = any(not _known(p) and p[-1] not in NEUTRAL for p in phrases)
    if unknown and not known:  # a product word inside another business's thing ('the milk delivery') is no product
        return False, True
    return known or bool(PRODUCT.search(text) or PRODUCT_ZH.search(text) or OBJECT_ZH.search(text)
                         or _picks_item(text)), unknown


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
        return bool(known or ADDRESS_EN.search(text) or ADDRESS_ZH.search(text) or DEFAULT_ADDRESS.search(text))
    chinese = bool(CJK.search(text))
    if known or PRONOUN.search(text) or SHOP_CUE.search(text) or (chinese and ZH_PRONOUN.search(text)):
        return True
    return not unknown and bool(PURCHASE.search(text))


def about_shop(text: str, intent: str, slots: dict[str, Any]) -> bool:
    """Whether a write route names something of this shop's (see the module's doc)."""
    return _about_shop(text, intent, "order_id" in slots)
