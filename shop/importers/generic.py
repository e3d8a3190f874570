"""A shop's own export: CSV or Parquet, with a column mapping.

The mapping (JSON file or dict) names the file's columns for the canonical fields; absent keys default to the
canonical names:

    {"table": "transactions",                       # transactions (default) | customers | events
     "columns": {"customer_id": "CustId", "timestamp": "Date", "amount": "Total"}}

- transactions: required customer_id, timestamp and either amount or quantity + unit_price; optional order_id,
  line_no, product_id, quantity, unit_price, description, country. A bare log (customer id, timestamp, amount) is
  enough: each row becomes an order of one line (quantity 1, unit price = amount; a negative amount is a refund:
  quantity -1, unit price = |amount|, the order a cancellation). Rows sharing an order_id become one order's
  lines, numbered in file order (the same product may appear on several lines); an order whose lines sum below
  zero is a cancellation. A row identical to an earlier one is rejected as 'exact duplicate'. With line_no, the
  (order_id, line_no) pair is the key and a repeat is a 'duplicate key' error. An order id used by two customers
  is an error.
- customers: required customer_id; optional first_name, last_name, email, country, created_at,
  marketing_consent, unsubscribed. Customers already in the store get the file's values for these columns
  (reported under 'updated'; an empty cell keeps the stored value, an empty yes/no flag means no); a
  transaction log imported first creates bare customers that this file fills in.
- events: required customer_id, session_id, event_type, timestamp; optional product_id, dwell_seconds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ImportDataError
from shop.db import transaction
from shop.importers.common import (
    ImportOptions,
    Report,
    Steps,
    check_field_lengths,
    decode_utf8,
    file_sha256,
    first_bad,
    insert_new,
    normalise_ids,
    read_bytes,
    read_csv_text,
    require_columns,
    to_number,
    to_timestamp,
    upsert,
)

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

SOURCE = "generic"
FIELDS = {
    "transactions": (["customer_id", "timestamp"], ["amount", "order_id", "line_no", "product_id", "quantity",
                                                    "unit_price", "description", "country"]),
    "customers": (["customer_id"], ["first_name", "last_name", "email", "country", "created_at",
                                    "marketing_consent", "unsubscribed"]),
    "events": (["customer_id", "session_id", "event_type", "timestamp"], ["product_id", "dwell_seconds"]),
}
EVENT_TYPES = {"login", "view", "search", "cart_add", "cart_remove", "checkout"}


def _mapping(mapping: Path | dict[str, Any] | None) -> tuple[str, dict[str, str]]:
    if mapping is None:
        return "transactions", {}
    if isinstance(mapping, str | Path):
        mp = Path(mapping)
        text = decode_utf8(mp, read_bytes(mp))
        try:
            m = json.loads(text)
        except json.JSONDecodeError as e:
            raise ImportDataError(mp, f"the mapping is not valid JSON: {e.msg}", line=e.lineno) from None
    else:
        m = mapping
    where = str(mapping) if isinstance(mapping, str | Path) else "the column mapping"
    if not isinstance(m, dict):
        raise ImportDataError(where, 'expected a JSON object such as {"columns": {"customer_id": "CustId"}}')
    table = m.get("table", "transactions")
    if table not in FIELDS:
        raise ImportDataError(where, f"unknown table {table!r}; choose one of {', '.join(FIELDS)}")
    cols = m.get("columns", {})
    known = set(FIELDS[table][0]) | set(FIELDS[table][1])
    if not isinstance(cols, dict) or not all(isinstance(v, str) for v in cols.values()):
        raise ImportDataError(where, "'columns' must map field names to the file's column names (strings)")
    unknown = sorted(set(cols) - known)
    if unknown:
        raise ImportDataError(where, f"unknown field(s) {', '.join(map(repr, unknown))} for table {table!r}; "
                              f"known: {', '.join(sorted(known))}")
    return table, dict(cols)


def _read(path: Path) -> pd.DataFrame:
    import pandas as pd

    raw = read_bytes(path)
    if raw[:4] == b"PAR1":
        try:
            df = pd.read_parquet(path).astype(str).replace({"None": "", "nan": "", "NaT": ""})
        except Exception as e:  # pyarrow raises several types for corrupt files
            raise ImportDataError(path, f"unreadable Parquet file ({e})") from None
        df.columns = [str(c) for c in df.columns]
        check_field_lengths(path, df)
        return df
    return read_csv_text(path, decode_utf8(path, raw))


def import_generic(con: duckdb.DuckDBPyConnection, path: Path, mapping: Path | dict[str, Any] | None = None,
                   progress: Any = None, options: ImportOptions | None = None) -> dict[str, Any]:
    """Import a shop's own CSV/Parquet export described by `mapping`; see the module docstring."""
    path = Path(path)
    opts = options or ImportOptions()
    table, cols = _mapping(mapping)
    required, optional = FIELDS[table]
    rep = Report("generic", path)
    steps = Steps(progress, f"generic {table}: reading", 3)
    raw = _read(path)
    names = {f: cols.get(f, f) for f in required + optional}
    require_columns(path, raw, [names[f] for f in required])
    df = raw.rename(columns={v: k for k, v in names.items() if v in raw.columns})
    df = df[[f for f in required + optional if f in df.columns]]
    rep.rows_read = len(df)
    if not len(df):
        raise ImportDataError(path, "the file has a header but no rows", line=2)
    for f in required:
        first_bad(path, df, df[f].str.strip() == "", names[f], "empty value")
    steps.advance(f"generic {table}: validating")
    for f in ("customer_id", "product_id"):
        if f in df.columns:
            df[f] = normalise_ids(path, _renamed(df, names), names[f], df[f].str.strip(), opts,
                                  f.replace("_id", " ids"))
    frames = {"transactions": _transactions, "customers": _customers, "events": _events}[table](
        path, df, names, rep, opts)
    steps.advance(f"generic {table}: writing")
    with transaction(con):
        for t, frame in frames.items():
            if table == "customers":  # a customers file refines customers an earlier transaction log created
                rep.inserted[t], rep.updated[t] = upsert(con, t, frame, "customer_id")
            else:
                rep.inserted[t] = insert_new(con, t, frame)
        rep.record(con, file_sha256(path))
    steps.advance(f"generic {table}: done")
    rep.phases = steps.phases
    return rep.as_dict()


