"""`retain eval churn`: a temporal holdout on any importable source, LightGBM beside its baselines, for both
populations. Every training and validation label window ends before the test cutoff, validation customers are
held out of training (retention/training.py), and nothing from after a cutoff reaches its features. The test
label window must lie inside the data (a window the data stops short of would call every customer a churner).

BG/NBD is fitted the way it is meant to be: once, on every customer's whole history before the test cutoff (its
inputs are frequency, recency and age only, no labels), then scored on each population. Fitting it on the
training rows of one population (the active one is chosen by recency) bent its parameters to that selection."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from core.errors import NotEnoughDataError
from retention.bgnbd import BGNBD, rfm_inputs
from retention.churn import MLP, LogReg, matrix, train_logreg
from retention.features import dataset
from retention.metrics import report
from retention.training import check, first_purchase, fit_churn, schedule, split


def _population(df: pd.DataFrame, population: str) -> pd.DataFrame:
    return df[df["recency_days"] <= 90] if population == "active" else df


def check_label_window(con: Any, test_cutoff: dt.date, horizon: int, source: str | None = None) -> dt.date:
    """The data's last day; an error when the test label window [cutoff, cutoff + H) runs past it."""
    from retention.features import _filter

    last = con.execute(f"SELECT max(created_at) FROM orders o WHERE true {_filter(source)}").fetchall()[0][0]
    if last is None:
        raise NotEnoughDataError("the store holds no orders to evaluate on")
    last_day = last.date()
    window_end = test_cutoff + dt.timedelta(days=horizon - 1)
    if last_day < window_end:
        covered = max((last_day - test_cutoff).days + 1, 0)
        raise NotEnoughDataError(
            f"the label window {test_cutoff}..{window_end} (--cutoff {test_cutoff}, --horizon {horizon}) runs past "
            f"the data, which ends {last_day} ({covered} of {horizon} days of labels); use --cutoff "
            f"{last_day - dt.timedelta(days=horizon - 1)} or earlier, or a shorter --horizon")
    return last_day


def _rfm(df: pd.DataFrame) -> tuple[Any, Any, Any]:
    return rfm_inputs(*(df[c].to_numpy(float) for c in ("frequency", "recency_days", "tenure_days")))


def evaluate(con: Any, test_cutoff: dt.date, horizon: int = 90, source: str | None = None,
             seed: int = 42) -> dict[str, Any]:
    last_day = check_label_window(con, test_cutoff, horizon, source)
    sched = schedule(test_cutoff, horizon, first_purchase(con, source))
    data = dataset(con, [*sched["train"], sched["validation"], sched["test"]], horizon, source)
    history = data[data["cutoff"].dt.date == sched["test"]]  # everyone who bought before the test cutoff
    bg = BGNBD().fit(*_rfm(history))
    out: dict[str, Any] = {"cutoff": str(test_cutoff), "horizon_days": horizon, "data_ends": str(last_day),
                           "schedule": {"train": [str(d) for d in sched["train"]],
                                        "validation": str(sched["validation"]), "test": str(test_cutoff),
                                        "validation_customers": "a fixed 20% held out of every training cutoff"},
           "bgnbd": {"fitted_on": f"all {len(history):,} customers' history before the test cutoff",
                     **{k: round(getattr(bg, k), 4) for k in ("r", "alpha", "a", "b")}},
                           "populations": {}}
    for population in ("active", "all"):
        d = _population(data, population)
        sp = split(d, sched, population)
        te = d[d["cutoff"].dt.date == sched["test"]]
        check(te, f"{population} population at the test cutoff")
        tr, va = sp.train, sp.val
        Xtr, ytr, Xva, yva, Xte, yte = (matrix(tr), tr["churned"].to_numpy(), matrix(va), va["churned"].to_numpy(),
                                        matrix(te), te["churned"].to_numpy())
        models: dict[str, Any] = {}
        fit = fit_churn(sp, seed)
        models["lightgbm"] = {**report(yte, fit.calibrator.apply(fit.booster.predict(Xte))),
                              "calibration": fit.calibration["chosen"], "rounds": fit.booster.best_iteration,
                              **fit.params}
        models["logreg"] = report(yte, LogReg.train(Xtr, ytr).predict(Xte))
        mlp = MLP(seed).fit(Xtr, ytr, Xva, yva)
        models["mlp"] = report(yte, mlp.predict(Xte))
        st_r, lr_r = train_logreg(tr[["recency_days"]].to_numpy(float), ytr)  # recency-only, as probabilities
        models["recency"] = report(yte, lr_r.predict_proba(st_r.transform(te[["recency_days"]].to_numpy(float)))[:, 1])
        models["bgnbd"] = report(yte, bg.p_no_purchase(horizon, *_rfm(te)))
        out["populations"][population] = {"n": int(len(te)), "churn_rate": round(float(yte.mean()), 4),
                                          "train_rows": int(len(tr)), "validation_rows": int(len(va)),
                                          "calibration": fit.calibration, "models": models}
    return out
