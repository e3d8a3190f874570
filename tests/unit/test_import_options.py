"""What a file leaves ambiguous is an error until an option says how to read it (dates, UTC offsets, ids), and
what cannot be a sale (a 9999 date, an infinite price, a 200 MB cell, an invoice of two customers) is refused."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from core.errors import RetainError
from shop.importers import run_import
from shop.importers.common import ImportOptions
from tests.importing import dates, log, refused, write

# --- dates -------------------------------------------------------------------------------------------------

def test_ambiguous_day_month_dates_are_an_error_naming_the_column_and_both_readings(store, tmp_path: Path) -> None:
    path = log(tmp_path, ["c1,03/04/2011,5", "c2,05/06/2011,7"])
    err = refused(store, path, "ambiguous dates")
    msg = str(err)
    assert "column 'timestamp'" in msg and "2011-03-04 (month first)" in msg and "2011-04-03 (day first)" in msg
    assert "--date-format" in msg
    run_import(store, "generic", path, options=ImportOptions(date_format="dayfirst"))
    assert dates(store) == ["2011-04-03 00:00:00", "2011-06-05 00:00:00"]


def test_month_first_and_strftime_formats(store, tmp_path: Path) -> None:
    run_import(store, "generic", log(tmp_path, ["c1,03/04/2011,5"]), options=ImportOptions(date_format="monthfirst"))
    run_import(store, "generic", write(tmp_path, "b.csv", "customer_id,timestamp,amount\nc2,04.03.2011 10:30,5\n"),
               options=ImportOptions(date_format="%d.%m.%Y %H:%M"))
    assert dates(store) == ["2011-03-04 00:00:00", "2011-03-04 10:30:00"]


def test_a_day_above_12_settles_the_order_for_the_whole_column(store, tmp_path: Path) -> None:
    # before: '13/01/2011' was read day first and '03/04/2011' month first in the same column
    rep = run_import(store, "generic", log(tmp_path, ["c1,13/01/2011,5", "c2,03/04/2011,7"]))
    assert dates(store) == ["2011-01-13 00:00:00", "2011-04-03 00:00:00"]
    assert "day first" in rep["notes"]["timestamp"] and "line 2" in rep["notes"]["timestamp"]


def test_dates_read_both_ways_at_once_are_an_error(store, tmp_path: Path) -> None:
    refused(store, log(tmp_path, ["c1,13/01/2011,5", "c2,01/13/2011,7"]), "mix day-first '13/01/2011'.*month-first")


def test_iso_dates_need_no_option_and_epoch_seconds_need_unix(store, tmp_path: Path) -> None:
    run_import(store, "generic", log(tmp_path, ["c1,2011-01-02 10:00:00,5", "c2,20110103,4"]))
    err = refused(store, write(tmp_path, "e.csv", "customer_id,timestamp,amount\nc3,1300000000,5\n"), "unix")
    assert "line 2" in str(err)
    run_import(store, "generic", write(tmp_path, "e.csv", "customer_id,timestamp,amount\nc3,1300000000,5\n"),
               options=ImportOptions(date_format="unix"))
    assert dates(store)[-1] == "2011-03-13 07:06:40"


def test_bad_option_values_are_clear_errors() -> None:
    for kw in ({"date_format": "european"}, {"offsets": "zulu"}, {"ids": "trim"}):
        with pytest.raises(RetainError, match="use one of"):
            ImportOptions(**kw)


# --- UTC offsets -------------------------------------------------------------------------------------------

OFFSET_ROWS = ["c1,2011-03-26T23:30:00+01:00,5", "c2,2011-03-27T23:30:00+02:00,5"]  # across a DST change


def test_offsets_are_an_error_unless_an_option_says_how(store, tmp_path: Path) -> None:
    # before: silently shifted to UTC; with two different offsets, a ValueError traceback
    err = refused(store, log(tmp_path, OFFSET_ROWS), "carries a UTC offset")
    assert "column 'timestamp'" in str(err) and "--offsets utc" in str(err) and "line 2" in str(err)


def test_offsets_utc_converts_and_local_keeps_the_clock_time(store, tmp_path: Path) -> None:
    path = log(tmp_path, OFFSET_ROWS)
    run_import(store, "generic", path, options=ImportOptions(offsets="utc"))
    assert dates(store) == ["2011-03-26 22:30:00", "2011-03-27 21:30:00"]
    from shop.db import connect

    other = connect(None)
    run_import(other, "generic", path, options=ImportOptions(offsets="local"))
    assert dates(other) == ["2011-03-26 23:30:00", "2011-03-27 23:30:00"]
    other.close()


def test_offsets_utc_refuses_values_without_an_offset(store, tmp_path: Path) -> None:
    path = log(tmp_path, [*OFFSET_ROWS, "c3,2011-03-28 10:00:00,5", "c4,2011-03-29T10:00:00Z,1"])
    refused(store, path, "'2011-03-28 10:00:00' has no UTC offset", options=ImportOptions(offsets="utc"))
    run_import(store, "generic", path, options=ImportOptions(offsets="local"))
    assert len(dates(store)) == 4


# --- ids ---------------------------------------------------------------------------------------------------

ZERO_ROWS = ["0042,2011-01-01,5", "42,2011-02-01,6", "0007,2011-02-01,6"]


def test_ids_differing_only_by_leading_zeros_are_an_error(store, tmp_path: Path) -> None:
    # before: '0042' and '42' became two customers without a word
    err = refused(store, log(tmp_path, ZERO_ROWS), "'0042' \\(line 2\\) and '42' \\(line 3\\) differ only by leading")
    assert "--ids strip-zeros" in str(err) and "--ids exact" in str(err) and "column 'customer_id'" in str(err)


@pytest.mark.parametrize("mode,customers", [("strip-zeros", ["42", "7"]), ("exact", ["0007", "0042", "42"])])
def test_ids_option_merges_or_keeps_apart(store, tmp_path: Path, mode: str, customers: list[str]) -> None:
    run_import(store, "generic", log(tmp_path, ZERO_ROWS), options=ImportOptions(ids=mode))
    assert sorted(r[0] for r in store.execute("SELECT customer_id FROM customers").fetchall()) == customers


def test_zero_padded_ids_alone_are_kept_as_written(store, tmp_path: Path) -> None:
    run_import(store, "generic", log(tmp_path, ["0042,2011-01-01,5", "0043,2011-01-01,5"]))
    assert sorted(r[0] for r in store.execute("SELECT customer_id FROM customers").fetchall()) == ["0042", "0043"]


# --- the evals print the import report ---------------------------------------------------------------------

def test_eval_churn_refuses_a_label_window_past_the_data_and_prints_the_import_report(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    start = dt.date(2011, 1, 1)
    rows = [f"c{i % 50},{start + dt.timedelta(days=i % 180)},{1 + i % 7}" for i in range(400)]
    path = log(tmp_path, [*rows, rows[0]])  # one exact duplicate
    out = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "eval", "churn", "--data", str(path),
                                   "--cutoff", "2011-06-01", "--horizon", "90", "--json"])
    assert out.exit_code == 2, out.output
    assert "exact duplicate" in out.stderr  # the import report, rejections included, is printed by the eval
    assert "runs past the data, which ends 2011-06-29 (29 of 90 days of labels)" in out.stderr
    assert "--cutoff 2011-04-01 or earlier" in out.stderr and "Traceback" not in out.output


def test_label_window_check_accepts_a_window_that_fits(store, tmp_path: Path) -> None:
    from retention.evaluate import check_label_window

    run_import(store, "generic", log(tmp_path, ["c1,2011-01-01,5", "c2,2011-03-31 10:00,5"]))
    assert check_label_window(store, dt.date(2011, 1, 1), 90) == dt.date(2011, 3, 31)
    with pytest.raises(RetainError, match="1 of 2 days"):
        check_label_window(store, dt.date(2011, 3, 31), 2)


def test_import_cli_takes_the_options(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    path = log(tmp_path, ["c1,03/04/2011,5"])
    base = ["--data-dir", str(tmp_path / "d"), "import", "generic", str(path), "--json"]
    out = CliRunner().invoke(app, base)
    assert out.exit_code == 2 and "ambiguous dates" in out.stderr
    out = CliRunner().invoke(app, [*base, "--date-format", "dayfirst"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["inserted"]["orders"] == 1
