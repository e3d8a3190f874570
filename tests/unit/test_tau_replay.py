"""`retain eval tau-replay`: τ tasks replayed through our tools reach τ's end state; a skipped action shows up."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import RetainError
from tests.shared_data import TAU, needs_shared_data

TASKS = TAU / "tasks" / "tau_bench_train_expected.json.gz"


def _tasks(tmp_path: Path, ids: set[str], drop_actions: bool = False) -> Path:
    tasks = [t for t in json.loads(gzip.decompress(TASKS.read_bytes())) if t["id"] in ids]
    if drop_actions:
        tasks = [{**t, "actions": []} for t in tasks]
    out = tmp_path / "tasks.json"
    out.write_text(json.dumps(tasks))
    return out


@needs_shared_data
def test_replay_matches_tau_and_refuses_what_tau_refuses(tmp_path: Path) -> None:
    from tools.tau_replay import run_replay

    # a return, an exchange + cancel, modify payment + items, gift-card cancel, address + items, τ-refused payment
    ids = {"train-0", "train-3", "train-5", "train-7", "train-12", "train-24"}
    report = run_replay(_tasks(tmp_path, ids), TAU / "tau_bench", Settings(data_dir=tmp_path / "data"))
    assert report["tasks"] == 6 and report["matched"] == 6, report["failures"]
    assert report["action_error_tasks"] == 1 and report["action_errors_refused"] == 1
    assert "insufficient gift card balance" in report["refusal_messages"][0]["messages"][0]


@needs_shared_data
def test_replay_notices_a_missing_write(tmp_path: Path) -> None:
    from tools.tau_replay import run_replay

    report = run_replay(_tasks(tmp_path, {"train-0", "train-7"}, drop_actions=True), TAU / "tau_bench",
                        Settings(data_dir=tmp_path / "data"))
    assert report["matched"] == 0
    assert {"orders.status", "orders.return_items", "users.payment_methods"} <= set(report["mismatches_by_field"])


def test_bad_task_files_are_named(tmp_path: Path) -> None:
    from tools.tau_replay import load_tasks

    with pytest.raises(RetainError, match="no such task file"):
        load_tasks(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "t1", "user_id": "u", "actions": [{"name": "launch_rocket", "kwargs": {}}], '
                   '"expected_diff": {}}]')
    with pytest.raises(RetainError, match="t1 uses unknown τ tool"):
        load_tasks(bad)
    bad.write_text('[{"id": "t2", "actions": []}]')
    with pytest.raises(RetainError, match="lacks user_id, expected_diff"):
        load_tasks(bad)
