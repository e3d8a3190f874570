"""The product words a question in another language names, in the catalogue's English (the catalogue is
English-only): the [glossary] tables of agent/lang/<lang>/products.toml, merged."""

from __future__ import annotations

import re

from core.catalogue import catalogue, exists, languages

GLOSSARY: dict[str, str] = {k: v for lang in languages() if lang != "en" and exists(lang, "products")
                            for k, v in catalogue(lang, "products")["glossary"].items()}
# words for things the catalogue names otherwise, and the catalogue words each may mean ([synonyms])
SYNONYMS: dict[str, tuple[str, ...]] = {k: tuple(v) for lang in languages() if lang != "en" and exists(lang, "products")
                                        for k, v in catalogue(lang, "products").get("synonyms", {}).items()}
_GLOSSARY = re.compile("|".join(sorted(map(re.escape, GLOSSARY), key=len, reverse=True))) if GLOSSARY else None


def product_words(text: str) -> str:
    """The product a question names: English words as they are, known product words of other languages in
    English."""
    if _GLOSSARY is None:
        return text
    found = [GLOSSARY[m.group(0)] for m in _GLOSSARY.finditer(text)]
    return " ".join([_GLOSSARY.sub(" ", text), *found]) if found else text
