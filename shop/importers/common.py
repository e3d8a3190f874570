"""What every importer shares: reading a file safely, column checks, locating the bad cell, and writing
set-based inside one transaction."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ImportDataError
from shop.db import scalar

if TYPE_CHECKING:
    import duckdb
    import pandas as pd


MAX_LINE_BYTES = 1 << 20       # one CSV line (a row) may be at most 1 MiB ...
MAX_FIELD_CHARS = 100_000      # ... and one cell at most 100,000 characters (a quoted cell may span lines)
MAX_NUMBER = 1e12              # |price|, |amount| and |quantity| above this are typing errors, not sales
EARLIEST = dt.datetime(1970, 1, 1)  # dates before this, or more than a year after today, are errors
DATE_FORMATS = ("dayfirst", "monthfirst", "unix")
OFFSET_MODES = ("utc", "local")
ID_MODES = ("exact", "strip-zeros")


@dataclass(frozen=True)
class ImportOptions:
    """How to read what a file leaves ambiguous; the defaults refuse to guess (see README, Importing data).

    - date_format: None (ISO 8601, or day/month order settled by a day above 12; an undecidable column is an
      error naming both readings), 'dayfirst', 'monthfirst', 'unix' (epoch seconds), or a strftime format;
    - offsets: None (a value with a UTC offset is an error), 'utc' (convert to UTC, then drop the offset) or
      'local' (keep the local clock time as written, drop the offset);
    - ids: None (ids that differ only by leading zeros, '0042' and '42', are an error), 'exact' (keep them
      apart) or 'strip-zeros' (all-digit ids lose their leading zeros, so they are one id)."""

    date_format: str | None = None
    offsets: str | None = None
    ids: str | None = None

    def __post_init__(self) -> None:
        from core.errors import RetainError

        if self.date_format is not None and self.date_format not in DATE_FORMATS and "%" not in self.date_format:
            raise RetainError(f"--date-format {self.date_format!r}: use one of {', '.join(DATE_FORMATS)} or a "
                              "strftime format such as '%d/%m/%Y %H:%M'")
        if self.offsets is not None and self.offsets not in OFFSET_MODES:
            raise RetainError(f"--offsets {self.offsets!r}: use one of {', '.join(OFFSET_MODES)}")
        if self.ids is not None and self.ids not in ID_MODES:
            raise RetainError(f"--ids {self.ids!r}: use one of {', '.join(ID_MODES)}")


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
    _check_line_lengths(path, text)
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
    if len(df) + 1 < text.count("\n"):  # quoted cells span lines: the line check alone does not bound a cell
        check_field_lengths(path, df)
    return df


def _check_line_lengths(path: Path, text: str) -> None:
    """Refuse a line longer than MAX_LINE_BYTES before pandas sees it (a 200 MB one-cell file took 2.2 GB)."""
    import numpy as np

    raw = np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    ends = np.concatenate([[-1], np.flatnonzero(raw == 10), [len(raw)]])
    lengths = np.diff(ends) - 1
    i = int(np.argmax(lengths))
    if lengths[i] > MAX_LINE_BYTES:
        raise ImportDataError(path, f"line is {int(lengths[i]):,} bytes long; a row may be at most "
                              f"{MAX_LINE_BYTES:,} bytes (is this really a CSV of one row per line?)", line=i + 1)


def check_field_lengths(path: Path, df: pd.DataFrame) -> None:
    """Refuse a cell longer than MAX_FIELD_CHARS, naming its line and column."""
    for col in df.columns:
        n = df[col].astype(str).str.len()
        first_bad(path, df.assign(**{col: df[col].astype(str).str[:40] + "..."}), n > MAX_FIELD_CHARS, col,
                  f"a cell longer than {MAX_FIELD_CHARS:,} characters")


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
    first_bad(path, df, num.notna() & ~num.between(-MAX_NUMBER, MAX_NUMBER), column,
              f"not a finite number of at most {MAX_NUMBER:,.0f} in size")
    if integer:
        frac = num.notna() & (num != num.round())
        first_bad(path, df, frac, column, "not a whole number")
    return num


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_OFFSET = re.compile(r"^(.*\d:\d\d(?::\d\d(?:[.,]\d+)?)?)\s*(Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)$", re.IGNORECASE)


def to_timestamp(path: Path, df: pd.DataFrame, column: str, allow_empty: bool = False,
                 options: ImportOptions | None = None, notes: dict[str, str] | None = None) -> pd.Series:
    """Parse a date/time column without guessing: see ImportOptions. Every distinct value is read once.

    `notes`, when given, receives how the column was read when the file itself settled it (day/month order)."""
    import pandas as pd

    opts = options or ImportOptions()
    s = df[column].str.strip()
    uniq = pd.Series(s[s != ""].unique(), dtype=object)
    line_of = _line_finder(s)
    if opts.date_format == "unix":
        secs = pd.to_numeric(uniq, errors="coerce")
        parsed = pd.to_datetime(secs.where(secs.abs() < 1e11), unit="s", errors="coerce")
    else:
        local, offset = _split_offsets(path, column, uniq, opts, line_of)
        parsed = _parse_local(path, column, local, opts, line_of, notes)
        if offset is not None and opts.offsets == "utc":
            parsed = parsed - pd.to_timedelta(offset, unit="m")
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):  # a zone pandas read itself, such as 'UTC' or 'EST'
            if opts.offsets is None:
                raise ImportDataError(path, f"{uniq.iloc[0]!r}: these dates carry a time zone; pass --offsets utc "
                                      "or --offsets local", column=column)
            parsed = parsed.dt.tz_convert(None) if opts.offsets == "utc" else parsed.dt.tz_localize(None)
    ts = s.map(pd.Series(parsed.to_numpy(), index=uniq.to_numpy())) if len(uniq) else pd.Series(
        pd.NaT, index=s.index)
    ts = pd.to_datetime(ts).astype("datetime64[us]")
    hint = ""
    if opts.date_format is None and s[s != ""].str.fullmatch(r"\d{9,10}").all():
        hint = " (epoch seconds? pass --date-format unix)"
    first_bad(path, df, ts.isna() & ~((s == "") & allow_empty), column, f"not a date/time{hint}")
    latest = dt.datetime.now() + dt.timedelta(days=366)
    first_bad(path, df, (ts < EARLIEST) | (ts > latest), column,
              f"date out of range (expected {EARLIEST:%Y-%m-%d} to {latest:%Y-%m-%d})")
    return ts


def _line_finder(s: pd.Series) -> Any:
    """value -> its first file line (header = line 1)."""
    firsts: dict[str, int] = {}

    def line_of(value: str) -> int:
        if not firsts:
            for i, v in enumerate(s.to_numpy()):
                firsts.setdefault(v, i + 2)
        return firsts.get(value, 0)

    return line_of


def _split_offsets(path: Path, column: str, uniq: pd.Series, opts: ImportOptions, line_of: Any
                   ) -> tuple[pd.Series, pd.Series | None]:
    """(the values without their UTC offsets, each offset in minutes or None); refuses offsets unless asked."""
    import pandas as pd

    if not len(uniq) or not uniq.str.contains(r"\d:\d\d.*(?:[zZ+-]|UTC|GMT)", regex=True).any():
        return uniq, None
    m = uniq.str.extract(_OFFSET)
    has = m[1].notna().to_numpy()
    if not has.any():
        return uniq, None
    example = uniq[has].iloc[0]
    if opts.offsets is None:
        raise ImportDataError(path, f"{example!r} carries a UTC offset ({int(has.sum()):,} distinct values do): "
                              "pass --offsets utc to convert to UTC, or --offsets local to keep the local clock "
                              "time as written", line=line_of(example), column=column)
    if opts.offsets == "utc" and not has.all():
        naive = uniq[~has].iloc[0]
        raise ImportDataError(path, f"{naive!r} has no UTC offset while {example!r} has one: with --offsets utc "
                              "every value needs one (or use --offsets local)", line=line_of(naive), column=column)
    local = uniq.where(~has, m[0])
    off = m[1].fillna("Z").str.upper().str.replace(":", "", regex=False)
    zero = off.isin(["Z", "UTC", "GMT"])
    digits = off.where(~zero, "+0000").str.pad(5, side="right", fillchar="0")
    sign = digits.str[0].map({"+": 1, "-": -1})
    minutes = sign * (digits.str[1:3].astype(int) * 60 + digits.str[3:5].astype(int))
    return local, pd.Series(minutes.to_numpy(), index=uniq.index)


def _parse_local(path: Path, column: str, local: pd.Series, opts: ImportOptions, line_of: Any,
                 notes: dict[str, str] | None) -> pd.Series:
    import pandas as pd

    fmt = opts.date_format
    try:
        if fmt is not None and "%" in fmt:
            return pd.to_datetime(local, format=fmt, errors="coerce")
        if fmt is None:
            fmt = _day_month_order(path, column, local, line_of, notes)
        if fmt in ("dayfirst", "monthfirst"):
            return pd.to_datetime(local, format="mixed", dayfirst=fmt == "dayfirst", errors="coerce")
        iso = pd.to_datetime(local, format="ISO8601", errors="coerce")
        if iso.notna().all():
            return iso
        return pd.to_datetime(local, format="mixed", errors="coerce")
    except (ValueError, TypeError, OverflowError) as e:  # e.g. a time zone name pandas reads as a zone
        raise ImportDataError(path, f"cannot read these dates ({e}); ISO 8601 is safest", column=column) from None


def _day_month_order(path: Path, column: str, local: pd.Series, line_of: Any, notes: dict[str, str] | None
                     ) -> str | None:
    """'dayfirst'/'monthfirst' when the column's nn/nn/yyyy dates settle it, None when it has none; an error when
    the column could be read both ways (every day <= 12) or reads both ways at once."""
    m = local.str.extract(_DMY)
    m = m[m[0].notna()]
    if not len(m):
        return None
    a, b = m[0].astype(int), m[1].astype(int)
    day_first, month_first = a > 12, b > 12
    if day_first.any() and month_first.any():
        x, y = local[day_first[day_first].index[0]], local[month_first[month_first].index[0]]
        raise ImportDataError(path, f"the dates mix day-first {x!r} (line {line_of(x)}) and month-first {y!r} "
                              f"(line {line_of(y)}); fix the file, or pass --date-format with a strftime format",
                              column=column)
    if day_first.any() or month_first.any():
        order = "dayfirst" if day_first.any() else "monthfirst"
        settled = (day_first if order == "dayfirst" else month_first).to_numpy()
        x = str(local[m.index[int(settled.argmax())]])
        if notes is not None:
            notes[column] = f"{order.replace('first', ' first')} (settled by {x!r} on line {line_of(x)})"
        return order
    same = a == b
    i = int((~same).to_numpy().argmax())  # the first value whose two readings differ (else the first)
    x = str(local[m.index[i]])
    first, second, yy = (str(c) for c in m.iloc[i, :3])
    year = yy if len(yy) == 4 else f"'{yy}"
    one = f"{year}-{int(first):02d}-{int(second):02d}"
    other = f"{year}-{int(second):02d}-{int(first):02d}"
    if (~same).any():
        raise ImportDataError(path, f"ambiguous dates: {x!r} (line {line_of(x)}) reads as {one} (month first) or "
                              f"{other} (day first), and no day above 12 settles it; pass --date-format monthfirst "
                              "or dayfirst (or a strftime format such as %d/%m/%Y)", column=column)
    return "dayfirst"  # every value has day == month: both readings agree


def normalise_ids(path: Path, df: pd.DataFrame, column: str, ids: pd.Series, options: ImportOptions | None,
                  what: str = "ids") -> pd.Series:
    """Ids as written, or with the leading zeros of all-digit ids stripped (--ids strip-zeros); by default, ids
    that differ only by leading zeros ('0042' and '42': a spreadsheet dropped them) are an error."""
    import numpy as np

    mode = (options or ImportOptions()).ids
    if mode == "exact":
        return ids
    digits = ids.str.fullmatch(r"\d+")
    norm = ids.where(~digits, ids.str.lstrip("0").replace("", "0"))
    if mode == "strip-zeros":
        return norm
    if not (digits & ids.str.startswith("0")).any():
        return ids
    forms = ids.groupby(norm).nunique()
    clash = norm.isin(forms.index[forms > 1])
    if clash.any():
        key = norm[clash].iloc[0]
        a, b = ids[norm == key].unique()[:2]
        lines = {v: int(np.flatnonzero((ids == v).to_numpy())[0]) + 2 for v in (a, b)}
        raise ImportDataError(path, f"{what} {a!r} (line {lines[a]}) and {b!r} (line {lines[b]}) differ only by "
                              f"leading zeros ({int((forms > 1).sum()):,} such {what}): pass --ids strip-zeros to "
                              "treat them as one, or --ids exact to keep them apart", column=column)
    return ids


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
        self.notes: dict[str, str] = {}  # how an ambiguity the file itself settled was read (day/month order)
        self.t0 = time.perf_counter()

    def reject(self, reason: str, n: int) -> None:
        if n:
            self.rejected[reason] = self.rejected.get(reason, 0) + int(n)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "path": str(self.path), "rows_read": self.rows_read,
                "inserted": self.inserted, "updated": self.updated, "rejected": self.rejected,
                "seconds": round(time.perf_counter() - self.t0, 3), "phases": self.phases,
                **({"notes": self.notes} if self.notes else {})}

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
