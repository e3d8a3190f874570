"""Issue 18.7 and 18.10: conversations share one handle to threads.sqlite; the CLI's default thread is per
principal; a signed-in shopper's web conversations can be reopened after a restart."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any


def _handles(path: Path) -> int:
    n = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            n += os.readlink(f"/proc/self/fd/{fd}").startswith(str(path))
    return n


def test_conversations_do_not_leak_thread_file_handles(shop: Any) -> None:
    from agent.runner import Assistant
    from core.session import Principal
    from shop.db import connect

    con = connect(shop.db_path)
    Assistant(shop, Principal("shopper", "15854"), con=con.cursor(), thread_id="t0").ask("hello")
    one = _handles(shop.threads_path)
    bots = [Assistant(shop, Principal("shopper", "15854"), con=con.cursor(), thread_id=f"t{i}") for i in range(1, 30)]
    bots[-1].ask("hello")
    assert 0 < one <= 3 and _handles(shop.threads_path) == one, (one, _handles(shop.threads_path))


def _threads(settings: Any) -> set[str]:
    con = sqlite3.connect(settings.threads_path)
    try:
        return {r[0] for r in con.execute("SELECT DISTINCT thread_id FROM checkpoints")}
    finally:
        con.close()


def test_cli_default_thread_is_not_shared_between_principals(shop: Any) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()
    base = ["--data-dir", str(shop.data_dir), "chat", "--model", "offline"]
    for args in (["--customer", "15854"], ["--customer", "16985"], ["--role", "staff"], []):
        out = runner.invoke(app, [*base, *args], input="hello\n\n")
        assert out.exit_code == 0, out.output
    threads = _threads(shop)
    assert len(threads) == 4, threads
    out = runner.invoke(app, [*base, "--customer", "16985"], input="what did I just say?\n\n")
    assert out.exit_code == 0 and len(_threads(shop)) == 4      # a known principal resumes their own thread


def test_web_conversations_reopen_after_a_restart(shop: Any) -> None:
    from agent.runner import Assistant
    from core.session import Principal
    from ui.context import AppContext
    from ui.conversations import chat_history, new_thread, past_threads
    from ui.shopper import session_for

    thread = new_thread("16985")
    Assistant(shop, Principal("shopper", "16985"), thread_id=thread).ask("Where is my order?")
    Assistant(shop, Principal("shopper", "15854"), thread_id=new_thread("15854")).ask("hello")
    ctx = AppContext(shop)                      # a new app over the same data dir
    assert past_threads(ctx, "16985") == [thread]
    st = session_for(ctx, "16985")
    assert st["earlier"] == [thread] and thread not in st["threads"]
    texts = [m["content"] for m in chat_history(ctx, thread)]
    assert texts[0] == "Where is my order?" and "#W9000002" in texts[-1]
    assert session_for(ctx, None)["earlier"] == []      # anonymous visitors resume nothing
