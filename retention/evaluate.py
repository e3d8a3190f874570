"""`retain eval churn`: a temporal holdout on any importable source, LightGBM beside its baselines, for both
populations. Every training and validation label window ends before the test cutoff, validation customers are
held out of training (retention/training.py), and nothing from after a cutoff reaches its features."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from retention.bgnbd import BGNBD, rfm_inputs
from retention.churn import MLP, LogReg, matrix, train_logreg
from retention.features import dataset
from retention.metrics import report
from retention.training import check, first_purchase, fit_churn, schedule, split


def _population(df: pd.DataFrame, population: str) -> pd.DataFrame:
    return df[df["recency_days"] <= 90] if population == "active" else df


def evaluate(con: Any, test_cutoff: dt.date, horizon: int = 90, source: str | None = None,
             seed: int = 42) -> dict[str, Any]:
    sched = schedule(test_cutoff, horizon, first_purchase(con, source))
    data = dataset(con, [*sched["train"], sched["validation"], sched["test"]], horizon, source)
    out: dict[str, Any] = {"cutoff": str(test_cutoff), "horizon_days": horizon,
                           "schedule": {"train": [str(d) for d in sched["train"]],
                                        "validation": str(sched["validation"]), "test": str(test_cutoff),
                                        "validation_customers": "a fixed 20% held out of every training cutoff"},
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
        bg = BGNBD().fit(*rfm_inputs(*(tr[c].to_numpy(float) for c in ("frequency", "recency_days", "tenure_days"))))
        models["bgnbd"] = report(yte, bg.p_no_purchase(horizon, *rfm_inputs(
            *(te[c].to_numpy(float) for c in ("frequency", "recency_days", "tenure_days")))))
        out["populations"][population] = {"n": int(len(te)), "churn_rate": round(float(yte.mean()), 4),
                                          "train_rows": int(len(tr)), "validation_rows": int(len(va)),
                                          "calibration": fit.calibration, "models": models}
    return out
