"""`retain eval recommender` on a log it has never seen: a generated rating log (MovieLens-like: user, item,
rating, epoch seconds) through --mapping, both splits, any k, hyperparameters chosen on an inner split."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from cli.main import app
from retention.recsys.evaluate import per_user_holdout, temporal_split


def rating_log(path: Path, users: int = 240, items: int = 90, clusters: int = 4, seed: int = 0) -> Path:
    """Users who mostly rate items of their own taste cluster, over 120 days: personal models should beat
    popularity, which knows nothing of the clusters."""
    rng = np.random.default_rng(seed)
    taste = rng.integers(0, clusters, users)
    weight = 1 / (1 + np.arange(items)) ** 0.3
    rows = []
    for u in range(users):
        p = weight * np.where(np.arange(items) % clusters == taste[u], 10.0, 1.0)
        chosen = rng.choice(items, size=int(rng.integers(5, 16)), replace=False, p=p / p.sum())
        for i, t in zip(chosen, np.sort(rng.integers(0, 120 * 86400, len(chosen))), strict=True):
            rows.append((f"u{u:04d}", f"m{i:03d}", int(rng.integers(1, 6)), 1_300_000_000 + int(t)))
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user", "movie", "stars", "when"])
        w.writerows(rows)
        w.writerow(rows[0])  # one exact duplicate, which the import report must show
    return path


@pytest.fixture(scope="module")
def log_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("ratings")
    mapping = d / "mapping.json"
    mapping.write_text(json.dumps({"columns": {"customer_id": "user", "product_id": "movie", "amount": "stars",
                                               "timestamp": "when"}}))
    return rating_log(d / "ratings.csv"), mapping


@pytest.mark.parametrize("split,k", [("per-user", 5), ("temporal", 10)])
def test_eval_recommender_on_a_generated_rating_log(log_files, tmp_path: Path, split: str, k: int) -> None:  # type: ignore[no-untyped-def]
    data, mapping = log_files
    out = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "d"), "eval", "recommender", "--data", str(data),
                                   "--mapping", str(mapping), "--date-format", "unix", "--split", split,
                                   "--k", str(k), "--json"])
    assert out.exit_code == 0, out.output
    j = json.loads(out.stdout)
    assert "exact duplicate" in out.stderr and j["import"]["rejected"] == {"exact duplicate": 1}
    assert j["split"]["kind"] == split and j["split"]["k"] == k and j["split"]["tuned_on"]["kind"] == split
    for protocol in ("all", "new"):
        models = j["protocols"][protocol]["models"]
        assert {"pop", "pop30", "itemknn", "als", "bpr", "blend"} <= set(models) and "content" not in models
        for m in models.values():
            assert {f"ndcg@{k}", f"precision@{k}", f"recall@{k}", f"map@{k}", "coverage"} <= set(m)
            assert 0 <= m[f"precision@{k}"] <= 1 and 0 <= m[f"ndcg@{k}"] <= 1
        for name in ("itemknn", "als", "bpr"):  # chosen from the grid on the inner split
            assert models[name]["params"]
    new = j["protocols"]["new"]["models"]
    # the log has taste clusters popularity cannot see: the tuned personal models and the blend beat it
    assert new["blend"][f"ndcg@{k}"] > 1.3 * new["pop"][f"ndcg@{k}"]
    assert max(new[m][f"ndcg@{k}"] for m in ("itemknn", "als", "bpr")) > new["pop"][f"ndcg@{k}"]


def test_eval_recommender_bad_split_and_short_log(log_files, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, mapping = log_files
    base = ["--data-dir", str(tmp_path / "d"), "eval", "recommender", "--data", str(data), "--mapping",
            str(mapping), "--date-format", "unix"]
    out = CliRunner().invoke(app, [*base, "--split", "random"])
    assert out.exit_code == 2 and "--split 'random'" in out.stderr
    out = CliRunner().invoke(app, [*base, "--test-days", "200"])  # longer than the log: no inner split left
    assert out.exit_code == 2 and "Traceback" not in out.output and "error:" in out.stderr


def _lines(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [r[0] for r in rows], "product_id": [r[1] for r in rows],
                         "created_at": pd.to_datetime([r[2] for r in rows], format="ISO8601"), "quantity": 1, "name": ""})


def test_per_user_holdout_keeps_baskets_whole_and_one_basket_users_in_training() -> None:
    rows = [("a", f"p{i}", f"2011-01-{i + 1:02d}") for i in range(10)]          # a: 10 baskets: last 2 are test
    rows += [("b", "p1", "2011-01-01"), ("b", "p2", "2011-01-05"), ("b", "p3", "2011-01-05")]  # b: 2 baskets
    rows += [("c", "p1", "2011-01-03"), ("c", "p2", "2011-01-03")]             # c: one basket, all training
    train, test = per_user_holdout(_lines(rows))
    assert sorted(test[test.customer_id == "a"].product_id) == ["p8", "p9"]
    assert sorted(test[test.customer_id == "b"].product_id) == ["p2", "p3"]  # the whole last basket
    assert "c" not in set(test.customer_id) and len(train) + len(test) == len(rows)


def test_temporal_split_on_online_retail_dates_matches_the_earlier_constants() -> None:
    lines = _lines([("a", "p1", "2010-12-01 08:26"), ("a", "p2", "2011-10-20"), ("b", "p1", "2011-11-20"),
                    ("a", "p3", "2011-12-09 12:50")])
    inner, outer = temporal_split(lines, 30)
    assert (outer.dates["test_from"], outer.dates["test_to"]) == ("2011-11-09", "2011-12-09")
    assert (inner.dates["test_from"], inner.dates["test_to"]) == ("2011-10-09", "2011-11-08")
