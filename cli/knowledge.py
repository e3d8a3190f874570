"""Knowledge-base commands: `retain ingest`, `retain search`, `retain eval retrieval`, `retain bench retrieval`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli.common import bench_app, console, eval_app, friendly, print_json, progress, settings

app = typer.Typer()  # merged into the `retain` app by cli.main


@app.command("ingest")
@friendly
def ingest(
    paths: list[Path] = typer.Argument(..., help="files or folders (.md .txt .html .pdf, CSV product feeds)"),
    collection: str = typer.Option("knowledge", "--collection", help="Chroma collection name"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """Ingest documents incrementally (unchanged skipped, changed replaced, deleted removed)."""
    from vectorstore.build import ingest_into

    with progress() as bar:
        summary = ingest_into(settings(), paths, collection, bar)
    if as_json:
        print_json(summary)
        return
    c = console()
    c.print(f"[bold]{collection}[/]: {summary['added']} added, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['deleted']} deleted; {summary['chunks_added']} chunks "
            f"embedded in {summary['seconds']} s; {summary['chunks_total']} chunks in the collection")
    for sk in summary["skipped"]:
        c.print(f"  skipped {sk['path']}: {sk['reason']}", highlight=False)


@app.command("search")
@friendly
def search(
    query: str = typer.Argument(..., help="a question"),
    k: int = typer.Option(5, "-k", help="how many passages"),
    doc_type: str = typer.Option(None, "--doc-type", help="filter: article | product"),
    collection: str = typer.Option("knowledge", "--collection"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Search the knowledge base (hybrid); prints passages with their citations."""
    from vectorstore.retriever import HybridRetriever

    r = HybridRetriever.from_settings(settings(), collection)
    hits = r.search(query, k=k, filters={"doc_type": doc_type} if doc_type else None)
    rows: list[dict[str, Any]] = [{"score": round(h.score, 4), "doc_id": h.doc_id, **h.citation, "text": h.text}
                                  for h in hits]
    if as_json:
        print_json({"query": query, "hits": rows})
        return
    if not rows:
        console().print("nothing relevant found")
    for h in rows:
        console().print(f"[bold]{h['title']}[/] - {h['section']} ({h['source']})\n  {h['text'][:200]}",
                        highlight=False)


@eval_app.command("retrieval")
@friendly
def eval_retrieval(
    questions: Path = typer.Option(None, "--questions", help="labelled JSONL file (see vectorstore/evaluate.py)"),
    lang: str = typer.Option("en", "--lang", help="question language to evaluate (en | zh); picks the default "
                             "question file tests/eval/retrieval_<lang>.jsonl"),
    collection: str = typer.Option(None, "--collection",
                                   help="evaluate an existing collection instead of the built-in eval corpus"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Recall@1/5, MRR@10, nDCG@10 and out-of-scope rejection for bm25, dense and hybrid retrieval."""
    from vectorstore.evaluate import run_eval

    out = run_eval(settings(), questions, lang, collection)
    if as_json:
        print_json(out)
        return
    from rich.table import Table

    t = Table(title=f"retrieval: {out['in_scope']} in-scope + {out['out_of_scope']} out-of-scope questions")
    cols = ["recall@1", "recall@5", "mrr@10", "ndcg@10", "oos_rejection"]
    t.add_column("method")
    for c in cols:
        t.add_column(c, justify="right")
    for m, v in out["methods"].items():
        t.add_row(m, *[f"{v[c]:.3f}" if v[c] is not None else "-" for c in cols])
    console().print(t)


@bench_app.command("retrieval")
@friendly
def bench_retrieval(
    sizes: str = typer.Option("1000,20000", "--sizes", help="collection sizes in chunks, comma-separated"),
    queries: int = typer.Option(100, "--queries", help="queries timed at each size"),
    embedders: str = typer.Option("minilm,use-m,hash", "--embedders",
                                  help="embedders compared side by side on the eval corpus ('' = skip)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Ingest throughput and bm25/dense/hybrid/bare-Chroma query p50/p95 on a generated scale corpus (with
    RETAIN_EMBEDDING), then each embedder side by side: throughput, query-embedding and dense/hybrid p95."""
    from vectorstore.bench import bench_embedders, run_bench

    s = settings()
    with progress() as bar:
        out = run_bench(s, tuple(int(x) for x in sizes.split(",") if x), queries, progress=bar)
    specs = tuple(x.strip() for x in embedders.split(",") if x.strip())
    if specs:
        out["embedders"] = bench_embedders(s, specs, min(queries, 50))
    if as_json:
        print_json(out)
        return
    for size, row in out["sizes"].items():
        console().print(f"[bold]{size} chunks[/]: ingest {row['ingest_chunks_per_s']} chunks/s; " + "; ".join(
            f"{m} p50 {v['p50_ms']} ms p95 {v['p95_ms']} ms" for m, v in row["query"].items())
            + f"; hybrid/bare {row['hybrid_to_bare_chroma_p50']}x", highlight=False)
    if out.get("embedders"):
        from rich.table import Table

        t = Table(title="embedders side by side (eval corpus; p50/p95 ms)")
        for col in ("embedder", "dim", "load s", "embed/s", "query embed", "dense en", "hybrid en", "dense zh",
                    "hybrid zh"):
            t.add_column(col, justify="left" if col == "embedder" else "right")
        for spec, r in out["embedders"].items():
            t.add_row(spec, str(r["dim"]), str(r["load_s"]), str(r["embed_per_s"]), *[
                f"{r[k]['p50_ms']}/{r[k]['p95_ms']}"
                for k in ("query_embed", "dense_en", "hybrid_en", "dense_zh", "hybrid_zh")])
        console().print(t)
