"""The shop's clock. A demo store built from historical data freezes 'today' in the `meta` table, so that
return windows, offer expiries and churn cutoffs read the same date everywhere; a live store uses the real date."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


def shop_today(con: duckdb.DuckDBPyConnection) -> dt.date:
    from shop.db import scalar

    value = scalar(con, "SELECT value FROM meta WHERE key = 'today'")
    return dt.date.fromisoformat(value) if value else dt.date.today()


def freeze_today(con: duckdb.DuckDBPyConnection, day: dt.date) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('today', ?)", [day.isoformat()])
