"""The shopper's language: detect it per message (Chinese, English, mixed, or neutral), pick the reply language,
and recognise explicit requests to switch ("请用中文", "please answer in English").

Only two reply languages exist, 'en' and 'zh' (customers.preferred_language). Order ids, emails, numbers and
one-word answers such as "yes" carry no language: they are *neutral* and the conversation's language (or the
customer's preferred one) applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from core.language import HAN as CJK

Lang = Literal["en", "zh"]
Detected = Literal["en", "zh", "mixed", "neutral"]
LANGUAGES: tuple[Lang, ...] = ("en", "zh")

_NOISE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|#?\s?[A-Za-z]?\d[A-Za-z0-9-]*|https?://\S+")
_WORD = re.compile(r"[A-Za-z]{2,}(?:'[a-z]+)?")
# one-word answers that say nothing about the language of the conversation
_NEUTRAL_WORDS = {"ok", "okay", "yes", "no", "yep", "nope", "hi", "hey", "thx"}

_ASK_ZH = re.compile(r"(请|麻烦|以后|今后|之后)?.{0,6}(用|说|讲|改成|换成|切换(到|成)?)(中文|汉语|普通话|简体中文)"
                     r"|(answer|reply|speak|talk|write|respond)\b.{0,20}\b(in )?(chinese|mandarin)\b"
                     r"|\b(switch|change)\b.{0,20}\b(to )?(chinese|mandarin)\b", re.I)
_ASK_EN = re.compile(r"(请|麻烦|以后|今后|之后)?.{0,6}(用|说|讲|改成|换成|切换(到|成)?)英(文|语)"
                     r"|\b(answer|reply|speak|talk|write|respond)\b.{0,20}\b(in )?english\b"
                     r"|\b(switch|change)\b.{0,20}\b(to )?english\b", re.I)


def detect(text: str) -> Detected:
    """'zh', 'en', 'mixed' (both scripts carry words) or 'neutral' (ids, numbers, emails, a bare yes/no)."""
    han = len(CJK.findall(text))
    words = [w for w in _WORD.findall(_NOISE.sub(" ", text)) if w.lower() not in _NEUTRAL_WORDS]
    if han and words:
        return "mixed"
    if han:
        return "zh"
    if words:
        return "en"
    return "neutral"


def dominant(text: str) -> Lang | None:
    """The language most of the message is in (a Chinese word is ~1.5 characters), or None when neutral."""
    kind = detect(text)
    if kind == "neutral":
        return None
    if kind != "mixed":
        return kind
    han = len(CJK.findall(text))
    words = len(_WORD.findall(_NOISE.sub(" ", text)))
    return "zh" if han / 1.5 >= words else "en"


def requested(text: str) -> Lang | None:
    """An explicit request to be answered in a language from now on, or None."""
    asks: tuple[tuple[Lang, re.Pattern[str]], ...] = (("en", _ASK_EN), ("zh", _ASK_ZH))
    return next((lang for lang, ask in asks if ask.search(text)), None)


def reply_language(text: str, earlier: Iterable[str] = (), preferred: str | None = None) -> Lang:
    """The language to answer `text` in: an explicit request, else the message's own (dominant) language, else
    the last earlier message with a language, else the customer's preferred language, else English."""
    for t in (text, *reversed(list(earlier))):
        lang = requested(t) or dominant(t)
        if lang:
            return lang
    return "zh" if preferred == "zh" else "en"


def check(lang: str) -> Lang:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang  # type: ignore[return-value]


_PROMPT_LANG = re.compile(r"PREFERRED_LANGUAGE:\s*(en|zh)\b")
_TOOL_LANG = re.compile(r'"kind": "(?:auth|language)".*?"language": "(en|zh)"')


def preferred_from(system: str, tool_texts: Iterable[str] = ()) -> Lang | None:
    """The customer's preferred language as the model sees it: the latest sign-in or set_language result, else
    the system prompt's PREFERRED_LANGUAGE line."""
    for t in reversed(list(tool_texts)):
        if m := _TOOL_LANG.search(t):
            return m.group(1)  # type: ignore[return-value]
    m = _PROMPT_LANG.search(system)
    return m.group(1) if m else None  # type: ignore[return-value]
