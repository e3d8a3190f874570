"""Sanity check of hybrid ranking with the real MiniLM embedder on the help centre (built once per module)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from vectorstore.build import build_knowledge_base
from vectorstore.retriever import HybridRetriever


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict]:
    s = Settings(data_dir=tmp_path_factory.mktemp("kb") / "data", embedding="minilm")
    return s, build_knowledge_base(s)


def test_build_is_incremental(kb: tuple[Settings, dict]) -> None:
    s, first = kb
    assert first["added"] >= 30 and not first["skipped"]
    again = build_knowledge_base(s)
    assert again["chunks_added"] == 0 and again["unchanged"] == first["added"]
    assert (s.data_dir / "knowledge" / "helpcentre" / "returns-policy.md").exists()


def test_hybrid_answers_shopper_questions_with_citations(kb: tuple[Settings, dict]) -> None:
    r = HybridRetriever.from_settings(kb[0])
    cases = {"can I return opened headphones?": "help/returns-policy",
             "how long does delivery to Hamburg take?": "help/shipping-zones",
             "I forgot my password": "help/password-login"}
    for q, gold in cases.items():
        hits = r.search(q, k=3)
        assert hits and hits[0].doc_id == gold, (q, [h.doc_id for h in hits])
        assert hits[0].citation["title"] and hits[0].citation["source"].endswith(".md")
    assert r.search("what is the capital of France?") == []


def test_langchain_retriever_and_search_knowledge(kb: tuple[Settings, dict]) -> None:
    from vectorstore.langchain import KnowledgeRetriever, search_knowledge

    s = kb[0]
    docs = KnowledgeRetriever(retriever=HybridRetriever.from_settings(s), k=2).invoke("cancel my order")
    assert docs and docs[0].metadata["doc_id"] == "help/cancel-order" and docs[0].metadata["section"]
    rows = search_knowledge("how do I unsubscribe from the newsletter", k=2, settings=s)
    assert rows[0]["doc_id"] == "help/newsletter" and {"title", "section", "source", "url"} <= set(rows[0])


def test_other_embedder_is_refused(kb: tuple[Settings, dict]) -> None:
    from core.errors import ConfigError

    other = Settings(data_dir=Path(kb[0].data_dir), embedding="hash")
    with pytest.raises(ConfigError, match="built with embedder"):
        HybridRetriever.from_settings(other)


def test_misspelt_questions_find_their_article(kb: tuple[Settings, dict]) -> None:
    """With spelling correction the misspelt question finds its article; without it the floor rejects it."""
    r = HybridRetriever.from_settings(kb[0])
    q = "retrun polcy for damagd items"
    assert r.speller.correct(q) == "return policy for damaged items"
    assert [h.doc_id for h in r.search(q, k=3)][0] == "help/returns-policy"
    assert "help/refunds" in [h.doc_id for h in r.search("how long till refnd shows in my bank", k=3)]
    r.spell = False
    assert r.search(q, k=3) == []
