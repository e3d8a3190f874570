"""Replay τ-bench retail tasks through the shop's own tools and compare the end state with τ's.

For each task: a fresh copy of a store imported from the τ v1 database (`retain import tau-retail`), a shopper
session signed in as the task's user (email and zip typed, through verify_identity), and each ground-truth action called
through the same path a conversation uses: `tools.call` (role check, argument validation, audit) and, for a
write, `execute_pending` after the user's yes. Then every order and user the task's `expected_diff` touches is
read back from the store in τ's shape and compared field by field with the expected `after`. Read-only τ tools
(find_user_id_*, get_*_details, list_all_product_types, calculate, think, transfer_to_human_agents) map to our
read tools or are no-ops.

Actions that τ's own tools refuse (`action_errors`) must be refused by ours too, with a message.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import RetainError

if TYPE_CHECKING:
    import duckdb

    from core.config import Settings

_ADDR = ("address1", "address2", "city", "state", "zip", "country")
_SWAP = ("order_id", "item_ids", "new_item_ids", "payment_method_id")
# τ tool -> (our tool, its arguments from τ's kwargs)
ACTIONS: dict[str, tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    "cancel_pending_order": ("cancel_order", lambda k: {"order_id": k["order_id"], "reason": k["reason"]}),
    "return_delivered_order_items": ("return_items", lambda k: {
        "order_id": k["order_id"], "item_ids": k["item_ids"], "payment_method_id": k["payment_method_id"]}),
    "exchange_delivered_order_items": ("exchange_items", lambda k: {f: k[f] for f in _SWAP}),
    "modify_pending_order_items": ("modify_items", lambda k: {f: k[f] for f in _SWAP}),
    "modify_pending_order_payment": ("modify_payment", lambda k: {
        "order_id": k["order_id"], "payment_method_id": k["payment_method_id"]}),
    "modify_pending_order_address": ("change_order_address", lambda k: {
        "order_id": k["order_id"], **{f: k.get(f, "") for f in _ADDR}}),
    "modify_user_address": ("update_default_address", lambda k: {f: k.get(f, "") for f in _ADDR}),
    "get_order_details": ("order_details", lambda k: {"order_id": k["order_id"]}),
    "get_product_details": ("product_details", lambda k: {"product_id": k["product_id"]}),
    "list_all_product_types": ("list_product_types", lambda k: {}),
    "get_user_details": ("my_profile", lambda k: {}),
    "find_user_id_by_email": ("verify_identity", lambda k: {"email": k["email"]}),
    "find_user_id_by_name_zip": ("verify_identity", lambda k: {
        "first_name": k["first_name"], "last_name": k["last_name"], "zip": k["zip"]}),
    "transfer_to_human_agents": ("request_human", lambda k: {"summary": k.get("summary", "")}),
}
NO_OPS = {"calculate", "think"}


def load_tasks(path: Path) -> list[dict[str, Any]]:
    """The task file (JSON list, plain or .gz), each task checked for the fields the replay needs."""
    path = Path(path)
    if not path.exists():
        raise RetainError(f"{path}: no such task file")
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        tasks = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RetainError(f"{path}: not a JSON task list ({e})") from None
    if not isinstance(tasks, list):
        raise RetainError(f"{path}: expected a JSON list of tasks")
    for i, t in enumerate(tasks):
        missing = [f for f in ("user_id", "actions", "expected_diff") if not isinstance(t, dict) or f not in t]
        if missing:
            raise RetainError(f"{path}: task {i} ({t.get('id', '?') if isinstance(t, dict) else t!r}) lacks "
                              f"{', '.join(missing)}")
        unknown = [a.get("name") for a in t["actions"] if a.get("name") not in ACTIONS and a.get("name") not in NO_OPS]
        if unknown:
            raise RetainError(f"{path}: task {t.get('id', i)} uses unknown τ tool(s) {', '.join(map(str, unknown))}")
    return tasks


def build_template(tau_dir: Path, dest: Path) -> Path:
    """Import the τ database into a new store at `dest` (copied for each task)."""
    from shop.db import connect
    from shop.importers import run_import

    con = connect(dest)
    try:
        run_import(con, "tau-retail", tau_dir)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return dest


def tau_order(con: duckdb.DuckDBPyConnection, order_id: str) -> dict[str, Any]:
    """An order from the store in τ's shape."""
    from shop.queries import get_order

    o = get_order(con, order_id)
    out: dict[str, Any] = {
        "order_id": o["order_id"], "user_id": o["customer_id"], "address": o["ship_address"],
        "items": [{"name": it["name"], "product_id": it["product_id"], "item_id": it["item_id"],
                   "price": it["unit_price"], "options": it["options"]} for it in o["items"]],
        "fulfillments": o["fulfillments"], "status": o["status"],
        "payment_history": [{k: p[k] for k in ("transaction_type", "amount", "payment_method_id")}
                            for p in o["payment_history"]],
    }
    if o["cancel_reason"]:
        out["cancel_reason"] = o["cancel_reason"]
    returned = [it for it in o["items"] if it["status"] == "return requested"]
    if returned or o["return_payment_method_id"]:
        out["return_items"] = sorted(it["item_id"] for it in returned)
        out["return_payment_method_id"] = o["return_payment_method_id"]
    swapped = [it for it in o["items"] if it["status"] == "exchange requested"]
    if swapped or o["exchange_payment_method_id"]:
        out["exchange_items"] = sorted(it["item_id"] for it in swapped)
        out["exchange_new_items"] = sorted(it["exchange_item_id"] for it in swapped)
        out["exchange_payment_method_id"] = o["exchange_payment_method_id"]
        out["exchange_price_difference"] = o["exchange_price_difference"]
    return out


