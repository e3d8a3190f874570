"""Masking personal data for logs and the audit trail: emails, phone and card numbers (spaced or not), street
addresses and postcodes in free text, and address/contact fields in structured details."""

from __future__ import annotations

import math
import re
from typing import Any

_EMAIL = re.compile(r"([^@\s]{1,2})[^@\s]*@")
# a run of digits with phone/card separators, not part of a word or an ISO date; masked when it holds 9+ digits
_NUMBER = re.compile(r"(?<![\w*])(?!\d{4}-\d\d-\d\d)\+?\(?\d[\d\s().-]{5,}\d(?!\w)")
_STREET = re.compile(
    r"\b\d{1,5}[a-z]?,?\s+(?:[a-z'.-]+\s+){0,3}(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|way|close|"
    r"court|ct|place|pl|boulevard|blvd|terrace|crescent|gardens|square|sq|hill|row|mews|walk|grove|parade|"
    r"highway|hwy)\b\.?", re.I)
_UK_POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", re.I)
PII_KEYS = frozenset({"address1", "address2", "street", "zip", "postcode", "phone", "email", "card_number"})


def _mask_number(m: re.Match[str]) -> str:
    s = m.group(0)
    digits = sum(c.isdigit() for c in s)
    if digits < 9:
        return s
    seen = 0
    out = []
    for c in s:
        if c.isdigit():
            seen += 1
            out.append(c if seen > digits - 2 else "*")
        else:
            out.append(c)
    return "".join(out)


def redact(text: str) -> str:
    """Mask emails, phone and card numbers, long digit runs, street addresses and UK postcodes in text."""
    text = _EMAIL.sub(lambda m: m.group(1) + "***@", text)
    text = _STREET.sub("[address]", text)
    text = _UK_POSTCODE.sub("[postcode]", text)
    text = _NUMBER.sub(_mask_number, text)
    return re.sub(r"\d{7,}", lambda m: m.group(0)[:2] + "*" * (len(m.group(0)) - 4) + m.group(0)[-2:], text)


def scrub(value: Any) -> Any:
    """A copy of structured details safe for the audit trail: address and contact fields blanked, every text
    (keys too) through redact, and a long integer (a phone or card given as a number) masked as text. Masking
    leaf by leaf keeps the details valid JSON whatever they hold."""
    if isinstance(value, dict):
        return {redact(str(k)): "[redacted]" if k in PII_KEYS and value[k] else scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)   # NaN and infinities are not JSON
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1_000_000:
        return redact(str(value))   # a phone or card number typed as a number; amounts (floats) stay numbers
    return value
