"""Delivery addresses in ordinary phrasing ("I moved to 12 Baker Street, Flat 3, London NW1 6XE", "8 rue Victor
Hugo, 69002 Lyon", "500 Main Street, Apt 4B, Springfield, IL 62704, USA") into the store's fields: address1,
address2, city, state, zip, country. The country is left empty when not said: the tool then keeps the country of
the order's current address (the customer's own).

The English words are code; another language adds its country names (`[countries]`) and its postcode words
(`postcode_label`, `postcode_is`) in agent/lang/<lang>/slots.toml (docs/languages.md)."""

from __future__ import annotations

import re

from core.catalogue import catalogue, exists, languages

# the slot files of the languages other than English (agent/lang/<lang>/slots.toml)
_SLOTS = [catalogue(lang, "slots") for lang in languages() if lang != "en" and exists(lang, "slots")]
UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
POSTCODE = re.compile(rf"(?<![A-Za-z0-9])({UK_POSTCODE}|\d{{5}}(?:-\d{{4}})?|\d{{4}}|\d{{6}})(?![A-Za-z0-9])", re.I)
SECOND_LINE = re.compile(r"^(?:flat|apt\.?|apartment|unit|suite|floor|room|building|block)\s*[\w-]+$", re.I)
SECOND_LINE_IN = re.compile(r"\b((?:flat|apt\.?|apartment|unit|suite|floor|room|building|block)\s*\d+[A-Za-z]?)\b",
                            re.I)
STREET = re.compile(r"^\d+[A-Za-z]?\s+[A-Za-z][\w .'-]*$")
START = re.compile(r"(?:^|\bto\b|\bis\b|\bat\b|:|：)\s*(?=(?:(?:flat|apt\.?|apartment|unit|suite)\s*[\w-]+\s*,\s*)?"
                   r"\d+[A-Za-z]?\s+[A-Za-z])", re.I)
COUNTRIES = {"united kingdom": "United Kingdom", "uk": "United Kingdom", "england": "United Kingdom",
             "scotland": "United Kingdom", "wales": "United Kingdom", "great britain": "United Kingdom",
             "usa": "United States", "us": "United States", "united states": "United States",
             "america": "United States", "france": "France", "germany": "Germany", "ireland": "Ireland",
             "eire": "Ireland", "spain": "Spain", "italy": "Italy", "netherlands": "Netherlands",
             "belgium": "Belgium",
             **{k: v for c in _SLOTS for k, v in c.own("countries", {}).items()}}  # 'china', '中国': '中国'


def _own(key: str) -> str:
    """The languages' `key` patterns, each after a '|'."""
    return "".join("|" + c.expand(c.own(key)) for c in _SLOTS if c.own(key))


# "the postcode is ...", "邮编是 ...": the languages' postcode words and their 'is'
CORRECTION = re.compile(r"(?:postcode|post code|zip(?: code)?" + _own("postcode_label") + r")\s*(?:is|should be" +
                        _own("postcode_is") + rf"|:|：)?\s*({UK_POSTCODE}|\d{{5,6}})", re.I)
FILLER = re.compile(r"(?<!\s)\s+(?:instead|please|thanks|thank you|now|then|from now on)\b.*$|(?<!\s)\s+-\s.*$",
                    re.I)


def _split_postcode(part: str) -> tuple[str, str] | None:
    """(the part's words without its postcode, the postcode), when the part holds one."""
    found = list(POSTCODE.finditer(part))
    if not found:
        return None
    m = found[-1]
    return (part[:m.start()] + part[m.end():]).strip(" ,"), m.group(1).upper()


def parse_address(text: str) -> dict[str, str] | None:
    """The first address in the text with a street (number and name) and a postcode, or None."""
    text = text[:300]  # an address is short; bounds the work on any input
    start = START.search(text)
    if not start:
        return None
    rest = re.split(r"[.!?;。！？](?:\s|$)", text[start.end():].strip(), maxsplit=1)[0]
    parts = [p.strip() for p in re.split(r",|，", rest) if p.strip()]
    out = {"address1": "", "address2": "", "city": "", "state": "", "zip": "", "country": ""}
    pending: list[str] = []  # parts after the street, before the postcode: city (and county/state)
    for raw in parts:
        part = FILLER.sub("", raw).strip()
        if not part:
            continue
        if out["zip"]:  # after the postcode only a country may follow
            if part.lower() in COUNTRIES:
                out["country"] = COUNTRIES[part.lower()]
            break
        if SECOND_LINE.match(part) and not out["address2"]:
            out["address2"] = part
            continue
        if not out["address1"]:
            if not STREET.match(part):
                return None
            out["address1"] = part
            continue
        split = _split_postcode(part)
        if split is None:
            pending.append(part)
            continue
        words, out["zip"] = split
        if words and pending:  # "Springfield, IL 62704", "Harpenden, Hertfordshire AL5 4SE"
            out["state"] = words
        elif words:
            pending.append(words)
        if FILLER.search(raw):
            break
    if not (out["address1"] and out["zip"] and pending):
        return None
    out["city"] = pending[0]
    if len(pending) > 1 and not out["state"]:
        out["state"] = pending[1]
    return out


def second_line(text: str) -> str | None:
    """'Flat 3' in a follow-up ("Flat 3", "add Flat 3 as the second line", "还有 Flat 3")."""
    m = SECOND_LINE_IN.search(text)
    return m.group(1) if m else None


def postcode_correction(text: str) -> str | None:
    """The postcode in "no, the postcode is NW1 6XF" / "邮编是 200120"."""
    m = CORRECTION.search(text)
    return m.group(1).upper() if m else None

