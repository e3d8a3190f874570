"""Slot extraction: order ids, emails, customer ids, names and zip codes, addresses, segments, reasons."""

from __future__ import annotations

import re
from typing import Any

from agent.offline import slots_local as local
from agent.offline.address import parse_address
from agent.offline.words import values

# ASCII word boundaries, so ids inside Chinese text ("订单W9000003到了吗", "订单581001") are found too
ORDER = re.compile(r"#\s?W\s?(\d{7})(?!\d)|(?<![A-Za-z0-9_])W(\d{7})(?!\d)|(?<![A-Za-z0-9_#])(C?\d{6})(?![A-Za-z0-9_])",
                   re.I)
# bounded parts, and a local part that starts where a run of its characters starts: linear on any input
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}")
CUSTOMER = re.compile(r"\b(?:customer|client|id)\s*(?:id\s*)?#?\s*(\d{5})\b|\b([a-z]+_[a-z]+_\d{4})\b", re.I)
ZIP = re.compile(r"\b(?:zip|postcode|post code|postal code)(?:\s+code)?\s*(?:is|:)?\s*([A-Z0-9]{2,4}\s?[0-9][A-Z]{2}|\d{5})",
                 re.I)
NAME = re.compile(r"\b(?i:my name is|i am|i'm|this is|name:)\s+([A-Z][a-z]+)\s+([A-Z][a-z]+)")
SEGMENTS = ("champions", "loyal", "potential loyalists", "at risk", "can't lose", "hibernating", "lost", "new")
BANDS = ("high", "medium", "low")
# the reason 'ordered by mistake': English words, and the other languages' dialogue.toml [turns] `mistake`
MISTAKE = re.compile(r"mistake|by accident|wrong" + "".join("|" + c.expand(v) for c, v in values("mistake", "turns")
                                                            if c.lang != "en"))


def order_ids(text: str) -> list[str]:
    out = []
    for m in ORDER.finditer(local.without_postcodes(text)):
        if m.group(1) or m.group(2):
            out.append("#W" + (m.group(1) or m.group(2)))
        else:
            out.append(m.group(3).upper())
    return out


def extract(text: str) -> dict[str, Any]:
    slots: dict[str, Any] = {}
    if ids := order_ids(text):
        slots["order_id"] = ids[0]
    if m := EMAIL.search(text):
        slots["email"] = m.group(0)
    if m := CUSTOMER.search(text):
        slots["customer_id"] = m.group(1) or m.group(2)
    if m := ZIP.search(text):
        slots["zip"] = m.group(1).upper()
    if m := NAME.search(text):
        slots["first_name"], slots["last_name"] = m.group(1), m.group(2)
    if not local.scripted(text) and (a := parse_address(text)):
        slots["address"] = a
    local.extract_into(slots, text)
    low = text.lower()
    named = [seg for seg in SEGMENTS if seg in low.replace("’", "'")]
    if len(named) > 1 and "at risk" in named:  # "who in the loyal segment is at risk": the segment is loyal
        named.remove("at risk")
    if named and not (named[-1] == "at risk" and "at risk in" in low):
        slots["segment"] = named[-1]
    if re.search(r"\b(vips?|very important|best customers|top (customers|tier))\b", low):
        slots["segment"] = "vip"  # the top tiers: champions, loyal, can't lose (retention.summary.at_risk)
    if m := re.search(r"at risk (?:in|among|within) (?:the )?([a-z' ]+?)(?: segment| tier)?[?.!]*$", low):
        seg = m.group(1).strip()
        slots["segment"] = next((s for s in SEGMENTS if s in seg), seg)
    for band in BANDS:
        if re.search(rf"\b{band}[- ]risk\b", low):
            slots["band"] = band
    slots["reason"] = "ordered by mistake" if MISTAKE.search(low) else "no longer needed"
    return slots
