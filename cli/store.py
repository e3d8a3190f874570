"""Store commands: init, import, demo, serve, bench import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli.common import bench_app, console, err_console, friendly, print_json, progress, settings
from cli.import_options import DATE_FORMAT, IDS, MAPPING, OFFSETS, import_options, print_import_report
from core.errors import RetainError

app = typer.Typer()  # merged into the `retain` app by cli.main

SOURCES = ["online-retail", "tau-retail", "generic"]

@app.command()
@friendly
def init() -> None:
    """Create the data directory and an empty, migrated shop store."""
    from shop.db import connect

    s = settings()
    s.ensure_dirs()
    con = connect(s.db_path)
    con.close()
    console().print(f"store ready at {s.db_path}")


@app.command("import")
@friendly
def import_(
    source: str = typer.Argument(..., help=f"one of: {', '.join(SOURCES)}"),
    path: Path = typer.Argument(..., help="file (or, for tau-retail, the folder with users/orders/products)"),
    mapping: Path = MAPPING,
    date_format: str = DATE_FORMAT,
    offsets: str = OFFSETS,
    ids: str = IDS,
    as_json: bool = typer.Option(False, "--json", help="print the report as one JSON object"),
) -> None:
    """Import a data source into the store: validated, all-or-nothing, idempotent."""
    from shop.db import connect
    from shop.importers import run_import

    options = import_options(date_format, offsets, ids)
    s = settings()
    s.ensure_dirs()
    con = connect(s.db_path)
    try:
        with progress() as bar:
            report = run_import(con, source, path, mapping=mapping, progress=bar, options=options)
    finally:
        con.close()
    if as_json:
        print_json(report)
    else:
        print_import_report(report)


@app.command()
@friendly
def demo(
    as_json: bool = typer.Option(False, "--json", help="print the build report as one JSON object"),
) -> None:
    """Build the demo shop end to end: store from real data, knowledge base, churn scores, recommender."""
    import json

    from cli.pipeline import build_demo_all

    s = settings()
    with progress() as bar:
        report = build_demo_all(s, progress=bar, log=lambda m: err_console().print(m))
    (s.data_dir / "demo_report.json").write_text(json.dumps(report, indent=2, default=str))
    if as_json:
        print_json(report)
    else:
        console().print(f"demo shop built in {s.data_dir}")
        for step, r in report.items():
            console().print(f"  {step}: {r}")


@app.command()
@friendly
def serve(
    host: str = typer.Option(None, "--host", help="default: $RETAIN_UI_HOST or 127.0.0.1"),
    port: int = typer.Option(None, "--port", help="default: $RETAIN_UI_PORT or 7860"),
    mcp: bool = typer.Option(False, "--mcp", help="also expose the tools over MCP"),
    demo: bool = typer.Option(False, "--demo", help="demo mode: the customer picker, /shop-demo/ and a widget "
                                                   "secret generated for this run if none is set"),
) -> None:
    """Serve the web app."""
    from ui.app import launch

    s = settings()
    if demo:
        s = s.model_copy(update={"demo": True})
    if s.model == "llamacpp" or s.model.startswith("llamacpp:"):  # load the model while the app starts
        import threading

        threading.Thread(target=_warm_up, args=(s,), daemon=True, name="llm-warm-up").start()
    launch(s, host=host or s.ui_host, port=port or s.ui_port, mcp=mcp)


def _warm_up(s: Any) -> None:
    from agent.llm.llamacpp import warm_up

    try:
        err_console().print(f"model warmed up in {warm_up(s):.0f} s", highlight=False)
    except RetainError as e:  # the chat will say the same on first use; the rest of the app works
        err_console().print(f"[bold red]model not ready:[/] {e}", highlight=False)


@bench_app.command("import")
@friendly
def bench_import(
    path: Path = typer.Argument(Path("../shared/data/online_retail/online_retail.csv.gz"),
                                help="an Online Retail file"),
    repeat: int = typer.Option(3, "--repeat", min=1, help="fresh-store imports to time (median and best)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Throughput of the Online Retail importer: full imports into fresh stores, then one re-import (rows/s)."""
    import os
    import resource
    import statistics
    import tempfile

    from shop.db import connect
    from shop.importers import run_import

    runs, again = [], {}
    with tempfile.TemporaryDirectory() as tmp, progress() as bar:
        task = bar.add_task("bench import", total=repeat + 1)
        for i in range(repeat):
            con = connect(Path(tmp) / f"bench{i}.duckdb")
            runs.append(run_import(con, "online-retail", path))
            bar.update(task, advance=1)
            if i == repeat - 1:
                again = run_import(con, "online-retail", path)
                bar.update(task, advance=1)
            con.close()
    secs = [r["seconds"] for r in runs]
    best = min(runs, key=lambda r: r["seconds"])
    median = statistics.median(secs)
    out = {"path": str(path), "rows": best["rows_read"], "repeat": repeat,
           "seconds_median": round(median, 2), "seconds_best": round(min(secs), 2),
           "seconds_all": [round(x, 2) for x in secs],
           "rows_per_s": round(best["rows_read"] / max(median, 1e-9)),
           "phases_best": best.get("phases", {}),
           "reimport_seconds": round(again["seconds"], 2),
           "reimport_inserted": sum(again["inserted"].values()),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
           "cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2),
           "target_seconds": 30, "meets_target": median < 30}
    if as_json:
        print_json(out)
    else:
        for k, v in out.items():
            console().print(f"{k}: {v}")
