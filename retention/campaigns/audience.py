"""Choose a campaign audience from the churn scores, with the count after each filter.

Filters (in order): risk band, probability, segment, CLV, recency, category affinity; then the exclusions that
always apply: no marketing consent, unsubscribed, contacted within the frequency cap, an open complaint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.config import Policy
from core.errors import ConfigError, NotEnoughDataError
from retention.campaigns.models import RISK_BANDS, SEGMENTS, TOP_TIERS, AudienceSpec

if TYPE_CHECKING:
    import duckdb

# Open tickets of these categories mean "fix the problem first, don't market to them". A late delivery is not
# among them: those customers are contacted, and their message opens with an apology.
COMPLAINT_CATEGORIES: tuple[str, ...] = ("complaint", "damaged", "refund")

_MEMBERS_SQL = """
WITH s AS (
    SELECT * FROM churn_scores WHERE as_of = (SELECT max(as_of) FROM churn_scores WHERE as_of <= ?::DATE)
), last_order AS (
    SELECT customer_id, max(created_at) AS last_at FROM orders
    WHERE kind = 'sale' AND customer_id IS NOT NULL GROUP BY 1
), contacted AS (
    SELECT customer_id, max(sent_at) AS last_sent FROM campaign_sends GROUP BY 1
), complaints AS (
    SELECT DISTINCT customer_id FROM tickets
    WHERE status = 'open' AND category IN ({complaints}) AND customer_id IS NOT NULL
), top_clv AS (
    SELECT quantile_cont(clv_12m, 0.9) AS q FROM s WHERE clv_12m IS NOT NULL
)
SELECT s.customer_id, s.churn_probability, s.risk_band, s.segment, s.clv_12m,
       c.marketing_consent, c.unsubscribed,
       date_diff('day', lo.last_at::DATE, ?::DATE) AS days_since_order,
       date_diff('day', ct.last_sent::DATE, ?::DATE) AS days_since_contact,
       cp.customer_id IS NOT NULL AS open_complaint,
       (lower(s.segment) IN ({tiers}) OR (s.clv_12m IS NOT NULL AND s.clv_12m >= (SELECT q FROM top_clv)
                                    AND s.clv_12m > 0)) AS top_tier
