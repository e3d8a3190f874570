"""Query and document language: "zh" when Han characters carry the text, else "en".

A Han character carries about as much as a short English word, so one Han character counts as three Latin
letters: "PayPal退款多久到账" is Chinese, "How do I say 退货?" is English.
"""

from __future__ import annotations

import re

LANGS = ("en", "zh")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # CJK ideographs (the one Han pattern)
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str:
    """"zh" or "en" (the default, also for text with no letters at all)."""
    han = len(HAN.findall(text))
    return "zh" if han and 3 * han >= len(_LATIN.findall(text)) else "en"


def has_han(text: str) -> bool:
    return HAN.search(text) is not None
