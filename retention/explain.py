"""Each customer's top churn drivers in plain words, from LightGBM feature contributions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from retention.features import FEATURES


def _sentence(feature: str, row: pd.Series) -> str:
    v = row.get(feature)
    gap = row.get("mean_gap_days")
    if feature in ("recency_days", "overdue_ratio"):
        if pd.notna(gap) and gap:
            return f"no order for {int(row['recency_days'])} days, {row['recency_days'] / gap:.1f} times their usual gap"
        return f"no order for {int(row['recency_days'])} days"
    if v is None or pd.isna(v):
        return f"{feature.replace('_', ' ')} unknown"
    texts = {
        "frequency": lambda: f"only {int(v)} order(s) so far",
        "orders_90d": lambda: f"{int(v)} order(s) in the last 90 days",
        "activity_ratio": lambda: "fewer orders lately than in the months before",
        "spend_90d": lambda: f"spent {v:.0f} in the last 90 days",
        "monetary": lambda: f"lifetime spend {v:.0f}",
        "tenure_days": lambda: f"customer for {int(v)} days",
        "sessions_30d": lambda: f"{int(v)} visit(s) in the last 30 days",
        "sessions_prev_60d": lambda: "visits have dropped off",
        "views_30d": lambda: f"{int(v)} product views in the last 30 days",
        "negative_reviews_90d": lambda: f"{int(v)} negative review(s) in the last 90 days",
        "tickets_90d": lambda: f"{int(v)} support ticket(s) in the last 90 days",
        "open_tickets": lambda: f"{int(v)} open support ticket(s)",
        "cancel_rate": lambda: f"{v:.0%} of their orders were cancelled",
        "cart_abandon_rate_90d": lambda: f"abandons {v:.0%} of carts",
        "gap_trend": lambda: "the time between orders is growing",
        "avg_rating": lambda: f"average review rating {v:.1f}",
    }
    fn = texts.get(feature)
    return fn() if fn else f"{feature.replace('_', ' ')} = {v:g}"


def drivers(booster: Any, X: np.ndarray, feats: pd.DataFrame, top: int = 3) -> list[list[dict[str, Any]]]:
    contrib = booster.predict(X, pred_contrib=True)[:, :-1]
    out = []
    for i in range(len(X)):
        order = np.argsort(-contrib[i])[:top]
        row = feats.iloc[i]
        out.append([{"feature": FEATURES[j], "contribution": round(float(contrib[i, j]), 4),
                     "value": None if pd.isna(row[FEATURES[j]]) else float(row[FEATURES[j]]),
                     "text": _sentence(FEATURES[j], row)} for j in order if contrib[i, j] > 0])
    return out
