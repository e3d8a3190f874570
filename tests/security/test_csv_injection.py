"""Issue 18 #6: every CSV written for people neutralises spreadsheet formula prefixes (OWASP CSV injection)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ATTACKS = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
           "\t=1+1", "\r=1+1"]


def _cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [c for row in csv.reader(fh) for c in row]


def _formula(cell: str) -> bool:
    return bool(cell) and cell[0] in "=+-@\t\r"


@pytest.mark.parametrize("attack", ATTACKS)
def test_campaign_export_neutralises_formulas(tmp_path: Path, attack: str) -> None:
    from retention.campaigns.export import COLUMNS, write_files

    row = {c: "x" for c in COLUMNS} | {"first_name": attack, "subject": attack, "body": attack,
                                        "to": "+447700900123", "discount_pct": -5}
    path = tmp_path / "C1_sends.csv"
    write_files("C1", [row], [path])
    cells = _cells(path)
    assert not [c for c in cells if _formula(c) and c != "+447700900123" and c != "-5"]
    assert f"'{attack}" in cells
    assert "+447700900123" in cells, "a plain phone number stays usable by the SMS platform"


@pytest.mark.parametrize("attack", ATTACKS)
def test_staff_at_risk_export_neutralises_formulas(attack: str) -> None:
    from ui.staff import to_csv

    path = Path(to_csv([["12345", attack, 0.91, "high", attack, 120.5]]))
    cells = _cells(path)
    assert not [c for c in cells if _formula(c)]
    assert f"'{attack}" in cells and "0.91" in cells
