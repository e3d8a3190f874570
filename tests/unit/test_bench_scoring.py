"""`retain bench scoring` at a tiny size: the generated store, the timed production scoring step, the report."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from retention.bench_scoring import generate_store


def _small_model(rounds: int = 40):
    """A LightGBM fitted in a second on the generator's features (the bench measures scoring, not training)."""
    import lightgbm as lgb

    from retention.bench_scoring import TODAY
    from retention.churn import Calibrator, matrix
    from retention.features import build_features, labels
    from shop.db import connect

    con = connect(None)
    generate_store(con, 1_500, 20, seed=11)
    cutoff = TODAY - dt.timedelta(days=91)
    feats = build_features(con, [cutoff]).merge(labels(con, [cutoff], 90), on=["customer_id", "cutoff"], how="left")
    con.close()
    y = feats["churned"].isna().astype(int).to_numpy()
    booster = lgb.train({"objective": "binary", "num_leaves": 7, "verbose": -1, "num_threads": 2, "seed": 1},
                        lgb.Dataset(matrix(feats), y), num_boost_round=rounds)
    return booster, Calibrator.fit("platt", booster.predict(matrix(feats)), y)


@pytest.fixture(scope="module")
def bench() -> dict:
    from retention.bench_scoring import run_bench

    return run_bench(customers=2_000, lines_per_customer=20, memory_limit="1GB", model=_small_model())


def test_generated_store_has_the_requested_lines_and_the_feature_schema(store) -> None:
    counts = generate_store(store, 500, 12, seed=3)
    assert counts["lines"] == 500 * 12 == store.execute("SELECT count(*) FROM order_items").fetchone()[0]
    assert counts["orders"] == store.execute("SELECT count(*) FROM orders").fetchone()[0]
    per_customer = store.execute("""SELECT count(*) FROM orders o JOIN order_items i USING (order_id)
                                    GROUP BY o.customer_id""").fetchnumpy()["count_star()"]
    assert len(per_customer) == 500 and per_customer.min() >= 1 and per_customer.max() > 3 * 12  # heavy tail
    # every line belongs to an order of its customer; cancellations carry negative quantities
    assert store.execute("""SELECT count(*) FROM order_items i JOIN orders o USING (order_id)
                            WHERE (o.kind = 'cancellation') <> (i.quantity < 0)""").fetchone()[0] == 0
    assert store.execute("SELECT count(*) FROM orders WHERE kind = 'cancellation'").fetchone()[0] > 0
    # line numbers restart at 1 in each order
    assert store.execute("SELECT min(line_no) FROM order_items GROUP BY order_id ORDER BY 1 DESC LIMIT 1"
                         ).fetchone()[0] == 1


def test_same_seed_same_store(store) -> None:
    from shop.db import connect

    other = connect(None)
    generate_store(store, 300, 10, seed=5)
    generate_store(other, 300, 10, seed=5)
    q = "SELECT sum(quantity * unit_price), max(created_at) FROM orders JOIN order_items USING (order_id)"
    assert store.execute(q).fetchone() == other.execute(q).fetchone()
    other.close()


def test_bad_sizes_are_a_clear_error(store) -> None:
    from core.errors import RetainError

    with pytest.raises(RetainError, match="must be >= 1"):
        generate_store(store, 0, 20)


def test_bench_report_shape_and_sanity(bench) -> None:
    assert bench["customers"] == 2_000 and bench["lines"] == 40_000
    # every customer with a purchase before the cutoff gets a feature row, a score and a churn_scores row
    assert 0.95 * bench["customers"] <= bench["features_rows"] <= bench["customers"]
    assert bench["scored"] == bench["written"] == bench["features_rows"]
    p = bench["probability"]
    assert 0.0 <= p["min"] <= p["mean"] <= p["max"] <= 1.0 and p["min"] < p["max"]
    assert sum(bench["risk_bands"].values()) == bench["scored"]
    assert bench["max_abs_diff_vs_bare"] <= 1e-4  # scoring's probabilities are the bare predict, calibrated
    assert bench["total_s"] == pytest.approx(bench["features_s"] + bench["scoring_s"] + bench["write_s"], abs=0.03)
    assert bench["ratio_to_bare_predict"] >= 1.0
    assert bench["customers_per_s"] == pytest.approx(bench["scored"] / bench["total_s"], rel=0.1)  # total rounded
    assert 0.05 < bench["peak_rss_gb"] < 6.0


def test_cli_prints_one_json_object(monkeypatch, bench) -> None:
    from typer.testing import CliRunner

    import retention.bench_scoring as mod
    from cli.main import app

    seen = {}

    def fake_run_bench(customers, lines_per_customer, **kw):  # the real bench ran once in the fixture
        seen.update(customers=customers, lines=lines_per_customer, **kw)
        return bench

    monkeypatch.setattr(mod, "run_bench", fake_run_bench)
    res = CliRunner().invoke(app, ["bench", "scoring", "--customers", "2000", "--lines-per-customer", "20",
                                   "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["customers"] == 2_000
    assert seen["customers"] == 2_000 and seen["lines"] == 20
    bad = CliRunner().invoke(app, ["bench", "scoring", "--customers", "0"])
    assert bad.exit_code == 2 and "must be >= 1" in bad.output


def test_driver_contributions_add_up_to_the_raw_score() -> None:
    import lightgbm as lgb
    import numpy as np
    import pandas as pd

    from retention.explain import contributions, drivers, drivers_json, probability
    from retention.features import FEATURES

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, len(FEATURES)))
    X[rng.random(X.shape) < 0.05] = np.nan  # missing values take the default branch
    y = (X[:, 0] + 0.5 * np.nan_to_num(X[:, 3]) + rng.normal(size=3000) > 0).astype(int)
    b = lgb.train({"objective": "binary", "num_leaves": 7, "verbose": -1, "num_threads": 1},
                  lgb.Dataset(X, y), num_boost_round=30)
    c, raw = contributions(b, X, chunk=700)  # several chunks
    np.testing.assert_allclose(raw, b.predict(X, raw_score=True), rtol=0, atol=1e-9)
    np.testing.assert_allclose(probability(b, raw, X), b.predict(X), rtol=0, atol=1e-12)
    roots = sum(t["tree_structure"].get("internal_value", t["tree_structure"].get("leaf_value", 0.0))
                for t in b.dump_model()["tree_info"])
    np.testing.assert_allclose(c.sum(axis=1) + roots, raw, atol=1e-4)  # local accuracy, as with TreeSHAP
    assert np.abs(c[:, 0]).mean() > 5 * np.abs(c[:, 10]).mean()  # the informative feature carries the signal
    feats = pd.DataFrame(X, columns=FEATURES)
    why = drivers(b, X, feats)
    assert drivers_json(X, feats, c) == [json.dumps(d) for d in why]  # the fast writer is json.dumps exactly
    for i in (0, 1, 2, 500):
        cs = [d["contribution"] for d in why[i]]
        assert cs == sorted(cs, reverse=True) and all(x > 0 for x in cs) and len(cs) <= 3
        assert all(d["text"] for d in why[i])
