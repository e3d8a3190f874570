"""Every `retain ...` command shown in README or docs/ resolves to a real command with the options it shows; `make demo`
and `make test` exist. (What each command does is tested in its own area's tests.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[list[str]]:
    """`retain ...` lines of the shell code blocks (```bash, ```sh or bare ```) of README and every docs page."""
    cmds = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        lang = None  # the open fence's language, or None outside a fence
        for line in page.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                lang = None if lang is not None else line[3:].strip()
            elif lang in ("", "bash", "sh") and line.strip().startswith("retain "):
                cmds.append(shlex.split(line, comments=True)[1:])
    return cmds


def test_readme_starts_with_the_two_commands() -> None:
    head = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:40])
    assert "make demo" in head and "make test" in head
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_readme_command_exists_with_its_options() -> None:
    cmds = readme_commands()
    assert len(cmds) >= 10
    runner = CliRunner()
    for args in cmds:
        words = [a for a in args if not a.startswith("-")]
        # walk down the command groups as far as the words name subcommands, then ask for --help there
        path: list[str] = []
        for w in words:
            probe = runner.invoke(app, [*path, w, "--help"])
            if probe.exit_code != 0:
                break
            path.append(w)
        assert path, f"README shows an unknown command: retain {' '.join(args)}"
        helptext = runner.invoke(app, [*path, "--help"]).output
        for opt in [a.split("=")[0] for a in args if a.startswith("--")]:
            assert opt in helptext, f"`retain {' '.join(path)}` has no option {opt} (README: retain {' '.join(args)})"
