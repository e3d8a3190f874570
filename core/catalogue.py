"""Languages as data: one loader for the per-language message catalogues and rule/lexicon files.

A catalogue is a TOML file `<package>/lang/<lang>/<name>.toml` (e.g. agent/lang/zh/replies.toml); adding a
language is adding such files (docs/languages.md lists which files and keys). A key a language lacks falls back to
the English catalogue of the same name. Directories registered with `add_root` (Settings.lang_dir) are searched
before the shipped ones, so a language can be added, or a message overridden, without touching the package.

Regexes live in multi-line literal strings ('''...'''), which keep backslashes verbatim; a string may name a shared
part of the file's `[parts]` table as `${name}` (expanded by `expand`).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import RetainError

BASE = "en"
_HOME = Path(__file__).resolve().parent.parent  # the folder that holds the top-level packages
_ROOTS: list[Path] = []                          # extra language directories, searched first
_PART = re.compile(r"\$\{(\w+)\}")
_CODE = re.compile(r"[a-z][a-z0-9_-]{0,40}", re.I)  # language codes (en, zh, pt-br) and catalogue names


class CatalogueError(RetainError):
    """A catalogue file is missing, malformed, or lacks a key."""


def add_root(path: Path | str) -> None:
    """Search `path` (holding `<lang>/<name>.toml`, one folder per language) before the shipped catalogues."""
    p = Path(path)
    if not p.is_dir():
        raise CatalogueError(f"language directory {p} does not exist")
    if p not in _ROOTS:
        _ROOTS.insert(0, p)
        refresh()


def remove_root(path: Path | str) -> None:
    if Path(path) in _ROOTS:
        _ROOTS.remove(Path(path))
        refresh()


def refresh() -> None:
    """Forget what was read (call after adding or changing catalogue files while running)."""
    catalogue.cache_clear()
    languages.cache_clear()
    _find.cache_clear()


def _dirs(package: str) -> list[Path]:
    return [*(r / package if (r / package).is_dir() else r for r in _ROOTS), _HOME / package / "lang"]


@lru_cache(maxsize=16)
def languages(package: str = "agent") -> tuple[str, ...]:
    """The languages that have at least one catalogue for `package` (English first)."""
    found = {d.name for root in _dirs(package) if root.is_dir() for d in root.iterdir()
             if d.is_dir() and any(d.glob("*.toml"))}
    return tuple(sorted(found, key=lambda x: (x != BASE, x)))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(f"{path}: malformed TOML ({e})") from e


class Catalogue(Mapping[str, Any]):
    """One language's messages of one kind; a missing key comes from `fallback` (English), else an error that
    names the file and the key."""

    def __init__(self, lang: str, name: str, data: dict[str, Any], path: Path | None,
                 fallback: Catalogue | None = None):
        self.lang, self.name, self.data, self.path, self.fallback = lang, name, data, path, fallback

    def __getitem__(self, key: str) -> Any:
        if key in self.data:
            return self.data[key]
        if self.fallback is not None and key in self.fallback:
            return self.fallback[key]
        where = self.path or f"{self.lang}/{self.name}.toml (no such file)"
        also = f" (nor in {self.fallback.path})" if self.fallback is not None else ""
        raise CatalogueError(f"{where}: no key {key!r}{also}")

    def __contains__(self, key: object) -> bool:
        return key in self.data or (self.fallback is not None and key in self.fallback)

    def __iter__(self) -> Iterator[str]:
        return iter({**(dict(self.fallback) if self.fallback is not None else {}), **self.data})

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except CatalogueError:
            return default

    def own(self, key: str, default: Any = None) -> Any:
        """The value this language itself gives (no English fallback)."""
        return self.data.get(key, default)

    def text(self, key: str) -> str:
        """A string value, with `${part}` references expanded."""
        value = self[key]
        if not isinstance(value, str):
            raise CatalogueError(f"{self.path}: {key!r} must be a string, not {type(value).__name__}")
        return self.expand(value)

    def expand(self, value: str) -> str:
        """`value` with each `${name}` replaced by the `[parts]` table's entry (which may name other parts)."""
        parts = self.data.get("parts", {})

        def sub(m: re.Match[str]) -> str:
            if m[1] not in parts:
                raise CatalogueError(f"{self.path}: no part {m[1]!r} in [parts] (used as ${{{m[1]}}})")
            return _PART.sub(sub, parts[m[1]])

        return _PART.sub(sub, value)


@lru_cache(maxsize=512)
def _find(lang: str, name: str, package: str) -> tuple[Path, ...]:
    """The files of catalogue `name` in `lang`, the added directories' first."""
    if not _CODE.fullmatch(lang) or not _CODE.fullmatch(name):
        raise CatalogueError(f"not a language code and catalogue name: {lang!r}, {name!r}")
    return tuple(p for d in _dirs(package) if (p := d / lang / f"{name}.toml").is_file())


def exists(lang: str, name: str, package: str = "agent") -> bool:
    """Whether language `lang` itself has the catalogue `name` (a file, not only the English fallback)."""
    return bool(_find(lang, name, package))


@lru_cache(maxsize=256)
def catalogue(lang: str, name: str, package: str = "agent") -> Catalogue:
    """The catalogue `name` of language `lang` for `package`: the keys of its files (an added directory's file
    over the shipped one), then English for a key they lack. A language without the file at all gets the English
    catalogue's keys (under its own language code)."""
    paths = _find(lang, name, package)
    if not paths and (lang == BASE or not _find(BASE, name, package)):
        raise CatalogueError(f"no catalogue {package}/lang/{lang}/{name}.toml")
    fallback = catalogue(BASE, name, package) if lang != BASE and _find(BASE, name, package) else None
    data: dict[str, Any] = {}
    for p in reversed(paths):
        data.update(_read(p))
    return Catalogue(lang, name, data, paths[0] if paths else None, fallback)
