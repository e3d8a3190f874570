"""Import options shared by `retain import`, `retain eval churn` and `retain eval recommender`: how to read what a
file leaves ambiguous, a fresh store for an evaluation, and the import report as people read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli.common import console, err_console

# How to read what a file leaves ambiguous (shared by import, eval churn and eval recommender); see ImportOptions.
DATE_FORMAT = typer.Option(None, "--date-format", help="dayfirst, monthfirst, unix (epoch seconds) or a strftime "
                           "format; needed when a column's nn/nn/yyyy dates read both ways")
OFFSETS = typer.Option(None, "--offsets", help="utc (convert to UTC) or local (keep the clock time); needed when "
                       "timestamps carry UTC offsets")
MAPPING = typer.Option(None, "--mapping", help="JSON column mapping for a generic log (see docs/data.md)")
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
