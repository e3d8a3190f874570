"""Connections to the shop store and its versioned migrations.

Migrations are `shop/migrations/NNN_name.sql`, applied in order inside one transaction each and recorded in
`schema_migrations`, so opening an existing store only applies what is new.
"""

from __future__ import annotations

import errno
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import RetainError, StoreError

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
    """Open (and migrate) the store. `None` or ':memory:' gives an in-memory store for tests.

    A store that can't be opened (read-only or full data dir, locked by another process) is a StoreError."""
    import duckdb

    if path is None or str(path) == ":memory:":
        con = duckdb.connect(":memory:")
        migrate(con)
        return con
    path = Path(path)
    if read_only and not path.exists():
        raise RetainError(f"{path}: no shop store here yet; run `retain init` or `retain demo` first")
    try:
        if read_only:
            return duckdb.connect(str(path), read_only=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
        migrate(con)
        return con
    except (OSError, duckdb.Error) as e:
        err = as_store_error(e, path)
        if err is None:
            raise
        raise err from None


_CAUSES = (  # (what the OS or DuckDB says, what it means for the user)
    (("no space left", "disk full", "disk is full", "file too large", "quota exceeded"),
     "the disk is full; free some space and try again"),
    (("read-only file system", "permission denied", "access is denied", "operation not permitted"),
     "the data dir is read-only; use a writable --data-dir (or RETAIN_DATA_DIR) or fix its permissions"),
    (("could not set lock", "conflicting lock", "lock on file"),
     "the store is in use by another process (locked); stop the other `retain` process (e.g. `retain serve`) "
     "and try again"),
    (("could not write file", "could not read file", "could not open file", "could not truncate file",
      "could not fsync"), "the store's files can't be read or written; check the data dir's disk"),
)
_ERRNO = {errno.ENOSPC: 0, errno.EDQUOT: 0, errno.EFBIG: 0, errno.EROFS: 1, errno.EACCES: 1, errno.EPERM: 1}


def store_cause(e: BaseException) -> str | None:
    """What a failure of the store's disk means in plain words (full, read-only, locked), or None when it is
    not one of those."""
    if isinstance(e, OSError) and e.errno in _ERRNO:
        return _CAUSES[_ERRNO[e.errno]][1]
    text = str(e).lower()
    return next((meaning for needles, meaning in _CAUSES if any(n in text for n in needles)), None)


def as_store_error(e: BaseException, path: Path | str | None = None) -> StoreError | None:
    """A StoreError naming the path and cause for an OSError or a DuckDB I/O error; None for anything else."""
    import duckdb

    if not isinstance(e, OSError | duckdb.IOException | duckdb.PermissionException) and store_cause(e) is None:
        return None
    where = str(path or getattr(e, "filename", None) or "the data dir")
    cause = store_cause(e)
    if cause is None and isinstance(e, OSError):
        cause = e.strerror or str(e)
    elif cause is None:
        cause = f"the shop store can't be read or written ({str(e).splitlines()[0]})"
    return StoreError(f"{where}: {cause}")


_IN_TRANSACTION: set[tuple[int, int]] = set()  # (connection or cursor, thread) with a transaction() open


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: commit on success, roll back on any error (a failed commit included). Re-entrant: inside
    another transaction() on the same connection it joins that one, so a write helper can be composed into a
    bigger transaction (shop.writes.run_once)."""
    key = (id(con), threading.get_ident())  # another thread on the same connection never joins this one
    if key in _IN_TRANSACTION:
        yield con
        return
    con.begin()
    _IN_TRANSACTION.add(key)
    try:
        yield con
        con.commit()
    except BaseException:
        with suppress(Exception):  # a failed commit may have ended the transaction already
            con.rollback()
        raise
    finally:
        _IN_TRANSACTION.discard(key)


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
