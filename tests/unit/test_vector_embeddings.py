"""Embedder specs: OpenAI embeddings against a fake OpenAI-compatible server on loopback; clear config errors."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pytest

from core.config import Settings
from core.errors import ConfigError
from vectorstore.embeddings import embedder_for, load_embedder


class _Fake(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        data = [{"object": "embedding", "index": i, "embedding": [float(len(t)), 1.0, 0.0]}
                for i, t in enumerate(body["input"])]
        out = json.dumps({"object": "list", "data": data[::-1], "model": body["model"],
                          "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args: object) -> None:
        pass


def test_openai_embedder_via_compatible_server(tmp_path) -> None:
    srv = HTTPServer(("127.0.0.1", 0), _Fake)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        s = Settings(data_dir=tmp_path, embedding="openai:text-embedding-3-small", openai_api_key="sk-test",
                     openai_base_url=f"http://127.0.0.1:{srv.server_address[1]}/v1")
        e = embedder_for(s)
        vecs = e.embed(["ab", "abcd"])
        assert e.name == "openai:text-embedding-3-small" and e.dim == 3
        assert vecs.shape == (2, 3) and np.allclose(np.linalg.norm(vecs, axis=1), 1.0)
        assert vecs[1, 0] > vecs[0, 0]  # rows come back in input order although the server reversed them
    finally:
        srv.shutdown()


def test_bad_specs_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="RETAIN_OPENAI_API_KEY"):
        load_embedder("openai:text-embedding-3-small")
    with pytest.raises(ConfigError, match="not known"):
        load_embedder("word2vec")
