"""Ranking metrics at k for top-k lists against sets of relevant items."""

from __future__ import annotations

import numpy as np


def topk(scores: np.ndarray, k: int, exclude: list[set[int]] | None = None) -> np.ndarray:
    S = scores.astype(float).copy()
    if exclude:
        for u, ex in enumerate(exclude):
            if ex:
                S[u, list(ex)] = -np.inf
    idx = np.argpartition(-S, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(S, idx, axis=1), axis=1, kind="stable")
    return np.take_along_axis(idx, order, axis=1)


def evaluate(recs: np.ndarray, relevant: list[set[int]], n_items: int) -> dict[str, float]:
    k = recs.shape[1]
    disc = 1 / np.log2(np.arange(2, k + 2))
    rec, ndcg, ap = [], [], []
    for r, rel in zip(recs, relevant, strict=True):
        if not rel:
            continue
        hits = np.array([i in rel for i in r], dtype=float)
        rec.append(hits.sum() / len(rel))
        ideal = disc[: min(len(rel), k)].sum()
        ndcg.append(float((hits * disc).sum() / ideal))
        prec = np.cumsum(hits) / np.arange(1, k + 1)
        ap.append(float((prec * hits).sum() / min(len(rel), k)))
    return {"recall@10": round(float(np.mean(rec)), 4), "ndcg@10": round(float(np.mean(ndcg)), 4),
            "map@10": round(float(np.mean(ap)), 4), "coverage": round(len(np.unique(recs)) / n_items, 4),
            "users": len(rec)}
