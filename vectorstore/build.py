"""Build the shop's knowledge base: help centre (from the store's policy profile) + product pages, ingested into Chroma."""

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


def render_corpus(settings: Settings, out_dir: Path, products: str = "store") -> list[Path]:
    """Write help centre articles to out_dir/helpcentre (translations in helpcentre/<lang>/) and product pages
    to out_dir/products.

    products: "store" (the store's catalogue when settings.db_path exists), "tau" (the catalogue shipped in
    the repo, used by the eval) or "none".
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
        write_pages(pages, roots[1])
    return roots


def build_knowledge_base(settings: Settings, progress: Any = None) -> dict[str, Any]:
    """Render the help centre and product pages under the data dir and ingest them (incrementally)."""
    t0 = time.perf_counter()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    roots = render_corpus(settings, settings.data_dir / "knowledge", "store")
    cl = client(settings)
    col = open_collection(cl, DEFAULT_COLLECTION, settings.embedding)
    summary = ingest_paths(col, roots, embedder_for(settings), settings.max_doc_bytes, progress)
    summary["companions"] = sync_companions(settings, cl, DEFAULT_COLLECTION, col)
    summary["seconds"] = round(time.perf_counter() - t0, 2)
    summary["collection"] = DEFAULT_COLLECTION
    return summary
