"""Train the churn model on the store, save it as data, and write the scores table (the demo's churn step)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from core.config import Settings
from retention.churn import MLP, LogReg, matrix
from retention.features import FEATURES, build_features, dataset
from retention.metrics import report
from retention.scoring import restrict_to_source, score_customers, write_scores
from retention.training import first_purchase, fit_churn, schedule, split


def train_and_score(settings: Settings, progress: Any = None, source: str | None = "online_retail"
                    ) -> dict[str, Any]:
    """Train on the store as of the shop's today (same schedule and held-out validation customers as `retain eval
    churn`), save LightGBM (text), the MLP (safetensors) and logreg (JSON) with a model card, and score everyone."""
    import lightgbm
    import sklearn
    import torch

    from retention.sentiment import label_with_saved_model
    from shop.clock import shop_today
    from shop.db import connect

    con = connect(settings.db_path)
    try:
        today = shop_today(con)
        horizon = settings.churn_horizon_days
        labelled = label_with_saved_model(con, settings.models_dir)  # before features: they count unhappy texts
        sched = schedule(today, horizon, first_purchase(con, source))
        sp = split(dataset(con, [*sched["train"], sched["validation"]], horizon, source), sched)
        fit = fit_churn(sp, settings.seed)
        booster, cal = fit.booster, fit.calibrator
        # score the customers the model was trained on (e.g. not the tau-bench mock users)
        feats = restrict_to_source(con, build_features(con, [today]), source)
        version = hashlib.sha1(booster.model_to_string().encode()).hexdigest()[:12]
        rows = score_customers(booster, cal, feats, today, version)
        write_scores(con, rows, today)
    finally:
        con.close()
    Xtr, ytr, Xva, yva = matrix(sp.train), sp.train["churned"].to_numpy(), matrix(sp.val), sp.val["churned"].to_numpy()
    out_dir = settings.models_dir / "churn"
    out_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out_dir / "model.txt"))
    logreg = LogReg.train(Xtr, ytr)
    logreg.save(out_dir / "logreg.json")
    mlp = MLP(settings.seed).fit(Xtr, ytr, Xva, yva)
    mlp.save(out_dir)
    p_val = cal.apply(booster.predict(Xva))
    val_metrics = report(yva, p_val)
    card = {"model": "lightgbm", "version": version, "as_of": str(today), "horizon_days": horizon,
            "population": "all customers with a purchase before the cutoff", "source": source,
            "cutoffs": {"train": [str(d) for d in sched["train"]], "validation": str(sched["validation"])},
            "validation_customers": "a fixed 20% of customers, held out of every training cutoff",
            "rows": {"train": int(len(sp.train)), "validation": int(len(sp.val))},
            "features": FEATURES, "rounds": booster.best_iteration, "tree_size": fit.params,
            "calibration": fit.calibration, "calibrator": cal.__dict__, "validation_metrics": val_metrics,
            "baselines_on_validation": {"logreg": report(yva, logreg.predict(Xva)), "mlp": report(yva, mlp.predict(Xva))},
            "files": {"lightgbm": "model.txt", "mlp": ["mlp.safetensors", "mlp.json"], "logreg": "logreg.json"},
            "calibration_plot": _reliability(yva, p_val),
            "data_hash": hashlib.sha1(sp.train[FEATURES].to_csv().encode()).hexdigest()[:16],
            "versions": {"lightgbm": lightgbm.__version__, "scikit-learn": sklearn.__version__,
                         "torch": torch.__version__}}
    (out_dir / "model_card.json").write_text(json.dumps(card, indent=2, default=str))
    return {"scored": int(len(rows)), "as_of": str(today), "high_risk": int((rows["risk_band"] == "high").sum()),
            "validation_auc": val_metrics["roc_auc"], "calibration": fit.calibration["chosen"],
            "sentiment_labelled": labelled}


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

