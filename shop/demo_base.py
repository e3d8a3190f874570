"""What every demo generator step shares: the customers' real purchase timelines and seeded random streams."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
    import numpy as np
    import pandas as pd

# One independent random stream per generator step, so changing one step never shifts another's draws.
STREAMS = {"profiles": 1, "orders": 2, "activity": 3, "reviews": 4, "tickets": 5, "subset": 6}


def rng(seed: int, step: str) -> np.random.Generator:
    import numpy as np

    return np.random.default_rng([seed, STREAMS[step]])


@dataclass
class DemoContext:
    """The store being built, the shop's frozen today, and per-customer timelines (built from real orders)."""

    con: duckdb.DuckDBPyConnection
    seed: int
    today: dt.date
    horizon_days: int
    customers: pd.DataFrame  # customer_id, source, country, language, first, last, n_orders, churned

    @property
    def today_ts(self) -> pd.Timestamp:
        import pandas as pd

        return pd.Timestamp(self.today)

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def insert(self, table: str, frame: pd.DataFrame) -> int:
        """Append a frame whose columns are named as the table's (set-based)."""
        if frame is None or not len(frame):
            return 0
        name = f"_demo_{table}"
        self.con.register(name, frame)
        try:
            cols = ", ".join(frame.columns)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            self.con.unregister(name)
        return len(frame)


def load_timelines(con: duckdb.DuckDBPyConnection, today: dt.date, horizon_days: int) -> pd.DataFrame:
    """One row per customer who has orders: first/last sale, number of sales, and whether they churned
    (no sale in the `horizon_days` before today). Sorted by customer_id so draws are reproducible."""
    import pandas as pd

    t = con.execute("""
        SELECT c.customer_id, c.source, coalesce(c.country, 'United Kingdom') AS country,
               min(o.created_at) AS first,
               coalesce(max(o.created_at) FILTER (WHERE o.kind = 'sale'), max(o.created_at)) AS last,
               count(*) FILTER (WHERE o.kind = 'sale') AS n_orders
        FROM customers c JOIN orders o USING (customer_id)
        GROUP BY ALL ORDER BY c.customer_id""").df()
    cutoff = pd.Timestamp(today) - pd.Timedelta(days=horizon_days)
    t["churned"] = t["last"] < cutoff
    t["language"] = "en"
    return t


def id_strings(prefix: str, start: int, n: int, width: int = 7) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(start, start + n)]


def day_time(g: np.random.Generator, n: int) -> np.ndarray:
    """Seconds into the day for n shop visits: mostly daytime and evening (08:00-22:59)."""
    import numpy as np

    hours = g.choice(np.arange(8, 23), size=n, p=_HOUR_WEIGHTS)
    return np.asarray(hours * 3600 + g.integers(0, 3600, size=n), dtype="int64")


_HOUR_W = [2, 4, 6, 7, 7, 6, 6, 6, 5, 5, 6, 7, 7, 6, 4]
_HOUR_WEIGHTS = [w / sum(_HOUR_W) for w in _HOUR_W]
