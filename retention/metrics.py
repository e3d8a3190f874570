"""Classification metrics for churn: ROC-AUC, PR-AUC, Brier, ECE (10 equal-width bins), top-decile lift and capture."""

from __future__ import annotations

import numpy as np


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(p[m].mean() - y[m].mean())
    return float(total)


def top_decile(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    n = max(1, int(round(len(y) * 0.1)))
    top = np.argsort(-score, kind="stable")[:n]
    base = y.mean()
    lift = float(y[top].mean() / base) if base > 0 else 0.0
    capture = float(y[top].sum() / y.sum()) if y.sum() > 0 else 0.0
    return lift, capture


def report(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

    lift, capture = top_decile(y, p)
    return {"roc_auc": round(float(roc_auc_score(y, p)), 4), "pr_auc": round(float(average_precision_score(y, p)), 4),
            "brier": round(float(brier_score_loss(y, p)), 4), "ece": round(ece(y, p), 4),
            "lift@10": round(lift, 3), "capture@10": round(capture, 4)}
