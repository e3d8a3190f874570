"""`retain bench scoring` at a tiny size: the generated store, the timed production scoring step, the report."""

from __future__ import annotations

import json

import pytest

from retention.bench_scoring import generate_store


@pytest.fixture(scope="module")
def bench() -> dict:
    from retention.bench_scoring import run_bench

    return run_bench(customers=2_000, lines_per_customer=20, train_customers=2_000, memory_limit="1GB")


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
    from agent.errors import RetainError

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
    assert bench["customers_per_s"] == pytest.approx(bench["scored"] / bench["total_s"], rel=0.02)
    assert 0.05 < bench["peak_rss_gb"] < 6.0


def test_cli_prints_one_json_object(monkeypatch, bench) -> None:
    from typer.testing import CliRunner

    import retention.bench_scoring as mod
    from agent.cli import app

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
