"""Train the churn model on the store, save it as data, and write the scores table (the demo's churn step)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import numpy as np

from agent.config import Settings
from retention.churn import Calibrator, matrix, train_lightgbm
from retention.evaluate import _check, schedule
from retention.features import FEATURES, build_features, dataset
from retention.metrics import report
from retention.scoring import band, restrict_to_source, score_customers, write_scores

__all__ = ["band", "train_and_score"]


def train_and_score(settings: Settings, progress: Any = None, source: str | None = "online_retail"
                    ) -> dict[str, Any]:
    import lightgbm
    import sklearn

    from shop.clock import shop_today
    from shop.db import connect

    con = connect(settings.db_path)
    try:
        today = shop_today(con)
        horizon = settings.churn_horizon_days
        sched = schedule(today, horizon)
        data = dataset(con, [*sched["train"], sched["validation"]], horizon, source)
        tr = data[data["cutoff"].dt.date.isin(sched["train"])]
        va = data[data["cutoff"].dt.date == sched["validation"]]
        _check(tr, "training cutoffs")
        _check(va, "validation cutoff")
        booster = train_lightgbm(matrix(tr), tr["churned"].to_numpy(), matrix(va), va["churned"].to_numpy(),
                                 settings.seed)
        p_val = booster.predict(matrix(va))
        cal, cal_info = Calibrator.choose(p_val, va["churned"].to_numpy())
        # score the customers the model was trained on (e.g. not the tau-bench mock users)
        feats = restrict_to_source(con, build_features(con, [today]), source)
        version = hashlib.sha1(booster.model_to_string().encode()).hexdigest()[:12]
        rows = score_customers(booster, cal, feats, today, version)
        write_scores(con, rows, today)
    finally:
        con.close()
    out_dir = settings.models_dir / "churn"
    out_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out_dir / "model.txt"))
    val_metrics = report(va["churned"].to_numpy(), cal.apply(p_val))
    card = {"model": "lightgbm", "version": version, "as_of": str(today), "horizon_days": horizon,
            "population": "all customers with a purchase before the cutoff", "source": source,
            "cutoffs": {"train": [str(d) for d in sched["train"]], "validation": str(sched["validation"])},
            "features": FEATURES, "rounds": booster.best_iteration, "calibration": cal_info,
            "calibrator": cal.__dict__, "validation_metrics": val_metrics,
            "calibration_plot": _reliability(va["churned"].to_numpy(), cal.apply(p_val)),
            "data_hash": hashlib.sha1(tr[FEATURES].to_csv().encode()).hexdigest()[:16],
            "versions": {"lightgbm": lightgbm.__version__, "scikit-learn": sklearn.__version__}}
    (out_dir / "model_card.json").write_text(json.dumps(card, indent=2, default=str))
    return {"scored": int(len(rows)), "as_of": str(today), "high_risk": int((rows["risk_band"] == "high").sum()),
            "validation_auc": val_metrics["roc_auc"], "calibration": cal_info["chosen"]}


def _reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> dict[str, list[float]]:
    edges = np.linspace(0, 1, bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    pred, obs = [], []
    for b in range(bins):
        m = idx == b
        if m.any():
            pred.append(round(float(p[m].mean()), 4))
            obs.append(round(float(y[m].mean()), 4))
    return {"predicted": pred, "observed": obs}


del dt
