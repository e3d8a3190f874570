"""The experiment: stratified random assignment with a holdout, and the uplift analysis of its outcomes.

Analysis per treatment arm against the holdout: conversion with Wilson intervals, absolute uplift with a Wald
(unpooled) interval, relative uplift with a delta-method interval on the log ratio, a pooled two-proportion z-test,
retention (cumulative purchase) curves by arm, and incremental revenue with a normal interval.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.errors import ConfigError, NotEnoughDataError
from retention.campaigns.models import CONTROL

Z95 = 1.959963984540054


def assign(members: Sequence[dict[str, Any]], arms: Sequence[str], holdout_share: float, seed: int
           ) -> dict[str, tuple[str, str]]:
    """customer_id -> (arm, stratum). Within each risk band: shuffle (seeded), the first round(n*share) go to
    the holdout, the rest round-robin over the arms, so each band is split in the same proportions."""
    if not 0 <= holdout_share < 1:
        raise ConfigError(f"holdout share {holdout_share} must be in [0, 1)")
    if not arms:
        raise ConfigError("an experiment needs at least one treatment arm (variant)")
    if len(set(arms)) != len(arms) or CONTROL in arms:
        raise ConfigError(f"variant names must be unique and not {CONTROL!r}: {list(arms)}")
    strata: dict[str, list[str]] = defaultdict(list)
    for m in members:
        strata[str(m.get("risk_band") or "unknown")].append(str(m["customer_id"]))
    out: dict[str, tuple[str, str]] = {}
    for band in sorted(strata):
        ids = sorted(strata[band])
        random.Random(f"{seed}|{band}").shuffle(ids)
        n_hold = round(len(ids) * holdout_share)
        for i, cid in enumerate(ids):
            out[cid] = (CONTROL, band) if i < n_hold else (arms[(i - n_hold) % len(arms)], band)
    return out


def two_proportion_z(x1: int, n1: int, x0: int, n0: int) -> tuple[float, float]:
    """Pooled two-proportion z-test of p1 == p0: (z, two-sided p-value)."""
    p = (x1 + x0) / (n1 + n0)
    se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0))
    if se == 0:
        return 0.0, 1.0
    z = (x1 / n1 - x0 / n0) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def wilson(x: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = x / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def uplift(x1: int, n1: int, x0: int, n0: int, z: float = Z95) -> dict[str, Any]:
    """Absolute and relative uplift of arm 1 over control 0, with intervals and the z-test."""
    p1, p0 = x1 / n1, x0 / n0
    diff = p1 - p0
    se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    zstat, pval = two_proportion_z(x1, n1, x0, n0)
    rel: dict[str, Any] = {"relative": None, "relative_ci": None}
    if p0 > 0 and p1 > 0:
        se_log = math.sqrt((1 - p1) / x1 + (1 - p0) / x0)
        r = p1 / p0
        rel = {"relative": r - 1, "relative_ci": [r * math.exp(-z * se_log) - 1, r * math.exp(z * se_log) - 1]}
    return {"absolute": diff, "absolute_ci": [diff - z * se, diff + z * se], **rel, "z": zstat, "p_value": pval}


@dataclass
class Outcome:
    customer_id: str
    arm: str
    purchased: bool
    revenue: float = 0.0
    days_to_purchase: int | None = None
    opened: bool = False
    clicked: bool = False


def _mean_var(xs: list[float]) -> tuple[float, float]:
    n = len(xs)
    m = sum(xs) / n
    v = sum((x - m) ** 2 for x in xs) / (n - 1) if n > 1 else 0.0
    return m, v


def analyze(outcomes: Iterable[Outcome], window_days: int = 30) -> dict[str, Any]:
    """The uplift report for every treatment arm against the holdout ('control')."""
    by_arm: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_arm[o.arm].append(o)
    if CONTROL not in by_arm or not by_arm[CONTROL]:
        raise NotEnoughDataError("no outcomes for the holdout ('control') arm: uplift needs a control group; "
                                 "plan the campaign with a holdout share above 0")
    if len(by_arm) < 2:
        raise NotEnoughDataError("no outcomes for any treatment arm yet")
    arms: dict[str, Any] = {}
    for arm in sorted(by_arm, key=lambda a: (a != CONTROL, a)):
        os_ = by_arm[arm]
        n, x = len(os_), sum(o.purchased for o in os_)
        rev = [o.revenue for o in os_]
        curve = [sum(1 for o in os_ if o.purchased and o.days_to_purchase is not None
                     and o.days_to_purchase <= t) / n for t in range(window_days + 1)]
        arms[arm] = {"n": n, "conversions": x, "conversion": x / n, "conversion_ci": list(wilson(x, n)),
                     "opened": sum(o.opened for o in os_) / n, "clicked": sum(o.clicked for o in os_) / n,
                     "revenue": sum(rev), "revenue_per_customer": sum(rev) / n, "retention_curve": curve}
    ctrl = by_arm[CONTROL]
    n0, x0 = len(ctrl), sum(o.purchased for o in ctrl)
    m0, v0 = _mean_var([o.revenue for o in ctrl])
    comparisons: dict[str, Any] = {}
    for arm in sorted(a for a in by_arm if a != CONTROL):
        os_ = by_arm[arm]
        n1, x1 = len(os_), sum(o.purchased for o in os_)
        m1, v1 = _mean_var([o.revenue for o in os_])
        se = math.sqrt(v1 / n1 + v0 / max(n0, 1))
        inc = (m1 - m0) * n1
        comparisons[arm] = {**uplift(x1, n1, x0, n0),
                            "incremental_conversions": (x1 / n1 - x0 / n0) * n1,
                            "incremental_revenue": inc,
                            "incremental_revenue_ci": [inc - Z95 * se * n1, inc + Z95 * se * n1]}
    return {"window_days": window_days, "arms": arms, "uplift_vs_control": comparisons}
