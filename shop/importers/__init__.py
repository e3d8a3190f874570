"""Importers: validated, all-or-nothing (one transaction), idempotent, each reporting counts and rejections.

`run_import(con, source, path)` dispatches on the source name: 'online-retail', 'tau-retail', 'generic'.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import RetainError

if TYPE_CHECKING:
    import duckdb

    from shop.importers.common import ImportOptions

SOURCES = ("online-retail", "tau-retail", "generic")


def run_import(con: duckdb.DuckDBPyConnection, source: str, path: Path | str,
               mapping: Path | dict[str, Any] | None = None, progress: Any = None,
               options: ImportOptions | None = None) -> dict[str, Any]:
    """Import `path` as `source`, all-or-nothing and idempotent. `options` say how to read dates, UTC offsets and
    ids a file leaves ambiguous (shop.importers.common.ImportOptions; τ-bench files have no such columns).

    Returns {source, path, rows_read, inserted {table: n}, rejected {reason: n}, seconds, phases {phase: s}}.
    Raises ImportDataError (naming file, line, column) for malformed input, leaving the store unchanged."""
    path = Path(path)
    if mapping is not None and source != "generic":
        raise RetainError(f"--mapping only applies to the 'generic' source, not {source!r}")
    if source == "online-retail":
        from shop.importers.online_retail import import_online_retail

        return import_online_retail(con, path, progress=progress, options=options)
    if source == "tau-retail":
        from shop.importers.tau import import_tau

        return import_tau(con, path, progress=progress)
    if source == "generic":
        from shop.importers.generic import import_generic

        return import_generic(con, path, mapping=mapping, progress=progress, options=options)
    raise RetainError(f"unknown import source {source!r}; choose one of: {', '.join(SOURCES)}")
