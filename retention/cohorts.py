"""Monthly acquisition cohorts and retention curves R(t) = U(t) / U(0): the share of a first-purchase month's
customers who buy again t months later. Returned as a tidy table and as heatmap data."""

from __future__ import annotations

from typing import Any


def cohort_table(con: Any, months: int = 12) -> list[dict[str, Any]]:
    """Rows (cohort 'YYYY-MM', t, customers active at t, cohort size U(0), retention R(t))."""
    from shop.db import rows

    return rows(con, """
        WITH o AS (SELECT customer_id, date_trunc('month', created_at) AS m FROM orders
                   WHERE customer_id IS NOT NULL AND kind = 'sale'),
             f AS (SELECT customer_id, min(m) AS c FROM o GROUP BY customer_id),
             a AS (SELECT DISTINCT f.c, o.customer_id, datediff('month', f.c, o.m) AS t FROM o JOIN f USING (customer_id)),
             n AS (SELECT c, t, count(*) AS active FROM a WHERE t <= ? GROUP BY c, t)
        SELECT strftime(n.c, '%Y-%m') AS cohort, n.t, n.active, z.active AS size, n.active / z.active AS retention
        FROM n JOIN n z ON z.c = n.c AND z.t = 0 ORDER BY n.c, n.t""", [months])


def heatmap(rows: list[dict[str, Any]], months: int = 12) -> tuple[list[list[float | None]], list[str], list[str]]:
    """(z, x labels, y labels) for the newest `months` cohorts; None where t is still in the future."""
    cohorts = sorted({r["cohort"] for r in rows})[-months:]
    z: list[list[float | None]] = [[None] * (months + 1) for _ in cohorts]
    for r in rows:
        if r["cohort"] in cohorts:
            z[cohorts.index(r["cohort"])][r["t"]] = float(r["retention"])
    return z, [f"+{t}m" for t in range(months + 1)], cohorts
