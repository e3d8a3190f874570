"""Chroma access: embedded PersistentClient in the data dir, or HttpClient when settings.chroma_url is set.

Collections record which embedder built them (metadata "embedder"); opening one with another embedder is a
ConfigError. A registered embedding function lets a collection reopen offline in a fresh process.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import urlparse

import numpy as np

from core.config import Settings
from core.errors import ConfigError, NotFoundError

DEFAULT_COLLECTION = "knowledge"
_EF_REGISTERED = False


def _register_ef() -> Any:
    """Register RetainEmbeddingFunction with chromadb once (so get_collection can rebuild it offline)."""
    global _EF_REGISTERED
    from chromadb import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    from vectorstore.embeddings import load_embedder

    class RetainEmbeddingFunction(EmbeddingFunction[Documents]):
        def __init__(self, spec: str = "minilm"):
            self.spec = spec

        def __call__(self, input: Documents) -> Embeddings:
            return [np.asarray(v, dtype=np.float32) for v in load_embedder(self.spec).embed(list(input))]

        @staticmethod
        def name() -> str:
            return "retain-embedder"

        def default_space(self) -> str:  # type: ignore[override]
            return "cosine"

        def supported_spaces(self) -> list[str]:  # type: ignore[override]
            return ["cosine"]

        def get_config(self) -> dict[str, Any]:
            return {"spec": self.spec}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> RetainEmbeddingFunction:
            return RetainEmbeddingFunction(config.get("spec", "minilm"))

    if not _EF_REGISTERED:
        with contextlib.suppress(ValueError):  # already registered in this process
            register_embedding_function(RetainEmbeddingFunction)
        _EF_REGISTERED = True
    return RetainEmbeddingFunction


def client(settings: Settings, path: Any = None) -> Any:
    """PersistentClient(path or settings.chroma_path), or HttpClient for settings.chroma_url."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    cs = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url and path is None:
        u = urlparse(settings.chroma_url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise ConfigError(f"RETAIN_CHROMA_URL {settings.chroma_url!r} is not http://host:port")
        return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https", settings=cs)
    p = path or settings.chroma_path
    p.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(p), settings=cs)


def open_collection(cl: Any, name: str, spec: str, create: bool = True) -> Any:
    """The collection `name`, checked to be built by embedder `spec` (created empty when missing and create)."""
    from vectorstore.embeddings import load_embedder

    if not re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]", name):
        raise ConfigError(f"collection name {name!r} must be 3-512 characters of letters, digits, . _ - "
                          "(starting and ending with a letter or digit)")
    ef_cls = _register_ef()
    emb_name = spec if spec.startswith("openai:") else load_embedder(spec).name  # no model load here
    names = {getattr(c, "name", c) for c in cl.list_collections()}
    if name not in names:
        if not create:
            raise NotFoundError(f"knowledge collection {name!r} does not exist yet (run `retain ingest` or "
                                "`retain demo build`)")
        return cl.create_collection(name, embedding_function=ef_cls(spec),
                                    metadata={"embedder": emb_name, "embedder_spec": spec, "hnsw:space": "cosine"})
    col = cl.get_collection(name, embedding_function=None)
    built = (col.metadata or {}).get("embedder")
    if built and built != emb_name:
        raise ConfigError(f"collection {name!r} was built with embedder {built!r} but RETAIN_EMBEDDING "
                          f"gives {emb_name!r}; re-ingest into a new collection or set the embedding back")
    return col


def all_chunks(col: Any, batch: int = 5000) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Every (id, text, metadata) in the collection, paged."""
    ids: list[str] = []
    docs: list[str] = []
    metas: list[dict[str, Any]] = []
    total = col.count()
    for off in range(0, total, batch):
        got = col.get(include=["documents", "metadatas"], limit=batch, offset=off)
        ids += got["ids"]
        docs += got["documents"] or []
        metas += [dict(m or {}) for m in (got["metadatas"] or [])]
    return ids, docs, metas
