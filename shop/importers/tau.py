"""τ-bench retail (MIT): users, orders and products with variants.

Accepts a folder holding users/orders/products JSON (plain or .gz, optionally prefixed 'tau_'), or tau2's
db.json(.gz) with all three (a folder laid out like ../shared/data/tau_retail, with tau_bench/ and tau2/, is
searched in that order). Users become customers with a default address and payment methods; products and
their variants keep their options and availability; orders keep their status, items, tracking and payment
history. The store adopts τ's policy profile (shop/policy.py) unless it already has one. τ orders carry no dates, so each gets a deterministic synthetic timestamp derived from its id (spread
over the 60 days before 2011-12-10, the demo shop's frozen 'today').
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ImportDataError
from shop.db import transaction
from shop.importers.common import Report, Steps, decode_utf8, file_sha256, insert_new, read_bytes
from shop.policy import adopt_profile

if TYPE_CHECKING:
    import duckdb

SOURCE = "tau_retail"
CURRENCY = "USD"  # τ's prices are dollars
ORDER_STATUSES = {"pending", "processed", "delivered", "cancelled", "return requested", "exchange requested"}
CATEGORY = {
    "Apparel": {"T-Shirt", "Fleece Jacket", "Running Shoes", "Sneakers", "Hiking Boots", "Sunglasses"},
    "Electronics": {"Laptop", "Smartphone", "Tablet", "E-Reader", "Bluetooth Speaker", "Gaming Mouse",
                    "Action Camera", "Portable Charger", "Indoor Security Camera", "Mechanical Keyboard",
                    "Wireless Earbuds", "Smart Thermostat", "Digital Camera", "Smart Watch", "Headphones",
                    "Wristwatch", "LED Light Bulb"},
    "Home & Kitchen": {"Coffee Maker", "Water Bottle", "Desk Lamp", "Electric Kettle", "Wall Clock", "Pet Bed",
                       "Espresso Machine", "Bookshelf", "Office Chair", "Tea Kettle", "Air Purifier",
                       "Vacuum Cleaner", "Electric Toothbrush"},
    "Outdoor & Sports": {"Backpack", "Yoga Mat", "Garden Hose", "Dumbbell Set", "Cycling Helmet", "Bicycle",
                         "Luggage Set", "Patio Umbrella", "Skateboard", "Grill"},
    "Beauty": {"Makeup Kit", "Perfume"},
    "Toys & Games": {"Jigsaw Puzzle"},
    "Stationery & Cards": {"Notebook"},
}
_CATEGORY_OF = {name: cat for cat, names in CATEGORY.items() for name in names}
BASE_DAY = dt.datetime(2011, 12, 10)


def _load_json(path: Path) -> Any:
    text = decode_utf8(path, read_bytes(path))
    _TEXTS[path] = text

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for k, v in pairs:
            if k in seen:
                line = text[: text.find(f'"{k}"', text.find(f'"{k}"') + 1)].count("\n") + 1
                raise ImportDataError(path, f"duplicate key {k!r}", line=line, column=k)
            seen[k] = v
        return seen

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as e:
        raise ImportDataError(path, f"not valid JSON: {e.msg} (character {e.colno})", line=e.lineno) from None


def _find(folder: Path, name: str) -> Path | None:
    for cand in (f"{name}.json", f"{name}.json.gz", f"tau_{name}.json", f"tau_{name}.json.gz"):
        if (folder / cand).exists():
            return folder / cand
    return None


def _resolve(path: Path) -> Path | dict[str, Path]:
    """The three files of a folder, or a db.json; the shared data's layout (tau_bench/, tau2/) is searched too."""
    if not path.is_dir():
        return path
    for folder in (path, path / "tau_bench"):
        found = {n: _find(folder, n) for n in ("users", "orders", "products")}
        if all(found.values()):
            return {n: p for n, p in found.items() if p is not None}
        if any(found.values()):
            missing = [n for n, p in found.items() if p is None]
            raise ImportDataError(folder, f"no {' or '.join(missing)} JSON in this folder (beside "
                                  f"{', '.join(p.name for p in found.values() if p)})")
    for db in (path / "db.json", path / "db.json.gz", path / "tau2" / "db.json", path / "tau2" / "db.json.gz"):
        if db.exists():
            return db
    raise ImportDataError(path, "no users.json(.gz), orders.json(.gz), products.json(.gz) or db.json(.gz) here")


_TEXTS: dict[Path, str] = {}  # the JSON text of each file being imported, to point errors at a line


def _line_of(path: Path, key: str, field: str | None = None) -> int | None:
    """The line of record `key` (and of its `field`, when given) in the file's text; None if not found."""
    text = _TEXTS.get(path, "")
    at = text.find(json.dumps(key))
    if at < 0:
        return None
    if field is not None:
        sub = text.find(json.dumps(field), at)
        at = sub if sub >= 0 else at
    return text.count("\n", 0, at) + 1


def _fail(path: Path, key: str, message: str, field: str | None = None) -> ImportDataError:
    return ImportDataError(path, message, line=_line_of(path, key, field), column=field)


def _need(path: Path, record: dict[str, Any], key: str, field: str) -> Any:
    if not isinstance(record, dict) or field not in record:
        raise _fail(path, key, f"record {key!r} lacks the field {field!r}", field)
    return record[field]


@contextmanager
def _record(path: Path, key: str) -> Iterator[None]:
    """Turn a type mix-up inside one record (a string where an object belongs...) into an error naming it."""
    try:
        yield
    except (AttributeError, TypeError, ValueError, KeyError) as e:
        raise _fail(path, key, f"record {key!r} is malformed ({type(e).__name__}: {e})") from None