def tau_user(con: duckdb.DuckDBPyConnection, user_id: str) -> dict[str, Any]:
    """A customer from the store in τ's shape (orders as a sorted list: their order carries no meaning)."""
    from shop.db import rows
    from shop.queries import get_customer

    c = get_customer(con, user_id)
    methods = {}
    for p in c["payment_methods"]:
        m = {"source": p["kind"], "id": p["payment_method_id"]}
        m.update({k: p[k] for k in ("brand", "last_four", "balance") if p[k] is not None})
        methods[p["payment_method_id"]] = m
    orders = sorted(r["order_id"] for r in rows(con, "SELECT order_id FROM orders WHERE customer_id = ?", [user_id]))
    return {"name": {"first_name": c["first_name"], "last_name": c["last_name"]},
            "address": c["default_address"], "email": c["email"], "payment_methods": methods, "orders": orders}


def same(a: Any, b: Any) -> bool:
    """Equal, with amounts equal to the cent and dict key order ignored."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 0.005
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def compare(con: duckdb.DuckDBPyConnection, expected_diff: dict[str, Any]) -> list[dict[str, Any]]:
    """Mismatches between the store and τ's expected `after` for every touched order and user."""
    out = []
    for kind, read in (("orders", tau_order), ("users", tau_user)):
        for key, change in (expected_diff.get(kind) or {}).items():
            want = dict(change["after"])
            if kind == "users":
                want["orders"] = sorted(want.get("orders", []))
            have = read(con, key)
            for field in sorted(set(want) | set(have)):
                if not same(want.get(field), have.get(field)):
                    out.append({"field": f"{kind}.{field}", "id": key, "expected": want.get(field),
                                "got": have.get(field)})
    return out


