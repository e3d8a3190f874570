"""The knowledge base's languages and their retrieval settings, as data: vectorstore/lang/<lang>/lexicon.toml
(English first; read when first used). A question in another language is retrieved as English."""

from __future__ import annotations

from typing import Any

from core.catalogue import Catalogue, catalogue, exists, languages


def langs() -> tuple[str, ...]:
    """The languages retrieval knows: those with a lexicon.toml (English first)."""
    return tuple(lang for lang in languages("vectorstore") if exists(lang, "lexicon", "vectorstore"))


def lexicon(lang: str) -> Catalogue:
    return catalogue(lang, "lexicon", "vectorstore")


def setting(lang: str, key: str, default: Any = None) -> Any:
    """The language's own value of `key` (no English fallback: the English settings are English's)."""
    return lexicon(lang).own(key, default) if exists(lang, "lexicon", "vectorstore") else default
