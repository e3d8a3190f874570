"""`retain bench scoring`: point-in-time features plus churn scoring for a large generated shop.

A seeded generator writes N customers with about L order lines each into a DuckDB store in a temp dir (the real
migrated schema); generation is timed separately. Then the production scoring step is timed on it, as `retain score`
runs it: the feature SQL for every customer as of the shop's today, the source filter, then
`retention.scoring.score_customers` (matrix, LightGBM predict, calibration, risk band, drivers, RFM tier, CLV,
lifecycle) and `write_scores` (the churn_scores table). A bare `booster.predict` over the same matrix is the yardstick.
The model is trained with the production training code on a small store from the same generator (not timed).
"""

from __future__ import annotations

import datetime as dt
import resource
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import RetainError

if TYPE_CHECKING:
    import duckdb

TODAY = dt.date(2011, 12, 10)
HISTORY_DAYS = 730
N_PRODUCTS = 4000
CHUNK = 250_000  # customers generated per batch, so generation memory stays flat
SOURCE = "generic"


def _lines_per_customer(rng: np.random.Generator, n: int, mean_lines: int) -> np.ndarray:
    """Heavy-tailed lines per customer (at least 1 each) summing to exactly n * mean_lines."""
    total = n * mean_lines
    w = rng.lognormal(0.0, 1.0, n)
    extra = w / w.sum() * (total - n)
    lines = 1 + np.floor(extra).astype(np.int64)
    short = total - int(lines.sum())
    if short:
        lines[np.argsort(extra - np.floor(extra))[-short:]] += 1
    return lines


def _generate_chunk(rng: np.random.Generator, first_id: int, lines_c: np.ndarray, first_order: int,
                    price: np.ndarray, popularity: np.ndarray) -> tuple[Any, Any]:
    """Orders and order lines (as Arrow tables of numbers) for customers first_id .. first_id + len(lines_c) - 1."""
    import pyarrow as pa

    n = len(lines_c)
    basket = 1 + rng.poisson(3.0, n)  # the customer's usual lines per order
    orders_c = np.clip(np.rint(lines_c / basket), 1, lines_c).astype(np.int64)
    # Purchase history: a first order somewhere in the last two years, then either active up to today or
    # stopped at some point (churners), orders spread across that span with jitter.
    end = float(HISTORY_DAYS)
    first_day = rng.uniform(0, end - 1, n)
    stopped = rng.random(n) < 0.45
    last_day = np.where(stopped, first_day + (end - first_day) * rng.beta(2, 2, n), end - rng.exponential(20, n))
    last_day = np.clip(last_day, first_day, end - 1e-3)
    ostart = np.concatenate([[0], np.cumsum(orders_c)[:-1]])
    n_orders = int(orders_c.sum())
    cust = np.repeat(np.arange(n), orders_c)
    j = np.arange(n_orders) - ostart[cust]
    frac = np.where(orders_c[cust] > 1, (j + rng.uniform(0, 0.9, n_orders)) / orders_c[cust], 0.0)
    day = first_day[cust] + (last_day[cust] - first_day[cust]) * frac
    start = np.datetime64(TODAY - dt.timedelta(days=HISTORY_DAYS), "s")
    created = start + (day * 86400).astype("timedelta64[s]")
    cancel = rng.random(n_orders) < 0.03
    orders = pa.table({"order_num": np.arange(first_order, first_order + n_orders, dtype=np.int64),
                       "cust_num": (cust + first_id).astype(np.int64), "created_at": created,
                       "cancel": cancel})
    # Lines: customer c's k-th line goes to its order floor(k * orders_c / lines_c).
    lstart = np.concatenate([[0], np.cumsum(lines_c)[:-1]])
    n_lines = int(lines_c.sum())
    lc = np.repeat(np.arange(n), lines_c)
    k = np.arange(n_lines) - lstart[lc]
    order_local = k * orders_c[lc] // lines_c[lc]
    order_idx = ostart[lc] + order_local
    # line_no: position within the order
    first_line_of_order = np.zeros(n_orders, dtype=np.int64)
    change = np.r_[True, order_idx[1:] != order_idx[:-1]]
    first_line_of_order[order_idx[change]] = np.flatnonzero(change)
    line_no = np.arange(n_lines) - first_line_of_order[order_idx] + 1
    product = rng.choice(len(price), n_lines, p=popularity)
    qty = 1 + rng.geometric(0.4, n_lines) - 1
    qty = np.where(cancel[order_idx], -qty, qty)
    items = pa.table({"order_num": (order_idx + first_order).astype(np.int64), "line_no": line_no.astype(np.int32),
                      "product_num": product.astype(np.int32), "quantity": qty.astype(np.int32),
                      "unit_price": price[product]})
    return orders, items


