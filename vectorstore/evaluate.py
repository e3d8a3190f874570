"""Retrieval evaluation on a labelled question file (JSON lines).

Question file format, one JSON object per line:
    {"id": "q-001", "lang": "en", "type": "para", "question": "can I return opened headphones?",
     "gold": ["help/returns-policy"]}
`gold` lists the doc ids that answer the question (all of them for a multi-part question); an empty list marks
an out-of-scope question, which a method should answer with nothing. `lang` defaults to "en"; `type` and `id`
are free text. Gold ids name the original article ("help/returns-policy"); any language version of it counts
(its translation "help/zh/returns-policy" carries `canonical_id: help/returns-policy`). Chinese questions whose
answer exists only in English are typed "cross_lingual" and reported as `cross_lingual_recall@5`.

Metrics (document level: a ranking of chunks becomes the ranking of their distinct doc ids):
recall@k = share of a question's gold docs in the top k; mrr@10; ndcg@10 (binary gains); all averaged over
in-scope questions *with the relevance floor applied* (a rejected in-scope question scores 0).
oos_rejection = share of out-of-scope questions for which the method returns nothing.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import ConfigError
from vectorstore.retriever import METHODS, HybridRetriever

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
DEFAULT_QUESTIONS = EVAL_DIR / "retrieval_en.jsonl"


def default_questions(lang: str = "en") -> Path:
    """tests/eval/retrieval_<lang>.jsonl."""
    return EVAL_DIR / f"retrieval_{lang}.jsonl"


def load_questions(path: Path, lang: str | None = "en") -> list[dict[str, Any]]:
    """The questions in a JSONL file (only those in `lang` when given); clear errors for a bad file."""
    if not path.exists():
        raise ConfigError(f"question file {path} does not exist")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except ValueError as e:
            raise ConfigError(f"{path}:{n}: not valid JSON ({e})") from None
        if not isinstance(q, dict) or not isinstance(q.get("question"), str) or not isinstance(q.get("gold"), list):
            raise ConfigError(f"{path}:{n}: each line needs a 'question' string and a 'gold' list")
        q.setdefault("lang", "en")
        q.setdefault("id", f"line-{n}")
        if lang is None or q["lang"] == lang:
            out.append(q)
    if not out:
        raise ConfigError(f"{path} has no questions for lang={lang!r}")
    return out


def doc_ranking(r: HybridRetriever, question: str, method: str, depth: int = 50) -> list[str]:
    """Distinct (canonical) doc ids, best first, for one method (empty when its floor rejects the question)."""
    docs: list[str] = []
    for i, _s in r.ranked(question, method)[:depth]:
        d = r.canon[i]
        if d not in docs:
            docs.append(d)
    return docs


def score_one(ranking: list[str], gold: list[str]) -> dict[str, float]:
    g = set(gold)
    rec = {k: len(g & set(ranking[:k])) / len(g) for k in (1, 5)}
    rr = next((1.0 / (i + 1) for i, d in enumerate(ranking[:10]) if d in g), 0.0)
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranking[:10]) if d in g)
    idcg = sum(1.0 / math.log2(i + 2) for i in range(min(len(g), 10)))
    return {"recall@1": rec[1], "recall@5": rec[5], "mrr@10": rr, "ndcg@10": dcg / idcg}


def evaluate(r: HybridRetriever, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """{"methods": {m: metrics}, "questions": n, ...} for bm25, dense and hybrid."""
    ins = [q for q in questions if q["gold"]]
    oos = [q for q in questions if not q["gold"]]
    methods: dict[str, Any] = {}
    by_type: dict[str, dict[str, float]] = {}
    for m in METHODS:
        sums = {"recall@1": 0.0, "recall@5": 0.0, "mrr@10": 0.0, "ndcg@10": 0.0}
        types: dict[str, list[float]] = {}
        t0 = time.perf_counter()
        for q in ins:
            s = score_one(doc_ranking(r, q["question"], m), q["gold"])
            for k in sums:
                sums[k] += s[k]
            types.setdefault(str(q.get("type", "")), []).append(s["recall@5"])
        rejected = sum(1 for q in oos if not r.ranked(q["question"], m))
        secs = time.perf_counter() - t0
        methods[m] = {k: round(v / len(ins), 4) if ins else None for k, v in sums.items()}
        methods[m]["oos_rejection"] = round(rejected / len(oos), 4) if oos else None
        methods[m]["ms_per_query"] = round(1000 * secs / max(1, len(questions)), 2)
        by_type[m] = {t: round(sum(v) / len(v), 4) for t, v in sorted(types.items())}
        if "cross_lingual" in by_type[m]:
            methods[m]["cross_lingual_recall@5"] = by_type[m]["cross_lingual"]
    return {"methods": methods, "questions": len(questions), "in_scope": len(ins), "out_of_scope": len(oos),
            "recall@5_by_type": by_type, "chunks": len(r.ids)}


def eval_corpus_retriever(settings: Settings, workdir: Path) -> HybridRetriever:
    """The eval corpus (help centre in every language + the repo's tau product pages) in a fresh embedded
    collection, with its companion collections (other languages' embedders)."""
    from vectorstore.build import render_corpus
    from vectorstore.chroma import client, open_collection
    from vectorstore.companion import sync_companions
    from vectorstore.embeddings import embedder_for
    from vectorstore.ingest import ingest_paths

    roots = render_corpus(settings, workdir / "corpus", "tau")
    cl = client(settings, path=workdir / "chroma")
    col = open_collection(cl, "eval", settings.embedding)
    ingest_paths(col, roots, embedder_for(settings), settings.max_doc_bytes)
    sync_companions(settings, cl, "eval", col)
    return HybridRetriever.open(settings, cl, "eval")


def run_eval(settings: Settings, questions: Path | None = None, lang: str = "en",
             collection: str | None = None) -> dict[str, Any]:
    """Evaluate on the built-in eval corpus, or on an existing collection when `collection` is given.
    Without a question file, the language's own set is used (tests/eval/retrieval_<lang>.jsonl)."""
    questions = questions or default_questions(lang)
    qs = load_questions(questions, lang)
    if collection:
        out = evaluate(HybridRetriever.from_settings(settings, collection), qs)
    else:
        with tempfile.TemporaryDirectory(prefix="retain-eval-") as tmp:
            out = evaluate(eval_corpus_retriever(settings, Path(tmp)), qs)
    out.update({"lang": lang, "questions_file": str(questions),
                "embedder": settings.embedding, "embedder_zh": settings.embedding_zh,
                "collection": collection or "(eval corpus)"})
    return out
