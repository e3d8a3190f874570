"""Word segmentation for BM25 in languages written without spaces, selected by the `segmenter` key of the
language's lexicon (vectorstore/lang/<lang>/lexicon.toml); its `stopwords` are dropped.

"jieba" (Chinese): jieba's search-mode segmentation (jieba.lcut_for_search) minus function words; Latin runs
inside Chinese text (PayPal, XL, GDPR) go through the English tokenizer.

jieba ships its dictionary and works offline; it caches its prefix dictionary in `jieba.dt.tmp_dir`, which is
set to a writable cache folder (~/.cache/retain, else the system temp dir). Loading takes ~0.7 s once per process
and happens on the first Chinese text, never at import.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from core.catalogue import catalogue, exists
from core.language import has_han
from vectorstore.lexical import tokenize

Tokenizer = Callable[[str], list[str]]

_PUNCT = set("，。！？；：、“”‘’（）《》【】…—·～,.!?;:()[]{}<>\"' \t\n-_/#*%&+=|~`@^$")
_LOCK = threading.Lock()
_JIEBA: Any = None


def _cache_dir() -> Path:
    for d in (Path.home() / ".cache" / "retain", Path(tempfile.gettempdir())):
        try:
            d.mkdir(parents=True, exist_ok=True)
            probe = d / ".retain-write-probe"
            probe.write_text("")
            probe.unlink()
            return d
        except OSError:
            continue
    raise OSError("no writable cache folder for jieba's dictionary cache")


def _jieba() -> Any:
    global _JIEBA
    with _LOCK:
        if _JIEBA is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.dt.tmp_dir = str(_cache_dir())
            jieba.initialize()
            _JIEBA = jieba
    return _JIEBA


@lru_cache(maxsize=16)
def stopwords(lang: str) -> frozenset[str]:
    return frozenset(str(catalogue(lang, "lexicon", "vectorstore").get("stopwords", "")).split())


def tokenize_jieba(text: str, lang: str = "zh") -> list[str]:
    """BM25 tokens for Chinese (or mixed) text; pure English text gets exactly the English tokens."""
    stop = stopwords(lang)
    if not has_han(text):
        return tokenize(text)
    out: list[str] = []
    for tok in _jieba().lcut_for_search(text):
        tok = tok.strip()
        if not tok or tok in _PUNCT:
            continue
        if has_han(tok):
            if tok not in stop:
                out.append(tok)
        else:
            out += tokenize(tok)
    return out


SEGMENTERS: dict[str, Callable[..., list[str]]] = {"jieba": tokenize_jieba}  # (text, lang=) -> tokens


def query_tokens(query: str, lang: str, tokenizer: Tokenizer) -> list[str]:
    """A question's BM25 tokens plus the English words of its glossary terms (vectorstore.glossary), so that it
    also matches English-only documents."""
    from vectorstore.glossary import expand

    toks = tokenizer(query)
    return toks + [t for t in expand(query, lang) if t not in toks]


def tokenizers(lang: str) -> tuple[Tokenizer, Tokenizer] | None:
    """(document tokenizer, query tokenizer) of a language with a segmenter; None: the English tokenizer."""
    if lang == "en" or not exists(lang, "lexicon", "vectorstore"):
        return None
    name = catalogue(lang, "lexicon", "vectorstore").get("segmenter")
    if name is None:
        return None
    if name not in SEGMENTERS:
        raise ValueError(f"vectorstore/lang/{lang}/lexicon.toml: unknown segmenter {name!r} (known: "
                         f"{', '.join(SEGMENTERS)})")
    tok: Tokenizer = partial(SEGMENTERS[name], lang=lang)
    return tok, partial(query_tokens, lang=lang, tokenizer=tok)
