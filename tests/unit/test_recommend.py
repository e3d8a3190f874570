"""Recommender: metrics by hand, the API on the demo shop (cold start, rules, reasons), data-only model files."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import NotFoundError, RetainError
from retention.recsys.metrics import evaluate, topk


def test_ranking_metrics_by_hand() -> None:
    recs = np.array([[3, 1, 2], [0, 4, 5]])
    m = evaluate(recs, [{1, 9}, {7}], n_items=10, k=10)
    # user 1: hit at rank 2 of 2 relevant: recall 0.5, ndcg (1/log2 3)/(1 + 1/log2 3), AP (1/2)/2; user 2: nothing
    assert m["recall@10"] == pytest.approx(0.25)
    assert m["ndcg@10"] == pytest.approx(((1 / np.log2(3)) / (1 + 1 / np.log2(3))) / 2, abs=1e-4)
    assert m["map@10"] == pytest.approx(0.125)
    assert m["precision@10"] == pytest.approx((1 / 10) / 2)  # one hit in a list judged at 10, averaged over 2
    assert set(evaluate(recs, [{1, 9}, {7}], n_items=10)) >= {"recall@3", "precision@3", "ndcg@3", "map@3"}
    assert m["coverage"] == pytest.approx(0.6)
    assert topk(np.array([[0.1, 0.9, 0.5]]), 2, [{1}]).tolist() == [[2, 0]]


@pytest.fixture(scope="module")
def rec(demo_settings):  # type: ignore[no-untyped-def]
    from retention.recommend import Recommender

    return Recommender.load(demo_settings)


def test_known_customer_gets_new_available_items_with_reasons(rec) -> None:  # type: ignore[no-untyped-def]
    out = rec.recommend("12583", 10)
    assert len(out) == 10 and all(r.reason for r in out)
    owned = {rec.items[i] for i in rec.bought[rec.uidx["12583"]].indices}
    assert not owned & {r.product_id for r in out}
    assert all(rec.available[rec.iidx[r.product_id]] for r in out)
    cats = [r.category for r in out]
    assert max(cats.count(c) for c in cats) <= 3


def test_cold_start_customer_and_product(rec) -> None:  # type: ignore[no-untyped-def]
    new = rec.recommend("someone-new", 5)
    assert len(new) == 5 and all("popular" in r.reason for r in new)
    lonely = next(i for i in range(len(rec.items)) if rec.sim[i].nnz == 0)
    sims = rec.similar_items(rec.items[lonely], 5)
    assert len(sims) == 5 and all(r.reason.startswith("similar to") for r in sims)


def test_bad_input(rec) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RetainError, match="between 1 and 100"):
        rec.recommend("12583", 0)
    with pytest.raises(NotFoundError):
        rec.similar_items("NOPE", 3)


def test_model_is_saved_as_data(demo_settings) -> None:  # type: ignore[no-untyped-def]
    d = demo_settings.models_dir / "recommender"
    assert sorted(p.name for p in d.iterdir()) == ["model.json", "model.npz"]
    with np.load(d / "model.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
