"""The help centre renders from settings.policy (docs and tools share one set of numbers); product pages and the
labelled question files are consistent with the corpus; metric arithmetic."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest

from core.config import Policy
from core.errors import ConfigError
from vectorstore.evaluate import DEFAULT_QUESTIONS, EVAL_DIR, load_questions, score_one
from vectorstore.helpcentre import TEMPLATES, render_articles, tau_product_pages


def test_help_centre_has_30_plus_articles_with_policy_numbers() -> None:
    arts = render_articles(Policy())
    assert len(arts) >= 30
    assert all(a.count("\n## ") >= 1 for a in arts.values())
    assert "within 30 days of delivery" in arts["returns-policy"]
    changed = render_articles(Policy(return_window_days=14, max_discount_pct=15, free_shipping_threshold=40))
    assert "within 14 days of delivery" in changed["returns-policy"]
    assert "capped at 15% off" in changed["coupons"]
    assert "£40 or more" in changed["shipping-costs"]
    assert "Food & Drink" in changed["returns-policy"]


def test_templates_use_strict_undefined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.md.j2"
    bad.write_text("# Bad\n\n## S\n{{ p.no_such_field }}\n")
    monkeypatch.setattr("vectorstore.helpcentre.TEMPLATES", tmp_path)
    with pytest.raises(jinja2.UndefinedError):
        render_articles(Policy())


def test_tau_product_pages_list_options_and_stock() -> None:
    pages = tau_product_pages("£")
    assert len(pages) == 50
    jacket = next(p for p in pages.values() if "# Fleece Jacket" in p)
    assert "Available size:" in jacket and "XL" in jacket and "in stock" in jacket
    assert "doc_type: product" in jacket


def test_question_files_point_at_real_documents() -> None:
    ids = {f"help/{t.name.removesuffix('.md.j2')}" for t in TEMPLATES.glob("*.md.j2")}
    ids |= {f"product/{pid}" for pid in tau_product_pages()}
    test = load_questions(DEFAULT_QUESTIONS)
    dev = load_questions(EVAL_DIR / "retrieval_dev_en.jsonl")
    assert len(test) >= 150 and sum(not q["gold"] for q in test) >= 20
    assert {q["question"] for q in test}.isdisjoint({q["question"] for q in dev})
    for q in test + dev:
        assert set(q["gold"]) <= ids, q
        assert q["lang"] == "en"
    types = {q["type"] for q in test}
    assert {"para", "typo", "multi", "product", "oos"} <= types


def test_load_questions_errors(tmp_path: Path) -> None:
    f = tmp_path / "q.jsonl"
    f.write_text('{"question": "hi"}\n')
    with pytest.raises(ConfigError, match="gold"):
        load_questions(f)
    f.write_text(json.dumps({"question": "hi", "gold": [], "lang": "zh"}) + "\n")
    with pytest.raises(ConfigError, match="no questions"):
        load_questions(f, "en")
    assert load_questions(f, "zh")[0]["question"] == "hi"


def test_metric_arithmetic() -> None:
    s = score_one(["a", "b", "c"], ["b"])
    assert s["recall@1"] == 0 and s["recall@5"] == 1 and s["mrr@10"] == 0.5
    multi = score_one(["a", "x", "y", "z", "w", "b"], ["a", "b"])
    assert multi["recall@1"] == 0.5 and multi["recall@5"] == 0.5 and multi["mrr@10"] == 1.0
    assert score_one([], ["a"]) == {"recall@1": 0, "recall@5": 0, "mrr@10": 0, "ndcg@10": 0}
    assert score_one(["a"], ["a"])["ndcg@10"] == pytest.approx(1.0)


def test_store_product_pages(store) -> None:
    from vectorstore.helpcentre import store_product_pages

    store.execute("INSERT INTO products VALUES ('P1', 'Hiking Boots', 'Outdoor', NULL, 'tau_retail'), "
                  "('85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', 'Home Decor', NULL, 'online_retail')")
    store.execute("""INSERT INTO product_variants VALUES ('V1', 'P1', '{"size": "10", "waterproof": "yes"}', 120.5, true),
                     ('V2', 'P1', '{"size": "11", "waterproof": "no"}', 99.0, false),
                     ('V3', '85123A', NULL, 2.55, true)""")
    pages = store_product_pages(store, "£", limit=1)
    assert list(pages) == ["P1"]  # products with options come first
    page = pages["P1"]
    assert "Available size: 10 and 11." in page and "out of stock" in page and "£99.00 to £120.50" in page
    assert "85123A" in store_product_pages(store, "£")
