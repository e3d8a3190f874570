"""Knowledge admin: upload documents into the live knowledge base (shoppers find them at once), see what was
added, search with hybrid scores."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ui.context import AppContext, available, not_available


def save_uploads(ctx: AppContext, files: list[Any] | None) -> list[str]:
    """Copy uploaded files into data_dir/docs, refusing ones over settings.max_doc_bytes."""
    from vectorstore.build import uploads_dir

    out = uploads_dir(ctx.settings)
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for f in files or []:
        src = Path(f if isinstance(f, str) else f.name)
        if src.stat().st_size > ctx.settings.max_doc_bytes:
            raise ValueError(f"{src.name} is larger than {ctx.settings.max_doc_bytes:,} bytes")
        shutil.copy(src, out / src.name)
        saved.append(src.name)
    return saved


def ingest_uploads(ctx: AppContext, files: list[Any] | None, progress: Any = None) -> str:
    """Save the files and ingest the uploads folder into the live collection; the report in words."""
    from vectorstore.build import ingest_into, uploads_dir

    saved = save_uploads(ctx, files)
    if not saved:
        return "Choose one or more files first."
    res = ingest_into(ctx.settings, [uploads_dir(ctx.settings)], progress=progress)
    lines = [f"Uploaded {', '.join(saved)}: {res['added']} documents added, {res['updated']} updated, "
             f"{res['unchanged']} unchanged; **{res['chunks_added']} chunks added** "
             f"({res['chunks_total']} in the knowledge base). Shoppers can find them now."]
    lines += [f"- skipped {Path(sk['path']).name}: {sk['reason']}" for sk in res["skipped"]]
    return "\n".join(lines)


def _hits(ctx: AppContext, query: str, k: int) -> list[Any]:
    from vectorstore.build import knowledge_version
    from vectorstore.retriever import HybridRetriever

    version = knowledge_version(ctx.settings)
    cached = ctx.cache.get("retriever")
    if cached is None or cached[0] != version:
        cached = ctx.cache["retriever"] = (version, HybridRetriever.from_settings(ctx.settings))
    return list(cached[1].search(query, k=int(k)))


def search(ctx: AppContext, query: str, k: int = 5) -> list[list[Any]]:
    """Staff view of a search: hybrid score, title, section, source file and the start of the passage."""
    return [[round(float(h.score), 4), h.citation.get("title"), h.citation.get("section"), h.citation.get("source"),
             h.text[:300]] for h in _hits(ctx, query, k)]


def public_search(ctx: AppContext, query: str, k: int = 3) -> list[dict[str, Any]]:
    """Public view of a search (the /tools endpoint): title, section, the page's URL and the passage; never a
    retrieval score or a server path."""
    return [{"title": h.citation.get("title"), "section": h.citation.get("section"),
             "url": h.citation.get("url") or None, "text": h.text[:300]} for h in _hits(ctx, query, k)]


def build_knowledge_tab(ctx: AppContext) -> None:
    import gradio as gr

    if not (available("vectorstore.build") and available("vectorstore.retriever")):
        gr.Markdown(not_available("Knowledge administration", "vectorstore.build / vectorstore.retriever"))
        return
    files = gr.File(label="documents (PDF, Markdown, text)", file_count="multiple", elem_id="upload-docs")
    ingest = gr.Button("Ingest", variant="primary", elem_id="ingest")
    report = gr.Markdown(elem_id="ingest-report")
    q = gr.Textbox(label="search the knowledge base")
    hits = gr.Dataframe(headers=["score", "title", "section", "source", "text"], interactive=False, wrap=True)

    def do_ingest(fs: list[Any] | None, progress: Any = gr.Progress()) -> str:
        progress(0, desc="ingesting")
        try:
            return ingest_uploads(ctx, fs)
        except Exception as e:
            return f"**Could not ingest:** {e}"

    ingest.click(do_ingest, files, report, api_visibility="private")
    q.submit(lambda t: search(ctx, t), q, hits, api_visibility="private")