def generate_store(con: duckdb.DuckDBPyConnection, customers: int, lines_per_customer: int, seed: int = 7,
                   progress: Any = None) -> dict[str, int]:
    """Fill an empty migrated store with a seeded shop; returns the row counts written."""
    from shop.clock import freeze_today

    if customers < 1 or lines_per_customer < 1:
        raise RetainError(f"customers ({customers}) and lines per customer ({lines_per_customer}) must be >= 1")
    rng = np.random.default_rng(seed)
    freeze_today(con, TODAY)
    price = np.round(rng.lognormal(1.0, 0.9, N_PRODUCTS), 2) + 0.19
    popularity = 1.0 / np.arange(1, N_PRODUCTS + 1) ** 0.9
    popularity /= popularity.sum()
    con.execute("""INSERT INTO products SELECT 'P' || lpad(i::VARCHAR, 5, '0'), 'Product ' || i,
                   ['Home Decor', 'Kitchen', 'Gifts', 'Garden', 'Stationery', 'Toys'][1 + i % 6], NULL, ?
                   FROM range(?) t(i)""", [SOURCE, N_PRODUCTS])
    con.execute("""INSERT INTO customers (customer_id, source, country, created_at, marketing_consent)
                   SELECT 'C' || lpad((i + 1)::VARCHAR, 8, '0'), ?, 'United Kingdom', ?::TIMESTAMP, i % 10 < 7
                   FROM range(?) t(i)""", [SOURCE, TODAY - dt.timedelta(days=HISTORY_DAYS), customers])
    lines_all = _lines_per_customer(rng, customers, lines_per_customer)
    task = progress.add_task("generate", total=customers) if progress is not None else None
    n_orders = n_lines = 0
    for lo in range(0, customers, CHUNK):
        hi = min(customers, lo + CHUNK)
        orders, items = _generate_chunk(rng, lo + 1, lines_all[lo:hi], n_orders + 1, price, popularity)
        con.register("_orders", orders)
        con.register("_items", items)
        con.execute("""INSERT INTO orders (order_id, customer_id, status, kind, created_at, country, source)
                       SELECT 'G' || lpad(order_num::VARCHAR, 9, '0'), 'C' || lpad(cust_num::VARCHAR, 8, '0'),
                              CASE WHEN cancel THEN 'cancelled' ELSE 'delivered' END,
                              CASE WHEN cancel THEN 'cancellation' ELSE 'sale' END,
                              created_at, 'United Kingdom', ? FROM _orders""", [SOURCE])
        con.execute("""INSERT INTO order_items (order_id, line_no, item_id, product_id, quantity, unit_price)
                       SELECT 'G' || lpad(order_num::VARCHAR, 9, '0'), line_no,
                              'P' || lpad(product_num::VARCHAR, 5, '0'), 'P' || lpad(product_num::VARCHAR, 5, '0'),
                              quantity, unit_price FROM _items""")
        con.unregister("_orders")
        con.unregister("_items")
        n_orders += orders.num_rows
        n_lines += items.num_rows
        if task is not None:
            progress.update(task, completed=hi)
    return {"customers": customers, "orders": n_orders, "lines": n_lines}


