"""A bounded hypothesis fuzz of the importers: whatever the file holds, an import either succeeds or raises one
RetainError (ImportDataError for bad data), and a rejected file leaves every table's row count as it was.

Rows mix plausible values (ids with leading zeros, dates in several formats and offsets, prices, quantities) with
junk (inf, NaN, huge numbers, far dates, quotes, separators, control characters, non-ASCII); whole files may also
be random bytes or random JSON. A few dozen examples per source keep this to seconds in CI."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import RetainError
from shop.db import connect, table_counts
from shop.importers import run_import
from shop.importers.common import ImportOptions

FUZZ = settings(max_examples=25, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

DATES = st.sampled_from(["2011-01-02", "2011-01-02 10:00:00", "03/04/2011", "13/04/2011", "04/13/2011",
                         "2011-01-02T10:00:00+02:00", "2011-01-02T10:00:00Z", "1300000000", "9999-12-31",
                         "0001-01-01", "2011-02-30", "yesterday", "", "12:00", "2011-01-02 10:00 EST"])
NUMBERS = st.sampled_from(["1", "6", "-1", "0", "2.55", "-3.5", "1e300", "inf", "-inf", "NaN", "1e30", "",
                           "six", "1,5", "0x10", "  7 ", "9" * 40])
IDS = st.sampled_from(["17850", "0042", "42", "C536379", "A563185", "536365", "", "x y", "ü", "007"])
JUNK = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
CELL = st.one_of(DATES, NUMBERS, IDS, JUNK, st.sampled_from(['"', '""', ",", "\n", '"a,b"', '"x\ny"', "\x00"]))

OR_COLUMNS = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID",
              "Country"]
GENERIC_COLUMNS = ["customer_id", "timestamp", "amount", "order_id", "line_no", "product_id", "quantity",
                   "unit_price", "description"]
OPTIONS = st.builds(ImportOptions, date_format=st.sampled_from([None, "dayfirst", "monthfirst", "unix", "%d/%m/%Y"]),
                    offsets=st.sampled_from([None, "utc", "local"]), ids=st.sampled_from([None, "exact", "strip-zeros"]))


def csv_text(columns: list[str]) -> st.SearchStrategy[str]:
    header = st.lists(st.sampled_from(columns), min_size=1, max_size=len(columns), unique=True).map(
        lambda cols: cols if len(cols) > 2 else columns)

    @st.composite
    def build(draw: Any) -> str:
        cols = draw(header)
        rows = draw(st.lists(st.lists(CELL, min_size=len(cols), max_size=len(cols)), max_size=6))
        sep = draw(st.sampled_from([",", ",", ";"]))
        return sep.join(cols) + "\n" + "".join(sep.join(r) + "\n" for r in rows)

    return build()


_STORE: list[Any] = []  # one migrated store for the module (a fresh one per example would cost ~1 s each)


def _check(source: str, content: bytes, name: str = "f.csv", options: ImportOptions | None = None,
           mapping: dict[str, Any] | None = None) -> None:
    if not _STORE:
        _STORE.append(connect(None))
    con = _STORE[0]
    before = table_counts(con)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(content)
        try:
            run_import(con, source, path, mapping=mapping, options=options)
        except RetainError:  # anything else is a crash, and fails the test
            assert table_counts(con) == before, "a rejected file changed the store"


def teardown_module() -> None:
    for con in _STORE:
        con.close()


@FUZZ
@given(text=csv_text(OR_COLUMNS), options=OPTIONS)
def test_fuzz_online_retail(text: str, options: ImportOptions) -> None:
    _check("online-retail", text.encode("utf-8", "surrogatepass"), options=options)


@FUZZ
@given(text=csv_text(GENERIC_COLUMNS), options=OPTIONS)
def test_fuzz_generic_transactions(text: str, options: ImportOptions) -> None:
    _check("generic", text.encode("utf-8", "surrogatepass"), options=options)


@FUZZ
@given(text=csv_text(["customer_id", "first_name", "email", "created_at", "marketing_consent", "session_id",
                      "event_type", "timestamp", "dwell_seconds", "product_id"]),
       table=st.sampled_from(["customers", "events"]))
def test_fuzz_generic_customers_and_events(text: str, table: str) -> None:
    _check("generic", text.encode("utf-8", "surrogatepass"), mapping={"table": table})


@FUZZ
@given(content=st.binary(max_size=300), source=st.sampled_from(["online-retail", "generic"]))
def test_fuzz_raw_bytes(content: bytes, source: str) -> None:
    _check(source, content)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=12)


@FUZZ
@given(db=st.fixed_dictionaries({"users": JSON, "orders": JSON, "products": JSON}))
def test_fuzz_tau_db_json(db: dict[str, Any]) -> None:
    _check("tau-retail", json.dumps(db).encode(), name="db.json")
