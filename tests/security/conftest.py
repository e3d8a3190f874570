"""Fixtures for the red-team tests (issue 18): a demo store built once, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.config import Settings


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from shop.demo import build_demo

    s = Settings(data_dir=tmp_path_factory.mktemp("security") / "data")
    build_demo(s)
    return s.db_path


@pytest.fixture()
def fresh(demo_store: Path, tmp_path: Path) -> Settings:
    """Settings over a private copy of the demo store (no knowledge base, no models)."""
    (tmp_path / "data").mkdir()
    shutil.copy(demo_store, tmp_path / "data" / "shop.duckdb")
    return Settings(data_dir=tmp_path / "data")
