"""Demo shop commands: `retain personas` (the named demo customers) and `retain bench demo` (build time)."""

from __future__ import annotations

import typer

from cli.common import bench_app, console, friendly, print_json, settings

app = typer.Typer()  # merged into the `retain` app by cli.main


@app.command()
@friendly
def personas(as_json: bool = typer.Option(False, "--json", help="print them as one JSON object")) -> None:
    """The named demo customers (same ids, emails and order ids for every seed) and their situations."""
    from dataclasses import asdict

    from shop.demo_personas import DEMO_PERSONAS

    if as_json:
        print_json({k: asdict(p) for k, p in DEMO_PERSONAS.items()})
        return
    from rich.table import Table

    t = Table("persona", "customer", "email", "lang", "order", "situation")
    for p in DEMO_PERSONAS.values():
        t.add_row(p.key, p.customer_id, p.email, p.language, p.order_id or p.ticket_id or "", p.description)
    console().print(t)


@bench_app.command("demo")
@friendly
def bench_demo(
    customers: int = typer.Option(None, "--customers", help="Online Retail customers (default: the setting)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Build the demo store into a temporary folder and report the seconds it took and what it made."""
    import tempfile
    import time
    from pathlib import Path

    from shop.demo import build_demo

    base = settings()
    with tempfile.TemporaryDirectory() as tmp:
        s = base.model_copy(update={"data_dir": Path(tmp) / "data",
                                    "demo_customers": customers or base.demo_customers})
        t0 = time.perf_counter()
        report = build_demo(s)
        seconds = time.perf_counter() - t0
    out = {"seconds": round(seconds, 2), "target_seconds": 20, "seed": s.seed, "demo_customers": s.demo_customers,
           "counts": report["counts"], "generated": report["generated"]}
    if as_json:
        print_json(out)
    else:
        console().print(f"demo store built in {out['seconds']} s (target {out['target_seconds']} s)")
        for k, v in out["counts"].items():
            console().print(f"  {k}: {v:,}")
