"""The shopper's language: detect it per message (one language, mixed scripts, or neutral), pick the reply
language, and recognise explicit requests to switch ("请用中文", "please answer in English").

The languages, how each is recognised and the phrases that request it are data: core/lang/<lang>/language.toml
(core.language; docs/languages.md). Order ids, emails, numbers and one-word answers such as "yes" carry no
language: they are *neutral* and the conversation's language (or the customer's preferred one) applies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.catalogue import BASE
from core.language import HAN as CJK
from core.language import available, check, latin, scripted, spec, specs

__all__ = ["CJK", "Lang", "available", "check", "detect", "dominant", "preferred_from", "reply_language",
           "requested"]

Lang = str  # a code of core.language.available()
_NOISE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|#?\s?[A-Za-z]?\d[A-Za-z0-9-]*|https?://\S+")
_WORD = re.compile(r"[A-Za-z]{2,}(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    """The Latin-letter words of `text` that carry a language (ids, emails and one-word answers do not)."""
    neutral = frozenset().union(*(s.neutral for s in specs()))
    return [w for w in _WORD.findall(_NOISE.sub(" ", text)) if w.lower() not in neutral]


def detect(text: str) -> str:
    """A language code (a script of its own carries the message, or Latin words do: the language whose marker
    words they are, English by default), 'mixed' (both carry words) or 'neutral' (ids, numbers, emails, a bare
    yes/no)."""
    script, chars = scripted(text)
    words = _words(text)
    if chars and words:
        return "mixed"
    if script is not None:
        return script.code
    if words:
        return latin(_NOISE.sub(" ", text))
    return "neutral"


def dominant(text: str) -> Lang | None:
    """The language most of the message is in (a word of a script language is `chars_per_word` characters), or
    None when neutral."""
    kind = detect(text)
    if kind == "neutral":
        return None
    if kind != "mixed":
        return kind
    script, chars = scripted(text)
    assert script is not None
    words = len(_WORD.findall(_NOISE.sub(" ", text)))
    return script.code if chars / script.chars_per_word >= words else latin(_NOISE.sub(" ", text))


def requested(text: str) -> Lang | None:
    """An explicit request to be answered in a language from now on (the first language, English first, whose
    `requests` match), or None."""
    return next((s.code for s in specs() if s.requests is not None and s.requests.search(text)), None)


def reply_language(text: str, earlier: Iterable[str] = (), preferred: str | None = None) -> Lang:
    """The language to answer `text` in: an explicit request, else the message's own (dominant) language, else
    the last earlier message with a language, else the customer's preferred language, else English."""
    for t in (text, *reversed(list(earlier))):
        lang = requested(t) or dominant(t)
        if lang:
            return lang
    return preferred if preferred in available() else BASE


def _codes() -> str:
    return "|".join(re.escape(lang) for lang in available())


def preferred_from(system: str, tool_texts: Iterable[str] = ()) -> Lang | None:
    """The customer's preferred language as the model sees it: the latest sign-in or set_language result, else
    the system prompt's PREFERRED_LANGUAGE line."""
    codes = _codes()
    tool_lang = re.compile(rf'"kind": "(?:auth|language)".*?"language": "({codes})"')
    for t in reversed(list(tool_texts)):
        if m := tool_lang.search(t):
            return m.group(1)
    m = re.search(rf"PREFERRED_LANGUAGE:\s*({codes})\b", system)
    return m.group(1) if m else None


def name(lang: str) -> str:
    """The language's English name (the local model's instruction "Answer in Chinese")."""
    return spec(lang).english
