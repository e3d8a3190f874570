"""The write-safety veto: a write intent (cancel, return, address change and the order operations) needs an object
this shop could act on. A message that names another business's object (a flight, a SIM, a mortgage, a gym
membership, a water bill, a takeaway...) and nothing of this shop's (an order id, 'my order', 'the parcel', ...)
is not a write request to this shop, whatever verb it uses: the router sends it to `out_of_scope` instead.

The words are data: the [veto] table of agent/lang/<lang>/writes.toml, each key's patterns joined across the
languages that have the file, English first (agent/offline/words.py), so a message is judged whatever its language
and a language adds its words by adding its file (docs/languages.md). They are written from what other businesses
sell, not from any evaluation file; the product catalogue's own compounds are kept out ('money bank', 'luggage
tag', 'passport cover', 'airline bag', 'rolling pin', 'hot water bottle', 'vacuum cleaner'). Bank and card words
are money words (`money`): they veto a cancel, return or address change (a card, a bank statement) but not a
payment-method change, and a shop anchor (`money_anchor`: 'paid by card', 'refund it to my bank account') keeps
the write. The first alternative that matches is the object reported.
"""

from __future__ import annotations

import re

from agent.offline.words import WRITES

MONEY = WRITES.joined("money", "veto", re.I)  # bank and card words
OTHER = WRITES.joined("other", "veto", re.I)  # other businesses' objects: insurance, telecom, travel, utilities ...
# what makes a message this shop's business: an order id, this shop's order or parcel, paying or being refunded
ORDER_ID = r"#?\bw\d{7}\b"
SHOP = re.compile(ORDER_ID + "|" + WRITES.joined("shop", "veto").pattern, re.I)
MONEY_ANCHOR = WRITES.joined("money_anchor", "veto", re.I)
# an order, parcel or delivery from another business, or one the customer sends: no anchor for this shop
OTHER_ORDER = WRITES.joined("other_order", "veto", re.I)
PAYMENT_WRITES = {"modify_payment"}
ADDRESS_WRITES = {"change_address", "default_address"}
# where a parcel may go: "send it to the hospital where I work" names a place, not another business's object
DESTINATION = WRITES.joined("destination", "veto", re.I)
# an order that holds another business's object: 'my order for the new iPhone contract' (this shop's words beside it
# are no anchor then)
HELD = re.compile("(?:" + WRITES.joined("held", "veto").pattern + ")(?:" + OTHER.pattern + ")", re.I)


def without_address(text: str, address: dict[str, str] | None) -> str:
    """The text less the parts of the address found in it (street, city, postcode)."""
    for part in (address or {}).values():
        if isinstance(part, str) and part.strip():
            text = re.sub(re.escape(part), " ", text, flags=re.I)
    return text


def other_business(text: str, intent: str, order_id: bool = False, address: dict[str, str] | None = None) -> str | None:
    """The other business's object that makes this write no write for this shop, or None (the write stands).
    The parts of an address given in the message are left out first ('5 Bank Street', '南京东路' are places)."""
    text = without_address(text, address)
    if intent in ADDRESS_WRITES:
        text = DESTINATION.sub(" ", text)
    if m := OTHER_ORDER.search(text) or HELD.search(text):
        return None if order_id else m.group(0)
    if order_id or SHOP.search(text):
        return None
    if m := OTHER.search(text):
        return m.group(0)
    if intent not in PAYMENT_WRITES and not MONEY_ANCHOR.search(text) and (m := MONEY.search(text)):
        return m.group(0)
    return None
