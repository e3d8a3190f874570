"""Security-test fixtures: a demo store (no knowledge base or models: fast), and the app served on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveServer

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


@pytest.fixture()
def serve() -> Iterator[Callable[..., str]]:
    """serve(settings) -> base URL of the app on a free loopback port (stopped after the test)."""
    servers: list[LiveServer] = []

    def start(settings: Any) -> str:
        from ui.app import build
        from ui.auth import Logins

        servers.append(LiveServer(build(settings, Logins.plain({USER: PASSWORD}))))
        return servers[-1].url

    yield start
    for live in servers:
        live.stop()


def last_text(history: list[dict[str, Any]]) -> str:
    """The last chat message's text, as gradio_client returns it."""
    last = history[-1]["content"]
    if isinstance(last, list):
        return " ".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in last)
    return str(last)
