"""The scoring step of `retain score`: from a feature table and a trained model to churn_scores rows.

`score_customers` adds the calibrated churn probability, risk band, top drivers, RFM tier, 12-month CLV and
lifecycle stage for every row of the feature table; `write_scores` replaces the day's rows of churn_scores.
`retain bench scoring` times these same calls.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


def band(p: np.ndarray) -> np.ndarray:
    return np.select([p >= 0.6, p >= 0.35], ["high", "medium"], "low")


def restrict_to_source(con: duckdb.DuckDBPyConnection, feats: pd.DataFrame, source: str | None) -> pd.DataFrame:
    """Keep the customers of one source (the population the model was trained on); None keeps all."""
    if not source:
        return feats
    keep = con.execute("SELECT customer_id FROM customers WHERE source = ?", [source]).fetchnumpy()["customer_id"]
    return feats[feats["customer_id"].isin(keep)].reset_index(drop=True)


def score_customers(booster: Any, cal: Any, feats: pd.DataFrame, as_of: dt.date, version: str) -> pd.DataFrame:
    """One row per customer of `feats`: probability, band, drivers, segment, RFM, CLV, lifecycle, model version."""
    from retention.churn import matrix
    from retention.explain import contributions, drivers_json, probability
    from retention.segments import clv_12m, lifecycle, rfm

    X = matrix(feats)
    contrib, raw = contributions(booster, X)  # one pass over the trees gives the score and the drivers
    prob = cal.apply(probability(booster, raw, X))
    seg = rfm(feats)
    why = drivers_json(X, feats, contrib)
    return feats[["customer_id"]].assign(
        as_of=as_of, churn_probability=np.round(prob, 4), risk_band=band(prob),
        drivers=why, segment=seg["segment"].to_numpy(), rfm=seg["rfm"].to_numpy(),
        clv_12m=clv_12m(feats, prob), lifecycle_stage=lifecycle(feats), model_version=version)


def write_scores(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, as_of: dt.date) -> None:
    """Replace the churn_scores rows of `as_of` with `rows`, all or nothing."""
    from shop.db import transaction

    with transaction(con):
        con.execute("DELETE FROM churn_scores WHERE as_of = ?", [as_of])
        con.register("_scores", rows)
        con.execute("INSERT INTO churn_scores SELECT customer_id, as_of, churn_probability, risk_band, drivers, "
                    "segment, rfm, clv_12m, lifecycle_stage, model_version FROM _scores")
        con.unregister("_scores")
