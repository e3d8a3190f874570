"""Helpers for the importer tests (options, limits, attacks): small files written on the fly, and a refusal that
must leave every table's row count unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ImportDataError
from shop.db import table_counts
from shop.importers import run_import

OR_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def log(tmp_path: Path, rows: list[str], header: str = "customer_id,timestamp,amount") -> Path:
    return write(tmp_path, "log.csv", header + "\n" + "\n".join(rows) + "\n")


def dates(store) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(r[0]) for r in store.execute("SELECT created_at FROM orders ORDER BY created_at").fetchall()]


def refused(store, path: Path, match: str, **kw) -> ImportDataError:  # type: ignore[no-untyped-def]
    before = table_counts(store)
    with pytest.raises(ImportDataError, match=match) as e:
        run_import(store, kw.pop("source", "generic"), path, **kw)
    assert table_counts(store) == before
    return e.value
