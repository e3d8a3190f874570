"""Ingestion mechanics with the fast "hash" embedder: chunking, stable ids, incremental re-ingest, bad input,
filters, the relevance floor and the embedder check."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.errors import ConfigError, NotFoundError
from vectorstore.chroma import client, open_collection
from vectorstore.documents import Document, chunk_document
from vectorstore.embeddings import load_embedder
from vectorstore.ingest import ingest_paths
from vectorstore.retriever import Floor, HybridRetriever

ARTICLE = """# Returns policy

## Return window
You can return most items within 30 days of delivery.

## Exceptions
Food and personal care items cannot be returned.
"""


@pytest.fixture()
def col(settings: Settings):
    return open_collection(client(settings), "tst", "hash")


def _ingest(col, paths, max_bytes=1_000_000):
    return ingest_paths(col, [Path(p) for p in paths], load_embedder("hash"), max_bytes)


def test_chunks_follow_headings_and_ids_are_stable() -> None:
    doc = Document("help/returns", "Returns policy", ARTICLE, "x.md")
    a, b = chunk_document(doc), chunk_document(doc)
    assert [c.metadata["section"] for c in a] == ["Return window", "Exceptions"]
    assert a[0].text.startswith("Returns policy - Return window")
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    changed = chunk_document(Document("help/returns", "Returns policy", ARTICLE.replace("30", "14"), "x.md"))
    assert changed[0].chunk_id != a[0].chunk_id and changed[1].chunk_id == a[1].chunk_id


def test_long_sections_split_with_overlap() -> None:
    body = " ".join(f"Sentence number {i} talks about parcels and delivery." for i in range(60))
    chunks = chunk_document(Document("d", "T", f"# T\n\n## S\n{body}", "x.md"), max_chars=400, overlap=120)
    assert len(chunks) > 3
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        last_words = prev.text.split()[-3:]
        assert " ".join(last_words) in nxt.text  # the next window repeats the end of the previous one


def test_incremental_reingest(tmp_path: Path, col) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "returns.md").write_text(ARTICLE)
    (d / "shipping.md").write_text("# Shipping\n\n## UK\nStandard delivery takes 2-3 days.\n")
    (d / "old.txt").write_text("Our old opening hours were 9 to 5.")
    first = _ingest(col, [d])
    assert (first["added"], first["updated"], first["unchanged"]) == (3, 0, 0)
    n = col.count()
    again = _ingest(col, [d])
    assert (again["added"], again["updated"], again["unchanged"], again["chunks_added"]) == (0, 0, 3, 0)
    assert col.count() == n
    (d / "returns.md").write_text(ARTICLE.replace("30 days", "14 days"))
    (d / "old.txt").unlink()
    third = _ingest(col, [d])
    assert (third["updated"], third["unchanged"], third["deleted"]) == (1, 1, 1)
    got = col.get(include=["documents", "metadatas"])
    texts = " ".join(got["documents"])
    assert "14 days" in texts and "30 days" not in texts and "opening hours" not in texts
    assert {m["doc_id"] for m in got["metadatas"]} == {"returns", "shipping"}


def test_bad_input_is_skipped_with_reasons(tmp_path: Path, col) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "good.md").write_text(ARTICLE)
    (d / "copy.md").write_text(ARTICLE)  # exact duplicate
    (d / "empty.md").write_text("   \n\n")
    (d / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me".encode("latin-1"))
    (d / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (d / "big.txt").write_text("x " * 5000)
    (d / "page.html").write_text("<html><body><h1>Gift wrap</h1><h2>Price</h2><p>Wrap costs 3.50.</p>"
                                 "<script>var x=1;</script></body></html>")
    (d / "feed.csv").write_text("product_id,name,category,price,options\nP1,Blue Mug,Kitchen,4.5,colour: blue\n")
    (d / "image.png").write_bytes(b"\x89PNG")
    out = _ingest(col, [d], max_bytes=5000)
    reasons = {Path(s["path"]).name: s["reason"] for s in out["skipped"]}
    assert "duplicate" in reasons["good.md"] or "duplicate" in reasons["copy.md"]
    assert reasons["empty.md"] == "empty document"
    assert "UTF-8" in reasons["latin1.txt"]
    assert "PDF" in reasons["broken.pdf"]
    assert "too large" in reasons["big.txt"]
    assert "unsupported" in reasons["image.png"]
    assert out["added"] == 3  # one of the duplicates, the html page, the csv product
    metas = col.get(include=["metadatas", "documents"])
    html = [doc for doc, m in zip(metas["documents"], metas["metadatas"], strict=True) if m["doc_id"] == "page"]
    assert html and "var x" not in html[0] and html[0].startswith("Gift wrap - Price")
    prod = [m for m in metas["metadatas"] if m["doc_type"] == "product"]
    assert prod and prod[0]["product_id"] == "P1"


def test_filters_floor_and_citations(tmp_path: Path, col) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "returns.md").write_text(ARTICLE)
    (d / "feed.csv").write_text("product_id,name,category,price\nP1,Returnable blue mug,Kitchen,4.5\n")
    _ingest(col, [d])
    r = HybridRetriever(col, load_embedder("hash"))
    hits = r.search("return window for items", k=5)
    assert hits and hits[0].citation["title"] == "Returns policy" and hits[0].citation["section"]
    assert hits[0].citation["source"].endswith("returns.md")
    only = r.search("Returnable blue mug", k=5, filters={"doc_type": "product"})
    assert only and all(h.metadata["doc_type"] == "product" for h in only)
    assert all(h.metadata["doc_type"] == "article" for h in r.search("Returns policy return window", k=5,
                                                                    filters={"doc_type": ["article"]}))
    strict = HybridRetriever(col, load_embedder("hash"), floor=Floor(hybrid_dense_min=1.01, hybrid_dense_low=1.01))
    assert strict.search("return window for items") == []
    assert r.search("zzz qqq", method="bm25") == []


def test_embedder_mismatch_and_missing_collection(settings: Settings) -> None:
    cl = client(settings)
    open_collection(cl, "hhh", "hash")
    with pytest.raises(ConfigError, match="built with embedder"):
        open_collection(cl, "hhh", "hash:64")
    with pytest.raises(ConfigError, match="collection name"):
        open_collection(cl, "x", "hash")
    with pytest.raises(NotFoundError):
        open_collection(cl, "nope", "hash", create=False)


def test_build_knowledge_base_includes_store_catalogue(tmp_path: Path) -> None:
    from shop.db import connect
    from vectorstore.build import build_knowledge_base

    s = Settings(data_dir=tmp_path / "data", embedding="hash")
    s.data_dir.mkdir(parents=True)
    con = connect(s.db_path)
    con.execute("INSERT INTO products VALUES ('P9', 'Fleece Jacket', 'Clothing', NULL, 'tau_retail')")
    con.execute("""INSERT INTO product_variants VALUES ('V9', 'P9', '{"size": "XL", "color": "navy"}', 60, true)""")
    con.close()
    out = build_knowledge_base(s)
    assert out["added"] >= 31 and not out["skipped"]
    r = HybridRetriever.from_settings(s)
    hits = r.search("Fleece Jacket size XL navy", k=3, filters={"product_id": "P9"})
    assert hits and hits[0].citation["url"] == "/products/P9"


def test_failed_ingest_leaves_previous_versions(tmp_path: Path, col) -> None:
    from vectorstore.ingest import ingest_documents

    docs = [Document(f"d{i}", f"Doc {i}", f"# Doc {i}\n\n## S\nVersion one of document {i}.", "x") for i in range(4)]
    ingest_documents(col, docs, load_embedder("hash"))
    before = sorted(col.get()["ids"])

    class Flaky:
        calls = 0

        def embed(self, texts: list[str]):
            Flaky.calls += 1
            if Flaky.calls == 2:
                raise RuntimeError("embedder died")
            return load_embedder("hash").embed(texts)

    v2 = [Document(d.doc_id, d.title, d.text.replace("one", "two"), "x") for d in docs]
    with pytest.raises(RuntimeError):
        ingest_documents(col, v2, Flaky(), batch_size=2)
    assert sorted(col.get()["ids"]) == before
    assert all("Version one" in t for t in col.get(include=["documents"])["documents"])
