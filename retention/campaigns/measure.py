"""Measure a campaign: outcomes (simulated with a known effect, from the store's orders after sending, or from a
file) recorded in campaign_outcomes, then the uplift report of experiment.analyze."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError, NotEnoughDataError
from retention.campaigns import store as st
from retention.campaigns.experiment import Outcome, analyze
from retention.campaigns.models import CampaignSpec
from shop.db import transaction

if TYPE_CHECKING:
    import duckdb

    from core.config import Settings


def _orders_outcomes(con: duckdb.DuckDBPyConnection, campaign_id: str, start: dt.date, window: int
                     ) -> list[Outcome]:
    rows = con.execute(
        """WITH a AS (SELECT customer_id, arm FROM campaign_assignments WHERE campaign_id = ?),
           o AS (SELECT o.customer_id, o.created_at, sum(i.quantity * i.unit_price) AS value
                 FROM orders o JOIN order_items i USING (order_id) JOIN a USING (customer_id)
                 WHERE o.kind = 'sale' AND o.created_at::DATE > ?::DATE
                   AND o.created_at::DATE <= ?::DATE + ? GROUP BY ALL)
           SELECT a.customer_id, a.arm, count(o.created_at) > 0, coalesce(sum(o.value), 0),
                  min(date_diff('day', ?::DATE, o.created_at::DATE))
           FROM a LEFT JOIN o USING (customer_id) GROUP BY ALL""",
        [campaign_id, start, start, window, start]).fetchall()
    return [Outcome(customer_id=r[0], arm=r[1], purchased=bool(r[2]), revenue=float(r[3]), days_to_purchase=r[4])
            for r in rows]


def record_outcomes(con: duckdb.DuckDBPyConnection, campaign_id: str, outcomes: list[Outcome], source: str
                    ) -> None:
    con.execute("DELETE FROM campaign_outcomes WHERE campaign_id = ?", [campaign_id])
    st._insert(con, "campaign_outcomes", {
        "campaign_id": [campaign_id] * len(outcomes), "customer_id": [o.customer_id for o in outcomes],
        "arm": [o.arm for o in outcomes], "opened": [o.opened for o in outcomes],
        "clicked": [o.clicked for o in outcomes], "purchased": [o.purchased for o in outcomes],
        "days_to_purchase": [o.days_to_purchase for o in outcomes], "revenue": [o.revenue for o in outcomes],
        "source": [source] * len(outcomes)})


def analyze_campaign(con: duckdb.DuckDBPyConnection, settings: Settings, campaign_id: str,
                     outcomes_from: str = "recorded", effects: dict[str, float] | None = None,
                     window_days: int | None = None, seed: int | None = None,
                     outcomes_file: Path | None = None, actor: str | None = None) -> dict[str, Any]:
    """outcomes_from: 'simulate' (the simulator with known `effects`), 'orders' (purchases in the store after the
    send date), 'file' (`outcomes_file`, see outcomes.py) or 'recorded' (what is in campaign_outcomes already).
    Returns the uplift report."""
    from retention.campaigns.simulator import simulate

    camp = st.get_campaign(con, campaign_id)
    st.require_status(camp, "exported")
    spec: CampaignSpec = camp["spec"]
    window = window_days or spec.outcome_window_days
    truth: dict[str, float] | None = None
    if outcomes_from == "simulate":
        rows = st.assignments(con, campaign_id)
        sent = {r[0] for r in con.execute("SELECT DISTINCT customer_id FROM campaign_sends WHERE campaign_id = ?",
                                          [campaign_id]).fetchall()}
        aov = dict(con.execute(
            """SELECT o.customer_id, avg(t.v) FROM orders o JOIN (SELECT order_id, sum(quantity * unit_price) v
               FROM order_items GROUP BY 1) t USING (order_id) WHERE o.kind = 'sale' AND o.customer_id IN
               (SELECT customer_id FROM campaign_assignments WHERE campaign_id = ?) GROUP BY 1""",
            [campaign_id]).fetchall())
        eff = effects if effects is not None else {v.name: 0.05 for v in spec.variants}
        outs, truth = simulate(rows, sent, eff, window, spec.seed if seed is None else seed,
                               {k: max(float(v), 1.0) for k, v in aov.items()})
        with transaction(con):
            record_outcomes(con, campaign_id, outs, "simulated")
    elif outcomes_from == "orders":
        (start,) = con.execute("SELECT min(sent_at)::DATE FROM campaign_sends WHERE campaign_id = ?",
                               [campaign_id]).fetchone() or (None,)
        outs = _orders_outcomes(con, campaign_id, start, window)
        with transaction(con):
            record_outcomes(con, campaign_id, outs, "orders")
    elif outcomes_from == "file":
        from retention.campaigns.outcomes import read_outcomes

        if outcomes_file is None:
            raise ConfigError("outcomes from a file need the file's path")
        arms = {r["customer_id"]: r["arm"] for r in st.assignments(con, campaign_id)}
        outs = read_outcomes(Path(outcomes_file), arms)
        with transaction(con):
            record_outcomes(con, campaign_id, outs, "file")
    elif outcomes_from != "recorded":
        raise ConfigError(f"unknown outcome source {outcomes_from!r}; use simulate, orders or recorded")
    cur = con.execute("SELECT customer_id, arm, purchased, revenue, days_to_purchase, opened, clicked "
                      "FROM campaign_outcomes WHERE campaign_id = ?", [campaign_id])
    outcomes = [Outcome(customer_id=r[0], arm=r[1], purchased=r[2], revenue=r[3], days_to_purchase=r[4],
                        opened=r[5], clicked=r[6]) for r in cur.fetchall()]
    if not outcomes:
        raise NotEnoughDataError(f"campaign {campaign_id} has no recorded outcomes; use --simulate, --from-orders or --outcomes FILE")
    report = analyze(outcomes, window)
    report = {"campaign_id": campaign_id, "outcomes_from": outcomes_from, **report}
    if truth is not None:
        report["true_uplift"] = truth
    with transaction(con):
        st.set_status(con, campaign_id, "analyzed")
        st.audit(con, "campaign.analyze", campaign_id, {
            "outcomes_from": outcomes_from,
            "uplift": {a: round(c["absolute"], 4) for a, c in report["uplift_vs_control"].items()}}, actor_id=actor)
    return report