def _renamed(df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A view of df whose columns carry the file's own names, so errors point at the user's columns."""
    return df.rename(columns=names)


def _transactions(path: Path, df: pd.DataFrame, names: dict[str, str], rep: Report, opts: ImportOptions
                  ) -> dict[str, pd.DataFrame]:
    import pandas as pd

    view = _renamed(df, names)
    when = to_timestamp(path, view, names["timestamp"], options=opts, notes=rep.notes)
    has_amount = "amount" in df.columns
    if not has_amount and not {"quantity", "unit_price"} <= set(df.columns):
        raise ImportDataError(path, f"need column {names['amount']!r}, or both {names['quantity']!r} and "
                              f"{names['unit_price']!r}", line=1)
    if "quantity" in df.columns:
        qty = to_number(path, view, names["quantity"], integer=True)
        price = (to_number(path, view, names["unit_price"]) if "unit_price" in df.columns
                 else to_number(path, view, names["amount"]) / qty.where(qty != 0, 1))
    elif "unit_price" in df.columns:
        qty = pd.Series(1, index=df.index)
        price = to_number(path, view, names["unit_price"])
    else:  # a bare log: one line per row; a refund (negative amount) is a line of quantity -1, as in Online Retail
        amount = to_number(path, view, names["amount"])
        qty = pd.Series(1, index=df.index).where(amount >= 0, -1)
        price = amount.abs()
    if "unit_price" in df.columns:
        first_bad(path, view, price < 0, names["unit_price"],
                  "a negative unit price (a refund is a negative quantity at a positive price)")
    cust = df["customer_id"].str.strip()
    order = (df["order_id"].str.strip() if "order_id" in df.columns
             else cust + "@" + when.dt.strftime("%Y-%m-%dT%H:%M:%S"))
    product = df["product_id"].str.strip().replace("", None) if "product_id" in df.columns else None
    lines = pd.DataFrame({"order_id": order, "customer_id": cust, "created_at": when,
                          "quantity": qty.astype("int64"), "unit_price": price.astype("float64"),
                          "product_id": product, "item_id": product,
                          "description": df["description"] if "description" in df.columns else None,
                          "country": df["country"] if "country" in df.columns else None})
    if "order_id" in df.columns:
        owners = lines.groupby("order_id", sort=False)["customer_id"].transform("first")
        first_bad(path, view, owners != lines["customer_id"], names["customer_id"],
                  "this order id already belongs to another customer on an earlier line")
    if "line_no" in df.columns:  # explicit line numbers are keys: (order, line) must be unique
        lines["line_no"] = to_number(path, view, names["line_no"], integer=True).astype("int64")
        first_bad(path, view, lines.duplicated(["order_id", "line_no"]), names["line_no"],
                  "duplicate key (this order id and line number appear on an earlier line)")
    else:  # lines numbered by position in their order; a row identical to an earlier one is a duplicate export
        dup = df.duplicated(keep="first").to_numpy()
        rep.reject("exact duplicate", int(dup.sum()))
        lines = lines[~dup]
        lines["line_no"] = lines.groupby("order_id", sort=False).cumcount() + 1
    lines["is_product"] = lines["product_id"].notna()
    signed = lines["quantity"] * lines["unit_price"]
    orders = lines.assign(total=signed).groupby("order_id", sort=False).agg(
        customer_id=("customer_id", "first"), created_at=("created_at", "min"), country=("country", "first"),
        total=("total", "sum")).reset_index()
    orders["kind"] = ["cancellation" if t < 0 else "sale" for t in orders["total"]]
    orders["status"] = ["cancelled" if t < 0 else "delivered" for t in orders["total"]]
    orders["source"] = SOURCE
    customers = lines.groupby("customer_id").agg(created_at=("created_at", "min"),
                                                 country=("country", "first")).reset_index()
    customers["source"] = SOURCE
    products = lines[lines["is_product"]].drop_duplicates("product_id")
    prod = pd.DataFrame({"product_id": products["product_id"],
                         "name": products["description"].fillna(products["product_id"])
                         if "description" in df.columns else products["product_id"],
                         "source": SOURCE})
    variants = pd.DataFrame({"item_id": products["product_id"], "product_id": products["product_id"],
                             "options": "{}", "price": products["unit_price"].abs(), "available": True})
    return {"customers": customers, "products": prod, "product_variants": variants,
            "orders": orders.drop(columns="total"),
            "order_items": lines[["order_id", "line_no", "item_id", "product_id", "description", "quantity",
                                  "unit_price", "is_product"]]}


def _customers(path: Path, df: pd.DataFrame, names: dict[str, str], rep: Report, opts: ImportOptions
               ) -> dict[str, pd.DataFrame]:
    view = _renamed(df, names)
    first_bad(path, view, df["customer_id"].duplicated(), names["customer_id"], "duplicate key")
    out = df.apply(lambda col: col.str.strip()).replace("", None)  # an empty cell is unknown, not ''
    out["source"] = SOURCE
    if "created_at" in df.columns:
        out["created_at"] = to_timestamp(path, view, names["created_at"], allow_empty=True, options=opts,
                                         notes=rep.notes)
    for flag in ("marketing_consent", "unsubscribed"):
        if flag in df.columns:
            v = df[flag].str.strip().str.lower()
            first_bad(path, view, ~v.isin(["true", "false", "1", "0", "yes", "no", ""]), names[flag],
                      "not a yes/no value")
            out[flag] = v.isin(["true", "1", "yes"])
    return {"customers": out}


def _events(path: Path, df: pd.DataFrame, names: dict[str, str], rep: Report, opts: ImportOptions
            ) -> dict[str, pd.DataFrame]:
    import hashlib

    view = _renamed(df, names)
    first_bad(path, view, ~df["event_type"].isin(EVENT_TYPES), names["event_type"],
              f"unknown event type (expected one of {', '.join(sorted(EVENT_TYPES))})")
    out = df.copy()
    out["ts"] = to_timestamp(path, view, names["timestamp"], options=opts, notes=rep.notes)
    if "dwell_seconds" in df.columns:
        out["dwell_seconds"] = to_number(path, view, names["dwell_seconds"], allow_empty=True)
    key = out["customer_id"] + "|" + out["session_id"] + "|" + out["event_type"] + "|" + df["timestamp"]
    out["event_id"] = [hashlib.sha1(k.encode()).hexdigest()[:20] for k in key]
    return {"events": out.drop(columns=["timestamp"])}
