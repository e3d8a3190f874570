"""Build the shop's knowledge base: help centre (from the store's policy profile), product pages and the documents
staff uploaded (data_dir/docs), ingested into Chroma. Every ingest bumps a version stamp, so a running app's
retrievers (tools.knowledge) reopen and shoppers find new content at once."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from core.config import Settings
from vectorstore.chroma import DEFAULT_COLLECTION, client, open_collection
from vectorstore.companion import sync_companions
from vectorstore.embeddings import embedder_for
from vectorstore.helpcentre import LANGS, render_articles, store_product_pages, tau_product_pages, write_pages
from vectorstore.ingest import ingest_paths


def render_corpus(settings: Settings, out_dir: Path, products: str = "store",
                  skipped: list[dict[str, str]] | None = None) -> list[Path]:
    """Write help centre articles to out_dir/helpcentre (translations in helpcentre/<lang>/) and product pages
    to out_dir/products.

    products: "store" (the store's catalogue when settings.db_path exists), "tau" (the catalogue shipped in
    the repo, used by the eval) or "none". Pages whose id is not a safe file name are not written; they are
    reported in `skipped` when given.
    """
    roots = [out_dir / "helpcentre"]
    policy, pages = settings.policy, {}
    if products == "tau":
        pages = tau_product_pages(policy.currency_symbol)
    elif products == "store" and settings.db_path.exists():
        from shop.db import connect
        from shop.policy import shop_policy

        con = connect(settings.db_path)
        try:  # the articles quote the rules the store's tools enforce (its policy profile)
            policy = shop_policy(con, settings.policy)
            pages = store_product_pages(con, policy.currency_symbol)
        finally:
            con.close()
    write_pages(render_articles(policy), roots[0])
    for lang in LANGS[1:]:  # translations live in helpcentre/<lang>/ (inside the same ingested root)
        write_pages(render_articles(policy, lang), roots[0] / lang)
    if pages:
        roots.append(out_dir / "products")
        write_pages(pages, roots[1], skipped)
    return roots


def uploads_dir(settings: Settings) -> Path:
    """Where staff uploads are kept: part of the knowledge base on every build."""
    return settings.data_dir / "docs"


def _version_path(settings: Settings) -> Path:
    return settings.data_dir / "knowledge" / ".version"


def knowledge_version(settings: Settings) -> int:
    """Changes after every ingest into this data dir's knowledge base (0 before the first)."""
    try:
        return _version_path(settings).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def ingest_into(settings: Settings, paths: list[Path], collection: str = DEFAULT_COLLECTION, progress: Any = None,
                prune: bool = True) -> dict[str, Any]:
    """Ingest files/folders into a collection (incrementally), refresh its companions, bump the version."""
    cl = client(settings)
    col = open_collection(cl, collection, settings.embedding)
    summary = ingest_paths(col, paths, embedder_for(settings), settings.max_doc_bytes, progress, prune=prune)
    summary["companions"] = sync_companions(settings, cl, collection, col)
    summary["collection"] = collection
    stamp = _version_path(settings)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(str(time.time_ns()), encoding="utf-8")
    return summary


def build_knowledge_base(settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Render the help centre and product pages under the data dir and ingest them with the uploaded documents
    (incrementally)."""
    t0 = time.perf_counter()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    unsafe: list[dict[str, str]] = []
    roots = render_corpus(settings, settings.data_dir / "knowledge", "store", unsafe)
    if uploads_dir(settings).is_dir():
        roots.append(uploads_dir(settings))
    summary = ingest_into(settings, roots, progress=progress)
    summary["skipped"] = [*unsafe, *summary.get("skipped", [])]
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    return summary
