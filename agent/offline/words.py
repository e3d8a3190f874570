"""The words the offline engine recognises in a shopper's message, as data: one catalogue name (`dialogue`,
`writes`) read from every language that has the file (agent/lang/<lang>/<name>.toml, English first). A key's
patterns are joined across languages, so a message is understood whatever the reply language; read once, when the
engine is first used.

`Words(name)` reads one catalogue name; the module's functions (`values`, `joined`, `each`, `kinds`, `lookup`) are
those of `dialogue.toml` (agent/offline/dialogue.py, tasks.py, items.py, the runner); `WRITES` holds `writes.toml`,
the words of the write veto and the shop-object rule (agent/offline/write_veto.py, shop_object.py)."""

from __future__ import annotations

import re
from typing import Any

from core.catalogue import Catalogue, CatalogueError, catalogue, exists, languages


class Words:
    """The catalogues called `name` of the languages that have one, English first."""

    def __init__(self, name: str):
        self.name = name
        self.catalogues: list[Catalogue] = [catalogue(lang, name) for lang in languages() if exists(lang, name)]

    def values(self, key: str, table: str | None = None) -> list[tuple[Catalogue, Any]]:
        """Each language's own value of `key` (of `[table]`), English first; languages without it are left out."""
        out = []
        for c in self.catalogues:
            where = c.own(table, {}) if table else c.data
            if key in where:
                out.append((c, where[key]))
        return out

    def joined(self, key: str, table: str | None = None, flags: int = 0) -> re.Pattern[str]:
        """One regex: the languages' patterns for `key`, as alternatives (a regex that never matches when none has
        it)."""
        found = self.values(key, table)
        pattern = "|".join(c.expand(v) for c, v in found) or r"(?!)"
        return _compile(found[0][0].path if found else self.name, key, pattern, flags)

    def each(self, key: str, table: str | None = None, flags: int = 0) -> list[re.Pattern[str]]:
        """The languages' lists of patterns for `key`, one after another."""
        return [_compile(c.path, key, c.expand(p), flags) for c, ps in self.values(key, table) for p in ps]

    def kinds(self, table: str, flags: int = 0) -> list[tuple[str, re.Pattern[str]]]:
        """[(name, regex)] for the names of `[table]`, in the order the first language lists them, each joined
        across languages."""
        names = list(dict.fromkeys(name for _c, t in self.values(table) for name in t))
        return [(name, self.joined(name, table, flags)) for name in names]

    def lookup(self, key: str, words: str, table: str = "items") -> list[tuple[re.Pattern[str] | str, dict[str, Any]]]:
        """Per language: its `key` template and its `[table.<words>]` words (a language lacking either is left
        out)."""
        tables = dict((id(c), t) for c, t in self.values(words, table))
        return [(template, tables[id(c)]) for c, template in self.values(key, table) if id(c) in tables]


def _compile(where: object, key: str, pattern: str, flags: int) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as e:
        raise CatalogueError(f"{where}: {key!r} is not a valid regex ({e})") from e


DIALOGUE = Words("dialogue")
WRITES = Words("writes")
CATALOGUES = DIALOGUE.catalogues
values = DIALOGUE.values
joined = DIALOGUE.joined
each = DIALOGUE.each
kinds = DIALOGUE.kinds
lookup = DIALOGUE.lookup
