"""RFM scores and named tiers, a 12-month CLV estimate and the lifecycle stage, from the feature table."""

from __future__ import annotations

import numpy as np
import pandas as pd

TIERS = ("champions", "loyal", "potential loyalists", "new", "at risk", "can't lose", "hibernating", "lost")


def _quintile(s: pd.Series, ascending: bool = True) -> pd.Series:
    ranks = s.rank(method="first", ascending=ascending, pct=True)
    return pd.Series(np.ceil(ranks * 5).clip(1, 5).astype(int), index=s.index)


def rfm(feats: pd.DataFrame) -> pd.DataFrame:
    """R, F, M scores 1-5 (5 = most recent, most frequent, highest spend) and the named tier."""
    out = pd.DataFrame({"customer_id": feats["customer_id"]})
    out["r"] = _quintile(-feats["recency_days"])
    out["f"] = _quintile(feats["frequency"])
    out["m"] = _quintile(feats["monetary"])
    out["rfm"] = out["r"].astype(str) + out["f"].astype(str) + out["m"].astype(str)
    fm = (out["f"] + out["m"]) / 2
    r = out["r"]
    out["segment"] = np.select(
        [(r >= 4) & (fm >= 4), (r >= 3) & (fm >= 3), (r >= 4) & (feats["frequency"] <= 1).to_numpy(),
         (r >= 3), (r <= 2) & (fm >= 4.5), (r <= 2) & (fm >= 3), (r == 2)],
        ["champions", "loyal", "new", "potential loyalists", "can't lose", "at risk", "hibernating"], "lost")
    return out


def clv_12m(feats: pd.DataFrame, churn_probability: np.ndarray) -> np.ndarray:
    """Expected spend in the next 12 months: the customer's yearly spend rate, scaled by the chance they stay.
    (A simple, documented estimate: spend per day of tenure × 365 × (1 − churn probability).)"""
    rate = feats["monetary"].clip(lower=0) / feats["tenure_days"].clip(lower=30)
    return np.round((rate * 365 * (1 - churn_probability)).to_numpy(), 2)


def lifecycle(feats: pd.DataFrame) -> np.ndarray:
    return np.select([feats["tenure_days"] <= 60, feats["recency_days"] <= 90, feats["recency_days"] <= 180],
                     ["new", "active", "lapsing"], "lapsed")
