"""Connections to the shop store and its versioned migrations.

Migrations are `shop/migrations/NNN_name.sql`, applied in order inside one transaction each and recorded in
`schema_migrations`, so opening an existing store only applies what is new.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import RetainError

if TYPE_CHECKING:
    import duckdb

_MIGRATION = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("shop.migrations").iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations; returns the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    done = {r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        con.begin()
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
            con.commit()
        except Exception:
            con.rollback()
            raise
        applied.append(name)
    return applied


def connect(path: Path | str | None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and migrate) the store. `None` or ':memory:' gives an in-memory store for tests."""
    import duckdb

    if path is None or str(path) == ":memory:":
        con = duckdb.connect(":memory:")
        migrate(con)
        return con
    path = Path(path)
    if read_only:
        if not path.exists():
            raise RetainError(f"{path}: no shop store here yet; run `retain init` or `retain demo` first")
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    migrate(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: commit on success, roll back on any error."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    """The single value of a query (fully fetched: DuckDB 2 keeps a half-read result open otherwise)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    """A query's rows as dicts keyed by column name."""
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of the store's main tables (for `retain serve` and summaries)."""
    tables = ["customers", "addresses", "payment_methods", "products", "product_variants", "orders",
              "order_items", "payments", "events", "reviews", "tickets", "audit_log"]
    return {t: int(scalar(con, f"SELECT count(*) FROM {t}")) for t in tables}
