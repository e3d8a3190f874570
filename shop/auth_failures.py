"""Failed shopper verifications per account, for the per-account attempt limit (migration 009)."""

from __future__ import annotations

import duckdb


def record(con: duckdb.DuckDBPyConnection, customer_id: str) -> None:
    con.execute("INSERT INTO auth_failures (customer_id) VALUES (?)", [customer_id])


def recent(con: duckdb.DuckDBPyConnection, customer_id: str, minutes: int) -> int:
    """Failures for this account within the last `minutes` (wall clock, not the shop's frozen clock)."""
    row = con.execute("SELECT count(*) FROM auth_failures WHERE customer_id = ? AND failed_at > current_timestamp::TIMESTAMP "
                      "- to_minutes(CAST(? AS BIGINT))", [customer_id, minutes]).fetchone()
    return int(row[0]) if row else 0
