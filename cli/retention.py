"""Retention commands: train churn, score, eval churn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from cli.common import console, eval_app, friendly, print_json, progress, settings, train_app
from cli.import_options import DATE_FORMAT, IDS, MAPPING, OFFSETS, import_for_eval, import_options

app = typer.Typer()  # merged into the `retain` app by cli.main


@train_app.command("churn")
@friendly
def train_churn(as_json: bool = typer.Option(False, "--json")) -> None:
    """Train the churn model on the store and write the scores table (as of the shop's today)."""
    from retention.pipeline import train_and_score

    out = train_and_score(settings())
    print_json(out) if as_json else console().print(out)


@app.command()
@friendly
def score(as_json: bool = typer.Option(False, "--json")) -> None:
    """Score every customer (train, calibrate, explain, segment) and refresh the scores table."""
    train_churn(as_json)


@eval_app.command("churn")
@friendly
def eval_churn(
    data: Path = typer.Option(None, "--data", help="an importable file: Online Retail, or a generic transaction log"),
    mapping: Path = MAPPING,
    cutoff: str = typer.Option("2011-09-09", "--cutoff", help="test cutoff (YYYY-MM-DD)"),
    horizon: int = typer.Option(90, "--horizon", min=1, help="H: churned = no purchase in H days after the cutoff"),
    as_json: bool = typer.Option(False, "--json"),
    date_format: str = DATE_FORMAT,
    offsets: str = OFFSETS,
    ids: str = IDS,
) -> None:
    """Temporal-holdout evaluation of LightGBM beside logreg, MLP, recency and BG/NBD, for both populations.

    The import report (rows read, and every rejection with its reason) is printed on stderr and kept in the JSON
    under "import"; a label window the data stops short of is refused."""
    from core.errors import RetainError
    from retention.evaluate import evaluate
    from shop.db import connect

    try:
        test_cutoff = dt.date.fromisoformat(cutoff)
    except ValueError:
        raise RetainError(f"--cutoff {cutoff!r} is not a date (YYYY-MM-DD)") from None
    imported = None
    if data is not None:
        options = import_options(date_format, offsets, ids)
        with progress() as bar:
            con, imported = import_for_eval(data, mapping, options, bar)
        name = str(data)
    else:
        con = connect(settings().db_path, read_only=True)
        name = str(settings().db_path)
    report = evaluate(con, test_cutoff, horizon)
    report = {"dataset": name, **report, **({"import": imported} if imported else {})}
    if as_json:
        print_json(report)
        return
    from rich.table import Table

    for pop, v in report["populations"].items():
        t = Table(title=f"{pop} population at {report['cutoff']}, H={horizon}: n={v['n']}, churn rate "
                        f"{v['churn_rate']:.1%}")
        cols = ["roc_auc", "pr_auc", "brier", "ece", "lift@10", "capture@10"]
        for c in ["model", *cols]:
            t.add_column(c)
        for m, x in v["models"].items():
            t.add_row(m, *[f"{x[c]:.3f}" for c in cols])
        console().print(t)


@eval_app.command("sentiment")
@friendly
def eval_sentiment(
    data: Path = typer.Option(Path("../shared/data/reviews/womens_clothing_ecommerce_reviews.csv.gz"), "--data",
                              help="reviews CSV with Title, Review Text, Rating"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Held-back macro-F1 of the sentiment model beside a lexicon and a majority baseline."""
    from core.errors import RetainError
    from retention.sentiment import evaluate_reviews

    if not data.exists():
        fallback = Path(__file__).resolve().parents[2] / "shop" / "demo_data" / "reviews_subset.csv.gz"
        if not fallback.exists():
            raise RetainError(f"{data}: no such file")
        data = fallback
    out = evaluate_reviews(data)
    print_json(out) if as_json else console().print(out)