def _peak_rss_gb() -> float:
    """Peak resident set of this process and its children (Linux reports kilobytes)."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(kb / 1024 / 1024, 2)


def train_model(seed: int = 7, customers: int = 20_000, lines_per_customer: int = 20, grid: bool = True
                ) -> tuple[Any, Any]:
    """LightGBM + calibrator from the production training code, on a small store from the same generator."""
    from retention.features import dataset
    from retention.training import first_purchase, fit_churn, schedule, split
    from shop.db import connect

    con = connect(None)
    try:
        generate_store(con, customers, lines_per_customer, seed=seed + 1)
        sched = schedule(TODAY, 90, first_purchase(con, SOURCE))
        data = dataset(con, [*sched["train"], sched["validation"]], 90, SOURCE)
    finally:
        con.close()
    fit = fit_churn(split(data, sched), seed, grid=grid)
    return fit.booster, fit.calibrator


def run_bench(customers: int = 1_000_000, lines_per_customer: int = 20, seed: int = 7, memory_limit: str = "3GB",
              threads: int = 2, train_customers: int = 5_000, grid: bool = True, model: tuple[Any, Any] | None = None,
              progress: Any = None) -> dict[str, Any]:
    """Generate the shop, then time features + scoring on it. `model` = (booster, calibrator) skips training (tests);
    otherwise the production training code fits one on `train_customers` customers from the same generator."""
    import hashlib

    from retention.churn import matrix
    from retention.features import build_features
    from retention.scoring import restrict_to_source, score_customers, write_scores
    from shop.db import connect

    t0 = time.perf_counter()
    train_n = 0 if model else train_customers
    trained = progress.add_task("train the model (not timed)", total=1) if progress is not None and not model else None
    booster, cal = model or train_model(seed, train_n, lines_per_customer, grid)
    if trained is not None:
        progress.update(trained, completed=1)
    train_s = time.perf_counter() - t0
    version = hashlib.sha1(booster.model_to_string().encode()).hexdigest()[:12]
    with tempfile.TemporaryDirectory(prefix="retain-bench-scoring-") as tmp:
        con = connect(Path(tmp) / "shop.duckdb")
        con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET temp_directory = '{Path(tmp) / 'spill'}'")
        try:
            t0 = time.perf_counter()
            counts = generate_store(con, customers, lines_per_customer, seed, progress)
            con.execute("CHECKPOINT")
            gen_s = time.perf_counter() - t0
            rss_after_gen = _peak_rss_gb()
            task = progress.add_task("features + scoring", total=3) if progress is not None else None

            def step() -> None:
                if progress is not None:
                    progress.update(task, advance=1)

            t0 = time.perf_counter()
            feats = restrict_to_source(con, build_features(con, [TODAY]), SOURCE)
            features_s = time.perf_counter() - t0
            step()
            t0 = time.perf_counter()
            rows = score_customers(booster, cal, feats, TODAY, version)
            scoring_s = time.perf_counter() - t0
            step()
            t0 = time.perf_counter()
            write_scores(con, rows, TODAY)
            write_s = time.perf_counter() - t0
            step()
            X = matrix(feats)
            t0 = time.perf_counter()
            bare = booster.predict(X)
            bare_s = time.perf_counter() - t0
            written = con.execute("SELECT count(*) FROM churn_scores WHERE as_of = ?", [TODAY]).fetchall()[0][0]
        finally:
            con.close()
    prob = rows["churn_probability"].to_numpy()
    total = features_s + scoring_s + write_s
    return {
        "customers": counts["customers"], "orders": counts["orders"], "lines": counts["lines"],
        "scored": int(len(rows)), "written": int(written), "features_rows": int(len(feats)),
        "generation_s": round(gen_s, 2), "train_s": round(train_s, 2),
        "model": {"trained_on_customers": train_n, "trees": booster.num_trees(),
                  "num_leaves": int(booster.params.get("num_leaves", 0)) or None, "calibration": cal.method},
        "features_s": round(features_s, 2), "scoring_s": round(scoring_s, 2), "write_s": round(write_s, 2),
        "total_s": round(total, 2), "customers_per_s": round(len(rows) / total),
        "bare_predict_s": round(bare_s, 3), "ratio_to_bare_predict": round(total / bare_s, 1),
        "probability": {"min": round(float(prob.min()), 4), "mean": round(float(prob.mean()), 4),
                        "max": round(float(prob.max()), 4)},
        "risk_bands": {k: int(v) for k, v in rows["risk_band"].value_counts().items()},
        "max_abs_diff_vs_bare": round(float(np.max(np.abs(cal.apply(bare) - prob))), 4),
        "peak_rss_gb": _peak_rss_gb(), "peak_rss_after_generation_gb": rss_after_gen,
        "duckdb": {"memory_limit": memory_limit, "threads": threads},
        "what": "total = features SQL + source filter + score_customers (matrix, predict, calibration, band, "
                "drivers, RFM, CLV, lifecycle) + write_scores; the same calls `retain score` makes",
    }

