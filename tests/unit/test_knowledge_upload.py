"""A staff upload goes into the live knowledge base: chunks are reported, and a shopper's search (whose retriever
was opened before the upload) finds the new content at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.session import Principal, Session
from shop.db import connect
from tools import call
from ui.context import AppContext
from ui.knowledge_admin import ingest_uploads
from vectorstore.build import build_knowledge_base, knowledge_version, uploads_dir


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    """The hash embedder and no Chinese companion keep the build to a second or two."""
    return Settings(data_dir=tmp_path / "data", embedding="hash", embedding_zh="")


def test_uploaded_markdown_answers_a_shopper_question_at_once(settings, tmp_path: Path) -> None:
    build_knowledge_base(settings)
    con = connect(settings.db_path)
    session = Session(settings, con, Principal("shopper"))
    before = call(session, "search_knowledge", {"query": "do you deliver by drone to lighthouses"})  # opens the retriever
    assert all("Lighthouse" not in (p["title"] or "") for p in before["passages"])

    doc = tmp_path / "lighthouse-delivery.md"
    doc.write_text("# Lighthouse drone delivery\n\nWe deliver by drone to lighthouses and island keepers every "
                   "Tuesday; the drone carries parcels up to 2 kg.\n", encoding="utf-8")
    version = knowledge_version(settings)
    report = ingest_uploads(AppContext(settings), [str(doc)])
    assert "1 documents added" in report and "chunks added" in report and "0 chunks added" not in report
    assert (uploads_dir(settings) / doc.name).exists() and knowledge_version(settings) != version

    after = call(session, "search_knowledge", {"query": "do you deliver by drone to lighthouses"})
    assert after["passages"][0]["title"] == "Lighthouse drone delivery"
    con.close()


def test_a_rebuild_keeps_the_uploads(settings, tmp_path: Path) -> None:
    doc = tmp_path / "notes.md"
    doc.write_text("# Gift notes\n\nEvery parcel can carry a handwritten gift note on recycled card.\n",
                   encoding="utf-8")
    ingest_uploads(AppContext(settings), [str(doc)])
    summary = build_knowledge_base(settings)
    assert summary["deleted"] == 0  # the upload is inside the rebuilt corpus, not pruned


def test_nothing_chosen_says_so(settings) -> None:
    assert ingest_uploads(AppContext(settings), None) == "Choose one or more files first."
