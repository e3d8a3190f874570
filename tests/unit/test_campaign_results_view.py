"""The workbench's results view: the uplift report in words and its three charts, from a real analysis."""

from __future__ import annotations

import random

from retention.campaigns.experiment import Outcome, analyze
from retention.campaigns.models import CONTROL
from ui import campaign_results


def _report(effect: float, base: float = 0.1, n: int = 400) -> dict:
    rng = random.Random(7)
    outs = []
    for arm, p in ((CONTROL, base), ("A", base + effect), ("B", base)):
        for i in range(n):
            bought = rng.random() < p
            outs.append(Outcome(customer_id=f"{arm}{i}", arm=arm, purchased=bought, revenue=20.0 if bought else 0.0,
                                days_to_purchase=rng.randint(0, 30) if bought else None))
    return analyze(outs, window_days=30)


def test_summary_states_each_arm_and_each_comparison() -> None:
    rep = _report(effect=0.15)
    text = campaign_results.summary(rep, "simulate")
    a, c = rep["arms"]["A"], rep["arms"][CONTROL]
    assert f"| A | {a['n']} | {a['conversions']} |" in text and f"| control | {c['n']} |" in text
    assert "**A vs holdout:**" in text and "**B vs holdout:**" in text
    assert "A vs holdout:** +" in text and "significant at 5 %" in text  # a 15-point effect on 400 is significant
    assert "simulated" in text


def test_zero_store_outcomes_are_explained() -> None:
    rep = _report(effect=0.0, base=0.0)
    text = campaign_results.summary(rep, "orders")
    assert "No customer in any arm has purchased" in text and "frozen 'today'" in text
    assert "No customer in any arm" not in campaign_results.summary(_report(0.1), "orders")


def test_charts_carry_the_report() -> None:
    rep = _report(effect=0.15)
    conv, curves, revenue = campaign_results.charts(rep)
    bar = conv.data[0]
    assert list(bar.x) == list(rep["arms"])
    assert abs(bar.y[1] - 100 * rep["arms"]["A"]["conversion"]) < 1e-9
    lo, hi = rep["arms"]["A"]["conversion_ci"]
    assert abs(bar.error_y.array[1] - 100 * (hi - rep["arms"]["A"]["conversion"])) < 1e-9
    assert [t.name for t in curves.data] == list(rep["arms"])
    assert abs(curves.data[1].y[-1] - 100 * rep["arms"]["A"]["retention_curve"][-1]) < 1e-9
    assert list(revenue.data[0].x) == ["A", "B"]
    assert revenue.data[0].y[0] == rep["uplift_vs_control"]["A"]["incremental_revenue"]


def test_empty_number_boxes_are_no_limit() -> None:
    from ui.campaigns import _spec

    spec = _spec("w", ["high"], [], 0, 0, 0, 0, [], 0, ["email"], "warm", "direct", "percent", "free_shipping", 0.1)
    a = spec.audience
    assert a.min_clv is None and a.max_clv is None and a.min_days_since_order is None
    assert a.max_days_since_order is None and a.limit is None
    spec = _spec("w", ["high"], ["loyal"], 50, 500, 30, 0, [], 20, ["email"], "warm", "direct", "percent",
                 "free_shipping", 0.1)
    assert (spec.audience.min_clv, spec.audience.max_clv, spec.audience.min_days_since_order,
            spec.audience.limit, spec.audience.segments) == (50.0, 500.0, 30, 20, ["loyal"])
