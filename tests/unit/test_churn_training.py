"""How the churn model is trained and judged: the schedule, held-out validation customers, the calibration choice,
both populations, clear errors, and models saved as data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.errors import NotEnoughDataError
from retention.churn import MLP, Calibrator, LogReg
from retention.features import FEATURES
from retention.training import MIN_HISTORY_DAYS, check, held_out, schedule, split


def test_schedule_keeps_every_label_window_before_the_test_cutoff() -> None:
    test, h = dt.date(2011, 9, 9), 90
    s = schedule(test, h, dt.date(2010, 12, 1))
    assert s["validation"] + dt.timedelta(days=h) < test
    assert all(c + dt.timedelta(days=h) < test and c < s["validation"] for c in s["train"])
    assert s["train"] == sorted(s["train"]) and s["train"][0] >= dt.date(2010, 12, 1) + dt.timedelta(
        days=MIN_HISTORY_DAYS)
    with pytest.raises(NotEnoughDataError, match="days of history"):
        schedule(test, h, dt.date(2011, 5, 20))


def test_validation_customers_are_held_out_of_every_training_cutoff() -> None:
    rng = np.random.default_rng(0)
    ids = [f"c{i}" for i in range(3000)]
    sched = schedule(dt.date(2011, 9, 9), 90, dt.date(2010, 12, 1))
    cuts = [*sched["train"], sched["validation"]]
    data = pd.DataFrame({"customer_id": np.repeat(ids, len(cuts)), "cutoff": pd.to_datetime(np.tile(cuts, len(ids))),
                         "churned": rng.integers(0, 2, len(ids) * len(cuts))})
    for f in FEATURES:
        data[f] = rng.random(len(data))
    sp = split(data, sched)
    assert not set(sp.train.customer_id) & set(sp.val.customer_id)
    assert 0.15 < sp.val.customer_id.nunique() / len(ids) < 0.25
    assert (sp.val.cutoff.dt.date == sched["validation"]).all()
    # the earlier sample is the same held-out customers at a cutoff whose window ends by the validation cutoff
    assert set(sp.earlier.customer_id) == set(sp.val.customer_id)
    assert (sp.earlier.cutoff.dt.date + dt.timedelta(days=90) <= sched["validation"]).all()
    assert held_out(pd.Series(ids)).tolist() == held_out(pd.Series(ids)).tolist()


def test_too_few_churners_or_customers_is_a_clear_error() -> None:
    df = pd.DataFrame({"churned": np.zeros(500, int)})
    with pytest.raises(NotEnoughDataError, match="0 churners and 500 returning customers; at least 20"):
        check(df, "validation cutoff")
    with pytest.raises(NotEnoughDataError, match="50 customers; at least 200"):
        check(df.head(50), "training cutoffs")


def _squashed(n: int, rate_shift: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """True probabilities t; the model reports a squashed version (under-confident), labels drawn at t + shift."""
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.05, 0.95, n)
    p = 0.5 + (t - 0.5) * 0.4
    return p, (rng.random(n) < np.clip(t + rate_shift, 0, 1)).astype(int)


def test_a_calibrator_is_kept_when_it_helps_on_held_out_rows_and_across_time() -> None:
    p, y = _squashed(4000, 0.0, 1)
    cal, info = Calibrator.choose_holdout(p, y, _squashed(2000, 0.0, 2))
    assert info["chosen"] in ("platt", "isotonic")
    assert info["validation"][info["chosen"]]["ece"] < info["validation"]["none"]["ece"]
    q = cal.apply(p)
    assert np.std(q) > np.std(p)  # it stretched the squashed scores


def test_a_calibrator_that_does_not_survive_a_shift_in_time_is_refused() -> None:
    # validation rows are already calibrated; the earlier cutoff had a much higher churn rate, so a calibrator
    # fitted there would push every probability up
    rng = np.random.default_rng(3)
    p = rng.uniform(0.05, 0.95, 4000)
    y = (rng.random(4000) < p).astype(int)
    pe = rng.uniform(0.05, 0.95, 2000)
    ye = (rng.random(2000) < np.clip(pe + 0.3, 0, 1)).astype(int)
    cal, info = Calibrator.choose_holdout(p, y, (pe, ye))
    assert info["chosen"] == "none" and np.array_equal(cal.apply(p), p)
    assert info["validation"]["platt"]["ece_shifted"] > info["validation"]["none"]["ece_shifted"]


def test_logreg_and_mlp_round_trip_as_data(tmp_path) -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(600, len(FEATURES)))
    X[:, 3] = np.nan  # a feature the source never has
    y = (X[:, 0] + rng.normal(size=600) > 0).astype(int)
    lr = LogReg.train(X, y)
    lr.save(tmp_path / "logreg.json")
    assert np.allclose(LogReg.load(tmp_path / "logreg.json").predict(X), lr.predict(X))
    mlp = MLP(seed=1, epochs=5).fit(X[:400], y[:400], X[400:], y[400:])
    mlp.save(tmp_path)
    again = MLP.load(tmp_path)
    assert np.allclose(again.predict(X), mlp.predict(X), atol=1e-6)
    assert (tmp_path / "mlp.safetensors").read_bytes()[8:9] == b"{"  # a safetensors header, not a pickle
    assert not list(tmp_path.glob("*.pkl")) and not list(tmp_path.glob("*.pt"))


def test_both_populations_are_reported_on_a_generated_shop() -> None:
    from retention.bench_scoring import generate_store
    from retention.evaluate import evaluate
    from shop.db import connect

    con = connect(None)
    generate_store(con, 3000, 12, seed=5)
    out = evaluate(con, dt.date(2011, 9, 9), 90)
    act, every = out["populations"]["active"], out["populations"]["all"]
    assert act["n"] < every["n"] and act["churn_rate"] != every["churn_rate"]
    for pop in (act, every):
        assert set(pop["models"]) == {"lightgbm", "logreg", "mlp", "recency", "bgnbd"}
        assert pop["calibration"]["chosen"] == pop["models"]["lightgbm"]["calibration"]
        for m in pop["models"].values():
            assert {"roc_auc", "pr_auc", "brier", "ece", "lift@10", "capture@10"} <= set(m)
        assert pop["models"]["lightgbm"]["roc_auc"] > 0.6
