"""What every importer shares: reading a file safely, column checks, locating the bad cell, and writing
set-based inside one transaction."""

from __future__ import annotations

import gzip
import hashlib
import io
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ImportDataError
from shop.db import scalar

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is gzip. A missing, 0-byte or corrupt file is one clear error."""
    if not path.exists():
        raise ImportDataError(path, "no such file")
    if path.is_dir():
        raise ImportDataError(path, "is a folder, expected a file")
    raw = path.read_bytes()
    if not raw:
        raise ImportDataError(path, "the file is empty (0 bytes)")
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as e:
            raise ImportDataError(path, f"not a readable gzip file ({e})") from None
        if not raw:
            raise ImportDataError(path, "the file is empty once decompressed")
    return raw


def decode_utf8(path: Path, raw: bytes) -> str:
    """Text of a UTF-8 file (a BOM is allowed); otherwise an error naming the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        hint = " (looks like UTF-16)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise ImportDataError(path, f"not UTF-8 text{hint}: byte 0x{raw[e.start]:02x} cannot be decoded; "
                              "re-save the file as UTF-8", line=line) from None


def read_csv_text(path: Path, text: str) -> pd.DataFrame:
    """All columns as strings, empty cells as ''. Refuses binary or non-tabular content clearly."""
    import pandas as pd

    if "\x00" in text[:4096]:
        raise ImportDataError(path, "this is not a CSV file (it contains binary data)", line=1)
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in first and "\t" not in first and ";" not in first:
        raise ImportDataError(path, f"this does not look like CSV: the first line has no column separator "
                              f"({first[:60]!r})", line=1)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as e:
        import re

        msg = str(e).replace("Error tokenizing data. C error: ", "").strip()
        line = None  # pandas counts 'line N' from 1 (header included) but 'row N' from 0
        if m := re.search(r"line (\d+)", msg):
            line = int(m.group(1))
        elif m := re.search(r"row (\d+)", msg):
            line = int(m.group(1)) + 1
        raise ImportDataError(path, f"malformed CSV: {msg}", line=line) from None
    except pd.errors.EmptyDataError:
        raise ImportDataError(path, "the file has no header line", line=1) from None
    df.columns = [str(c).strip() for c in df.columns]
    return df


def require_columns(path: Path, df: pd.DataFrame, required: Iterable[str]) -> None:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ImportDataError(path, f"missing column(s) {', '.join(map(repr, missing))}; found "
                              f"{', '.join(map(repr, df.columns))}", line=1)


def first_bad(path: Path, df: pd.DataFrame, mask: Any, column: str, what: str) -> None:
    """Raise for the first row where `mask` is true, naming its file line (header = line 1)."""
    import numpy as np

    bad = np.flatnonzero(np.asarray(mask))
    if len(bad):
        i = int(bad[0])
        value = df[column].iloc[i]
        raise ImportDataError(path, f"{what}: {value!r} ({len(bad):,} such rows)", line=i + 2, column=column)


def to_number(path: Path, df: pd.DataFrame, column: str, integer: bool = False, allow_empty: bool = False
              ) -> pd.Series:
    import pandas as pd

    s = df[column].str.strip()
    num = pd.to_numeric(s, errors="coerce")
    empty = s == ""
    bad = num.isna() & ~(empty & allow_empty)
    first_bad(path, df, bad, column, "not a number")
    if integer:
        frac = num.notna() & (num != num.round())
        first_bad(path, df, frac, column, "not a whole number")
    return num


def to_timestamp(path: Path, df: pd.DataFrame, column: str, allow_empty: bool = False) -> pd.Series:
    import pandas as pd

    s = df[column].str.strip()
    ts = pd.to_datetime(s, errors="coerce", format="mixed")
    first_bad(path, df, ts.isna() & ~((s == "") & allow_empty), column, "not a date/time")
    return ts


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def insert_new(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> int:
    """INSERT OR IGNORE the frame's rows (columns named as the table's); returns how many were new."""
    if df is None or len(df) == 0:
        return 0
    before = scalar(con, f"SELECT count(*) FROM {table}")
    name = f"_in_{table}"
    con.register(name, df)
    try:
        cols = ", ".join(df.columns)
        con.execute(f"INSERT OR IGNORE INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        con.unregister(name)
    after = scalar(con, f"SELECT count(*) FROM {table}")
    return int(after - before)


def upsert(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame, key: str,
           keep: tuple[str, ...] = ("source",)) -> tuple[int, int]:
    """Insert new rows, and update the given columns (all but `key` and `keep`) of existing ones; a NULL in the
    frame keeps the stored value.

    Returns (inserted, updated), where updated counts existing rows whose values actually changed, so importing
    the same file twice reports (0, 0)."""
    if df is None or len(df) == 0:
        return 0, 0
    name = f"_up_{table}"
    cols = list(df.columns)
    sets = [c for c in cols if c != key and c not in keep]
    con.register(name, df)
    try:
        changed = " OR ".join(f"(n.{c} IS NOT NULL AND t.{c} IS DISTINCT FROM n.{c})" for c in sets) or "false"
        updated = scalar(con, f"SELECT count(*) FROM {name} n JOIN {table} t USING ({key}) WHERE {changed}")
        before = scalar(con, f"SELECT count(*) FROM {table}")
        action = (f"DO UPDATE SET {', '.join(f'{c} = coalesce(excluded.{c}, {table}.{c})' for c in sets)}"
                  if sets else "DO NOTHING")
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM {name} "
                    f"ON CONFLICT ({key}) {action}")
        after = scalar(con, f"SELECT count(*) FROM {table}")
    finally:
        con.unregister(name)
    return int(after - before), int(updated)


class Report:
    """Counts an import reports: rows read, inserted per table, rejected per reason."""

    def __init__(self, source: str, path: Path):
        self.source, self.path = source, path
        self.rows_read = 0
        self.inserted: dict[str, int] = {}
        self.rejected: dict[str, int] = {}
        self.updated: dict[str, int] = {}
        self.phases: dict[str, float] = {}
        self.t0 = time.perf_counter()

    def reject(self, reason: str, n: int) -> None:
        if n:
            self.rejected[reason] = self.rejected.get(reason, 0) + int(n)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "path": str(self.path), "rows_read": self.rows_read,
                "inserted": self.inserted, "updated": self.updated, "rejected": self.rejected,
                "seconds": round(time.perf_counter() - self.t0, 3), "phases": self.phases}

    def record(self, con: duckdb.DuckDBPyConnection, sha256: str) -> None:
        import json

        d = self.as_dict()
        con.execute("INSERT INTO import_runs VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp, ?)",
                    [uuid.uuid4().hex, self.source, str(self.path), sha256, self.rows_read,
                     json.dumps(self.inserted), json.dumps(self.rejected), d["seconds"]])


class Steps:
    """A thin wrapper over an optional rich Progress: one bar advancing through named phases, timing each.

    Labels read 'source: phase'; `phases` maps each finished phase to its seconds (for `retain bench import`)."""

    def __init__(self, progress: Any, label: str, total: int):
        self.progress = progress
        self.task = progress.add_task(label, total=total) if progress is not None else None
        self.current, self.t = label, time.perf_counter()
        self.phases: dict[str, float] = {}

    def advance(self, description: str | None = None) -> None:
        now = time.perf_counter()
        phase = self.current.split(": ", 1)[-1]
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self.t, 3)
        self.current, self.t = description or self.current, now
        if self.progress is not None:
            self.progress.update(self.task, advance=1, **({"description": description} if description else {}))
