"""BM25 (bm25s) over the collection's chunks, with a small English tokenizer (stopwords, light stemming).

The index is rebuilt from the stored chunks when a retriever opens (about a second for 20k chunks), so it
always matches the collection and needs no second persisted artefact.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be because been before being below
between both but by can could did do does doing don down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now
of off on once only or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves hi hello please thanks thank get
got im ive id dont cant can't i'm i've want need know tell like also still yet ok okay""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def stem(w: str) -> str:
    """Very light stemming: plural and common verb endings."""
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 3 and not (suf == "s" and w.endswith("ss")):
            return w[: len(w) - len(suf)] + rep
    return w


def tokenize(text: str) -> list[str]:
    """Lowercase words minus stopwords, lightly stemmed."""
    return [stem(w.replace("'", "")) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


class BM25Index:
    """BM25 scores over a fixed list of texts (English tokenizer unless another is given)."""

    def __init__(self, texts: list[str], tokenizer: Callable[[str], list[str]] | None = None,
                 query_tokenizer: Callable[[str], list[str]] | None = None):
        import bm25s

        self.n = len(texts)
        self.tokenize = tokenizer or tokenize
        self.query_tokenize = query_tokenizer or self.tokenize
        self._bm = bm25s.BM25()
        toks = [self.tokenize(t) or ["_empty_"] for t in texts]
        self._tokens = [set(t) for t in toks]
        if self.n:
            self._bm.index(toks, show_progress=False)

    def scores(self, query: str) -> tuple[np.ndarray, list[str]]:
        """(score per text, the query tokens known to the index)."""
        q = [t for t in self.query_tokenize(query) if self.n and t in self._bm.vocab_dict]
        if not q:
            return np.zeros(self.n, dtype=np.float32), []
        return np.asarray(self._bm.get_scores(q), dtype=np.float32), q

    def coverage(self, i: int, query_tokens: list[str]) -> float:
        """Share of the (known) query tokens that occur in text i."""
        return sum(t in self._tokens[i] for t in query_tokens) / len(query_tokens) if query_tokens else 0.0

    def tokens(self, i: int) -> Any:
        return self._tokens[i]