def import_tau(con: duckdb.DuckDBPyConnection, path: Path, progress: Any = None) -> dict[str, Any]:
    """Import a τ-bench folder or tau2 db.json; see the module docstring."""
    try:
        return _import_tau(con, Path(path), progress)
    finally:
        _TEXTS.clear()


def _import_tau(con: duckdb.DuckDBPyConnection, path: Path, progress: Any) -> dict[str, Any]:
    import pandas as pd

    rep = Report("tau-retail", path)
    steps = Steps(progress, "tau-retail: reading", 3)
    found = _resolve(path)
    if isinstance(found, dict):
        files = found
        data = {n: _load_json(p) for n, p in files.items()}
    else:
        db = _load_json(found)
        if not isinstance(db, dict) or not {"users", "orders", "products"} <= set(db):
            raise ImportDataError(found, "expected a tau2 db.json with 'users', 'orders' and 'products'", line=1)
        files = dict.fromkeys(("users", "orders", "products"), found)
        data = db
    for name in ("users", "orders", "products"):
        if not isinstance(data[name], dict):
            raise ImportDataError(files[name], f"expected a JSON object of {name} keyed by id", line=1)
    rep.rows_read = sum(len(data[n]) for n in ("users", "orders", "products"))
    if not rep.rows_read:
        raise ImportDataError(path, "no records: users, orders and products are all empty", line=1)
    steps.advance("tau-retail: validating")
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in (
        "customers", "addresses", "payment_methods", "products", "product_variants", "orders", "order_items",
        "payments")}
    for pid, p in data["products"].items():
        with _record(files["products"], pid):
            _product(files["products"], pid, p, rows)
    for uid, u in data["users"].items():
        with _record(files["users"], uid):
            _user(files["users"], uid, u, rows)
    for oid, o in data["orders"].items():
        with _record(files["orders"], oid):
            _order(files["orders"], oid, o, rows)
    steps.advance("tau-retail: writing")
    with transaction(con):
        for table, recs in rows.items():
            rep.inserted[table] = insert_new(con, table, pd.DataFrame(recs))
        rep.record(con, file_sha256(files["orders"]))
        adopt_profile(con, "tau")
    steps.advance("tau-retail: done")
    rep.phases = steps.phases
    return rep.as_dict()


def _product(pf: Path, pid: str, p: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    name = _need(pf, p, pid, "name")
    rows["products"].append({"product_id": pid, "name": name, "category": _CATEGORY_OF.get(name, "Other"),
                             "description": None, "source": SOURCE})
    for iid, v in _need(pf, p, pid, "variants").items():
        price = _need(pf, v, iid, "price")
        if isinstance(price, bool) or not isinstance(price, int | float):
            raise _fail(pf, iid, f"variant {iid!r}: price {price!r} is not a number", "price")
        rows["product_variants"].append({"item_id": iid, "product_id": pid,
                                         "options": json.dumps(v.get("options", {})), "price": float(price),
                                         "available": bool(v.get("available", True))})


def _user(uf: Path, uid: str, u: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    nm, addr = _need(uf, u, uid, "name"), _need(uf, u, uid, "address")
    rows["customers"].append({"customer_id": uid, "source": SOURCE, "first_name": nm.get("first_name"),
                              "last_name": nm.get("last_name"), "email": _need(uf, u, uid, "email"),
                              "country": addr.get("country")})
    rows["addresses"].append({"address_id": f"{uid}:default", "customer_id": uid, "is_default": True,
                              **{k: addr.get(k) for k in ("address1", "address2", "city", "state", "zip",
                                                          "country")}})
    for pmid, pm in (u.get("payment_methods") or {}).items():
        rows["payment_methods"].append({"payment_method_id": pmid, "customer_id": uid,
                                        "kind": pm.get("source", "unknown"), "brand": pm.get("brand"),
                                        "last_four": pm.get("last_four"), "balance": pm.get("balance")})


def _order(of: Path, oid: str, o: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    status = _need(of, o, oid, "status")
    if status not in ORDER_STATUSES:
        raise _fail(of, oid, f"order {oid!r}: unknown status {status!r}", "status")
    # τ orders carry no dates: a deterministic synthetic timestamp from the order id (see the module docstring)
    created = BASE_DAY - dt.timedelta(minutes=int(hashlib.sha1(oid.encode()).hexdigest(), 16) % (60 * 1440))
    payments = o.get("payment_history") or []
    rows["orders"].append({
        "order_id": oid, "customer_id": _need(of, o, oid, "user_id"), "status": status,
        "kind": "sale", "created_at": created, "country": (o.get("address") or {}).get("country"),
        "ship_address": json.dumps(o.get("address")), "source": SOURCE,
        "payment_method_id": payments[0]["payment_method_id"] if payments else None,
        "tracking_ids": json.dumps([t for f in o.get("fulfillments", []) for t in f.get("tracking_id", [])]),
        "fulfillments": json.dumps(o.get("fulfillments", [])), "currency": CURRENCY,
    })
    for i, it in enumerate(_need(of, o, oid, "items"), start=1):
        rows["order_items"].append({"order_id": oid, "line_no": i, "item_id": it.get("item_id"),
                                    "product_id": it.get("product_id"), "description": it.get("name"),
                                    "quantity": 1, "unit_price": float(it.get("price", 0.0)),
                                    "is_product": True})
    for i, pay in enumerate(payments, start=1):
        rows["payments"].append({"order_id": oid, "seq": i, "transaction_type": pay.get("transaction_type"),
                                 "amount": float(pay.get("amount", 0.0)),
                                 "payment_method_id": pay.get("payment_method_id"), "created_at": created})
