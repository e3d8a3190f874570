"""Companion collections: the same chunks as a knowledge collection, embedded by another embedder.

Vectors from different embedders are not comparable, so each embedder gets its own Chroma collection. The
primary collection (Settings.embedding, MiniLM by default) answers English questions; a companion named
`<collection>.<embedder spec>` (e.g. `knowledge.use-m`) answers Chinese ones (Settings.embedding_zh). A companion
mirrors its primary by chunk id: `sync_companions` adds the chunks it lacks and removes those the primary no
longer has, so it follows every incremental ingest.
"""

from __future__ import annotations

import re
from typing import Any

from core.config import Settings


def companion_specs(settings: Settings) -> dict[str, str]:
    """{query language: embedder spec} for the languages whose embedder differs from settings.embedding."""
    zh = settings.embedding_zh
    return {"zh": zh} if zh and zh != settings.embedding else {}


def companion_name(collection: str, spec: str) -> str:
    """`knowledge` + `use-m` -> `knowledge.use-m` (Chroma-safe characters only)."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", spec).strip("-._") or "emb"
    return f"{collection}.{slug}"


def sync_companion(primary: Any, companion: Any, embedder: Any, batch_size: int = 256) -> dict[str, int]:
    """Make `companion` hold exactly the primary's chunks (ids, texts, metadata), embedded by `embedder`."""
    from vectorstore.chroma import all_chunks

    ids, texts, metas = all_chunks(primary)
    have = set(companion.get(include=[])["ids"]) if companion.count() else set()
    todo = [i for i, cid in enumerate(ids) if cid not in have]
    for s in range(0, len(todo), batch_size):
        part = todo[s:s + batch_size]
        companion.add(ids=[ids[i] for i in part], documents=[texts[i] for i in part],
                      metadatas=[metas[i] for i in part], embeddings=embedder.embed([texts[i] for i in part]))
    stale = sorted(have - set(ids))
    for s in range(0, len(stale), 5000):
        companion.delete(ids=stale[s:s + 5000])
    return {"added": len(todo), "removed": len(stale), "total": companion.count()}


def sync_companions(settings: Settings, cl: Any, collection: str, primary: Any) -> dict[str, Any]:
    """Create/update every companion of `collection`; {companion name: counts}."""
    from vectorstore.chroma import open_collection
    from vectorstore.embeddings import load_embedder

    out: dict[str, Any] = {}
    for spec in sorted(set(companion_specs(settings).values())):
        name = companion_name(collection, spec)
        comp = open_collection(cl, name, spec)
        out[name] = {"embedder": spec, **sync_companion(primary, comp, load_embedder(spec))}
    return out


def open_companions(settings: Settings, cl: Any, collection: str) -> dict[str, tuple[Any, Any]]:
    """{query language: (companion collection, its embedder)} for the companions that exist."""
    from core.errors import NotFoundError
    from vectorstore.chroma import open_collection
    from vectorstore.embeddings import load_embedder

    out: dict[str, tuple[Any, Any]] = {}
    for lang, spec in companion_specs(settings).items():
        try:
            col = open_collection(cl, companion_name(collection, spec), spec, create=False)
        except NotFoundError:
            continue  # built before companions existed: that language falls back to the primary embedder
        out[lang] = (col, load_embedder(spec))
    return out
