"""The package layering (pyproject's [tool.importlinter] contracts): kept on the real tree, broken by a planted
uphill import, so the check that `make lint` runs can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "prompts", "shop", "retention", "vectorstore", "tools", "agent", "ui", "cli")
LINT = Path(sys.executable).with_name("lint-imports")


def _copy_tree(dest: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, dest / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.j2",
                                                                                "*.md", "*.gz", "*.json", "*.sql"))


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first, so the copy is analysed rather than the editable install of the checkout
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=where, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not LINT.exists():
        pytest.skip(f"{LINT} not installed (dev dependency import-linter)")
    dest = tmp_path_factory.mktemp("layers")
    _copy_tree(dest)
    return dest


def test_the_real_tree_keeps_every_contract(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "uphill"), [
    ("core/errors.py", "import agent.runner"),            # the base layer importing the agent
    ("shop/queries.py", "from tools import orders"),       # the store importing the tools above it
    ("vectorstore/lexical.py", "import retention.churn"),  # knowledge importing the retention models
])
def test_a_planted_uphill_import_breaks_the_check(tree: Path, module: str, uphill: str) -> None:
    path = tree / module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + f"\n{uphill}  # planted by test_layers\n", encoding="utf-8")
        result = _lint(tree)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert module.replace("/", ".").removesuffix(".py") in result.stdout
