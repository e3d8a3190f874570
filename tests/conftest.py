"""Shared fixtures. Tests run offline: an autouse guard refuses any connection except to loopback."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

for _k, _v in {
    "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False", "OPENBLAS_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_k, _v)

from shared_data import ONLINE_RETAIL, REVIEWS, ROOT, SHARED_DATA, TAU, needs_shared_data  # noqa: E402,F401

_LOOPBACK = ("127.", "::1", "localhost")


def _allowed(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
    elif isinstance(address, str | bytes):  # unix socket path
        return True
    else:
        return True
    return host.startswith(_LOOPBACK) or host in ("", "0.0.0.0")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every outbound connection except loopback, so no test can reach a paid model or a hub."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: object) -> object:
        if not _allowed(address):
            raise ConnectionRefusedError(f"tests are offline: connection to {address!r} refused")
        return real_connect(self, address)  # type: ignore[arg-type]

    def guarded_connect_ex(self: socket.socket, address: object) -> object:
        if not _allowed(address):
            raise ConnectionRefusedError(f"tests are offline: connection to {address!r} refused")
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)


@pytest.fixture()
def settings(tmp_path: Path):
    """Settings over an empty data dir of the test's own."""
    from core.config import Settings

    return Settings(data_dir=tmp_path / "data")


@pytest.fixture()
def store():
    """An empty, migrated in-memory shop store."""
    from shop.db import connect

    con = connect(None)
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory):
    """One demo shop (store, knowledge base, models) built once per test session; treat it as read-only
    or copy it (see `demo_copy`) before writing. RETAIN_TEST_DEMO_DIR names a data dir that `retain demo` built
    from this same checkout, copied instead of building anew (a local shortcut; CI always builds)."""
    import os
    import shutil

    from cli.pipeline import build_demo_all
    from core.config import Settings

    s = Settings(data_dir=tmp_path_factory.mktemp("demo") / "data")
    prebuilt = os.environ.get("RETAIN_TEST_DEMO_DIR")
    if prebuilt and (Path(prebuilt) / "demo_report.json").exists() and not os.environ.get("CI"):
        shutil.copytree(prebuilt, s.data_dir)
    else:
        build_demo_all(s)
    return s


@pytest.fixture()
def demo_copy(demo_settings, tmp_path: Path):
    """A private, writable copy of the session's demo data dir."""
    import shutil

    from core.config import Settings

    dst = tmp_path / "data"
    shutil.copytree(demo_settings.data_dir, dst)
    return Settings(data_dir=dst)
