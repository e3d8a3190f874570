"""`retain ingest`, `retain search` and `retain eval retrieval --questions` through the CLI (hash embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import common
from cli.main import app
from core.config import Settings

runner = CliRunner()


@pytest.fixture()
def hash_settings(tmp_path: Path):
    s = Settings(data_dir=tmp_path / "data", embedding="hash")
    common.set_settings(s)
    yield s
    common.set_settings(None)


def test_ingest_search_and_eval_json(tmp_path: Path, hash_settings: Settings) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "returns.md").write_text("# Returns\n\n## Window\nReturn items within 30 days of delivery.\n")
    (docs / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    out = runner.invoke(app, ["ingest", str(docs), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert summary["added"] == 1 and summary["skipped"][0]["reason"].startswith("not UTF-8")
    out = runner.invoke(app, ["search", "Returns window: return items within 30 days", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["hits"][0]["title"] == "Returns"
    q = tmp_path / "q.jsonl"
    q.write_text(json.dumps({"question": "Returns window return items within 30 days", "gold": ["returns"]}) + "\n"
                 + json.dumps({"question": "zzz qqq www", "gold": []}) + "\n")
    out = runner.invoke(app, ["eval", "retrieval", "--questions", str(q), "--collection", "knowledge", "--json"])
    assert out.exit_code == 0, out.output
    res = json.loads(out.stdout)
    assert set(res["methods"]) == {"bm25", "dense", "hybrid"}
    for m in res["methods"].values():
        assert {"recall@1", "recall@5", "mrr@10", "ndcg@10", "oos_rejection"} <= set(m)
    assert res["methods"]["hybrid"]["recall@5"] == 1.0 and res["methods"]["hybrid"]["oos_rejection"] == 1.0


def test_missing_collection_and_bad_questions_are_friendly(tmp_path: Path, hash_settings: Settings) -> None:
    out = runner.invoke(app, ["search", "anything"])
    assert out.exit_code == 2 and "does not exist" in " ".join(out.output.split())
    out = runner.invoke(app, ["eval", "retrieval", "--questions", str(tmp_path / "none.jsonl")])
    assert out.exit_code == 2 and "does not exist" in " ".join(out.output.split())
