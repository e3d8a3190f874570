"""Chinese + English retrieval: the Chinese help centre stays in step with the English one, Chinese BM25 tokens,
language views (a Chinese question prefers the Chinese article, an English one never gets Chinese text),
cross-lingual answers from English-only articles, the Chinese relevance floor, companion collections that follow
incremental ingests, and the zh question set's shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from core.config import Policy, Settings
from core.language import detect_lang
from vectorstore.evaluate import EVAL_DIR, load_questions
from vectorstore.helpcentre import TEMPLATES, render_articles
from vectorstore.segment import tokenize_jieba, tokenizers

KEY = {"shipping-costs", "shipping-zones", "returns-policy", "how-to-return", "refunds", "exchanges",
       "cancel-order", "change-order", "payment-methods", "account-create", "privacy-data", "contact-us"}


def _policy_vars(path: Path) -> set[str]:
    return set(re.findall(r"\bp\.(\w+)", path.read_text(encoding="utf-8")))


def test_chinese_articles_cover_the_key_topics_and_use_the_english_numbers() -> None:
    zh_dir = TEMPLATES / "zh"
    slugs = {p.name.removesuffix(".md.j2") for p in zh_dir.glob("*.md.j2")}
    assert slugs >= KEY
    assert {"size-guide", "sustainability", "gift-wrapping", "loyalty-programme"}.isdisjoint(slugs)
    for slug in slugs:
        en, zh = TEMPLATES / f"{slug}.md.j2", zh_dir / f"{slug}.md.j2"
        assert en.exists(), f"{slug}: a translation needs its English original"
        assert _policy_vars(en) <= _policy_vars(zh), f"{slug}: the Chinese article drops a policy number"
    arts = render_articles(Policy(return_window_days=14, free_shipping_threshold=40, refund_days_card=7), "zh")
    assert "签收后 14 天内" in arts["returns-policy"] and "£40" in arts["shipping-costs"]
    assert "7 个工作日" in arts["refunds"]
    assert "已送达" in arts["returns-policy"] and "食品饮料" in arts["returns-policy"]
    head = arts["returns-policy"].split("---\n")[1]
    assert "doc_id: help/zh/returns-policy" in head and "translation_of: help/returns-policy" in head
    with pytest.raises(ValueError, match="language"):
        render_articles(Policy(), "fr")


def test_language_detection_and_chinese_tokens() -> None:
    assert detect_lang("我怎么退货") == "zh" and detect_lang("PayPal退款多久到账") == "zh"
    assert detect_lang("how do I return this?") == "en" and detect_lang("12345") == "en"
    toks = tokenize_jieba("我怎么退货？")
    assert "退货" in toks and "我" not in toks and "怎么" not in toks and "？" not in toks
    assert tokenize_jieba("returns and refunds") == ["return", "refund"]  # English text: the English tokenizer
    pair = tokenizers("zh")
    assert pair is not None  # Chinese has a segmenter (vectorstore/lang/zh/lexicon.toml)
    q = pair[1]("蓝牙耳机防水吗")
    assert "earbud" in q and "waterproof" in q and "headphone" not in q  # longest glossary term wins


@pytest.fixture(scope="module")
def zh_retriever(tmp_path_factory: pytest.TempPathFactory):
    """The help centre in both languages (no products), hash for English and USE-multilingual for Chinese."""
    from vectorstore.build import render_corpus
    from vectorstore.chroma import client, open_collection
    from vectorstore.companion import sync_companions
    from vectorstore.embeddings import embedder_for
    from vectorstore.ingest import ingest_paths
    from vectorstore.retriever import HybridRetriever

    tmp = tmp_path_factory.mktemp("zh")
    s = Settings(data_dir=tmp / "data", embedding="hash", embedding_zh="use-m")
    roots = render_corpus(s, tmp / "corpus", "none")
    cl = client(s)
    col = open_collection(cl, "kba", s.embedding)
    ingest_paths(col, roots, embedder_for(s), s.max_doc_bytes)
    comp = sync_companions(s, cl, "kba", col)
    assert comp["kba.use-m"]["added"] == col.count() and comp["kba.use-m"]["total"] == col.count()
    return s, cl, roots, HybridRetriever.open(s, cl, "kba")


def test_chinese_question_prefers_the_chinese_article(zh_retriever) -> None:
    _s, _cl, _roots, r = zh_retriever
    assert "zh" in r.dense_by_lang
    hits = r.search("买的东西不想要了，多少天内可以退？", k=5)
    top = {h.doc_id: h for h in hits[:3]}
    assert "help/zh/returns-policy" in top
    h = top["help/zh/returns-policy"]
    assert h.metadata["canonical_id"] == "help/returns-policy" and h.citation["url"].startswith("/zh/")
    # an article that exists in Chinese is never shown in English to a Chinese question
    translated = {str(m["canonical_id"]) for m in r.metas if m["lang"] == "zh"}
    assert len(translated) >= 12
    assert all(x.metadata["lang"] == "zh" for x in hits if x.metadata["canonical_id"] in translated)


def test_a_misheard_chinese_question_is_corrected_before_search(zh_retriever) -> None:
    _s, _cl, _roots, r = zh_retriever
    assert r.speller_for("zh").correct("我的包果到哪了") == "我的包裹到哪了"
    assert "help/order-tracking" in [h.metadata["canonical_id"] for h in r.search("我的包果到哪了，物流一直没更新", k=5)]


def test_english_questions_never_get_chinese_text(zh_retriever) -> None:
    _s, _cl, _roots, r = zh_retriever
    hits = r.search("how many days do I have to return an item", k=10)
    assert hits and all(h.metadata["lang"] == "en" for h in hits)
    assert hits[0].doc_id == "help/returns-policy"


def test_cross_lingual_answer_from_an_english_only_article_and_the_floor(zh_retriever) -> None:
    _s, _cl, _roots, r = zh_retriever
    hits = r.search("电器用了一年坏了还在保修期内吗", k=5)
    assert "help/warranty" in [h.doc_id for h in hits]
    assert r.search("明天上海会下雨吗", k=5) == []
    assert r.search("推荐几只能涨的股票", k=5) == []
    assert r.search("明天上海会下雨吗", k=5, method="bm25") == []
    with pytest.raises(ValueError, match="lang"):
        r.search("退货", lang="fr")


def test_companion_follows_incremental_ingest(zh_retriever) -> None:
    from vectorstore.chroma import open_collection
    from vectorstore.companion import sync_companion
    from vectorstore.embeddings import embedder_for, load_embedder
    from vectorstore.ingest import ingest_paths

    s, cl, roots, _r = zh_retriever
    col = open_collection(cl, "kbb", s.embedding)
    comp = open_collection(cl, "kbb.use-m", "use-m")
    ingest_paths(col, roots, embedder_for(s), s.max_doc_bytes)
    first = sync_companion(col, comp, load_embedder("use-m"))
    assert first["added"] == col.count() and sync_companion(col, comp, load_embedder("use-m"))["added"] == 0
    gone = roots[0] / "zh" / "contact-us.md"
    gone.unlink()
    try:
        ingest_paths(col, roots, embedder_for(s), s.max_doc_bytes)
        again = sync_companion(col, comp, load_embedder("use-m"))
        assert again["removed"] > 0 and again["added"] == 0 and comp.count() == col.count()
        assert not comp.get(where={"doc_id": "help/zh/contact-us"})["ids"]
    finally:
        from vectorstore.helpcentre import render_articles, write_pages

        write_pages(render_articles(s.policy, "zh"), roots[0] / "zh")


def test_zh_question_sets_are_separate_and_well_formed() -> None:
    qs = load_questions(EVAL_DIR / "retrieval_zh.jsonl", "zh")
    dev = load_questions(EVAL_DIR / "retrieval_dev_zh.jsonl", "zh")
    assert len(qs) >= 100 and sum(q["type"] == "cross_lingual" for q in qs) >= 30
    assert sum(not q["gold"] for q in qs) >= 10
    assert not {q["question"] for q in qs} & {q["question"] for q in dev}
    zh_slugs = {p.name.removesuffix(".md.j2") for p in (TEMPLATES / "zh").glob("*.md.j2")}
    en_ids = {f"help/{p.name.removesuffix('.md.j2')}" for p in TEMPLATES.glob("*.md.j2")}
    for q in qs + dev:
        assert detect_lang(q["question"]) == "zh", q
        for g in q["gold"]:
            assert g.startswith("product/") or g in en_ids, g
            if q["type"] == "cross_lingual":
                assert g.removeprefix("help/") not in zh_slugs, f"{q['id']}: {g} has a Chinese version"
    lines = (EVAL_DIR / "retrieval_zh.jsonl").read_text(encoding="utf-8").splitlines()
    assert all(json.loads(x)["lang"] == "zh" for x in lines)
