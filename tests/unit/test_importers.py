"""Importers: quirks, idempotency, and malformed input (one clear error, store unchanged)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from core.errors import ImportDataError, RetainError
from shop.db import table_counts
from shop.importers import run_import

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
GOOD = [
    "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom",
    "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom",
    "536365,POST,POSTAGE,1,2010-12-01 08:26:00,18.00,17850,United Kingdom",
    "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,,United Kingdom",
    "C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-1,2010-12-01 09:41:00,2.55,17850,United Kingdom",
    "536380,22961,JAM MAKING SET PRINTED,-10,2010-12-01 09:45:00,0.0,,United Kingdom",
    "536381,22139,RETROSPOT TEA SET,5,2010-12-01 09:50:00,0.0,12583,France",
    "A563185,B,Adjust bad debt,1,2011-08-12 14:50:00,-11062.06,,United Kingdom",
    "536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom",
    "536390,22941,CHRISTMAS LIGHTS,12,2010-12-01 10:19:00,8.50,12583,France",
]


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return p


def test_online_retail_quirks_are_sorted_and_counted(store, tmp_path: Path) -> None:
    rep = run_import(store, "online-retail", write(tmp_path, "or.csv", HEADER + "\n".join(GOOD) + "\n"))
    assert rep["rows_read"] == len(GOOD)
    assert rep["rejected"] == {"bad-debt adjustment": 1, "stock adjustment (negative quantity, not a cancellation)": 1,
                               "zero price": 1, "exact duplicate": 1}
    orders = dict(store.execute("SELECT order_id, kind || '/' || status FROM orders").fetchall())
    assert orders == {"536365": "sale/delivered", "536366": "sale/delivered", "C536379": "cancellation/cancelled",
                      "536390": "sale/delivered"}
    guest = store.execute("SELECT customer_id FROM orders WHERE order_id = '536366'").fetchall()
    assert guest == [(None,)]
    post = store.execute("SELECT is_product, product_id FROM order_items WHERE item_id = 'POST'").fetchall()
    assert post == [(False, None)]
    assert "POST" not in {r[0] for r in store.execute("SELECT product_id FROM products").fetchall()}
    cats = dict(store.execute("SELECT product_id, category FROM products").fetchall())
    assert cats["22941"] == "Christmas" and cats["85123A"] == "Candles & Lights"
    assert sorted(r[0] for r in store.execute("SELECT customer_id FROM customers").fetchall()) == ["12583", "17850"]


def test_online_retail_is_idempotent_and_accepts_the_ii_names(store, tmp_path: Path) -> None:
    ii = HEADER.replace("InvoiceNo", "Invoice").replace("UnitPrice", "Price").replace("CustomerID", "Customer ID")
    path = write(tmp_path, "or2.csv.gz", gzip.compress((ii + "\n".join(GOOD) + "\n").encode()))
    first = run_import(store, "online-retail", path)
    counts = table_counts(store)
    second = run_import(store, "online-retail", path)
    assert sum(first["inserted"].values()) > 0
    assert sum(second["inserted"].values()) == 0
    assert table_counts(store) == counts


BAD_ONLINE_RETAIL = {
    "missing column": (HEADER.replace(",Quantity", ""), None, "missing column"),
    "bad date": (HEADER + GOOD[0] + "\n" + GOOD[1].replace("2010-12-01 08:26:00", "yesterday-ish") + "\n",
                 (3, "InvoiceDate"), "not a date"),
    "non-numeric quantity": (HEADER + GOOD[0] + "\n" + GOOD[1] + "\n" + GOOD[3].replace(",6,", ",six,") + "\n",
                             (4, "Quantity"), "not a number"),
    "fractional quantity": (HEADER + GOOD[0].replace(",6,", ",1.5,") + "\n", (2, "Quantity"), "whole number"),
    "non-numeric price": (HEADER + GOOD[0].replace(",2.55,", ",£2.55,") + "\n", (2, "UnitPrice"), "not a number"),
    "empty invoice": (HEADER + GOOD[0].replace("536365,", ",", 1) + "\n", (2, "InvoiceNo"), "empty value"),
    "header only": (HEADER, None, "no rows"),
    "extra field": (HEADER + GOOD[0] + "\n" + GOOD[1] + ",surplus\n", (3, None), "Expected 8 fields"),
    "unclosed quote": (HEADER + GOOD[0] + "\n" + GOOD[1].replace("WHITE", '"WHITE') + "\n", (3, None), "EOF inside"),
}


@pytest.mark.parametrize("case", sorted(BAD_ONLINE_RETAIL))
def test_online_retail_malformed_text(store, tmp_path: Path, case: str) -> None:
    text, where, message = BAD_ONLINE_RETAIL[case]
    path = write(tmp_path, "bad.csv", text)
    before = table_counts(store)
    with pytest.raises(ImportDataError, match=message) as err:
        run_import(store, "online-retail", path)
    assert str(path) in str(err.value)
    if where and where[1]:
        assert f"line {where[0]} column {where[1]!r}" in str(err.value)
    elif where:
        assert f"line {where[0]}:" in str(err.value)
    assert table_counts(store) == before


@pytest.mark.parametrize("case,content,message", [
    ("zero bytes", b"", "empty"),
    ("wrong encoding", (HEADER + GOOD[0].replace("WHITE", "CAF\u00c9") + "\n").encode("latin-1"), "not UTF-8"),
    ("utf-16", (HEADER + GOOD[0] + "\n").encode("utf-16"), "UTF-16"),
    ("not csv (png)", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not UTF-8|not a CSV"),
    ("not csv (prose)", b"Dear shop owner\nhere are my orders\n", "does not look like CSV"),
    ("broken gzip", b"\x1f\x8b\x08\x00garbage", "gzip"),
])
def test_online_retail_malformed_bytes(store, tmp_path: Path, case: str, content: bytes, message: str) -> None:
    path = write(tmp_path, "bad.csv", content)
    before = table_counts(store)
    with pytest.raises(ImportDataError, match=message) as err:
        run_import(store, "online-retail", path)
    assert str(path) in str(err.value)
    assert table_counts(store) == before


def test_wrong_encoding_names_the_line(store, tmp_path: Path) -> None:
    text = (HEADER + GOOD[0] + "\n" + GOOD[1] + "\n" + GOOD[3].replace("HAND", "H\u00c4ND") + "\n")
    with pytest.raises(ImportDataError, match="line 4"):
        run_import(store, "online-retail", write(tmp_path, "latin.csv", text.encode("latin-1")))


def test_failure_midway_leaves_the_store_unchanged(store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shop.importers.online_retail as mod

    real = mod.insert_new
    calls = {"n": 0}

    def flaky(con, table, df):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 4:  # after customers, products and variants were written
            raise RuntimeError("disk full")
        return real(con, table, df)

    monkeypatch.setattr(mod, "insert_new", flaky)
    before = table_counts(store)
    with pytest.raises(RuntimeError):
        run_import(store, "online-retail", write(tmp_path, "or.csv", HEADER + "\n".join(GOOD) + "\n"))
    assert table_counts(store) == before


def test_unknown_source_is_a_clear_error(store, tmp_path: Path) -> None:
    with pytest.raises(RetainError, match="unknown import source 'shopify'"):
        run_import(store, "shopify", tmp_path / "x.csv")


# --- tau-bench ---------------------------------------------------------------------------------------------

def tau_folder(tmp_path: Path, users: object = None, orders: object = None, products: object = None) -> Path:
    d = tmp_path / "tau"
    d.mkdir(exist_ok=True)
    products = products if products is not None else {"p1": {"name": "T-Shirt", "product_id": "p1", "variants": {
        "i1": {"item_id": "i1", "options": {"size": "XL", "color": "red"}, "available": True, "price": 20.5},
        "i2": {"item_id": "i2", "options": {"size": "M", "color": "red"}, "available": False, "price": 19.0}}}}
    users = users if users is not None else {"ann_lee_1": {
        "name": {"first_name": "Ann", "last_name": "Lee"}, "email": "ann@example.com",
        "address": {"address1": "1 Main St", "address2": "", "city": "Austin", "country": "USA", "state": "TX",
                    "zip": "78701"},
        "payment_methods": {"credit_card_1": {"source": "credit_card", "brand": "visa", "last_four": "4242",
                                              "id": "credit_card_1"}}, "orders": ["#W1"]}}
    orders = orders if orders is not None else {"#W1": {
        "order_id": "#W1", "user_id": "ann_lee_1", "address": {"city": "Austin", "country": "USA"}, "status": "pending", "fulfillments": [],
        "items": [{"name": "T-Shirt", "product_id": "p1", "item_id": "i1", "price": 20.5, "options": {}}],
        "payment_history": [{"transaction_type": "payment", "amount": 20.5, "payment_method_id": "credit_card_1"}]}}
    for name, obj in (("users", users), ("orders", orders), ("products", products)):
        (d / f"{name}.json").write_text(obj if isinstance(obj, str) else json.dumps(obj, indent=1))
    return d


def test_tau_folder_imports_and_is_idempotent(store, tmp_path: Path) -> None:
    d = tau_folder(tmp_path)
    rep = run_import(store, "tau-retail", d)
    assert rep["inserted"]["customers"] == 1 and rep["inserted"]["product_variants"] == 2
    assert store.execute("SELECT status FROM orders WHERE order_id = '#W1'").fetchall() == [("pending",)]
    opts = store.execute("SELECT options->>'size', available FROM product_variants ORDER BY item_id").fetchall()
    assert opts == [("XL", True), ("M", False)]
    assert sum(run_import(store, "tau-retail", d)["inserted"].values()) == 0


def test_tau_bad_inputs(store, tmp_path: Path) -> None:
    before = table_counts(store)
    d = tau_folder(tmp_path, users='{"a": {"name": {}, ')
    with pytest.raises(ImportDataError, match=r"users.json line \d+: not valid JSON"):
        run_import(store, "tau-retail", d)
    d = tau_folder(tmp_path, users='{"ann_lee_1": {"name": {}}, "ann_lee_1": {"name": {}}}')
    with pytest.raises(ImportDataError, match="duplicate key 'ann_lee_1'"):
        run_import(store, "tau-retail", d)
    d = tau_folder(tmp_path, orders={"#W1": {"order_id": "#W1", "user_id": "x", "status": "lost", "items": []}})
    with pytest.raises(ImportDataError, match="unknown status 'lost'"):
        run_import(store, "tau-retail", d)
    d = tau_folder(tmp_path, products={"p1": {"name": "Mug", "variants": {"i1": {"price": "cheap"}}}})
    with pytest.raises(ImportDataError, match="price 'cheap' is not a number"):
        run_import(store, "tau-retail", d)
    with pytest.raises(ImportDataError, match="no such file"):
        run_import(store, "tau-retail", tmp_path / "nothing-here")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportDataError, match="no users.json"):
        run_import(store, "tau-retail", tmp_path / "empty")
    assert table_counts(store) == before


# --- generic -----------------------------------------------------------------------------------------------

def test_generic_bare_transaction_log(store, tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "cust,date,total\nA1,2011-01-03,10.5\nA1,2011-02-03 10:00,20\nB2,2011-02-04,-5\n")
    mapping = {"columns": {"customer_id": "cust", "timestamp": "date", "amount": "total"}}
    rep = run_import(store, "generic", path, mapping=mapping)
    assert rep["inserted"]["customers"] == 2 and rep["inserted"]["orders"] == 3
    kinds = sorted(r[0] for r in store.execute("SELECT kind FROM orders").fetchall())
    assert kinds == ["cancellation", "sale", "sale"]
    assert sum(run_import(store, "generic", path, mapping=mapping)["inserted"].values()) == 0


def test_generic_parquet_with_products(store, tmp_path: Path) -> None:
    import pandas as pd

    df = pd.DataFrame({"customer_id": ["c1", "c1"], "timestamp": ["2011-05-01", "2011-05-01"],
                       "order_id": ["o1", "o1"], "product_id": ["p1", "p2"], "quantity": [2, 1],
                       "unit_price": [3.0, 4.5]})
    df.to_parquet(tmp_path / "t.parquet")
    rep = run_import(store, "generic", tmp_path / "t.parquet")
    assert rep["inserted"]["order_items"] == 2 and rep["inserted"]["products"] == 2


@pytest.mark.parametrize("text,mapping,message", [
    ("customer_id,amount\nc1,3\n", None, "missing column.*'timestamp'"),
    ("customer_id,timestamp,amount\nc1,2011-13-45,3\n", None, "line 2 column 'timestamp': not a date"),
    ("customer_id,timestamp,amount\nc1,2011-01-01,3\nc2,2011-01-01,three\n", None,
     "line 3 column 'amount': not a number"),
    ("customer_id,timestamp,order_id,line,quantity,unit_price\nc1,2011-01-01,o1,1,1,2\n"
     "c1,2011-01-01,o1,1,3,2\n", {"columns": {"line_no": "line"}}, "line 3 column 'line': duplicate key"),
    ("customer_id,timestamp,order_id,line_no,amount\nc1,2011-01-01,o1,first,2\n", None,
     "line 2 column 'line_no': not a number"),
    ("customer_id,timestamp\nc1,2011-01-01\n", None, "need column 'amount'"),
    ("customer_id,timestamp,order_id,amount\nc1,2011-01-01,o1,2\nc2,2011-01-01,o1,3\n", None,
     "line 3 column 'customer_id': this order id already belongs to another customer"),
    ("customer_id,email\nc1,a@x\nc1,b@x\n", {"table": "customers"}, "line 3 column 'customer_id': duplicate key"),
    ("customer_id,session_id,event_type,timestamp\nc1,s1,teleport,2011-01-01\n", {"table": "events"},
     "unknown event type"),
    ("customer_id,timestamp,amount\nc1,2011-01-01,3\n", {"table": "refunds"}, "unknown table 'refunds'"),
])
def test_generic_malformed(store, tmp_path: Path, text: str, mapping: dict | None, message: str) -> None:
    before = table_counts(store)
    with pytest.raises(ImportDataError, match=message):
        run_import(store, "generic", write(tmp_path, "g.csv", text), mapping=mapping)
    assert table_counts(store) == before


def test_generic_customers_and_events(store, tmp_path: Path) -> None:
    run_import(store, "generic", write(tmp_path, "c.csv", "customer_id,first_name,marketing_consent\nc1,Ann,yes\n"),
               mapping={"table": "customers"})
    assert store.execute("SELECT first_name, marketing_consent FROM customers").fetchall() == [("Ann", True)]
    ev = "customer_id,session_id,event_type,timestamp,product_id,dwell_seconds\nc1,s1,view,2011-01-01 10:00,p1,12.5\n"
    rep = run_import(store, "generic", write(tmp_path, "e.csv", ev), mapping={"table": "events"})
    assert rep["inserted"]["events"] == 1


# --- every importer, byte-level bad files ------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
BAD_BYTES = {
    "zero bytes": (b"", "empty"),
    "latin-1": ("customer_id,timestamp,amount\nc1,2011-01-01,3\nCAF\u00c9,2011-01-01,3\n".encode("latin-1"),
                "line 3: not UTF-8"),
    "utf-16": ("customer_id,timestamp,amount\nc1,2011-01-01,3\n".encode("utf-16"), "UTF-16"),
    "png": (PNG, "not UTF-8|not a CSV"),
    "gzip garbage": (b"\x1f\x8b\x08\x00garbage", "gzip"),
}


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_generic_bad_bytes(store, tmp_path: Path, case: str) -> None:
    content, message = BAD_BYTES[case]
    path = write(tmp_path, "g.csv", content)
    before = table_counts(store)
    with pytest.raises(ImportDataError, match=message) as err:
        run_import(store, "generic", path)
    assert str(path) in str(err.value)
    assert table_counts(store) == before


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_tau_bad_bytes(store, tmp_path: Path, case: str) -> None:
    content, message = BAD_BYTES[case]
    d = tau_folder(tmp_path)
    (d / "orders.json").write_bytes(content)
    before = table_counts(store)
    with pytest.raises(ImportDataError, match=message.replace("not a CSV", "not valid JSON")) as err:
        run_import(store, "tau-retail", d)
    assert str(d / "orders.json") in str(err.value)
    assert table_counts(store) == before


def test_generic_header_only_and_broken_parquet(store, tmp_path: Path) -> None:
    before = table_counts(store)
    with pytest.raises(ImportDataError, match="line 2: the file has a header but no rows"):
        run_import(store, "generic", write(tmp_path, "h.csv", "customer_id,timestamp,amount\n"))
    with pytest.raises(ImportDataError, match="unreadable Parquet"):
        run_import(store, "generic", write(tmp_path, "t.parquet", b"PAR1" + b"\x00" * 40))
    assert table_counts(store) == before


def test_generic_bad_mappings(store, tmp_path: Path) -> None:
    path = write(tmp_path, "g.csv", "customer_id,timestamp,amount\nc1,2011-01-01,3\n")
    mp = write(tmp_path, "m.json", '{"columns": {"customer_id": "cust",}}')
    with pytest.raises(ImportDataError, match=r"m.json line 1: the mapping is not valid JSON"):
        run_import(store, "generic", path, mapping=mp)
    with pytest.raises(ImportDataError, match="unknown field.*'birthday'"):
        run_import(store, "generic", path, mapping={"columns": {"birthday": "dob"}})
    with pytest.raises(ImportDataError, match="must map field names"):
        run_import(store, "generic", path, mapping={"columns": {"customer_id": 3}})
    with pytest.raises(ImportDataError, match=r"missing column\(s\) 'cust'"):
        run_import(store, "generic", path, mapping={"columns": {"customer_id": "cust"}})
    assert table_counts(store)["orders"] == 0


def test_tau_malformed_records_name_their_line(store, tmp_path: Path) -> None:
    users = {"ann_lee_1": {"name": {"first_name": "Ann"}, "email": "a@x", "address": {}},
             "bob_2": {"name": {"first_name": "Bob"}, "address": {}}}
    d = tau_folder(tmp_path, users=users)
    with pytest.raises(ImportDataError, match=r"users.json line (\d+) column 'email': record 'bob_2' lacks") as err:
        run_import(store, "tau-retail", d)
    text = (d / "users.json").read_text().splitlines()
    assert '"bob_2"' in text[err.value.line - 1]  # type: ignore[attr-defined]
    d = tau_folder(tmp_path, users={"ann_lee_1": {"name": "Ann Lee", "email": "a@x", "address": {}}})
    with pytest.raises(ImportDataError, match="record 'ann_lee_1' is malformed"):
        run_import(store, "tau-retail", d)
    assert table_counts(store)["customers"] == 0


def test_tau_db_json_and_prefixed_gz_names(store, tmp_path: Path) -> None:
    d = tau_folder(tmp_path)
    db = {n: json.loads((d / f"{n}.json").read_text()) for n in ("users", "orders", "products")}
    (tmp_path / "db.json.gz").write_bytes(gzip.compress(json.dumps(db).encode()))
    rep = run_import(store, "tau-retail", tmp_path / "db.json.gz")
    assert rep["rows_read"] == 3 and rep["inserted"]["orders"] == 1
    g = tmp_path / "prefixed"
    g.mkdir()
    for n in ("users", "orders", "products"):
        (g / f"tau_{n}.json.gz").write_bytes(gzip.compress((d / f"{n}.json").read_bytes()))
    assert sum(run_import(store, "tau-retail", g)["inserted"].values()) == 0  # same records: nothing new


def test_online_retail_customer_with_only_rejected_lines_is_kept(store, tmp_path: Path) -> None:
    text = HEADER + GOOD[0] + "\n" + "578841,84826,ASSTD DESIGN 3D PAPER STICKERS,12540,2011-11-25 15:57:00,0,13256,United Kingdom\n"
    rep = run_import(store, "online-retail", write(tmp_path, "or.csv", text))
    assert rep["rejected"] == {"zero price": 1}
    assert rep["inserted"]["customers"] == 2 and rep["inserted"]["orders"] == 1
    assert store.execute("SELECT count(*) FROM orders WHERE customer_id = '13256'").fetchall() == [(0,)]


def test_online_retail_appended_lines_add_only_the_new_ones(store, tmp_path: Path) -> None:
    path = write(tmp_path, "or.csv", HEADER + "\n".join(GOOD[:3]) + "\n")
    run_import(store, "online-retail", path)
    path.write_text(HEADER + "\n".join(GOOD) + "\n")
    rep = run_import(store, "online-retail", path)
    assert rep["inserted"]["order_items"] == 3 and rep["inserted"]["orders"] == 3
    assert rep["inserted"]["customers"] == 1  # 12583


def test_generic_bare_log_refund_is_a_negative_line(store, tmp_path: Path) -> None:
    run_import(store, "generic", write(tmp_path, "l.csv", "customer_id,timestamp,amount\nc1,2011-01-01,-7.5\n"))
    assert store.execute("SELECT quantity, unit_price FROM order_items").fetchall() == [(-1, 7.5)]
    assert store.execute("SELECT kind, status FROM orders").fetchall() == [("cancellation", "cancelled")]


def test_categories_cover_the_catalogue_sensibly() -> None:
    from shop.categories import RULES, categorize

    assert 12 <= len(RULES) + 1 <= 20
    assert categorize("WHITE HANGING HEART T-LIGHT HOLDER") == "Candles & Lights"
    assert categorize("PAINTING SET") != "Kitchen & Dining"  # 'TIN' must start a word
    assert categorize("JUMBO BAG RED RETROSPOT") == "Bags"
    assert categorize(None) == categorize("") == "Other"


# --- CLI ---------------------------------------------------------------------------------------------------

def test_cli_import_reports_json_and_errors_cleanly(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    path = write(tmp_path, "or.csv", HEADER + "\n".join(GOOD) + "\n")
    args = ["--data-dir", str(tmp_path / "d"), "import", "online-retail", str(path), "--json"]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    rep = json.loads(out.stdout)
    assert rep["rows_read"] == len(GOOD) and rep["inserted"]["orders"] == 4 and "phases" in rep
    again = runner.invoke(app, args[:-1])
    assert again.exit_code == 0 and "nothing new" in again.output
    bad = runner.invoke(app, ["--data-dir", str(tmp_path / "d"), "import", "online-retail",
                              str(write(tmp_path, "bad.csv", HEADER + GOOD[0].replace(",6,", ",x,") + "\n"))])
    assert bad.exit_code != 0 and "line 2 column 'Quantity'" in bad.output and "Traceback" not in bad.output
    wrong = runner.invoke(app, ["--data-dir", str(tmp_path / "d"), "import", "tau-retail", str(path),
                                "--mapping", str(path)])
    assert wrong.exit_code != 0 and "only applies to the 'generic' source" in wrong.output


def test_cli_bench_import_shape(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    path = write(tmp_path, "or.csv", HEADER + "\n".join(GOOD) + "\n")
    out = CliRunner().invoke(app, ["bench", "import", str(path), "--repeat", "2", "--json"])
    assert out.exit_code == 0, out.output
    res = json.loads(out.stdout)
    assert res["rows"] == len(GOOD) and len(res["seconds_all"]) == 2 and res["reimport_inserted"] == 0
    assert res["rows_per_s"] > 0 and set(res["phases_best"]) >= {"reading", "writing"}


def test_generic_customers_file_fills_in_customers_a_log_created(store, tmp_path: Path) -> None:
    run_import(store, "generic", write(tmp_path, "l.csv", "customer_id,timestamp,amount\nc1,2011-01-01,3\n"))
    people = write(tmp_path, "p.csv", "customer_id,email,first_name,created_at\nc1,a@x.com,Ann,\nc2,b@x.com,,2010-05-01\n")
    rep = run_import(store, "generic", people, mapping={"table": "customers"})
    assert (rep["inserted"]["customers"], rep["updated"]["customers"]) == (1, 1)
    rows = store.execute("SELECT customer_id, email, first_name, created_at IS NOT NULL FROM customers "
                         "ORDER BY 1").fetchall()
    assert rows == [("c1", "a@x.com", "Ann", True), ("c2", "b@x.com", None, True)]  # c1 keeps the log's date
    again = run_import(store, "generic", people, mapping={"table": "customers"})
    assert (again["inserted"]["customers"], again["updated"]["customers"]) == (0, 0)


def test_generic_line_items_allow_repeats_and_reject_exact_duplicates(store, tmp_path: Path) -> None:
    text = ("customer_id,timestamp,order_id,product_id,quantity,unit_price\n"
            "c1,2011-01-01,o1,p1,1,2\nc1,2011-01-01,o1,p1,3,2\nc1,2011-01-01,o1,p1,3,2\n")
    rep = run_import(store, "generic", write(tmp_path, "li.csv", text))
    assert rep["rejected"] == {"exact duplicate": 1} and rep["inserted"]["order_items"] == 2
    assert store.execute("SELECT line_no, quantity FROM order_items ORDER BY 1").fetchall() == [(1, 1), (2, 3)]


def test_tau_empty_and_wrongly_shaped_files(store, tmp_path: Path) -> None:
    with pytest.raises(ImportDataError, match="no records"):
        run_import(store, "tau-retail", tau_folder(tmp_path, users={}, orders={}, products={}))
    with pytest.raises(ImportDataError, match=r"users.json line 1: expected a JSON object of users"):
        run_import(store, "tau-retail", tau_folder(tmp_path, users=[1, 2]))
    assert table_counts(store)["customers"] == 0
