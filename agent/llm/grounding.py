"""Keep a model's answer honest about figures: every number, date and amount in it must be found in a passage, a
tool result or the conversation. Citation markers ([1]) are not figures."""

from __future__ import annotations

import re

_CITE = re.compile(r"\[\d+\]")
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")


def figures(text: str) -> list[str]:
    """The numbers in text, as written (12.50, 2-3, 14:00, 2026-05-01, 9000002); thousands commas dropped."""
    out = []
    for m in _NUMBER.finditer(_CITE.sub(" ", text)):
        f = m.group(0).rstrip(".,:/-")
        out.append(re.sub(r"(?<=\d),(?=\d{3}\b)", "", f))
    return out


def untraceable(text: str, sources: list[str]) -> list[str]:
    """The figures of text that appear in none of the sources (an empty list means the answer is grounded)."""
    seen = set()
    for s in sources:
        for f in figures(s):
            seen.add(f)
            seen.update(re.split(r"[.,:/-]", f))  # '2-3' also vouches for 2 and 3, '12.50' for 12 and 50
            if re.fullmatch(r"\d+\.0+", f):
                seen.add(f.split(".")[0])
            if re.fullmatch(r"\d+", f):
                seen.add(f"{f}.00")
    return [f for f in figures(text) if f not in seen]
