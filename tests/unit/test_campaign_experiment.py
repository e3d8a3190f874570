"""Uplift analysis: a hand-computed two-proportion test, interval arithmetic, and recovery of a known effect."""

from __future__ import annotations

import math
import random

import pytest
from scipy import stats

from core.errors import NotEnoughDataError
from retention.campaigns.experiment import Outcome, analyze, two_proportion_z, uplift, wilson
from retention.campaigns.simulator import simulate


def test_campaign_two_proportion_test_matches_hand_computation():
    # 120/1000 treated vs 90/1000 control, worked by hand:
    # pooled p = 210/2000 = 0.105; se = sqrt(0.105 * 0.895 * (1/1000 + 1/1000)) = sqrt(0.00018795) = 0.0137095
    # z = (0.12 - 0.09) / 0.0137095 = 2.18826; two-sided p = 2 * (1 - Phi(2.18826)) = 0.02865
    z, p = two_proportion_z(120, 1000, 90, 1000)
    assert z == pytest.approx(2.18826, abs=1e-4)
    assert p == pytest.approx(0.02865, abs=1e-4)
    assert p == pytest.approx(2 * stats.norm.sf(z), rel=1e-9)
    # the same test as a chi-square on the 2x2 table (z^2 = chi2 without continuity correction)
    chi2, p_chi, _, _ = stats.chi2_contingency([[120, 880], [90, 910]], correction=False)
    assert z * z == pytest.approx(chi2, rel=1e-9) and p == pytest.approx(p_chi, rel=1e-9)


def test_campaign_uplift_intervals_by_hand():
    u = uplift(120, 1000, 90, 1000)
    se = math.sqrt(0.12 * 0.88 / 1000 + 0.09 * 0.91 / 1000)       # 0.0136931
    assert u["absolute"] == pytest.approx(0.03)
    assert u["absolute_ci"] == pytest.approx([0.03 - 1.959964 * se, 0.03 + 1.959964 * se], abs=1e-6)
    assert u["absolute_ci"][0] == pytest.approx(0.00316, abs=1e-5)
    assert u["relative"] == pytest.approx(0.12 / 0.09 - 1)
    lo, hi = u["relative_ci"]
    se_log = math.sqrt(0.88 / 120 + 0.91 / 90)
    assert lo == pytest.approx(4 / 3 * math.exp(-1.959964 * se_log) - 1, abs=1e-6) and lo < u["relative"] < hi
    w = wilson(12, 100)
    assert w == pytest.approx((0.0699, 0.1978), abs=1e-3)


def _rows(n: int, seed: int, arms: tuple[str, ...] = ("control", "A", "B")) -> list[dict]:
    rng = random.Random(seed)
    return [{"customer_id": f"c{i}", "arm": arms[i % len(arms)], "churn_probability": rng.random()}
            for i in range(n)]


def test_campaign_recovers_known_effect():
    rows = _rows(30_000, 1)
    sent = {r["customer_id"] for r in rows}
    outs, truth = simulate(rows, sent, {"A": 0.06, "B": 0.0}, 30, seed=2)
    assert truth["A"] == pytest.approx(0.06) and truth["B"] == pytest.approx(0.0)
    rep = analyze(outs, 30)
    a, b = rep["uplift_vs_control"]["A"], rep["uplift_vs_control"]["B"]
    assert a["absolute_ci"][0] <= truth["A"] <= a["absolute_ci"][1]
    assert a["p_value"] < 0.001
    assert b["absolute_ci"][0] <= 0.0 <= b["absolute_ci"][1]
    assert a["incremental_revenue"] > 0


def test_campaign_interval_coverage_is_nominal():
    """Over 200 simulated experiments the 95% interval covers the true uplift about 95% of the time."""
    hits = 0
    for k in range(200):
        rows = _rows(1200, 100 + k, ("control", "A"))
        outs, truth = simulate(rows, {r["customer_id"] for r in rows}, {"A": 0.05}, 30, seed=k)
        lo, hi = analyze(outs, 30)["uplift_vs_control"]["A"]["absolute_ci"]
        hits += lo <= truth["A"] <= hi
    assert 0.90 <= hits / 200 <= 0.99


def test_campaign_effect_only_for_customers_actually_sent():
    rows = _rows(9000, 3, ("control", "A"))
    sent = {r["customer_id"] for r in rows[: len(rows) // 2]}
    _, truth = simulate(rows, sent, {"A": 0.1}, 30, seed=1)
    assert truth["A"] == pytest.approx(0.05, abs=0.01)


def test_campaign_report_shape_and_curves():
    outs = [Outcome("a", "control", True, 10.0, 3), Outcome("b", "control", False),
            Outcome("c", "A", True, 30.0, 1, opened=True, clicked=True), Outcome("d", "A", True, 20.0, 10),
            Outcome("e", "A", False, opened=True)]
    rep = analyze(outs, window_days=14)
    assert list(rep["arms"]) == ["control", "A"]
    a = rep["arms"]["A"]
    assert a["n"] == 3 and a["conversions"] == 2 and a["opened"] == pytest.approx(2 / 3)
    curve = a["retention_curve"]
    assert len(curve) == 15 and curve[0] == 0 and curve[1] == pytest.approx(1 / 3) and curve[10] == pytest.approx(2 / 3)
    assert all(x <= y for x, y in zip(curve, curve[1:], strict=False)) and curve[-1] == a["conversion"]
    inc = rep["uplift_vs_control"]["A"]
    assert inc["incremental_revenue"] == pytest.approx((50 / 3 - 5) * 3)
    assert inc["incremental_conversions"] == pytest.approx((2 / 3 - 1 / 2) * 3)


def test_campaign_analysis_needs_a_control():
    with pytest.raises(NotEnoughDataError, match="control"):
        analyze([Outcome("a", "A", True)], 30)
