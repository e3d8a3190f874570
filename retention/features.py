"""Point-in-time customer features as set-based SQL in DuckDB.

`build_features(con, cutoffs)` returns one row per (customer, cutoff) using only rows dated strictly before the
cutoff, so appending later transactions never changes them. The label (`churned`: no purchase in the H days from
the cutoff) is computed separately by `labels()`; features never look past the cutoff.

Feature catalogue (name: meaning):
- recency_days: days since the last purchase
- frequency: distinct purchase orders before the cutoff
- monetary: total spend (sum of quantity × unit price on sale lines)
- avg_order_value: monetary / frequency
- tenure_days: days since the first purchase
- mean_gap_days, std_gap_days: mean and spread of the gaps between consecutive purchases (NULL with one order)
- last_gap_days: the most recent gap between purchases
- gap_trend: last_gap_days / mean_gap_days (above 1: slowing down)
- overdue_ratio: recency_days / mean_gap_days (how late the next order is against the usual rhythm)
- orders_90d, orders_90_180d: purchases in the last 90 days and in the 90 days before that
- activity_ratio: orders_90d / (orders_90_180d + 1)
- spend_90d: spend in the last 90 days
- avg_basket_lines, distinct_products: basket size and diversity
- cancel_rate: cancellation documents / (purchases + cancellations)
- sessions_30d, sessions_prev_60d, views_30d, avg_dwell_30d, cart_abandon_rate_90d: web behaviour (0 without events)
- reviews_n, avg_rating, negative_reviews_90d: review history (NULL/0 without reviews)
- tickets_90d, open_tickets: support history
- negative_sentiment_90d: reviews and tickets of the last 90 days whose text reads negative (retention/sentiment.py
  labels each one once, from its text alone, so the label is known when the review or ticket is written)
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

FEATURES = ["recency_days", "frequency", "monetary", "avg_order_value", "tenure_days", "mean_gap_days",
            "std_gap_days", "last_gap_days", "gap_trend", "overdue_ratio", "orders_90d", "orders_90_180d",
            "activity_ratio", "spend_90d", "avg_basket_lines", "distinct_products", "cancel_rate", "sessions_30d",
            "sessions_prev_60d", "views_30d", "avg_dwell_30d", "cart_abandon_rate_90d", "reviews_n", "avg_rating",
            "negative_reviews_90d", "tickets_90d", "open_tickets", "negative_sentiment_90d"]

SQL = """
WITH cut AS (SELECT CAST(unnest(?::DATE[]) AS TIMESTAMP) AS cutoff),
sales AS (  -- lines summed per order before the join: one key to group on, and 3x fewer rows to join
    SELECT o.customer_id, o.order_id, o.created_at, i.amount, i.lines
    FROM orders o JOIN (SELECT order_id, sum(quantity * unit_price) AS amount, count(*) AS lines
                        FROM order_items GROUP BY order_id) i USING (order_id)
    WHERE o.customer_id IS NOT NULL AND o.kind = 'sale' {source_filter}),
s AS (SELECT c.cutoff, x.* FROM cut c JOIN sales x ON x.created_at < c.cutoff),
gaps AS (
    SELECT cutoff, customer_id, created_at,
           date_diff('day', lag(created_at) OVER w, created_at) AS gap
    FROM s WINDOW w AS (PARTITION BY cutoff, customer_id ORDER BY created_at)),
g AS (
    SELECT cutoff, customer_id, avg(gap) AS mean_gap_days, stddev_samp(gap) AS std_gap_days,
           arg_max(gap, created_at) AS last_gap_days
    FROM gaps GROUP BY cutoff, customer_id),
base AS (
    SELECT cutoff, customer_id,
           date_diff('day', max(created_at), cutoff) AS recency_days,
           count(*) AS frequency, sum(amount) AS monetary, sum(amount) / count(*) AS avg_order_value,
           date_diff('day', min(created_at), cutoff) AS tenure_days,
           count(*) FILTER (WHERE created_at >= cutoff - INTERVAL 90 DAY) AS orders_90d,
           count(*) FILTER (WHERE created_at < cutoff - INTERVAL 90 DAY
                            AND created_at >= cutoff - INTERVAL 180 DAY) AS orders_90_180d,
           coalesce(sum(amount) FILTER (WHERE created_at >= cutoff - INTERVAL 90 DAY), 0) AS spend_90d,
           avg(lines) AS avg_basket_lines
    FROM s GROUP BY cutoff, customer_id),
prod AS (
    SELECT c.cutoff, o.customer_id, count(DISTINCT i.product_id) AS distinct_products
    FROM cut c JOIN orders o ON o.created_at < c.cutoff JOIN order_items i USING (order_id)
    WHERE o.customer_id IS NOT NULL AND o.kind = 'sale' {source_filter} GROUP BY ALL),
canc AS (
    SELECT c.cutoff, o.customer_id, count(*) AS cancels
    FROM cut c JOIN orders o ON o.created_at < c.cutoff
    WHERE o.customer_id IS NOT NULL AND o.kind = 'cancellation' {source_filter} GROUP BY ALL),
ev AS (
    SELECT c.cutoff, e.customer_id,
           count(DISTINCT e.session_id) FILTER (WHERE e.ts >= c.cutoff - INTERVAL 30 DAY) AS sessions_30d,
           count(DISTINCT e.session_id) FILTER (WHERE e.ts < c.cutoff - INTERVAL 30 DAY
                                               AND e.ts >= c.cutoff - INTERVAL 90 DAY) AS sessions_prev_60d,
           count(*) FILTER (WHERE e.event_type = 'view' AND e.ts >= c.cutoff - INTERVAL 30 DAY) AS views_30d,
           avg(e.dwell_seconds) FILTER (WHERE e.ts >= c.cutoff - INTERVAL 30 DAY) AS avg_dwell_30d,
           count(*) FILTER (WHERE e.event_type = 'cart_add' AND e.ts >= c.cutoff - INTERVAL 90 DAY) AS adds,
           count(*) FILTER (WHERE e.event_type = 'checkout' AND e.ts >= c.cutoff - INTERVAL 90 DAY) AS checkouts
    FROM cut c JOIN events e ON e.ts < c.cutoff AND e.customer_id IS NOT NULL GROUP BY ALL),
