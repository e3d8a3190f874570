"""The full UCI Online Retail file through `retain import` (once per session), checked against SOURCE.md's figures.

Expected values are recomputed straight from the raw file with DuckDB's own CSV reader, restating the rejection
rules in SQL, so they do not reuse the importer's code path.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from shared_data import ONLINE_RETAIL, needs_shared_data

pytestmark = [needs_shared_data, pytest.mark.shared_data, pytest.mark.slow, pytest.mark.timeout(300)]

# A line the importer rejects as a quirk (bad-debt adjustment, stock adjustment, zero price), restated in SQL.
RULE = ("(InvoiceNo LIKE 'A%' OR UnitPrice < 0 OR (Quantity < 0 AND InvoiceNo NOT LIKE 'C%') "
        "OR UnitPrice = 0)")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    """One full import through the CLI (`--json`), then the store opened read-only with the raw file as a view."""
    import duckdb
    from typer.testing import CliRunner

    from cli.main import app

    data_dir = tmp_path_factory.mktemp("full_import")
    out = CliRunner().invoke(app, ["--data-dir", str(data_dir), "import", "online-retail", str(ONLINE_RETAIL),
                                   "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    con = duckdb.connect(str(data_dir / "shop.duckdb"), read_only=True)
    con.execute(f"""CREATE TEMP VIEW raw AS SELECT * FROM read_csv('{ONLINE_RETAIL}', header = true,
        types = {{'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'CustomerID': 'VARCHAR',
                  'Quantity': 'BIGINT', 'UnitPrice': 'DOUBLE', 'InvoiceDate': 'TIMESTAMP'}})""")
    yield report, con
    con.close()


def one(con: Any, sql: str) -> Any:
    return con.execute(sql).fetchall()[0][0]


def test_report_accounts_for_every_line(imported) -> None:
    report, con = imported
    assert report["source"] == "online-retail"
    assert report["rows_read"] == 541_909 == one(con, "SELECT count(*) FROM raw")
    assert report["inserted"]["order_items"] + sum(report["rejected"].values()) == 541_909
    assert one(con, "SELECT count(*) FROM order_items") == report["inserted"]["order_items"]
    assert report["rejected"]["bad-debt adjustment"] == 3
    assert report["rejected"]["stock adjustment (negative quantity, not a cancellation)"] == 1_336
    expected_zero = one(con, "SELECT count(*) FROM raw WHERE UnitPrice = 0 AND NOT (Quantity < 0 AND "
                             "InvoiceNo NOT LIKE 'C%') AND InvoiceNo NOT LIKE 'A%'")
    assert report["rejected"]["zero price"] == expected_zero
    # SOURCE.md: 5,268 exact-duplicate rows; those not already rejected by another rule are rejected as such
    dups_left = one(con, f"SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * FROM raw WHERE NOT {RULE})) "
                         f"FROM raw WHERE NOT {RULE}")
    assert report["rejected"]["exact duplicate"] == dups_left <= 5_268
    run = con.execute("SELECT rows_read, inserted FROM import_runs").fetchall()
    assert len(run) == 1 and run[0][0] == 541_909 and json.loads(run[0][1]) == report["inserted"]


def test_customers_invoices_countries_match_the_check_figures(imported) -> None:
    _, con = imported
    assert one(con, "SELECT count(*) FROM customers WHERE source = 'online_retail'") == 4_372
    assert one(con, "SELECT count(DISTINCT InvoiceNo) FROM raw") == 25_900
    rejected_only = one(con, f"SELECT count(*) FROM (SELECT InvoiceNo FROM raw GROUP BY 1 HAVING bool_and({RULE}))")
    assert one(con, "SELECT count(*) FROM orders") + rejected_only == 25_900
    assert one(con, "SELECT count(DISTINCT country) FROM orders") == 38
    lo, hi = con.execute("SELECT min(created_at), max(created_at) FROM orders").fetchall()[0]
    assert (str(lo), str(hi)) == ("2010-12-01 08:26:00", "2011-12-09 12:50:00")


def test_money_and_quantities_equal_the_raw_file_less_rejections(imported) -> None:
    _, con = imported
    kept = con.execute(f"SELECT sum(Quantity), sum(Quantity * UnitPrice) FROM "
                       f"(SELECT DISTINCT * FROM raw WHERE NOT {RULE})").fetchall()[0]
    got = con.execute("SELECT sum(quantity), sum(quantity * unit_price) FROM order_items").fetchall()[0]
    assert got[0] == kept[0]
    assert got[1] == pytest.approx(kept[1], abs=0.01)
    # the file's own totals (SOURCE.md) are what the rejected lines and the kept ones add up to
    assert one(con, "SELECT sum(Quantity) FROM raw") == 5_176_450
    assert one(con, "SELECT round(sum(Quantity * UnitPrice), 2) FROM raw") == pytest.approx(9_747_747.93)


def test_quirks_land_where_the_interfaces_say(imported) -> None:
    _, con = imported
    kinds = dict(con.execute("SELECT kind, count(*) FROM orders GROUP BY 1").fetchall())
    assert one(con, "SELECT count(*) FROM orders WHERE order_id LIKE 'C%' AND (kind <> 'cancellation' "
                    "OR status <> 'cancelled')") == 0
    assert kinds["cancellation"] == one(con, "SELECT count(DISTINCT InvoiceNo) FROM raw WHERE InvoiceNo LIKE 'C%' "
                                             "AND UnitPrice > 0")
    assert one(con, "SELECT count(*) FROM order_items i JOIN orders o USING (order_id) "
                    "WHERE o.kind = 'cancellation' AND i.quantity >= 0") == 0
    guests = one(con, "SELECT count(*) FROM orders WHERE customer_id IS NULL")
    assert 1_000 < guests < one(con, "SELECT count(DISTINCT InvoiceNo) FROM raw WHERE CustomerID IS NULL")
    fees = dict(con.execute("SELECT item_id, count(*) FROM order_items WHERE NOT is_product GROUP BY 1").fetchall())
    assert {"POST", "DOT", "M", "AMAZONFEE", "BANK CHARGES"} <= set(fees)
    assert one(con, "SELECT count(*) FROM products WHERE product_id IN ('POST', 'DOT', 'M', 'AMAZONFEE')") == 0
    n_products = one(con, "SELECT count(*) FROM products")
    assert n_products == one(con, "SELECT count(*) FROM product_variants") and 3_500 < n_products < 4_070
    other = one(con, "SELECT avg((category = 'Other')::INT) FROM products")
    assert other < 0.15 and one(con, "SELECT count(DISTINCT category) FROM products") >= 12
    assert one(con, "SELECT count(*) FROM product_variants WHERE price <= 0") == 0


def test_tau_retail_shared_folder_and_tau2_db_agree(tmp_path) -> None:
    """SOURCE.md: 500 users, 1,000 orders (pending 423, delivered 373, processed 102, cancelled 102), 50 products,
    591 variants; v1's folder and tau2's db.json hold the same records, so the second import adds nothing."""
    from shared_data import TAU

    from shop.db import connect
    from shop.importers import run_import

    con = connect(tmp_path / "tau.duckdb")
    rep = run_import(con, "tau-retail", TAU)  # finds tau_bench/ inside the shared folder
    ins = rep["inserted"]
    assert (ins["customers"], ins["orders"], ins["products"], ins["product_variants"]) == (500, 1000, 50, 591)
    status = dict(con.execute("SELECT status, count(*) FROM orders GROUP BY 1").fetchall())
    assert status == {"pending": 423, "delivered": 373, "processed": 102, "cancelled": 102}
    again = run_import(con, "tau-retail", TAU / "tau2" / "db.json.gz")
    assert sum(again["inserted"].values()) == 0
    con.close()
