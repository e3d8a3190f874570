"""`retain eval churn`: a temporal holdout on any importable source, LightGBM beside its baselines, for both
populations. Training cutoffs have label windows that end by the validation cutoff, whose window ends before the
test cutoff; nothing from after a cutoff reaches its features."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from agent.errors import NotEnoughDataError
from retention.bgnbd import BGNBD, rfm_inputs
from retention.churn import MLP, Calibrator, matrix, train_lightgbm, train_logreg
from retention.features import dataset
from retention.metrics import report

MIN_CUSTOMERS = 200
MIN_CHURNERS = 20


def schedule(test_cutoff: dt.date, horizon: int, n_train: int = 3, step: int = 30) -> dict[str, Any]:
    val = test_cutoff - dt.timedelta(days=horizon + 1)
    last_train = val - dt.timedelta(days=horizon + 1)
    train = [last_train - dt.timedelta(days=step * k) for k in range(n_train)][::-1]
    return {"train": train, "validation": val, "test": test_cutoff}


def _population(df: pd.DataFrame, population: str) -> pd.DataFrame:
    return df[df["recency_days"] <= 90] if population == "active" else df


def _check(df: pd.DataFrame, what: str) -> None:
    n, churners = len(df), int(df["churned"].sum())
    if n < MIN_CUSTOMERS:
        raise NotEnoughDataError(f"{what}: {n} customers; at least {MIN_CUSTOMERS} are needed")
    if churners < MIN_CHURNERS or n - churners < MIN_CHURNERS:
        raise NotEnoughDataError(f"{what}: {churners} churners and {n - churners} returning customers; at least "
                                 f"{MIN_CHURNERS} of each are needed (a longer history or a shorter horizon helps)")


def evaluate(con: Any, test_cutoff: dt.date, horizon: int = 90, source: str | None = None,
             seed: int = 42) -> dict[str, Any]:
    sched = schedule(test_cutoff, horizon)
    first = con.execute("SELECT min(created_at) FROM orders WHERE customer_id IS NOT NULL").fetchall()[0][0]
    if first is None or first.date() > sched["train"][0] - dt.timedelta(days=30):
        raise NotEnoughDataError(f"the history starts {first}; a test cutoff of {test_cutoff} with H={horizon} needs "
                                 f"purchases from before {sched['train'][0] - dt.timedelta(days=30)}")
    data = dataset(con, [*sched["train"], sched["validation"], sched["test"]], horizon, source)
    out: dict[str, Any] = {"cutoff": str(test_cutoff), "horizon_days": horizon,
                           "schedule": {k: [str(d) for d in v] if isinstance(v, list) else str(v)
                                        for k, v in sched.items()}, "populations": {}}
    for population in ("active", "all"):
        d = _population(data, population)
        tr = d[d["cutoff"].dt.date.isin(sched["train"])]
        va = d[d["cutoff"].dt.date == sched["validation"]]
        te = d[d["cutoff"].dt.date == sched["test"]]
        for part, name in ((tr, "training cutoffs"), (va, "validation cutoff"), (te, "test cutoff")):
            _check(part, f"{population} population at the {name}")
        Xtr, ytr, Xva, yva, Xte, yte = (matrix(tr), tr["churned"].to_numpy(), matrix(va), va["churned"].to_numpy(),
                                        matrix(te), te["churned"].to_numpy())
        models: dict[str, Any] = {}
        booster = train_lightgbm(Xtr, ytr, Xva, yva, seed)
        # calibration must survive a shift in time: fit on the last training cutoff (with a model that has not
        # seen it), judge on the validation cutoff
        last = tr["cutoff"].dt.date == sched["train"][-1]
        early = train_lightgbm(Xtr[~last.to_numpy()], ytr[~last.to_numpy()], Xva, yva, seed, grid=False)
        cal, cal_info = Calibrator.choose_temporal(early.predict(Xtr[last.to_numpy()]), ytr[last.to_numpy()],
                                                   booster.predict(Xva), yva)
        models["lightgbm"] = {**report(yte, cal.apply(booster.predict(Xte))), "calibration": cal_info["chosen"],
                              "rounds": booster.best_iteration}
        st, lr = train_logreg(Xtr, ytr)
        models["logreg"] = report(yte, lr.predict_proba(st.transform(Xte))[:, 1])
        mlp = MLP(seed).fit(Xtr, ytr, Xva, yva)
        models["mlp"] = report(yte, mlp.predict(Xte))
        st_r, lr_r = train_logreg(tr[["recency_days"]].to_numpy(float), ytr)  # recency-only, as probabilities
        models["recency"] = report(yte, lr_r.predict_proba(st_r.transform(te[["recency_days"]].to_numpy(float)))[:, 1])
        bg = BGNBD().fit(*rfm_inputs(*(tr[c].to_numpy(float) for c in ("frequency", "recency_days", "tenure_days"))))
        models["bgnbd"] = report(yte, bg.p_no_purchase(horizon, *rfm_inputs(
            *(te[c].to_numpy(float) for c in ("frequency", "recency_days", "tenure_days")))))
        out["populations"][population] = {"n": int(len(te)), "churn_rate": round(float(yte.mean()), 4),
                                          "train_rows": int(len(tr)), "models": models}
    return out
