"""What every command module shares: the command groups, the Settings, and error reporting."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from core.config import Settings
from core.errors import RetainError

train_app = typer.Typer(help="Train models (churn, recommender, router).", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate against baselines on real data; --json prints one JSON object.",
                       no_args_is_help=True)
bench_app = typer.Typer(help="Performance benchmarks that print numbers.", no_args_is_help=True)

_settings: Settings | None = None


def settings() -> Settings:
    """The process's one Settings object (built on first use from env/.env and the global options)."""
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings


def set_settings(s: Settings) -> None:
    global _settings
    _settings = s


F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn a RetainError into one clear line on stderr and exit status 2, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if not isinstance(e, RetainError):  # a full, read-only or locked data dir is one line too
                from shop.db import as_store_error

                if (store := as_store_error(e)) is None:
                    raise
                e = store
            from rich.markup import escape

            # one line, never re-wrapped at the terminal's width (a path or column name stays whole for grep)
            # and never read as rich markup (a message may hold "[...]")
            err_console().print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def console() -> Any:
    from rich.console import Console

    return Console()


def print_json(obj: Any) -> None:
    """Exactly one JSON object on stdout (logs go to stderr)."""
    sys.stdout.write(json.dumps(obj, indent=2, default=str) + "\n")
    sys.stdout.flush()


def progress() -> Any:
    """A rich progress bar on stderr, so --json output on stdout stays clean."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err_console(), transient=False)


# How to read what a file leaves ambiguous (shared by import, eval churn and eval recommender); see ImportOptions.
DATE_FORMAT = typer.Option(None, "--date-format", help="dayfirst, monthfirst, unix (epoch seconds) or a strftime "
                           "format; needed when a column's nn/nn/yyyy dates read both ways")
OFFSETS = typer.Option(None, "--offsets", help="utc (convert to UTC) or local (keep the clock time); needed when "
                       "timestamps carry UTC offsets")
IDS = typer.Option(None, "--ids", help="exact (keep '0042' and '42' apart) or strip-zeros (one id); needed when "
                   "ids differ only by leading zeros")


def import_options(date_format: str | None, offsets: str | None, ids: str | None) -> Any:
    from shop.importers.common import ImportOptions

    return ImportOptions(date_format=date_format, offsets=offsets, ids=ids)


def import_for_eval(data: Path, mapping: Path | None, options: Any, bar: Any) -> tuple[Any, dict[str, Any]]:
    """A fresh in-memory store holding `data` (Online Retail by its header, else a generic log), and the import
    report, which is printed on stderr (rows read, inserted, and every rejection with its reason)."""
    import gzip

    from core.errors import RetainError
    from shop.db import connect
    from shop.importers import run_import

    if not data.exists():
        raise RetainError(f"{data}: no such file")
    with data.open("rb") as f:
        gz = f.read(2) == b"\x1f\x8b"
    with (gzip.open(data, "rt", errors="replace") if gz else data.open(encoding="utf-8", errors="replace")) as f:
        first = f.readline(4096)
    source = "online-retail" if ("InvoiceNo" in first or "Invoice" in first) and not mapping else "generic"
    con = connect(None)
    try:
        report = run_import(con, source, data, mapping=mapping, progress=bar, options=options)
    except BaseException:
        con.close()
        raise
    print_import_report(report, err_console())
    return con, report


def print_import_report(report: dict, c: Any = None) -> None:
    from rich.table import Table

    c = c or console()
    c.print(f"[bold]{report['source']}[/] from {report['path']}: {report['rows_read']:,} rows read "
            f"in {report['seconds']:.1f} s")
    if not any(report["inserted"].values()) and not any((report.get("updated") or {}).values()):
        c.print("nothing new: everything in this file is already in the store")
    updated = report.get("updated") or {}
    t = Table("table", "inserted", *(["updated"] if updated else []))
    for k, v in report["inserted"].items():
        t.add_row(k, f"{v:,}", *([f"{updated.get(k, 0):,}"] if updated else []))
    c.print(t)
    if report["rejected"]:
        r = Table("rejected because", "rows")
        for k, v in report["rejected"].items():
            r.add_row(k, f"{v:,}")
        c.print(r)
    for column, how in (report.get("notes") or {}).items():
        c.print(f"{column}: dates read {how}")
