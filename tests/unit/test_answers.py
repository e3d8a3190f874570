"""Answers, not passages: the sentence picker, the quoted and numbered reply, the one-shared-word floor, and what a
shopper's chat shows (no tool JSON, scores or file paths)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent.offline.compose import compose
from core.config import Settings
from vectorstore.answer import SentencePicker, sentences
from vectorstore.embeddings import load_embedder
from vectorstore.helpcentre import page_of
from vectorstore.lexical import tokenize

REFUNDS = ("Refunds: when and how you are paid back - Refund timing\nWe process your refund within 48 hours of the "
           "return reaching our warehouse. Refunds to a card or PayPal take up to 5 working days to appear. Gift "
           "card refunds are available within 1 working day.")
RETURNS = "Returns policy - Return window\nYou can return most items within 30 days of delivery for a full refund."


def test_sentences_drop_the_heading_line_and_split_en_and_zh() -> None:
    assert sentences(RETURNS) == ["You can return most items within 30 days of delivery for a full refund."]
    assert sentences("退款 - 时间\n我们会在 48 小时内退款。礼品卡 1 个工作日内到账。") == [
        "我们会在 48 小时内退款。", "礼品卡 1 个工作日内到账。"]
    assert sentences("T - S\nDelivery is £4.95. Express is £9.95.") == ["Delivery is £4.95.", "Express is £9.95."]


def test_picker_keeps_the_answering_sentence_whole_and_within_limits() -> None:
    picker = SentencePicker(load_embedder("hash"), tokenize, tokenize)
    got = picker.pick("how many working days until a card refund appears", [REFUNDS, RETURNS], max_sentences=1)
    assert [s.text for s in got] == ["Refunds to a card or PayPal take up to 5 working days to appear."]
    assert got[0].passage == 0
    many = picker.pick("refund", [REFUNDS, RETURNS], max_sentences=3, max_words=25)
    assert 1 <= len(many) <= 3 and sum(len(s.text.split()) for s in many) <= 25
    every = {s for p in (REFUNDS, RETURNS) for s in sentences(p)}
    assert all(s.text in every for s in many)  # never invented: each is a passage sentence, unchanged
    assert picker.pick("anything", []) == []


def _payload(**extra: Any) -> dict[str, Any]:
    return {"kind": "passages", "query": "refund time", "passages": [
        {"text": REFUNDS, "title": "Refunds", "section": "Refund timing", "kind": "help", "lang": "en",
         "url": "/help/refunds#refund-timing", "score": 0.0328},
        {"text": RETURNS, "title": "Returns policy", "section": "Return window", "kind": "help", "lang": "en",
         "url": "/help/returns-policy#return-window", "score": 0.0161}], **extra}


def test_reply_quotes_the_picked_sentences_with_numbered_sources() -> None:
    text = compose([_payload(answer=[{"text": "Refunds to a card or PayPal take up to 5 working days to appear.",
                                      "passage": 0}])])
    assert text.startswith("The help-centre article “Refunds” says: “Refunds to a card or PayPal take up to 5 "
                           "working days to appear.” [1]")
    assert text.endswith("Sources:\n[1] Refunds › Refund timing")
    assert "48 hours" not in text and "Returns policy" not in text  # only what answers, only what is cited
    assert "0.03" not in text and ".md" not in text


def test_reply_numbers_sources_in_order_of_use_and_speaks_chinese() -> None:
    both = _payload(answer=[{"text": "You can return most items within 30 days of delivery for a full refund.",
                             "passage": 1}, {"text": "Refunds to a card or PayPal take up to 5 working days to "
                                                     "appear.", "passage": 0}])
    en = compose([both])
    assert en.index("[1]") < en.index("[2]") and "[1] Returns policy › Return window\n[2] Refunds" in en
    zh = compose([both], "zh")
    assert zh.startswith("帮助中心文章《Returns policy》写道：（英文原文）“You can return")
    assert "来源：\n[1] Returns policy › Return window" in zh
    assert compose([{"kind": "passages", "passages": []}]).startswith("I couldn't find that")


def test_page_urls_come_from_doc_ids_and_only_for_served_pages() -> None:
    assert page_of("help/returns-policy") == ("help", "/help/returns-policy")
    assert page_of("help/zh/returns-policy") == ("help", "/zh/help/returns-policy")
    assert page_of("product/9783735446") == ("product", "/products/9783735446")
    assert page_of("help/not-an-article") == ("document", "")
    assert page_of("uploads/terms") == ("document", "")
    assert page_of("product/../../etc") == ("document", "")


def test_floor_does_not_accept_one_shared_rare_word(tmp_path: Path, settings: Settings) -> None:
    from vectorstore.chroma import client, open_collection
    from vectorstore.ingest import ingest_paths
    from vectorstore.retriever import Floor, HybridRetriever

    d = tmp_path / "docs"
    d.mkdir()
    (d / "feed.csv").write_text("product_id,name,category,price\nP1,Vintage notebook Paris days,Stationery,3\n"
                                "P2,Blue ceramic mug,Kitchen,4.5\n")
    col = open_collection(client(settings), "floor", "hash")
    ingest_paths(col, [d], load_embedder("hash"), 1_000_000)
    # dense never suffices here: acceptance rests on the BM25 evidence alone
    floor = Floor(hybrid_dense_min=1.01, hybrid_dense_low=-1.0, bm25_min=0.0, coverage_min=0.5)
    r = HybridRetriever(col, load_embedder("hash"), floor=floor, spell=False)
    assert r.search("weather in Paris") == []  # "paris" is the only known word: coverage 1.0, one shared word
    assert r.search("Paris notebook")  # two shared words
    assert r.search("Paris")  # a one-word question needs one
    assert r.search("weather in Paris", method="bm25")  # the bm25 baseline keeps its floor


def test_quotes_of_one_document_share_a_line_and_run_in_number_order() -> None:
    p = _payload()["passages"]
    other = {**p[1], "title": "Refunds", "section": "Gift cards", "url": "/help/refunds#gift-cards"}
    text = compose([{"kind": "passages", "passages": [p[0], p[1], other], "answer": [
        {"text": "Refunds to a card or PayPal take up to 5 working days to appear.", "passage": 0},
        {"text": "You can return most items within 30 days of delivery for a full refund.", "passage": 1},
        {"text": "Gift card refunds are available within 1 working day.", "passage": 2}]}])
    first, second = text.split("\n\n")[:2]
    assert first.startswith("The help-centre article “Refunds” says:") and "[1]" in first and "[2]" in first
    assert second.startswith("The help-centre article “Returns policy” says:") and "[3]" in second
    assert text.endswith("[1] Refunds › Refund timing\n[2] Refunds › Gift cards\n[3] Returns policy › Return window")
