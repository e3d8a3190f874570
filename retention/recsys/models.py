"""Scorers: each returns a (users × items) score matrix for the given user rows. Higher is better.

- popularity over the last N days; repeat (the user's own purchase counts, recency-weighted);
- item-item co-occurrence (cosine on the purchase matrix); ALS and BPR from `implicit`;
- content: product-name embeddings, a user profile = mean of bought items;
- blend: a weighted sum of per-user min-max-normalised scores (weights tuned on an earlier split).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp


def normalise_rows(S: np.ndarray) -> np.ndarray:
    lo = S.min(axis=1, keepdims=True)
    hi = S.max(axis=1, keepdims=True)
    return (S - lo) / np.where(hi - lo > 0, hi - lo, 1)


def popularity(recent: sp.csr_matrix, n_users: int) -> np.ndarray:
    counts = np.asarray((recent > 0).sum(axis=0)).ravel().astype(float)
    return np.tile(counts, (n_users, 1))


def repeat(X_rows: sp.csr_matrix) -> np.ndarray:
    return X_rows.toarray().astype(float)


class ItemKNN:
    def __init__(self, neighbours: int = 100):
        self.neighbours = neighbours
        self.sim_: sp.csr_matrix | None = None

    def fit(self, X: sp.csr_matrix) -> ItemKNN:
        B = (X > 0).astype(np.float32).tocsc()
        norms = np.sqrt(np.asarray(B.multiply(B).sum(axis=0)).ravel()) + 1e-9
        S = (B.T @ B).tocsr().astype(np.float32)
        S = sp.diags(1 / norms) @ S @ sp.diags(1 / norms)
        S.setdiag(0)
        S = S.tocsr()
        S.eliminate_zeros()
        # keep the strongest neighbours per item
        rows, cols, vals = [], [], []
        for i in range(S.shape[0]):
            start, end = S.indptr[i], S.indptr[i + 1]
            if end - start > self.neighbours:
                top = np.argpartition(-S.data[start:end], self.neighbours)[: self.neighbours]
                idx = S.indices[start:end][top]
                v = S.data[start:end][top]
            else:
                idx, v = S.indices[start:end], S.data[start:end]
            rows += [i] * len(idx)
            cols += list(idx)
            vals += list(v)
        self.sim_ = sp.csr_matrix((vals, (rows, cols)), shape=S.shape)
        return self

    def score(self, X_rows: sp.csr_matrix) -> np.ndarray:
        assert self.sim_ is not None
        return np.asarray(((X_rows > 0).astype(np.float32) @ self.sim_).todense())


class Factors:
    """ALS or BPR from `implicit`, kept as plain factor matrices (saved as npz)."""

    def __init__(self, kind: str = "als", factors: int = 64, iterations: int | None = None, seed: int = 42,
                 regularization: float | None = None, learning_rate: float = 0.05, threads: int = 0):
        self.kind, self.factors, self.seed = kind, factors, seed
        self.iterations = iterations if iterations is not None else (20 if kind == "als" else 100)
        self.regularization = regularization if regularization is not None else (0.05 if kind == "als" else 0.01)
        self.learning_rate, self.threads = learning_rate, threads
        self.user_: np.ndarray | None = None
        self.item_: np.ndarray | None = None

    def fit(self, X: sp.csr_matrix) -> Factors:
        from implicit.cpu.als import AlternatingLeastSquares
        from implicit.cpu.bpr import BayesianPersonalizedRanking

        C = (sp.csr_matrix(X, dtype=np.float32)).log1p() * 10 if self.kind == "als" else sp.csr_matrix(X > 0,
                                                                                                       dtype=np.float32)
        model: Any = (AlternatingLeastSquares(factors=self.factors, iterations=self.iterations,
                                              regularization=self.regularization, random_state=self.seed,
                                              calculate_training_loss=False, num_threads=self.threads)
                      if self.kind == "als" else
                      BayesianPersonalizedRanking(factors=self.factors, iterations=self.iterations,
                                                  learning_rate=self.learning_rate,
                                                  regularization=self.regularization, random_state=self.seed,
                                                  verify_negative_samples=True, num_threads=self.threads))
        model.fit(C, show_progress=False)
        self.user_, self.item_ = np.asarray(model.user_factors), np.asarray(model.item_factors)
        return self

    def score(self, users: np.ndarray) -> np.ndarray:
        assert self.user_ is not None and self.item_ is not None
        return self.user_[users] @ self.item_.T


def content(item_vectors: np.ndarray, X_rows: sp.csr_matrix) -> np.ndarray:
    B = (X_rows > 0).astype(np.float32)
    prof = np.asarray(B @ item_vectors)
    prof /= np.linalg.norm(prof, axis=1, keepdims=True) + 1e-9
    return prof @ item_vectors.T


def blend(parts: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    out = np.zeros_like(next(iter(parts.values())))
    for name, w in weights.items():
        if w:
            out += w * normalise_rows(parts[name])
    return out