FROM s JOIN customers c USING (customer_id)
LEFT JOIN last_order lo USING (customer_id)
LEFT JOIN contacted ct USING (customer_id)
LEFT JOIN complaints cp USING (customer_id)
ORDER BY s.churn_probability DESC, s.customer_id
"""


@dataclass
class Audience:
    """The chosen customers (dicts with the scored facts) and the funnel of counts after each filter."""

    members: list[dict[str, Any]]
    funnel: list[dict[str, Any]] = field(default_factory=list)


def _quote(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _check_spec(con: duckdb.DuckDBPyConnection, spec: AudienceSpec) -> None:
    for band in spec.risk_bands or []:
        if band not in RISK_BANDS:
            raise ConfigError(f"unknown risk band {band!r}; valid risk bands: {', '.join(RISK_BANDS)}")
    if spec.segments:
        stored = {r[0] for r in con.execute(
            "SELECT DISTINCT segment FROM churn_scores WHERE segment IS NOT NULL").fetchall()}
        valid = sorted(set(SEGMENTS) | stored)
        for seg in spec.segments:
            if seg not in valid:
                raise ConfigError(f"unknown segment {seg!r}; valid segments: {', '.join(valid)}")
    if spec.categories:
        stored = {r[0] for r in con.execute(
            "SELECT DISTINCT category FROM products WHERE category IS NOT NULL").fetchall()}
        lower = {c.lower(): c for c in stored}
        for cat in spec.categories:
            if cat.lower() not in lower:
                raise ConfigError(f"unknown category {cat!r}; categories in the catalogue: "
                                  f"{', '.join(sorted(stored)) or '(none)'}")
    if spec.min_clv is not None and spec.max_clv is not None and spec.min_clv > spec.max_clv:
        raise ConfigError(f"CLV range is empty: minimum {spec.min_clv} is above maximum {spec.max_clv}")
    if spec.min_probability is not None and not 0 <= spec.min_probability <= 1:
        raise ConfigError(f"min probability {spec.min_probability} is outside 0..1")


def _category_buyers(con: duckdb.DuckDBPyConnection, categories: list[str]) -> set[str]:
    rows = con.execute(
        f"""SELECT DISTINCT o.customer_id FROM orders o JOIN order_items i USING (order_id)
            JOIN products p ON p.product_id = i.product_id
            WHERE o.customer_id IS NOT NULL AND o.kind = 'sale'
              AND lower(p.category) IN ({_quote([c.lower() for c in categories])})""").fetchall()
    return {r[0] for r in rows}


def build_audience(con: duckdb.DuckDBPyConnection, spec: AudienceSpec, policy: Policy,
                   today: dt.date) -> Audience:
    """Apply the filters in order, counting after each. Raises ConfigError for unknown bands/segments/categories
    and NotEnoughDataError when the store holds no churn scores."""
    (n_scores,) = con.execute("SELECT count(*) FROM churn_scores WHERE as_of <= ?::DATE",
                              [today]).fetchone() or (0,)
    if not n_scores:
        raise NotEnoughDataError(
            "the store holds no churn scores up to " f"{today}; build them first (`retain demo`, or the churn "
            "model's `train_and_score`), then plan the campaign")
    _check_spec(con, spec)
    sql = _MEMBERS_SQL.format(complaints=_quote(COMPLAINT_CATEGORIES), tiers=_quote(TOP_TIERS))
    cur = con.execute(sql, [today, today, today])
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    funnel = [{"step": "scored customers", "count": len(rows)}]

    steps: list[tuple[str, Callable[[dict[str, Any]], bool]]] = []
    if spec.risk_bands:
        bands = set(spec.risk_bands)
        steps.append((f"risk band in {sorted(bands)}", lambda r: r["risk_band"] in bands))
    if spec.min_probability is not None:
        p = spec.min_probability
        steps.append((f"churn probability >= {p}", lambda r: r["churn_probability"] >= p))
    if spec.segments:
        segs = set(spec.segments)
        steps.append((f"segment in {sorted(segs)}", lambda r: r["segment"] in segs))
    if spec.min_clv is not None:
        v = spec.min_clv
        steps.append((f"clv_12m >= {v}", lambda r: (r["clv_12m"] or 0) >= v))
    if spec.max_clv is not None:
        top = spec.max_clv
        steps.append((f"clv_12m <= {top}", lambda r: (r["clv_12m"] or 0) <= top))
    if spec.min_days_since_order is not None:
        lo = spec.min_days_since_order
        steps.append((f"days since last order >= {lo}",
                      lambda r: r["days_since_order"] is not None and r["days_since_order"] >= lo))
    if spec.max_days_since_order is not None:
        hi = spec.max_days_since_order
        steps.append((f"days since last order <= {hi}",
                      lambda r: r["days_since_order"] is not None and r["days_since_order"] <= hi))
    if spec.categories:
        buyers = _category_buyers(con, spec.categories)
        steps.append((f"bought in {spec.categories}", lambda r: r["customer_id"] in buyers))
    cap = policy.contact_frequency_cap_days
    steps += [
        ("exclude: no marketing consent", lambda r: bool(r["marketing_consent"])),
        ("exclude: unsubscribed", lambda r: not r["unsubscribed"]),
        (f"exclude: contacted within {cap} days",
         lambda r: r["days_since_contact"] is None or r["days_since_contact"] >= cap),
        ("exclude: open complaint", lambda r: not r["open_complaint"]),
    ]
    for name, keep in steps:
        rows = [r for r in rows if keep(r)]
        funnel.append({"step": name, "count": len(rows)})
    if spec.limit is not None:
        rows = rows[: spec.limit]
        funnel.append({"step": f"riskiest {spec.limit}", "count": len(rows)})
    return Audience(members=rows, funnel=funnel)
