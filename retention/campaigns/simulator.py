"""Simulated outcomes with a known true effect, so the loop can be shown end to end on the demo shop.

Each customer's chance to buy within the window without a message is p0 = 0.05 + 0.35 * (1 - churn probability);
a customer who was actually sent a message in arm a buys with p0 + effect[a] (clipped to 1). The true uplift of
an arm (what the analysis should recover) is the mean of (p - p0) over everyone assigned to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from retention.campaigns.experiment import Outcome
from retention.campaigns.models import CONTROL


def base_rate(churn_probability: float) -> float:
    return 0.05 + 0.35 * (1.0 - float(churn_probability))


def simulate(rows: Sequence[Mapping[str, Any]], sent: set[str], effects: Mapping[str, float], window_days: int,
             seed: int, order_value: Mapping[str, float] | None = None
             ) -> tuple[list[Outcome], dict[str, float]]:
    """rows: customer_id, arm, churn_probability. Returns the outcomes and the true uplift per treatment arm."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = len(rows)
    p0 = np.array([base_rate(r["churn_probability"]) for r in rows])
    treated = np.array([r["arm"] != CONTROL and r["customer_id"] in sent for r in rows])
    eff = np.array([effects.get(r["arm"], 0.0) if r["arm"] != CONTROL else 0.0 for r in rows])
    p = np.clip(p0 + np.where(treated, eff, 0.0), 0.0, 1.0)
    bought = rng.random(n) < p
    opened = treated & (rng.random(n) < 0.4)
    clicked = opened & (rng.random(n) < 0.35)
    days = np.minimum(window_days, 1 + rng.exponential(window_days / 3, n).astype(int))
    value = np.array([(order_value or {}).get(r["customer_id"], 25.0) for r in rows])
    revenue = np.where(bought, np.round(value * rng.lognormal(0, 0.3, n), 2), 0.0)
    outcomes = [Outcome(customer_id=str(r["customer_id"]), arm=str(r["arm"]), purchased=bool(bought[i]),
                        revenue=float(revenue[i]), days_to_purchase=int(days[i]) if bought[i] else None,
                        opened=bool(opened[i]), clicked=bool(clicked[i])) for i, r in enumerate(rows)]
    arms = np.array([r["arm"] for r in rows])
    truth = {str(a): float((p - p0)[arms == a].mean()) for a in set(arms.tolist()) if a != CONTROL}
    return outcomes, truth
