"""Churn features, labels and models on small stores: no leakage, correct labels, clear errors."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core.errors import NotEnoughDataError
from retention.bgnbd import BGNBD, rfm_inputs
from retention.features import FEATURES, build_features, labels
from retention.metrics import ece, report, top_decile
from shop.importers import run_import


def _log(tmp_path, rows: list[tuple[str, str, float]], name: str = "log.csv"):
    p = tmp_path / name
    p.write_text("customer_id,timestamp,amount\n" + "".join(f"{c},{t},{a}\n" for c, t, a in rows))
    return p


def test_features_do_not_leak(store, tmp_path) -> None:
    rows = [("a", "2011-01-05", 10), ("a", "2011-02-10", 20), ("b", "2011-02-01", 5), ("c", "2011-01-20", 7)]
    run_import(store, "generic", _log(tmp_path, rows))
    cut = [dt.date(2011, 3, 1)]
    before = build_features(store, cut)
    later = [("a", "2011-03-02", 99), ("b", "2011-04-01", 1), ("d", "2011-03-05", 3), ("c", "2011-02-28 23:59", 2)]
    run_import(store, "generic", _log(tmp_path, later, "later.csv"))
    after = build_features(store, cut)
    # c's purchase before the cutoff is new data and may change c; nothing dated on or after the cutoff may
    pd.testing.assert_frame_equal(before[before.customer_id != "c"].reset_index(drop=True),
                                  after[after.customer_id != "c"].reset_index(drop=True))
    assert "d" not in set(after.customer_id)


def test_feature_values_and_labels(store, tmp_path) -> None:
    rows = [("a", "2011-01-01", 10), ("a", "2011-01-11", 20), ("a", "2011-01-31", 30), ("b", "2011-01-15", 5),
            ("a", "2011-02-15", 1)]
    run_import(store, "generic", _log(tmp_path, rows))
    f = build_features(store, [dt.date(2011, 2, 1)]).set_index("customer_id")
    assert list(f.columns[1:]) == FEATURES
    assert f.loc["a", "frequency"] == 3 and f.loc["a", "recency_days"] == 1
    assert f.loc["a", "mean_gap_days"] == 15 and f.loc["a", "last_gap_days"] == 20 and f.loc["a", "monetary"] == 60
    assert np.isnan(f.loc["b", "mean_gap_days"])
    lab = labels(store, [dt.date(2011, 2, 1)], 30)
    assert set(lab.customer_id) == {"a"}  # a bought within 30 days of the cutoff; b did not: b churned


def test_too_little_data_is_a_clear_error(store, tmp_path) -> None:
    from retention.evaluate import evaluate

    run_import(store, "generic", _log(tmp_path, [("a", "2011-01-01", 10), ("b", "2011-05-01", 3)]))
    with pytest.raises(NotEnoughDataError, match="needs purchases from before|at least"):
        evaluate(store, dt.date(2011, 1, 15))   # the label window fits; the history before it is too thin
    with pytest.raises(NotEnoughDataError, match=r"label window .* runs past the data, which ends 2011-05-01"):
        evaluate(store, dt.date(2011, 9, 9))    # labels would need purchases after the data ends


def test_metrics_against_hand_computed_values() -> None:
    y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
    p = np.array([0.9, 0.1, 0.8, 0.2, 0.1, 0.3, 0.2, 0.1, 0.4, 0.35])
    lift, capture = top_decile(y, p)  # top 10 % = one customer (0.9, a churner): lift 1 / 0.3
    assert lift == pytest.approx(1 / 0.3) and capture == pytest.approx(1 / 3)
    assert ece(np.array([1, 0]), np.array([0.75, 0.25])) == pytest.approx(0.25)
    assert report(y, p)["roc_auc"] == pytest.approx(20 / 21, abs=1e-4)  # 20 of 21 churner/stayer pairs ordered


def test_bgnbd_recovers_a_simulated_population() -> None:
    rng = np.random.default_rng(0)
    n, T = 4000, 365.0
    lam = rng.gamma(shape=2.0, scale=1 / 40.0, size=n)  # r = 2, alpha = 40
    pdrop = rng.beta(1.0, 4.0, size=n)  # a = 1, b = 4
    x = np.zeros(n)
    tx = np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T:
                break
            x[i] += 1
            tx[i] = t
            if rng.random() < pdrop[i]:
                break
    m = BGNBD().fit(x, tx, np.full(n, T))
    assert m.r / m.alpha == pytest.approx(2 / 40, rel=0.25)
    assert m.a / (m.a + m.b) == pytest.approx(0.2, rel=0.3)
    p = m.p_no_purchase(90, *rfm_inputs(np.array([1.0, 10.0]), np.array([300.0, 5.0]), np.array([365.0, 365.0])))
    assert p[0] > p[1]  # a one-time buyer silent for 300 days is likelier to stay silent than a regular


def test_demo_scores_and_summary(demo_settings) -> None:  # type: ignore[no-untyped-def]
    import json

    from retention.summary import at_risk, customer_retention, segment_counts
    from shop.db import connect

    con = connect(demo_settings.db_path, read_only=True)
    n = con.execute("SELECT count(*), count(DISTINCT risk_band) FROM churn_scores").fetchall()[0]
    assert n[0] >= 1000 and n[1] == 3
    s = customer_retention(con, demo_settings, "15581")
    assert s["risk_band"] in ("high", "medium") and s["drivers"] and s["next_best_action"].startswith("Resolve")
    assert at_risk(con, band="high") and segment_counts(con)
    card = json.loads((demo_settings.models_dir / "churn" / "model_card.json").read_text())
    assert card["features"] == FEATURES and card["calibration"]["chosen"] in ("none", "platt", "isotonic")
    assert (demo_settings.models_dir / "churn" / "model.txt").read_text().startswith("tree")
    from retention.churn import MLP, LogReg

    d = demo_settings.models_dir / "churn"
    X = np.zeros((2, len(FEATURES)))
    for p in (MLP.load(d).predict(X), LogReg.load(d / "logreg.json").predict(X)):
        assert p.shape == (2,) and ((p > 0) & (p < 1)).all()
    assert set(card["baselines_on_validation"]) == {"logreg", "mlp"} and card["rows"]["validation"] > 0


def test_cohorts_start_at_one_and_count_returners(store, tmp_path) -> None:
    from retention.cohorts import cohort_table, heatmap

    rows = [("a", "2011-01-05", 1), ("a", "2011-02-10", 1), ("b", "2011-01-20", 1), ("c", "2011-02-03", 1),
            ("a", "2011-03-01", 1), ("c", "2011-03-09", 1)]
    run_import(store, "generic", _log(tmp_path, rows))
    t = {(r["cohort"], r["t"]): r["retention"] for r in cohort_table(store, 3)}
    assert t[("2011-01", 0)] == 1.0 and t[("2011-01", 1)] == 0.5 and t[("2011-01", 2)] == 0.5
    assert t[("2011-02", 0)] == 1.0 and t[("2011-02", 1)] == 1.0
    z, x, y = heatmap(cohort_table(store, 3), 3)
    assert y == ["2011-01", "2011-02"] and x[0] == "+0m" and z[1][2] is None


def test_sentiment_beats_the_lexicon_and_round_trips_as_json(tmp_path) -> None:
    from pathlib import Path

    from retention.sentiment import SentimentModel, evaluate_reviews

    subset = Path(__file__).resolve().parents[2] / "shop" / "demo_data" / "reviews_subset.csv.gz"
    r = evaluate_reviews(subset)
    assert r["models"]["tfidf_logreg"]["macro_f1"] > r["models"]["lexicon"]["macro_f1"] > r["models"]["majority"]["macro_f1"]
    texts = ["I love it, perfect fit and so soft", "Terrible quality, it broke and I returned it", "It is ok I guess"]
    m = SentimentModel.fit(texts * 5, ["positive", "negative", "neutral"] * 5)
    m.save(tmp_path / "s.json")
    again = SentimentModel.load_file(tmp_path / "s.json")
    assert again.predict(texts) == m.predict(texts)


def test_sentiment_labels_reviews_and_tickets_and_feeds_a_point_in_time_feature(store, tmp_path) -> None:
    from pathlib import Path

    from retention.sentiment import label_store, train_default

    run_import(store, "generic", _log(tmp_path, [("a", "2011-01-05", 10), ("b", "2011-01-06", 5)]))
    store.execute("""INSERT INTO reviews VALUES
        ('r1', 'a', NULL, 1, 'Awful', 'Terrible quality, it fell apart and I am very disappointed', '2011-02-01', 't', NULL),
        ('r2', 'a', NULL, 5, 'Love it', 'Beautiful and comfortable, I love it, highly recommend', '2011-02-02', 't', NULL),
        ('r3', 'a', NULL, 1, 'Bad', 'Worst purchase ever, disappointed, returned it', '2011-03-05', 't', NULL)""")
    store.execute("""INSERT INTO tickets (ticket_id, customer_id, created_at, category, subject, body) VALUES
        ('t1', 'b', '2011-02-10', 'late_delivery', '订单还没到', '我的订单太久了还没收到，很失望'),
        ('t2', 'b', '2011-02-11', 'other', '谢谢', '收到了，很满意，谢谢')""")
    subset = Path(__file__).resolve().parents[2] / "shop" / "demo_data" / "reviews_subset.csv.gz"
    assert label_store(store, train_default(subset)) == {"reviews": 3, "tickets": 2}
    got = dict(store.execute("SELECT review_id, sentiment FROM reviews UNION ALL "
                             "SELECT ticket_id, sentiment FROM tickets").fetchall())
    assert got == {"r1": "negative", "r2": "positive", "r3": "negative", "t1": "negative", "t2": "positive"}
    assert label_store(store, train_default(subset)) == {"reviews": 0, "tickets": 0}  # labelled once
    f = build_features(store, [dt.date(2011, 3, 1)]).set_index("customer_id")
    # r3 is written after the cutoff and must not count
    assert f.loc["a", "negative_sentiment_90d"] == 1 and f.loc["b", "negative_sentiment_90d"] == 1
