"""`retain bench scoring`: features plus churn scoring for a large generated shop, against a bare predict."""

from __future__ import annotations

import typer

from cli.common import bench_app, console, friendly, print_json, progress


@bench_app.command("scoring")
@friendly
def bench_scoring(
    customers: int = typer.Option(1_000_000, "--customers", help="generated customers"),
    lines_per_customer: int = typer.Option(20, "--lines-per-customer", help="order lines per customer, on average"),
    train_customers: int = typer.Option(5_000, "--train-customers",
                                        help="customers in the separate small store the model is trained on"),
    memory_limit: str = typer.Option("3GB", "--memory-limit", help="DuckDB memory_limit for the store"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time the feature SQL and the production scoring step (`retain score`) on N generated customers; print
    customers/s, the ratio to a bare LightGBM predict over the same matrix, and peak RSS."""
    from core.errors import RetainError
    from retention.bench_scoring import run_bench

    if customers < 1 or lines_per_customer < 1 or train_customers < 1:
        raise RetainError(f"--customers ({customers}), --lines-per-customer ({lines_per_customer}) and "
                          f"--train-customers ({train_customers}) must be >= 1")
    with progress() as bar:
        out = run_bench(customers, lines_per_customer, memory_limit=memory_limit, train_customers=train_customers,
                        progress=bar)
    if as_json:
        print_json(out)
        return
    console().print(
        f"[bold]{out['customers']:,} customers, {out['lines']:,} order lines[/] (generated in {out['generation_s']} s)\n"
        f"features {out['features_s']} s + scoring {out['scoring_s']} s + write {out['write_s']} s = "
        f"[bold]{out['total_s']} s[/], {out['customers_per_s']:,} customers/s\n"
        f"bare booster.predict over the same matrix: {out['bare_predict_s']} s; "
        f"ratio total / bare predict: {out['ratio_to_bare_predict']}x\n"
        f"peak RSS {out['peak_rss_gb']} GB (after generation {out['peak_rss_after_generation_gb']} GB)",
        highlight=False)