def replay_task(task: dict[str, Any], template: Path, settings: Settings, workdir: Path) -> dict[str, Any]:
    """Run one task on a fresh copy of the template store; returns its outcome and mismatches."""
    from core.session import Principal, Session
    from shop.db import connect
    from tools import call
    from tools.orders import execute_pending

    db = workdir / "shop.duckdb"
    shutil.copy(template, db)
    con = connect(db)
    try:
        s = Session(settings.model_copy(update={"data_dir": workdir}), con, Principal("shopper"),
                    thread_id=str(task.get("id")))
        email, zip_code = (con.execute("SELECT c.email, a.zip FROM customers c LEFT JOIN addresses a ON "
                                       "a.customer_id = c.customer_id AND a.is_default WHERE c.customer_id = ?",
                                       [task["user_id"]]).fetchone() or ("", ""))
        said = f"my email is {email} and my zip code is {zip_code}"  # the user's own words, as a chat records them
        s.facts.setdefault("typed", []).append(said)
        call(s, "verify_identity", {"email": email or "", "zip": zip_code or ""})
        if s.principal.customer_id != task["user_id"]:
            raise RetainError(f"task {task.get('id')}: could not sign in as {task['user_id']} by email and zip")
        steps = []
        for action in task["actions"]:
            if action["name"] in NO_OPS:
                continue
            name, args = ACTIONS[action["name"]]
            result = call(s, name, args(action.get("kwargs") or {}))
            if result.get("kind") == "confirm":  # the user's explicit yes, as the runner handles it
                try:
                    result = execute_pending(s)
                except RetainError as e:
                    result = {"kind": "error", "message": f"I couldn't complete that: {e}"}
            refused = result.get("kind") in ("error", "refusal")
            steps.append({"tau": action["name"], "tool": name, "refused": refused,
                          "message": result.get("message") if refused else None})
        mismatches = compare(con, task["expected_diff"])
    finally:
        con.close()
    want_refused = Counter(e[0] for e in task.get("action_errors") or [])
    got_refused = Counter(st["tau"] for st in steps if st["refused"])
    refusal_ok = want_refused == got_refused
    return {"id": task.get("id"), "matched": not mismatches and refusal_ok, "mismatches": mismatches,
            "refusals_expected": sum(want_refused.values()), "refusals_ok": refusal_ok,
            "refused": [st for st in steps if st["refused"]]}


def run_replay(tasks_path: Path, tau_dir: Path, settings: Settings, limit: int | None = None,
               progress: Any = None) -> dict[str, Any]:
    """Replay the tasks (the first `limit` of them) and summarise: matched/total, mismatches grouped by field,
    and whether every action τ refuses is refused by us too."""
    tasks = load_tasks(tasks_path)[:limit]
    with tempfile.TemporaryDirectory(prefix="retain-tau-replay-") as tmp:
        template = build_template(tau_dir, Path(tmp) / "template.duckdb")
        results = []
        for i, task in enumerate(tasks):
            work = Path(tmp) / "run"
            work.mkdir(exist_ok=True)
            results.append(replay_task(task, template, settings, work))
            shutil.rmtree(work)
            if progress is not None:
                progress(i + 1, len(tasks))
    by_field = Counter(m["field"] for r in results for m in r["mismatches"])
    tasks_by_field = Counter(f for r in results for f in {m["field"] for m in r["mismatches"]})
    with_errors = [r for r in results if r["refusals_expected"]]
    matched = sum(r["matched"] for r in results)
    return {
        "tasks": len(results), "matched": matched, "match_rate": round(matched / len(results), 4) if results else 0.0,
        "mismatched_tasks_by_field": dict(tasks_by_field.most_common()),
        "mismatches_by_field": dict(by_field.most_common()),
        "action_error_tasks": len(with_errors),
        "action_errors_refused": sum(r["refusals_ok"] for r in with_errors),
        "unexpected_refusals": sum(len(r["refused"]) for r in results) - sum(r["refusals_expected"] for r in results
                                                                             if r["refusals_ok"]),
        "failures": [{"id": r["id"], "fields": sorted({m["field"] for m in r["mismatches"]}),
                      "refused": r["refused"], "mismatches": r["mismatches"][:4]}
                     for r in results if not r["matched"]],
        "refusal_messages": [{"id": r["id"], "messages": [st["message"] for st in r["refused"]]} for r in with_errors],
    }
