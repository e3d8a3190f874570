"""The demo shop: a real base (a subset of UCI Online Retail customers with all their lines, plus the τ-bench
catalogue, users and orders) enriched by a seeded generator with what real exports lack.

`build_demo(settings)` builds settings.db_path from the shipped files in shop/demo_data/, all or nothing (into a
temporary file moved into place at the end), and freezes the shop's clock at the day after the data ends. The
same seed gives the same store; the named customers in `DEMO_PERSONAS` are the same for every seed.

Steps (each in its own module): profiles (shop.demo_profiles), recent orders in every status
(shop.demo_orders), sessions and page events (shop.demo_activity), reviews and tickets (shop.demo_feedback).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.config import Settings
from core.errors import ConfigError
from shop.demo_personas import DEMO_PERSONAS, Persona, persona_ids
from shop.demo_subset import DEMO_DATA, OR_SUBSET

if TYPE_CHECKING:
    import duckdb

__all__ = ["DEMO_PERSONAS", "DEMO_TODAY", "Persona", "build_demo", "enrich", "table_fingerprints"]

DEMO_TODAY = dt.date(2011, 12, 10)  # the day after the Online Retail data ends (2011-12-09)
FINGERPRINT_SKIP = {"import_runs", "schema_migrations", "audit_log"}  # run ids and wall-clock times


def build_demo(settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Build the demo store at settings.db_path (replacing any existing one); returns what it made."""
    from shop.clock import freeze_today
    from shop.db import connect, table_counts
    from shop.importers import run_import
    from shop.policy import adopt_profile

    t0 = time.perf_counter()
    if settings.demo_customers < len(DEMO_PERSONAS):
        raise ConfigError(f"RETAIN_DEMO_CUSTOMERS={settings.demo_customers}: the demo needs at least "
                          f"{len(DEMO_PERSONAS)} customers (its named personas)")
    settings.ensure_dirs()
    target = Path(settings.db_path)
    building = target.with_name(target.name + ".building")
    _remove_store(building)
    bar = progress.add_task("demo: importing", total=7) if progress is not None else None

    def step(label: str) -> None:
        if progress is not None:
            progress.update(bar, advance=1, description=f"demo: {label}")

    con = connect(building)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            subset = _subset_file(settings, Path(tmp))
            imported = {"online_retail": run_import(con, "online-retail", subset)["inserted"]}
        adopt_profile(con, "demo")  # before the τ sample: the demo shop keeps its own rules and currency
        imported["tau_retail"] = run_import(con, "tau-retail", DEMO_DATA)["inserted"]
        con.execute("UPDATE orders SET currency = NULL WHERE source = 'tau_retail'")  # shown in the shop's GBP
        step("enriching")
        freeze_today(con, DEMO_TODAY)
        made = enrich(con, settings.seed, DEMO_TODAY, settings.churn_horizon_days, step=step)
        counts = table_counts(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        _remove_store(building)
        raise
    con.close()
    _remove_store(target)
    os.replace(building, target)
    return {"db_path": str(target), "seed": settings.seed, "today": DEMO_TODAY.isoformat(),
            "imported": imported, "generated": made, "counts": counts,
            "personas": {k: p.customer_id for k, p in DEMO_PERSONAS.items()},
            "seconds": round(time.perf_counter() - t0, 2)}


def enrich(con: duckdb.DuckDBPyConnection, seed: int, today: dt.date, horizon_days: int,
           step: Any = None) -> dict[str, Any]:
    """Run the generator steps over an imported store (in one transaction); returns their counts."""
    from shop.db import transaction
    from shop.demo_activity import make_events
    from shop.demo_base import DemoContext, load_timelines
    from shop.demo_feedback import make_reviews, make_tickets
    from shop.demo_orders import make_orders
    from shop.demo_profiles import make_profiles

    ctx = DemoContext(con, seed, today, horizon_days, load_timelines(con, today, horizon_days))
    made: dict[str, Any] = {}
    with transaction(con):
        for name, fn in (("profiles", make_profiles), ("orders", make_orders), ("events", make_events),
                         ("reviews", make_reviews), ("tickets", make_tickets)):
            made[name] = fn(ctx)
            if step is not None:
                step(name)
    made["churned_customers"] = int(ctx.customers[ctx.customers["source"] == "online_retail"]["churned"].sum())
    return made


def _subset_file(settings: Settings, tmp: Path) -> Path:
    """The shipped Online Retail subset, or a seeded stratified part of it when demo_customers is smaller."""
    from shop.demo_base import STREAMS
    from shop.demo_subset import customer_strata, pick_customers, read_text_csv, write_csv_gz

    lines = read_text_csv(OR_SUBSET)
    strata = customer_strata(lines)
    if settings.demo_customers >= len(strata):
        return OR_SUBSET
    ids = pick_customers(strata, settings.demo_customers, settings.seed * 100 + STREAMS["subset"],
                         always=persona_ids(), max_lines=None)
    path = tmp / "online_retail_subset.csv.gz"
    write_csv_gz(lines[lines["CustomerID"].isin(set(ids))], path)
    return path


def _remove_store(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def table_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """md5 of every data table's sorted rows (skipping run logs), to compare two builds."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
    out = {}
    for t in tables:
        if t in FINGERPRINT_SKIP:
            continue
        row = con.execute(f"SELECT md5(coalesce(string_agg(CAST(x AS VARCHAR), '\n' ORDER BY CAST(x AS VARCHAR)), "
                          f"'')) FROM {t} AS x").fetchall()
        out[t] = row[0][0]
    return out
