"""Recommender commands: train, eval, bench."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.common import (
    bench_app,
    console,
    eval_app,
    friendly,
    print_json,
    progress,
    settings,
    train_app,
)

DEFAULT_DATA = Path("../shared/data/online_retail/online_retail.csv.gz")


@train_app.command("recommender")
@friendly
def train_recommender(as_json: bool = typer.Option(False, "--json")) -> None:
    """Train the recommender on the store (saved as npz + JSON under the data dir)."""
    from retention.recommend import train_recommender as train

    out = train(settings())
    print_json(out) if as_json else console().print(out)


@eval_app.command("recommender")
@friendly
def eval_recommender(
    data: Path = typer.Option(DEFAULT_DATA, "--data", help="the Online Retail file"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Online Retail temporal split, protocols all and new: popularity, repeat, item-item, ALS, BPR, content, blend."""
    from core.errors import RetainError
    from retention.recsys.evaluate import evaluate_online_retail
    from shop.db import connect
    from shop.importers import run_import
    from vectorstore.embeddings import embedder_for

    if not data.exists():
        raise RetainError(f"{data}: no such file (pass --data with the Online Retail CSV)")
    con = connect(None)
    with progress() as bar:
        run_import(con, "online-retail", data, progress=bar)
        report = evaluate_online_retail(con, embedder_for(settings()).embed, progress=bar)
    report["dataset"] = str(data)
    if as_json:
        print_json(report)
        return
    from rich.table import Table

    for protocol, v in report["protocols"].items():
        t = Table("model", "recall@10", "ndcg@10", "map@10", "coverage",
                  title=f"protocol {protocol}: {report['split']['test_from']}..{report['split']['test_to']}")
        for m, x in v["models"].items():
            t.add_row(m, *(f"{x[c]:.4f}" for c in ("recall@10", "ndcg@10", "map@10", "coverage")))
        console().print(t)


@bench_app.command("recommender")
@friendly
def bench_recommender(calls: int = typer.Option(300, "--calls"), as_json: bool = typer.Option(False, "--json")
                      ) -> None:
    """Training time, p95 latency of one recommend() call, and a bare `implicit` recommend call for the ratio."""
    import time

    import numpy as np
    import scipy.sparse as sp

    from retention.recommend import Recommender, train_recommender

    s = settings()
    t0 = time.perf_counter()
    train_recommender(s)
    train_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    rec = Recommender.load(s)
    load_s = time.perf_counter() - t0
    users = list(rec.uidx)[:calls]
    lat = []
    for u in users:
        t = time.perf_counter()
        rec.recommend(u, 10)
        lat.append((time.perf_counter() - t) * 1000)
    from implicit.cpu.als import AlternatingLeastSquares

    als = AlternatingLeastSquares(factors=rec.user_f.shape[1])
    als.user_factors, als.item_factors = rec.user_f.astype(np.float32), rec.item_f.astype(np.float32)
    bare = []
    for u in users:
        row = sp.csr_matrix(rec.bought[rec.uidx[u]])
        t = time.perf_counter()
        als.recommend(rec.uidx[u], row, N=10, filter_already_liked_items=True)
        bare.append((time.perf_counter() - t) * 1000)
    out = {"calls": len(lat), "train_s": round(train_s, 2), "load_s": round(load_s, 3),
           "p50_ms": round(float(np.percentile(lat, 50)), 2), "p95_ms": round(float(np.percentile(lat, 95)), 2),
           "implicit_recommend_p95_ms": round(float(np.percentile(bare, 95)), 3),
           "ratio_p95": round(float(np.percentile(lat, 95) / max(np.percentile(bare, 95), 1e-6)), 1),
           "catalogue": len(rec.items), "target_p95_ms": 20}
    print_json(out) if as_json else console().print(out)
