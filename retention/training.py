"""How the churn model is trained, shared by `retain eval churn` and `retain score`.

Schedule: the validation cutoff is H+1 days before the test cutoff (or today), so its label window ends before it;
training cutoffs come every `step` days before the validation cutoff, back to the first cutoff with at least
`MIN_HISTORY_DAYS` of history. Every label window ends before the test cutoff.

Validation customers: a fixed fifth of the customers (by a hash of their id) is held out of every training cutoff
and scored at the validation cutoff. Training windows overlap the validation window in time, so validating on the
same customers would reward memorising them (the same shopper's next 90 days sit in both labels); holding the
customers out keeps early stopping, tree size and the calibration choice honest.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from core.errors import NotEnoughDataError

MIN_CUSTOMERS = 200
MIN_CHURNERS = 20
MIN_HISTORY_DAYS = 30
VALIDATION_SHARE = 0.2


def schedule(test_cutoff: dt.date, horizon: int, first_purchase: dt.date | None = None, step: int = 14,
             max_train: int = 12) -> dict[str, Any]:
    """Training, validation and test cutoffs; with `first_purchase` unknown, three training cutoffs."""
    val = test_cutoff - dt.timedelta(days=horizon + 1)
    earliest = (first_purchase + dt.timedelta(days=MIN_HISTORY_DAYS)) if first_purchase else None
    train: list[dt.date] = []
    for k in range(1, max_train + 1):
        c = val - dt.timedelta(days=step * k)
        if (earliest is not None and c < earliest) or (earliest is None and k > 3):
            break
        train.append(c)
    if not train:
        raise NotEnoughDataError(
            f"the history starts {first_purchase}; a cutoff of {test_cutoff} with H={horizon} needs purchases from "
            f"before {val - dt.timedelta(days=step + MIN_HISTORY_DAYS)} (at least {horizon + step + MIN_HISTORY_DAYS} "
            f"days of history before the cutoff)")
    return {"train": train[::-1], "validation": val, "test": test_cutoff, "horizon": horizon}


def first_purchase(con: Any, source: str | None = None) -> dt.date | None:
    from retention.features import _filter

    first = con.execute("SELECT min(created_at) FROM orders o WHERE customer_id IS NOT NULL AND kind = 'sale' "
                        f"{_filter(source)}").fetchall()[0][0]
    return first.date() if first is not None else None


def held_out(customer_ids: pd.Series, share: float = VALIDATION_SHARE) -> np.ndarray:
    """True for the validation customers: a stable hash of the id, so the same customers at every cutoff."""
    cut = int(share * 1000)
    return np.fromiter((zlib.crc32(str(c).encode()) % 1000 < cut for c in customer_ids), bool, len(customer_ids))


def check(df: pd.DataFrame, what: str, minimum: int = MIN_CUSTOMERS) -> None:
    """Enough customers, churners and returning customers to learn from (a clear error naming what is short)."""
    n, churners = len(df), int(df["churned"].sum())
    if n < minimum:
        raise NotEnoughDataError(f"{what}: {n} customers; at least {minimum} are needed")
    if churners < MIN_CHURNERS or n - churners < MIN_CHURNERS:
        raise NotEnoughDataError(f"{what}: {churners} churners and {n - churners} returning customers; at least "
                                 f"{MIN_CHURNERS} of each are needed (a longer history or a shorter horizon helps)")


@dataclass
class Split:
    train: pd.DataFrame       # training cutoffs, validation customers removed
    val: pd.DataFrame         # validation customers at the validation cutoff
    earlier: pd.DataFrame     # validation customers at the last training cutoff whose window ends by validation


def split(data: pd.DataFrame, sched: dict[str, Any], what: str = "") -> Split:
    """Cut a dataset (features + `churned` at every scheduled cutoff) into training and validation rows."""
    dates = data["cutoff"].dt.date
    hold = held_out(data["customer_id"])
    tr = data[dates.isin(sched["train"]) & ~hold]
    va = data[(dates == sched["validation"]) & hold]
    gap = sched["validation"] - dt.timedelta(days=sched["horizon"])
    before = [c for c in sched["train"] if c <= gap]
    early = data[(dates == before[-1]) & hold] if before else data.iloc[:0]
    pre = f"{what} population at the " if what else ""
    check(tr, f"{pre}training cutoffs")
    check(va, f"{pre}validation cutoff (the held-out fifth of customers)", MIN_CUSTOMERS // 2)
    return Split(tr, va, early)


@dataclass
class ChurnFit:
    booster: Any
    calibrator: Any
    calibration: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)


def fit_churn(sp: Split, seed: int = 42, grid: bool = True) -> ChurnFit:
    """LightGBM with tree size and rounds chosen on the held-out validation customers, then a calibrator that
    has to earn its place there (see Calibrator.choose_holdout)."""
    from retention.churn import Calibrator, matrix, train_lightgbm

    Xva, yva = matrix(sp.val), sp.val["churned"].to_numpy()
    booster = train_lightgbm(matrix(sp.train), sp.train["churned"].to_numpy(), Xva, yva, seed, grid)
    early = (booster.predict(matrix(sp.earlier)), sp.earlier["churned"].to_numpy()) if len(sp.earlier) else None
    cal, info = Calibrator.choose_holdout(booster.predict(Xva), yva, early)
    return ChurnFit(booster, cal, info, {k: booster.params.get(k) for k in ("num_leaves", "min_data_in_leaf")})
