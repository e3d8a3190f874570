"""`retain personas` and `retain bench demo`: one JSON object on stdout, matching what the demo builds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from shop.demo_personas import DEMO_PERSONAS

runner = CliRunner()


def test_personas_json() -> None:
    out = runner.invoke(app, ["personas", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert set(data) == set(DEMO_PERSONAS)
    assert data["pending"]["order_id"] == DEMO_PERSONAS["pending"].order_id
    assert data["chinese"]["language"] == "zh"


def test_bench_demo_json(tmp_path: Path) -> None:
    out = runner.invoke(app, ["--data-dir", str(tmp_path / "d"), "bench", "demo", "--customers", "40", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["demo_customers"] == 40 and data["seconds"] > 0
    assert data["counts"]["customers"] == 40 + 500  # the Online Retail part plus the τ-bench users
    assert data["generated"]["orders"]["orders"] > 0
    assert not (tmp_path / "d" / "shop.duckdb").exists()  # built in a temporary folder, not the data dir
