"""The words the offline dialogue recognises in a shopper's message, as data: the dialogue.toml of every language
that has one (agent/lang/<lang>/dialogue.toml, English first). A key's patterns are joined across languages, so
a message is understood whatever the reply language; read once, when the engine is first used."""

from __future__ import annotations

import re
from typing import Any

from core.catalogue import Catalogue, CatalogueError, catalogue, exists, languages

CATALOGUES: list[Catalogue] = [catalogue(lang, "dialogue") for lang in languages() if exists(lang, "dialogue")]


def values(key: str, table: str | None = None) -> list[tuple[Catalogue, Any]]:
    """Each language's own value of `key` (of `[table]`), English first; languages without it are left out."""
    out = []
    for c in CATALOGUES:
        where = c.own(table, {}) if table else c.data
        if key in where:
            out.append((c, where[key]))
    return out


def _compile(c: Catalogue, key: str, pattern: str, flags: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as e:
        raise CatalogueError(f"{c.path}: {key!r} is not a valid regex ({e})") from e


def joined(key: str, table: str | None = None, flags: int = 0) -> re.Pattern[str]:
    """One regex: the languages' patterns for `key`, as alternatives (a regex that never matches when none has
    it)."""
    found = values(key, table)
    pattern = "|".join(c.expand(v) for c, v in found) or r"(?!)"
    return _compile(found[0][0] if found else CATALOGUES[0], key, pattern, flags)


def each(key: str, table: str | None = None, flags: int = 0) -> list[re.Pattern[str]]:
    """The languages' lists of patterns for `key`, one after another."""
    return [_compile(c, key, c.expand(p), flags) for c, ps in values(key, table) for p in ps]


def kinds(table: str, flags: int = 0) -> list[tuple[str, re.Pattern[str]]]:
    """[(name, regex)] for the names of `[table]`, in the order the first language lists them, each joined across
    languages."""
    names = list(dict.fromkeys(name for _c, t in values(table) for name in t))
    return [(name, joined(name, table, flags)) for name in names]


def lookup(key: str, words: str, table: str = "items") -> list[tuple[re.Pattern[str] | str, dict[str, Any]]]:
    """Per language: its `key` template and its `[table.<words>]` words (a language lacking either is left out)."""
    tables = dict((id(c), t) for c, t in values(words, table))
    return [(template, tables[id(c)]) for c, template in values(key, table) if id(c) in tables]
