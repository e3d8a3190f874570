"""Ranking metrics at k for top-k lists against sets of relevant items."""

from __future__ import annotations

import numpy as np


def topk(scores: np.ndarray, k: int, exclude: list[set[int]] | None = None) -> np.ndarray:
    S = scores.astype(float).copy()
    if exclude:
        for u, ex in enumerate(exclude):
            if ex:
                S[u, list(ex)] = -np.inf
    k = min(k, S.shape[1])
    idx = np.argpartition(-S, k - 1, axis=1)[:, :k] if k < S.shape[1] else np.tile(np.arange(k), (len(S), 1))
    order = np.argsort(-np.take_along_axis(S, idx, axis=1), axis=1, kind="stable")
    return np.take_along_axis(idx, order, axis=1)


def evaluate(recs: np.ndarray, relevant: list[set[int]], n_items: int, k: int | None = None) -> dict[str, float]:
    """Recall, precision, NDCG and MAP at k (the list length unless k is given: a catalogue smaller than k gives
    shorter lists, still judged at k), and catalogue coverage, averaged over users with something relevant."""
    k = k or recs.shape[1]
    disc = 1 / np.log2(np.arange(2, recs.shape[1] + 2))
    rec, prec_k, ndcg, ap = [], [], [], []
    for r, rel in zip(recs, relevant, strict=True):
        if not rel:
            continue
        hits = np.array([i in rel for i in r], dtype=float)
        rec.append(hits.sum() / len(rel))
        prec_k.append(hits.sum() / k)
        ideal = disc[: min(len(rel), k)].sum()
        ndcg.append(float((hits * disc).sum() / ideal))
        prec = np.cumsum(hits) / np.arange(1, len(hits) + 1)
        ap.append(float((prec * hits).sum() / min(len(rel), k)))
    if not rec:
        return {f"recall@{k}": 0.0, f"precision@{k}": 0.0, f"ndcg@{k}": 0.0, f"map@{k}": 0.0, "coverage": 0.0,
                "users": 0}
    return {f"recall@{k}": round(float(np.mean(rec)), 4), f"precision@{k}": round(float(np.mean(prec_k)), 4),
            f"ndcg@{k}": round(float(np.mean(ndcg)), 4), f"map@{k}": round(float(np.mean(ap)), 4),
            "coverage": round(len(np.unique(recs)) / n_items, 4), "users": len(rec)}
