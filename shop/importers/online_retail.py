"""UCI Online Retail (and Online Retail II column names) into the store.

Quirks and what happens to them:
- invoices starting with 'C' are cancellations (credit notes): kept as orders of kind 'cancellation', status
  'cancelled', with their negative quantities;
- lines without a CustomerID are guest checkouts: kept, with customer_id NULL;
- every CustomerID of a valid line becomes a customer, even when all its lines were rejected (one customer of
  the full file only ever got a free sample at price 0), so the 4,372 customers of the data set are all there;
- non-product stock codes (POST, DOT, M, C2, D, S, B, BANK CHARGES, AMAZONFEE, CRUK, gift vouchers) are kept as
  order lines with is_product = false, and are not products;
- rejected, each counted by reason: 'bad-debt adjustment' (invoices starting with 'A' or negative prices),
  'stock adjustment' (negative quantity on a non-cancellation invoice), 'zero price', 'exact duplicate'
  (a line identical to an earlier one in every column: the first is kept);
- an invoice whose lines name two customers (or a customer and a guest) is an error naming both lines: merging
  them would hand one customer's purchases to the other, and the file has none.
Keys: order_id = InvoiceNo; order_items (order_id, line_no) with line_no = the line's position within its invoice
in file order among kept lines, so importing the same file twice inserts nothing the second time.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ImportDataError
from shop.categories import categorize
from shop.db import transaction
from shop.importers.common import (
    ImportOptions,
    Report,
    Steps,
    decode_utf8,
    file_sha256,
    first_bad,
    insert_new,
    read_bytes,
    read_csv_text,
    require_columns,
    to_number,
    to_timestamp,
)

if TYPE_CHECKING:
    import duckdb

SOURCE = "online_retail"
ALIASES = {"Invoice": "InvoiceNo", "Price": "UnitPrice", "Customer ID": "CustomerID"}
REQUIRED = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID",
            "Country"]
NON_PRODUCT = r"^(POST|DOT|M|m|C2|D|S|B|BANK CHARGES|AMAZONFEE|CRUK|gift_0001_\d+)$"


def import_online_retail(con: duckdb.DuckDBPyConnection, path: Path, progress: Any = None,
                         options: ImportOptions | None = None) -> dict[str, Any]:
    import pandas as pd

    path = Path(path)
    rep = Report("online-retail", path)
    steps = Steps(progress, "online-retail: reading", 5)
    df = read_csv_text(path, decode_utf8(path, read_bytes(path)))
    df = df.rename(columns={k: v for k, v in ALIASES.items() if k in df.columns})
    require_columns(path, df, REQUIRED)
    rep.rows_read = len(df)
    if not len(df):
        raise ImportDataError(path, "the file has a header but no rows", line=2)
    steps.advance("online-retail: validating")

    for col in ("InvoiceNo", "StockCode"):
        first_bad(path, df, df[col].str.strip() == "", col, "empty value")
    qty = to_number(path, df, "Quantity", integer=True)
    price = to_number(path, df, "UnitPrice")
    when = to_timestamp(path, df, "InvoiceDate", options=options, notes=rep.notes)
    cust = to_number(path, df, "CustomerID", integer=True, allow_empty=True)
    steps.advance("online-retail: cleaning")

    lines = pd.DataFrame({
        "file_row": range(len(df)),
        "order_id": df["InvoiceNo"].str.strip(),
        "stock_code": df["StockCode"].str.strip(),
        "description": df["Description"].str.strip(),
        "quantity": qty.astype("int64"),
        "unit_price": price.astype("float64"),
        "created_at": when,
        "customer_id": cust.astype("Int64").astype("string"),
        "country": df["Country"].str.strip(),
    })
    inv = lines["order_id"]
    who = lines["customer_id"].fillna("(guest)")
    first_bad(path, df, who != who.groupby(inv, sort=False).transform("first"), "CustomerID",
              "this invoice belongs to another customer (or a guest) on an earlier line")
    bad_debt = inv.str.startswith("A") | (lines["unit_price"] < 0)
    stock_adj = ~bad_debt & (lines["quantity"] < 0) & ~inv.str.startswith("C")
    zero = ~bad_debt & ~stock_adj & (lines["unit_price"] == 0)
    dup = lines.drop(columns="file_row").duplicated(keep="first") & ~bad_debt & ~stock_adj & ~zero
    rep.reject("bad-debt adjustment", int(bad_debt.sum()))
    rep.reject("stock adjustment (negative quantity, not a cancellation)", int(stock_adj.sum()))
    rep.reject("zero price", int(zero.sum()))
    rep.reject("exact duplicate", int(dup.sum()))
    kept = lines[~(bad_debt | stock_adj | zero | dup)].copy()
    kept["line_no"] = kept.groupby("order_id", sort=False).cumcount() + 1
    kept["is_product"] = ~kept["stock_code"].str.match(NON_PRODUCT)
    steps.advance("online-retail: shaping tables")

    tables = _shape(con, kept, lines)
    steps.advance("online-retail: writing")
    with transaction(con):
        for table, frame in tables.items():
            rep.inserted[table] = insert_new(con, table, frame)
        rep.record(con, file_sha256(path))
    steps.advance("online-retail: done")
    rep.phases = steps.phases
    return rep.as_dict()


def _shape(con: duckdb.DuckDBPyConnection, kept: Any, lines: Any) -> dict[str, Any]:
    """Customers, products, variants, orders and order lines from the kept lines (set-based, in DuckDB).

    Customers come from every valid line, rejected ones included: a customer whose only line was, say, a
    free sample at price 0 is still a customer of the shop (with no orders)."""
    con.register("_lines", kept)
    con.register("_all_lines", lines)
    try:
        customers = con.execute("""
            SELECT customer_id, 'online_retail' AS source, arg_max(country, created_at) AS country,
                   min(created_at) AS created_at
            FROM _all_lines WHERE customer_id IS NOT NULL GROUP BY customer_id""").df()
        products = con.execute("""
            SELECT stock_code AS product_id,
                   coalesce(arg_max(nullif(description, ''), created_at), 'Item ' || stock_code) AS name,
                   'online_retail' AS source,
                   coalesce(arg_max(unit_price, created_at) FILTER (WHERE quantity > 0),
                            arg_max(unit_price, created_at)) AS price  -- some codes appear only in cancellations
            FROM _lines WHERE is_product GROUP BY stock_code""").df()
        orders = con.execute("""
            SELECT order_id, any_value(customer_id) AS customer_id,
                   CASE WHEN order_id LIKE 'C%' THEN 'cancelled' ELSE 'delivered' END AS status,
                   CASE WHEN order_id LIKE 'C%' THEN 'cancellation' ELSE 'sale' END AS kind,
                   min(created_at) AS created_at, any_value(country) AS country, 'online_retail' AS source,
                   'GBP' AS currency
            FROM _lines GROUP BY order_id""").df()
        items = con.execute("""
            SELECT order_id, line_no, stock_code AS item_id,
                   CASE WHEN is_product THEN stock_code END AS product_id,
                   description, quantity, unit_price, is_product
            FROM _lines""").df()
    finally:
        con.unregister("_lines")
        con.unregister("_all_lines")
    products["category"] = [categorize(n) for n in products["name"]]
    variants = products[["product_id", "price"]].assign(item_id=products["product_id"], options="{}",
                                                       available=True)
    variants["price"] = variants["price"].fillna(0.0)
    return {
        "customers": customers,
        "products": products[["product_id", "name", "category", "source"]],
        "product_variants": variants[["item_id", "product_id", "options", "price", "available"]],
        "orders": orders,
        "order_items": items,
    }
