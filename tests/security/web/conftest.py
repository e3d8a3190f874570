"""Security-test fixtures: a demo store (no knowledge base or models: fast), and the app served on loopback."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SECRET = "test-widget-secret"
USER, PASSWORD = "alice", "alice-pw-123"


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from core.config import Settings
    from shop.demo import build_demo

    s = Settings(data_dir=tmp_path_factory.mktemp("secstore") / "data")
    s.ensure_dirs()
    build_demo(s)
    return s.data_dir


@pytest.fixture()
def shop(store_dir: Path, tmp_path: Path) -> Any:
    """Settings over a private copy of the demo store (production mode, a widget secret)."""
    from core.config import Settings

    data = tmp_path / "data"
    shutil.copytree(store_dir, data)
    return Settings(data_dir=data, embedding="hash", embedding_zh="", widget_secret=SECRET)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def serve() -> Iterator[Callable[..., str]]:
    """serve(settings) -> base URL of the app on a free loopback port (stopped after the test)."""
    import uvicorn

    servers: list[tuple[Any, threading.Thread]] = []

    def start(settings: Any) -> str:
        from ui.app import build
        from ui.auth import Logins

        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(build(settings, Logins.plain({USER: PASSWORD})), host="127.0.0.1",
                                               port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.time() + 30
        while not server.started and time.time() < deadline:
            time.sleep(0.05)
        assert server.started, "the app did not start within 30 s"
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(10)


def last_text(history: list[dict[str, Any]]) -> str:
    """The last chat message's text, as gradio_client returns it."""
    last = history[-1]["content"]
    if isinstance(last, list):
        return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in last)
    return str(last)
