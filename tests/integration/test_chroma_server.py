"""The same ingest/search code against a real Chroma server (`chroma run`) on 127.0.0.1 via RETAIN_CHROMA_URL."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.config import Settings
from tests.live_server import free_port
from vectorstore.chroma import client, open_collection
from vectorstore.embeddings import load_embedder
from vectorstore.ingest import ingest_paths
from vectorstore.retriever import HybridRetriever

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.mark.skipif(not CHROMA.exists(), reason="the chroma CLI is not installed in this venv")
def test_ingest_and_search_through_chroma_server(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "srv"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        s = Settings(data_dir=tmp_path / "data", chroma_url=f"http://127.0.0.1:{port}", embedding="hash")
        deadline = time.monotonic() + 60
        while True:
            try:
                cl = client(s)
                cl.heartbeat()
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
        assert type(cl).__name__ != "PersistentClient"
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "returns.md").write_text("# Returns\n\n## Window\nReturn items within 30 days of delivery.\n")
        (docs / "shipping.md").write_text("# Shipping\n\n## Germany\nParcels to Hamburg take 3-5 working days.\n")
        col = open_collection(cl, "knowledge", "hash")
        out = ingest_paths(col, [docs], load_embedder("hash"), 1_000_000)
        assert out["added"] == 2
        hits = HybridRetriever.from_settings(s).search("Germany: parcels to Hamburg take working days", k=1)
        assert hits and hits[0].doc_id == "shipping"
        assert not (s.data_dir / "chroma").exists()  # nothing went to the embedded store
    finally:
        proc.terminate()
        proc.wait(timeout=20)
