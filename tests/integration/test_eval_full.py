"""The churn and recommender evaluations on the full Online Retail file (skipped without ../shared/data)."""

from __future__ import annotations

import json

from shared_data import ONLINE_RETAIL, needs_shared_data
from typer.testing import CliRunner

from cli.main import app


@needs_shared_data
def test_eval_churn_on_online_retail() -> None:
    out = CliRunner().invoke(app, ["eval", "churn", "--json", "--data", str(ONLINE_RETAIL)])
    assert out.exit_code == 0, out.output
    j = json.loads(out.stdout[out.stdout.index("{"):])
    assert j["cutoff"] == "2011-09-09" and j["horizon_days"] == 90
    for pop in ("active", "all"):
        models = j["populations"][pop]["models"]
        assert set(models) == {"lightgbm", "logreg", "mlp", "recency", "bgnbd"}
        assert models["lightgbm"]["roc_auc"] > models["recency"]["roc_auc"]


@needs_shared_data
def test_eval_recommender_on_online_retail(settings) -> None:  # type: ignore[no-untyped-def]
    out = CliRunner().invoke(app, ["eval", "recommender", "--json", "--data", str(ONLINE_RETAIL)])
    assert out.exit_code == 0, out.output
    j = json.loads(out.stdout[out.stdout.index("{"):])
    assert j["split"]["test_from"] == "2011-11-09"
    a, n = j["protocols"]["all"]["models"], j["protocols"]["new"]["models"]
    assert "repeat" in a and "repeat" not in n
    assert a["blend"]["ndcg@10"] > a["pop90"]["ndcg@10"] and n["blend"]["ndcg@10"] > n["pop90"]["ndcg@10"]
