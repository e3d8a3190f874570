from pathlib import Path

import pytest

from core.errors import RetainError
from shop.db import connect, migrate, migrations, table_counts, transaction


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    versions = [v for v, _, _ in migrations()]
    assert versions == sorted(set(versions)) and versions[0] == 1
    con = connect(tmp_path / "s.duckdb")
    assert migrate(con) == []  # connect already applied everything
    applied = con.execute("SELECT count(*) FROM schema_migrations").fetchall()[0][0]
    assert applied == len(versions)
    con.close()
    con = connect(tmp_path / "s.duckdb")  # reopening applies nothing new and keeps data
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchall()[0][0] == applied


def test_transaction_rolls_back_everything(store) -> None:
    before = table_counts(store)
    with pytest.raises(ValueError), transaction(store):
        store.execute("INSERT INTO products VALUES ('p1', 'Mug', 'Kitchen', NULL, 'test')")
        raise ValueError("boom")
    assert table_counts(store) == before


def test_read_only_open_of_missing_store_is_clear(tmp_path: Path) -> None:
    with pytest.raises(RetainError, match="no shop store"):
        connect(tmp_path / "missing.duckdb", read_only=True)


def test_a_nested_transaction_joins_the_outer_one(store) -> None:
    """Write helpers that open their own transaction compose into a bigger one: all of it or none of it."""
    store.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(RuntimeError), transaction(store):
        with transaction(store):
            store.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("the outer transaction fails after the inner one finished")
    assert store.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    with transaction(store), transaction(store):
        store.execute("INSERT INTO t VALUES (2)")
    assert store.execute("SELECT x FROM t").fetchall() == [(2,)]
