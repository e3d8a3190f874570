"""Which language a text is in, as data: each language's `core/lang/<lang>/language.toml` says how to recognise
it (a script of its own such as Han, or marker words for a Latin-script language), its name and the phrases that
ask for it. The languages are those that have the file (shipped, or in Settings.lang_dir); docs/languages.md.

Query and document language (`detect_lang`): a language with a script of its own when its characters carry the
text, one character weighing `letters_per_char` Latin letters ("PayPal退款多久到账" is Chinese, "How do I say
退货?" is English); else the Latin-script language whose marker words the text uses most, English by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from core.catalogue import BASE, Catalogue, CatalogueError, catalogue, exists, languages

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # CJK ideographs (the one Han pattern in code)
_LATIN = re.compile(r"[A-Za-z]")
_LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # words of any alphabet, for marker words


@dataclass(frozen=True)
class Spec:
    """How one language is recognised (its language.toml)."""

    code: str
    name: str
    english: str
    script: re.Pattern[str] | None  # its own script's characters; None: written in Latin letters
    letters_per_char: float
    chars_per_word: float
    markers: frozenset[str]
    neutral: frozenset[str]
    requests: re.Pattern[str] | None


_SPECS: dict[str, tuple[Catalogue, Spec]] = {}  # per language: the catalogue it was read from, and its Spec


def _spec(cat: Catalogue) -> Spec:
    def words(key: str) -> frozenset[str]:
        value = cat.own(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise CatalogueError(f"{cat.path}: {key!r} must be a list of words")
        return frozenset(w.lower() for w in value)

    def pattern(key: str, flags: int = 0) -> re.Pattern[str] | None:
        value = cat.own(key)
        parts = [value] if isinstance(value, str) else value
        if parts is None:
            return None
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise CatalogueError(f"{cat.path}: {key!r} must be a regex or a list of regexes")
        try:
            return re.compile("|".join(cat.expand(p) for p in parts), flags)
        except re.error as e:
            raise CatalogueError(f"{cat.path}: {key!r} is not a valid regex ({e})") from e

    name = cat.own("name")
    if not isinstance(name, str) or not name:
        raise CatalogueError(f"{cat.path}: 'name' (the language's name for itself) is missing")
    return Spec(cat.lang, name, str(cat.own("english", name)), pattern("script"),
                float(cat.own("letters_per_char", 1)), float(cat.own("chars_per_word", 1)), words("markers"),
                words("neutral"), pattern("requests", re.I))


def spec(lang: str) -> Spec:
    """How `lang` is recognised; ValueError when it has no language.toml."""
    return _load(check(lang))


def _load(lang: str) -> Spec:
    cat = catalogue(lang, "language", "core")
    held = _SPECS.get(lang)
    if held is None or held[0] is not cat:   # first use, or the catalogues were read again (refresh)
        held = _SPECS[lang] = (cat, _spec(cat))
    return held[1]


def available() -> tuple[str, ...]:
    """The languages that can be detected and answered in: those with a language.toml (English first)."""
    return tuple(lang for lang in languages("core") if exists(lang, "language", "core"))


def check(lang: str) -> str:
    """`lang` when it is an available language, else a ValueError naming the available ones."""
    have = available()
    if lang not in have:
        raise ValueError(f"language must be one of {', '.join(have)}, not {lang!r}")
    return lang


def specs(among: Iterable[str] | None = None) -> list[Spec]:
    """How each of `among` (default: every available language) is recognised."""
    return [_load(lang) if among is None else spec(lang) for lang in (available() if among is None else among)]


def scripted(text: str, among: Iterable[str] | None = None) -> tuple[Spec | None, int]:
    """The language with a script of its own that has the most characters in `text`, and how many (0: none)."""
    best: tuple[Spec | None, int] = (None, 0)
    for s in specs(among):
        if s.script is not None and (n := len(s.script.findall(text))) > best[1]:
            best = (s, n)
    return best


def latin(text: str, among: Iterable[str] | None = None) -> str:
    """The Latin-script language whose marker words `text` uses most; English when none uses more."""
    words = [w.lower() for w in _LETTERS.findall(text)]
    best, hits = BASE, 0
    for s in specs(among):
        if s.script is None and s.markers and (n := sum(w in s.markers for w in words)) > hits:
            best, hits = s.code, n
    return best


def detect_lang(text: str, among: Iterable[str] | None = None) -> str:
    """The language of a query or document among `among` (default: all available); English for text with no
    letters at all."""
    langs = None if among is None else tuple(among)
    s, n = scripted(text, langs)
    if s is not None and s.letters_per_char * n >= len(_LATIN.findall(text)):
        return s.code
    return latin(text, langs)


def has_han(text: str) -> bool:
    return HAN.search(text) is not None
