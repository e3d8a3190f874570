"""The offline engine's direct replies in the reply language: agent/lang/<lang>/replies.toml (English fills in
a key another language lacks)."""

from __future__ import annotations

from typing import Any

from core.catalogue import catalogue


def reply(lang: str, key: str, **fields: Any) -> str:
    """The message `key` in `lang`, its {placeholders} filled from `fields`."""
    text = str(catalogue(lang, "replies")[key])
    return text.format(**fields) if fields else text


def table(lang: str, key: str) -> dict[str, str]:
    """A table of messages (by intent, by kind) in `lang`."""
    return dict(catalogue(lang, "replies")[key])
