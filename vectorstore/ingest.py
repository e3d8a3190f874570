"""Incremental ingestion: files -> documents -> chunks -> Chroma.

Chunk ids hash (doc id, text), so re-ingesting skips unchanged documents, replaces changed ones and removes
documents that disappeared from an ingested folder. New chunks are added before stale ones are deleted, so a
failure leaves the previous version of a document in place, never half of it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from vectorstore.documents import Chunk, Document, chunk_document
from vectorstore.loaders import SkipDocument, load_path


def discover(paths: Iterable[Path]) -> list[tuple[Path, str, Path]]:
    """(file, doc id, root) for every supported file under the given files or folders."""
    out = []
    for root in paths:
        root = Path(root)
        if root.is_dir():
            for f in sorted(root.rglob("*")):
                if f.is_file() and not f.name.startswith("."):
                    out.append((f, f.relative_to(root).with_suffix("").as_posix(), root))
        else:
            out.append((root, root.with_suffix("").name, root.parent))
    return out


def ingest_paths(col: Any, paths: list[Path], embedder: Any, max_bytes: int, progress: Any = None,
                 prune: bool = True, batch_size: int = 256) -> dict[str, Any]:
    """Ingest files/folders into the collection. Returns a summary with counts and skipped reasons."""
    t0 = time.perf_counter()
    files = discover(paths)
    docs: list[Document] = []
    skipped: list[dict[str, str]] = []
    seen_hash: dict[str, str] = {}
    for f, doc_id, _root in files:
        if not f.exists():
            skipped.append({"path": str(f), "reason": "not found"})
            continue
        try:
            loaded = load_path(f, doc_id, max_bytes)
        except SkipDocument as e:
            skipped.append({"path": str(f), "reason": str(e)})
            continue
        for d in loaded:
            if d.content_hash in seen_hash:
                skipped.append({"path": str(f), "reason": f"exact duplicate of {seen_hash[d.content_hash]}"})
                continue
            seen_hash[d.content_hash] = d.doc_id
            docs.append(d)
    return ingest_documents(col, docs, embedder, progress=progress, batch_size=batch_size, skipped=skipped,
                            prune_sources=[str(Path(p)) for p in paths] if prune else [], t0=t0)


def _existing(col: Any) -> dict[str, set[str]]:
    from vectorstore.chroma import all_chunks

    ids, _docs, metas = all_chunks(col)
    by: dict[str, set[str]] = {}
    for cid, m in zip(ids, metas, strict=True):
        by.setdefault(str(m.get("doc_id", "")), set()).add(cid)
    return by


def _sources(col: Any) -> dict[str, str]:
    got = col.get(include=["metadatas"])
    return {str(m.get("doc_id")): str(m.get("source", "")) for m in (got["metadatas"] or [])}


def ingest_documents(col: Any, docs: list[Document], embedder: Any, progress: Any = None, batch_size: int = 256,
                     skipped: list[dict[str, str]] | None = None, prune_sources: list[str] | None = None,
                     t0: float | None = None) -> dict[str, Any]:
    """Add/replace/remove chunks so the collection holds exactly these documents (plus others not in scope)."""
    t0 = t0 or time.perf_counter()
    skipped = skipped or []
    existing = _existing(col)
    to_add: list[Chunk] = []
    stale: list[str] = []
    added = updated = unchanged = 0
    for d in docs:
        chunks = chunk_document(d)
        if not chunks:
            skipped.append({"path": d.source, "reason": "empty document"})
            continue
        new_ids = {c.chunk_id for c in chunks}
        old = existing.get(d.doc_id, set())
        if new_ids == old:
            unchanged += 1
            continue
        if old:
            updated += 1
        else:
            added += 1
        to_add += [c for c in chunks if c.chunk_id not in old]
        stale += sorted(old - new_ids)
    deleted_docs: list[str] = []
    if prune_sources:
        live = {d.doc_id for d in docs}
        for doc_id, src in _sources(col).items():
            if doc_id not in live and any(src == p or src.startswith(p.rstrip("/") + "/") for p in prune_sources):
                deleted_docs.append(doc_id)
                stale += sorted(existing.get(doc_id, set()))
    task = progress.add_task("embedding chunks", total=len(to_add)) if progress is not None and to_add else None
    # add every new chunk first (old versions stay until all new ones are in) ...
    done: list[str] = []
    try:
        for i in range(0, len(to_add), batch_size):
            part = to_add[i:i + batch_size]
            vecs = embedder.embed([c.text for c in part])
            col.add(ids=[c.chunk_id for c in part], documents=[c.text for c in part],
                    metadatas=[c.metadata for c in part], embeddings=vecs)
            done += [c.chunk_id for c in part]
            if task is not None:
                progress.update(task, advance=len(part))
    except BaseException:
        if done:  # roll back: the collection keeps exactly the previous versions
            col.delete(ids=done)
        raise
    # ... then remove the superseded and deleted ones.
    for i in range(0, len(stale), 5000):
        col.delete(ids=stale[i:i + 5000])
    secs = time.perf_counter() - t0
    return {"documents": len(docs), "added": added, "updated": updated, "unchanged": unchanged,
            "deleted": len(deleted_docs), "chunks_added": len(to_add), "chunks_removed": len(stale),
            "chunks_total": col.count(), "skipped": skipped, "seconds": round(secs, 3),
            "chunks_per_s": round(len(to_add) / secs, 1) if secs > 0 else None}
