"""Slot extraction in the other languages' own words: customer ids, zip codes, names (in Latin letters or in the
language's script), amounts, dates and delivery addresses, from the patterns of agent/lang/<lang>/slots.toml.
`extract_into` adds to the slots the language-neutral extractor (slots.py) found, for each language whose script
the message is written in.

Kept as code, selected by the data: splitting a native name into surname and given name (`name_splitter = "han"`:
shop.names.split_han) and the shape of a local address (province, city ending in `city_suffix`, street, postcode;
municipalities without a province)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agent.offline.address import parse_address
from core.catalogue import Catalogue, catalogue, exists, languages
from shop.names import split_han

SPLITTERS: dict[str, Callable[[str], tuple[str, str] | None]] = {"han": split_han}


@dataclass(frozen=True)
class Patterns:
    """One language's slot patterns, compiled."""

    cat: Catalogue
    script: re.Pattern[str]
    postcode: re.Pattern[str]
    postcode_at_end: re.Pattern[str]
    customer: re.Pattern[str]
    latin_name: re.Pattern[str]
    native_name: re.Pattern[str]
    amount: re.Pattern[str]
    date: re.Pattern[str]
    address_verb: re.Pattern[str]
    city: re.Pattern[str]

    @classmethod
    def of(cls, c: Catalogue) -> Patterns:
        names = [f for f in cls.__dataclass_fields__ if f != "cat"]
        return cls(c, **{f: re.compile(c.text(f)) for f in names})


LOCAL = [Patterns.of(catalogue(lang, "slots")) for lang in languages() if lang != "en" and exists(lang, "slots")]


def _in(text: str) -> list[Patterns]:
    return [p for p in LOCAL if p.script.search(text)]


def scripted(text: str) -> bool:
    """Whether `text` is written (partly) in the script of a language with slot patterns."""
    return bool(_in(text))


def without_postcodes(text: str) -> str:
    """The text with '邮编 200120'-style postcodes blanked, so six-digit postcodes are not read as invoice numbers."""
    for p in _in(text):
        text = p.postcode.sub(lambda m: " " * len(m.group(0)), text)
    return text


def native_name(p: Patterns, text: str) -> dict[str, str] | None:
    m = p.native_name.search(text)
    parts = SPLITTERS[p.cat["name_splitter"]](m.group(1)) if m else None
    return {"surname": parts[0], "given": parts[1], "full": m.group(1)} if m and parts else None


def address(p: Patterns, text: str) -> dict[str, str] | None:
    """A new delivery address after '改成/寄到/...': a local one (province, city, street, postcode) or a UK/US one."""
    c = p.cat
    m = p.address_verb.search(text.strip())
    if not m:
        return None
    rest = m.group(1).strip().rstrip(c["trim_end"])
    if not p.script.search(rest):
        return parse_address(rest)
    z = p.postcode.search(rest) or p.postcode_at_end.search(rest)
    if not z:
        return None
    street = (rest[:z.start()] + rest[z.end():]).strip(c["trim_street"])
    found = p.city.match(street)
    if found:
        city, address1, province = found.group("city"), found.group("rest").strip(c["trim"]), found.group("province") or ""
    elif muni := next((x for x in c["municipalities"] if street.startswith(x)), None):
        city, address1, province = muni + c["city_suffix"], street[len(muni):].strip(c["trim"]), ""
    else:
        return None
    if not address1 or not p.script.search(address1 + city):
        return None
    return {"address1": address1, "address2": province, "city": city, "zip": z.group(1).upper(), "country": c["country"]}


def extract_into(slots: dict[str, Any], text: str) -> None:
    for p in _in(text):
        _extract(p, slots, text)


def _extract(p: Patterns, slots: dict[str, Any], text: str) -> None:
    if "customer_id" not in slots and (m := p.customer.search(text)):
        slots["customer_id"] = m.group(1)
    if "zip" not in slots and (m := p.postcode.search(text)):
        slots["zip"] = m.group(1).upper()
    if "first_name" not in slots and (m := p.latin_name.search(text)):
        # surname first; verify_identity also tries the other order
        slots["last_name"], slots["first_name"] = m.group(1), m.group(2)
    if name := native_name(p, text):
        slots["name_zh"] = name
        if "first_name" not in slots:   # verify_identity matches a name in characters against pinyin too
            slots["last_name"], slots["first_name"] = name["surname"], name["given"]
    if m := p.amount.search(text):
        cur, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        slots["amount"] = {"value": float(value), "currency": p.cat["currency"][cur]}
    if m := p.date.search(text):
        slots["date"] = (f"{int(m.group(1)):04d}-" if m.group(1) else "") + f"{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if "address" not in slots and (a := address(p, text)):
        slots["address"] = a
