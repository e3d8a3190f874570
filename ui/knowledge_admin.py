"""Knowledge admin: upload documents, ingest with progress, see the index, search with hybrid scores."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ui.context import AppContext, available, not_available


def uploads_dir(ctx: AppContext) -> Path:
    return Path(ctx.settings.data_dir) / "docs"


def save_uploads(ctx: AppContext, files: list[Any] | None) -> list[str]:
    """Copy uploaded files into data_dir/docs, refusing ones over settings.max_doc_bytes."""
    out = uploads_dir(ctx)
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files or []:
        src = Path(f if isinstance(f, str) else f.name)
        if src.stat().st_size > ctx.settings.max_doc_bytes:
            raise ValueError(f"{src.name} is larger than {ctx.settings.max_doc_bytes:,} bytes")
        shutil.copy(src, out / src.name)
        saved.append(src.name)
    return saved


def search(ctx: AppContext, query: str, k: int = 5) -> list[list[Any]]:
    from vectorstore.retriever import HybridRetriever

    key = "retriever"
    if key not in ctx.cache:
        ctx.cache[key] = HybridRetriever.from_settings(ctx.settings)
    return [[round(float(h.score), 4), h.citation.get("title"), h.citation.get("section"), h.citation.get("source"),
             h.text[:300]] for h in ctx.cache[key].search(query, k=int(k))]


def build_knowledge_tab(ctx: AppContext) -> None:
    import gradio as gr

    if not (available("vectorstore.build") and available("vectorstore.retriever")):
        gr.Markdown(not_available("Knowledge administration", "vectorstore.build / vectorstore.retriever"))
        return
    files = gr.File(label="documents (PDF, Markdown, text)", file_count="multiple")
    ingest = gr.Button("Ingest", variant="primary")
    report = gr.JSON(label="ingest report")
    q = gr.Textbox(label="search the knowledge base")
    hits = gr.Dataframe(headers=["score", "title", "section", "source", "text"], interactive=False, wrap=True)

    def do_ingest(fs: list[Any] | None, progress: Any = gr.Progress()) -> dict[str, Any]:
        from vectorstore.build import build_knowledge_base

        saved = save_uploads(ctx, fs)
        progress(0, desc="ingesting")
        res = dict(build_knowledge_base(ctx.settings))
        ctx.cache.pop("retriever", None)
        return {"uploaded": saved, **res}

    ingest.click(do_ingest, files, report, api_visibility="private")
    q.submit(lambda t: search(ctx, t), q, hits, api_visibility="private")