rv AS (
    SELECT c.cutoff, r.customer_id, count(*) AS reviews_n, avg(r.rating) AS avg_rating,
           count(*) FILTER (WHERE r.rating <= 2 AND r.created_at >= c.cutoff - INTERVAL 90 DAY) AS negative_reviews_90d,
           count(*) FILTER (WHERE r.sentiment = 'negative' AND r.created_at >= c.cutoff - INTERVAL 90 DAY) AS neg_rv
    FROM cut c JOIN reviews r ON r.created_at < c.cutoff AND r.customer_id IS NOT NULL GROUP BY ALL),
tk AS (
    SELECT c.cutoff, t.customer_id,
           count(*) FILTER (WHERE t.created_at >= c.cutoff - INTERVAL 90 DAY) AS tickets_90d,
           count(*) FILTER (WHERE t.resolved_at IS NULL OR t.resolved_at >= c.cutoff) AS open_tickets,
           count(*) FILTER (WHERE t.sentiment = 'negative' AND t.created_at >= c.cutoff - INTERVAL 90 DAY) AS neg_tk
    FROM cut c JOIN tickets t ON t.created_at < c.cutoff AND t.customer_id IS NOT NULL GROUP BY ALL)
SELECT b.customer_id, CAST(b.cutoff AS DATE) AS cutoff, b.recency_days, b.frequency, b.monetary,
       b.avg_order_value, b.tenure_days, g.mean_gap_days, g.std_gap_days, g.last_gap_days,
       g.last_gap_days / nullif(g.mean_gap_days, 0) AS gap_trend,
       b.recency_days / nullif(g.mean_gap_days, 0) AS overdue_ratio,
       b.orders_90d, b.orders_90_180d, b.orders_90d / (b.orders_90_180d + 1.0) AS activity_ratio, b.spend_90d,
       b.avg_basket_lines, coalesce(p.distinct_products, 0) AS distinct_products,
       coalesce(k.cancels, 0) / (b.frequency + coalesce(k.cancels, 0)) AS cancel_rate,
       coalesce(e.sessions_30d, 0) AS sessions_30d, coalesce(e.sessions_prev_60d, 0) AS sessions_prev_60d,
       coalesce(e.views_30d, 0) AS views_30d, e.avg_dwell_30d,
       CASE WHEN coalesce(e.adds, 0) = 0 THEN 0 ELSE greatest(e.adds - e.checkouts, 0) / e.adds END
           AS cart_abandon_rate_90d,
       coalesce(r.reviews_n, 0) AS reviews_n, r.avg_rating, coalesce(r.negative_reviews_90d, 0) AS negative_reviews_90d,
       coalesce(t.tickets_90d, 0) AS tickets_90d, coalesce(t.open_tickets, 0) AS open_tickets,
       coalesce(r.neg_rv, 0) + coalesce(t.neg_tk, 0) AS negative_sentiment_90d
FROM base b
LEFT JOIN g USING (cutoff, customer_id) LEFT JOIN prod p USING (cutoff, customer_id)
LEFT JOIN canc k USING (cutoff, customer_id) LEFT JOIN ev e USING (cutoff, customer_id)
LEFT JOIN rv r USING (cutoff, customer_id) LEFT JOIN tk t USING (cutoff, customer_id)
ORDER BY b.cutoff, b.customer_id
"""


def _filter(source: str | None) -> str:
    return f"AND o.source = '{source}'" if source in ("online_retail", "generic", "tau_retail") else ""


def build_features(con: duckdb.DuckDBPyConnection, cutoffs: list[dt.date], source: str | None = None
                   ) -> pd.DataFrame:
    """Features for every customer with a purchase before each cutoff (one row per customer and cutoff)."""
    sql = SQL.replace("{source_filter}", _filter(source)).replace("{source_filter}", _filter(source))
    return con.execute(sql, [list(cutoffs)]).df()


def labels(con: duckdb.DuckDBPyConnection, cutoffs: list[dt.date], horizon_days: int,
           source: str | None = None) -> pd.DataFrame:
    """churned = 1 when the customer makes no purchase in [cutoff, cutoff + H days)."""
    return con.execute(f"""
        WITH cut AS (SELECT CAST(unnest(?::DATE[]) AS TIMESTAMP) AS cutoff)
        SELECT o.customer_id, CAST(c.cutoff AS DATE) AS cutoff, 0 AS churned
        FROM cut c JOIN orders o ON o.created_at >= c.cutoff AND o.created_at < c.cutoff + to_days(?)
        WHERE o.customer_id IS NOT NULL AND o.kind = 'sale' {_filter(source)}
        GROUP BY ALL""", [list(cutoffs), horizon_days]).df()


def dataset(con: duckdb.DuckDBPyConnection, cutoffs: list[dt.date], horizon_days: int,
            source: str | None = None) -> pd.DataFrame:
    feats = build_features(con, cutoffs, source)
    lab = labels(con, cutoffs, horizon_days, source)
    out = feats.merge(lab, on=["customer_id", "cutoff"], how="left")
    out["churned"] = out["churned"].fillna(1).astype(int)
    return out
