"""Hybrid retrieval: BM25 (bm25s) + dense (Chroma), fused by reciprocal rank fusion, with metadata filters
and a relevance floor so out-of-scope questions return nothing rather than noise.

Relevance floor (calibrated on tests/eval/retrieval_dev_en.jsonl, never on the test questions):
- dense: the best chunk's cosine similarity must reach `dense_min`;
- bm25: the best chunk must score at least `bm25_min` and contain at least `coverage_min` of the query's
  known terms;
- hybrid: accepted when the dense cosine reaches `hybrid_dense_min`, or when it reaches the lower
  `hybrid_dense_low` and the BM25 evidence above also holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agent.config import Settings
from vectorstore.lexical import BM25Index

METHODS = ("bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Floor:
    """Relevance-floor thresholds (see the module docstring)."""

    dense_min: float = 0.38
    bm25_min: float = 3.3
    coverage_min: float = 0.5
    hybrid_dense_min: float = 0.40
    hybrid_dense_low: float = 0.30


@dataclass
class Hit:
    """One retrieved chunk with its citation (title, section, source, url)."""

    text: str
    score: float
    doc_id: str
    citation: dict[str, str]
    metadata: dict[str, Any] = field(default_factory=dict)


def _where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    if not filters:
        return None
    parts = [{k: {"$in": list(v)} if isinstance(v, (list, tuple, set)) else v} for k, v in filters.items()]
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _matches(meta: dict[str, Any], filters: dict[str, Any] | None) -> bool:
    if not filters:
        return True
    for k, v in filters.items():
        if isinstance(v, (list, tuple, set)):
            if meta.get(k) not in v:
                return False
        elif meta.get(k) != v:
            return False
    return True


class HybridRetriever:
    """Searches one collection with bm25, dense or hybrid ranking."""

    def __init__(self, col: Any, embedder: Any, floor: Floor | None = None, rrf_k: int = 60, pool: int = 40):
        from vectorstore.chroma import all_chunks

        self.col, self.embedder, self.floor, self.rrf_k, self.pool = col, embedder, floor or Floor(), rrf_k, pool
        self.ids, self.texts, self.metas = all_chunks(col)
        self.pos = {cid: i for i, cid in enumerate(self.ids)}
        self.bm25 = BM25Index(self.texts)

    @classmethod
    def from_settings(cls, settings: Settings, collection: str | None = None) -> HybridRetriever:
        """Open the default (or named) collection from settings (embedded or RETAIN_CHROMA_URL)."""
        from vectorstore.chroma import DEFAULT_COLLECTION, client, open_collection
        from vectorstore.embeddings import embedder_for

        col = open_collection(client(settings), collection or DEFAULT_COLLECTION, settings.embedding, create=False)
        return cls(col, embedder_for(settings))

    # -- the two rankings -------------------------------------------------------------------------------
    def dense_ranking(self, query: str, filters: dict[str, Any] | None = None,
                      n: int | None = None) -> list[tuple[int, float]]:
        """[(chunk index, cosine)] best first, from Chroma."""
        if not self.ids:
            return []
        vec = self.embedder.embed([query])
        res = self.col.query(query_embeddings=vec, n_results=min(n or self.pool, len(self.ids)),
                             where=_where(filters), include=["distances"])
        return [(self.pos[c], 1.0 - float(d)) for c, d in zip(res["ids"][0], res["distances"][0], strict=True)
                if c in self.pos]

    def bm25_ranking(self, query: str, filters: dict[str, Any] | None = None,
                     n: int | None = None) -> tuple[list[tuple[int, float]], list[str]]:
        """([(chunk index, bm25 score)] best first, known query tokens)."""
        scores, qtok = self.bm25.scores(query)
        if not qtok:
            return [], qtok
        if filters:
            mask = np.array([_matches(m, filters) for m in self.metas])
            scores = np.where(mask, scores, 0.0)
        n = min(n or self.pool, len(scores))
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0], qtok

    # -- floor ----------------------------------------------------------------------------------------
    def _bm25_ok(self, ranked: list[tuple[int, float]], qtok: list[str]) -> bool:
        if not ranked:
            return False
        i, s = ranked[0]
        return s >= self.floor.bm25_min and self.bm25.coverage(i, qtok) >= self.floor.coverage_min

    def ranked(self, query: str, method: str = "hybrid", filters: dict[str, Any] | None = None,
               apply_floor: bool = True) -> list[tuple[int, float]]:
        """[(chunk index, score)] best first for a method; [] when the floor rejects the query."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        dense = self.dense_ranking(query, filters) if method != "bm25" else []
        lex, qtok = self.bm25_ranking(query, filters) if method != "dense" else ([], [])
        f = self.floor
        top_cos = dense[0][1] if dense else 0.0
        if method == "dense":
            return dense if (not apply_floor or top_cos >= f.dense_min) else []
        if method == "bm25":
            return lex if (not apply_floor or self._bm25_ok(lex, qtok)) else []
        if apply_floor and not (top_cos >= f.hybrid_dense_min or
                                (top_cos >= f.hybrid_dense_low and self._bm25_ok(lex, qtok))):
            return []
        fused: dict[int, float] = {}
        for ranking in (dense, lex):
            for r, (i, _s) in enumerate(ranking):
                fused[i] = fused.get(i, 0.0) + 1.0 / (self.rrf_k + r + 1)
        return sorted(fused.items(), key=lambda x: -x[1])

    def search(self, query: str, k: int = 5, filters: dict[str, Any] | None = None,
               method: str = "hybrid") -> list[Hit]:
        """The top-k chunks with citations; an empty list means nothing relevant was found."""
        out = []
        for i, s in self.ranked(query, method, filters)[:k]:
            m = self.metas[i]
            out.append(Hit(self.texts[i], float(s), str(m.get("doc_id", "")), {
                "title": str(m.get("title", "")), "section": str(m.get("section", "")),
                "source": str(m.get("source", "")), "url": str(m.get("url", ""))}, m))
        return out
