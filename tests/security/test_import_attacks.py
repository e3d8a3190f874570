"""Importer attacks from the red-team pass (issue 18): huge cells, dates in 9999, infinite or negative prices, an
invoice of two customers. Each is one clear error naming the file, line and column, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from shop.importers.common import MAX_LINE_BYTES
from tests.importing import OR_HEADER, log, refused, write


def test_a_huge_single_cell_is_refused_before_parsing(store, tmp_path: Path) -> None:
    big = "x" * (MAX_LINE_BYTES + 10)
    err = refused(store, write(tmp_path, "big.csv", f"customer_id,timestamp,amount\nc1,2011-01-01,5\n{big},2011,1\n"),
                  "line 3: line is .* bytes long")
    assert "at most 1,048,576 bytes" in str(err)


def test_a_huge_quoted_multiline_cell_is_refused(store, tmp_path: Path) -> None:
    cell = '"' + ("y" * 60_000 + "\n") * 2 + '"'
    text = f"customer_id,timestamp,amount,description\nc1,2011-01-01,5,{cell}\n"
    refused(store, write(tmp_path, "q.csv", text), "line 2 column 'description': a cell longer than 100,000")


@pytest.mark.parametrize("when", ["9999-12-31", "1900-01-01", "3011-01-01 10:00"])
def test_dates_outside_a_sane_range_are_refused(store, tmp_path: Path, when: str) -> None:
    refused(store, log(tmp_path, ["c1,2011-01-01,5", f"c2,{when},5"]), "line 3 column 'timestamp': date out of range")


def test_online_retail_refuses_a_9999_date_and_an_infinite_price(store, tmp_path: Path) -> None:
    good = "536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom"
    refused(store, write(tmp_path, "d.csv", OR_HEADER + good + "\n" + good.replace("2010", "9999") + "\n"),
            "line 3 column 'InvoiceDate': date out of range", source="online-retail")
    for bad in ("inf", "-inf", "1e300"):
        refused(store, write(tmp_path, "p.csv", OR_HEADER + good.replace("2.55", bad) + "\n"),
                "line 2 column 'UnitPrice': not a finite number", source="online-retail")


@pytest.mark.parametrize("column,value", [("amount", "inf"), ("amount", "NaN"), ("unit_price", "Infinity"),
                                          ("quantity", "1e30")])
def test_generic_refuses_non_finite_numbers(store, tmp_path: Path, column: str, value: str) -> None:
    row = {"customer_id": "c1", "timestamp": "2011-01-01", "quantity": "1", "unit_price": "2.5", column: value}
    if column == "amount":
        row = {"customer_id": "c1", "timestamp": "2011-01-01", "amount": value}
    path = write(tmp_path, "n.csv", ",".join(row) + "\n" + ",".join(row.values()) + "\n")
    refused(store, path, f"line 2 column '{column}': not a (finite )?number")


def test_generic_refuses_a_negative_unit_price(store, tmp_path: Path) -> None:
    path = write(tmp_path, "n.csv", "customer_id,timestamp,quantity,unit_price\nc1,2011-01-01,1,-3\n")
    refused(store, path, "line 2 column 'unit_price': a negative unit price")


def test_online_retail_invoice_of_two_customers_is_an_error(store, tmp_path: Path) -> None:
    # before: merged into one order owned by whichever customer came first
    rows = ["536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom",
            "536365,71053,LANTERN,6,2010-12-01 08:26:00,3.39,13047,United Kingdom"]
    err = refused(store, write(tmp_path, "two.csv", OR_HEADER + "\n".join(rows) + "\n"),
                  "line 3 column 'CustomerID': this invoice belongs to another customer", source="online-retail")
    assert "13047" in str(err)
