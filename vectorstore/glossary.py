"""A glossary of the shop's own vocabulary from another language into English, so BM25 can match a question
in that language against English-only documents (the help-centre articles without a translation, and the product
pages). The terms are data: the [glossary.*] tables of vectorstore/lang/<lang>/lexicon.toml.

The Chinese one is built from the corpus, not from questions: every product name and option value in the
catalogue (shop/demo_data/tau_products.json.gz) and the key terms of every English help-centre article (titles,
headings, the nouns the articles are about). A term found in a question adds its English words to the question's
BM25 tokens (see `expand`); dense retrieval needs no glossary (the multilingual embedder).
"""

from __future__ import annotations

from functools import lru_cache

from core.catalogue import catalogue, exists


@lru_cache(maxsize=16)
def glossary(lang: str) -> dict[str, str]:
    """The language's terms and their English words (help-centre terms, then catalogue terms)."""
    if lang == "en" or not exists(lang, "lexicon", "vectorstore"):
        return {}
    tables = catalogue(lang, "lexicon", "vectorstore").get("glossary", {})
    return {k: v for table in tables.values() for k, v in table.items()}


@lru_cache(maxsize=16)
def _keys(lang: str) -> list[str]:
    return sorted(glossary(lang), key=len, reverse=True)


def expand(query: str, lang: str = "zh") -> list[str]:
    """English BM25 tokens for the glossary terms in a question (longest terms first; a term inside a
    longer matched term is skipped, so 蓝牙耳机 adds "wireless earbuds" but not also 耳机's words)."""
    from vectorstore.lexical import tokenize

    taken = [False] * len(query)
    words: list[str] = []
    terms = glossary(lang)
    for key in _keys(lang):
        start = query.find(key)
        while start >= 0:
            span = range(start, start + len(key))
            if not any(taken[j] for j in span):
                for j in span:
                    taken[j] = True
                words.append(terms[key])
            start = query.find(key, start + 1)
    out: list[str] = []
    for w in words:
        for t in tokenize(w):
            if t not in out:
                out.append(t)
    return out
