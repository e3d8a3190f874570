"""Recommender commands: train, eval, bench."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.common import bench_app, console, eval_app, friendly, print_json, progress, settings, train_app
from cli.import_options import DATE_FORMAT, IDS, MAPPING, OFFSETS, import_for_eval, import_options

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
    data: Path = typer.Option(DEFAULT_DATA, "--data", help="a transaction or rating log: Online Retail (the "
                              "default), or any log the generic importer reads"),
    mapping: Path = MAPPING,
    split: str = typer.Option("temporal", "--split", help="temporal (the last --test-days days are the test) or "
                              "per-user (each user's last fifth)"),
    k: int = typer.Option(10, "--k", min=1, max=1000, help="list length: metrics are @k"),
    test_days: int = typer.Option(30, "--test-days", min=1, help="temporal: days in the test part"),
    date_format: str = DATE_FORMAT,
    offsets: str = OFFSETS,
    ids: str = IDS,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Popularity, repeat, item-item, ALS, BPR, content and blend at k, protocols all and new; hyperparameters and
    blend weights are chosen on an inner split of the training part. The import report is printed on stderr."""
    from core.errors import RetainError
    from retention.recsys.evaluate import evaluate_log
    from vectorstore.embeddings import embedder_for

    if split not in ("temporal", "per-user"):
        raise RetainError(f"--split {split!r}: use temporal or per-user")
    if not data.exists():
        raise RetainError(f"{data}: no such file (pass --data with a transaction or rating log)")
    options = import_options(date_format, offsets, ids)
    with progress() as bar:
        con, imported = import_for_eval(data, mapping, options, bar)
        try:
            report = evaluate_log(con, lambda texts: embedder_for(settings()).embed(texts), split=split, k=k,
                                  test_days=test_days, progress=bar)  # the embedder loads only if items have names
        finally:
            con.close()
    report = {**report, "dataset": str(data), "import": imported}
    if as_json:
        print_json(report)
        return
    from rich.table import Table

    cols = (f"ndcg@{k}", f"precision@{k}", f"recall@{k}", f"map@{k}", "coverage")
    dates = report["split"]
    where = (f"{dates['test_from']}..{dates['test_to']}" if dates["kind"] == "temporal" else dates["holdout"])
    for protocol, v in report["protocols"].items():
        t = Table("model", *cols, title=f"protocol {protocol}, {split} split: {where}")
        for m, x in v["models"].items():
            t.add_row(m, *(f"{x[c]:.4f}" for c in cols))
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
