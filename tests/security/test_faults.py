"""Issue 18 #5 and #10: a full disk during a confirmed write, and a read-only, locked or full data dir.

The reply must say what actually happened: the order is either unchanged and the shopper told so, or changed,
audited and reported as done. A store that can't be opened or written is one clear RetainError line.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.session import Principal
from shop.db import connect

ORDER, OWNER = "#W9000001", "15854"


class FullDisk:
    """A store connection whose disk fills up when armed: the first statement matching `on` raises ENOSPC."""

    def __init__(self, con: Any, on: str):
        self._con, self.on, self.armed = con, on, False

    def execute(self, sql: str, *args: Any) -> Any:
        if self.armed and sql.lstrip().upper().startswith(self.on):
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def _bot(settings: Settings, con: Any, thread: str) -> Any:
    from agent.llm.offline import OfflineChatModel
    from agent.runner import Assistant

    return Assistant(settings, Principal("shopper", OWNER), model=OfflineChatModel(), con=con, thread_id=thread)


def _state(con: Any) -> tuple[str, int]:
    status = con.execute("SELECT status FROM orders WHERE order_id = ?", [ORDER]).fetchone()[0]
    refunds = con.execute("SELECT count(*) FROM payments WHERE order_id = ? AND transaction_type = 'refund'",
                          [ORDER]).fetchone()[0]
    return status, refunds


@pytest.mark.parametrize("on", ["INSERT INTO AUDIT_LOG", "INSERT INTO PAYMENTS", "COMMIT"])
def test_disk_full_during_a_confirmed_cancel_changes_nothing_and_says_so(fresh: Settings, on: str) -> None:
    real = connect(fresh.db_path)
    con = FullDisk(real, on)
    if on == "COMMIT":   # the commit itself fails (DuckDB writes its WAL at commit)
        con.commit = lambda: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left on device"))  # type: ignore[attr-defined]
        con.on = "NEVER"
    bot = _bot(fresh, con, "full")
    assert bot.ask("cancel #W9000001, ordered by mistake").needs_confirmation
    con.armed = True
    r = bot.ask("yes")
    assert _state(real) == ("pending", 0)
    assert "nothing was changed" in r.text and "Done" not in r.text
    assert "Traceback" not in r.text and "OSError" not in r.text


CHILD = """
import json, resource, signal, sys
from core.config import Settings
from core.session import Principal, Session
from shop.db import connect
from tools import call
from tools.orders import execute_pending

s = Settings(data_dir=sys.argv[1])
session = Session(s, connect(s.db_path), Principal("shopper", "15854"))
assert call(session, "cancel_order", {"order_id": "#W9000001", "reason": "ordered by mistake"})["kind"] == "confirm"
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # from here no file may grow past `limit` bytes
print(json.dumps(execute_pending(session)), flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
@pytest.mark.parametrize("limit", [1, 1_000_000])
def test_a_real_write_failure_during_a_confirmed_cancel_is_reported_truthfully(fresh: Settings, limit: int) -> None:
    """No simulation: the confirming process may not grow any file past `limit` bytes (RLIMIT_FSIZE), so
    DuckDB's own WAL write fails at commit (limit 1) or succeeds (1 MB). Whatever the store says afterwards,
    the reply said the same."""
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", CHILD, str(fresh.data_dir), str(limit)], cwd=root,
                         env={**os.environ, "PYTHONPATH": str(root)}, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    reply = json.loads(out.stdout.strip().splitlines()[-1])
    con = connect(fresh.db_path)
    audited = con.execute("SELECT count(*) FROM audit_log WHERE action = 'write:cancel_order' AND ok").fetchone()[0]
    if limit == 1:
        assert reply["kind"] == "error" and "nothing was changed" in reply["message"]
        assert "storage problem" in reply["message"]
        assert _state(con) == ("pending", 0) and audited == 0
    else:
        assert reply["kind"] == "done" and reply["refund"] > 0
        assert _state(con) == ("cancelled", 1) and audited == 1


def test_disk_full_after_the_write_still_reports_it_done(fresh: Settings) -> None:
    """The write and its audit row commit; then the conversation memory can't be saved: the reply is still
    the truth (cancelled and refunded), not 'something went wrong'."""
    con = connect(fresh.db_path)
    bot = _bot(fresh, con, "after")
    assert bot.ask("cancel #W9000001, ordered by mistake").needs_confirmation

    def full(*_: Any, **__: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    bot.agent.update_state = full
    r = bot.ask("yes")
    assert _state(con) == ("cancelled", 1)
    assert "cancelled" in r.text and "refunded" in r.text
    audit = con.execute("SELECT actor_id, ok FROM audit_log WHERE action = 'write:cancel_order'").fetchall()
    assert audit == [(OWNER, True)]


def test_a_ticket_is_never_created_without_its_audit_row(fresh: Settings) -> None:
    from tools import call
    from tools.orders import execute_pending

    real = connect(fresh.db_path)
    con = FullDisk(real, "INSERT INTO AUDIT_LOG")
    from core.session import Session

    s = Session(fresh, con, Principal("shopper", OWNER))  # type: ignore[arg-type]
    before = real.execute("SELECT count(*) FROM tickets").fetchone()[0]
    assert call(s, "request_human", {"summary": "my parcel is late"})["kind"] == "confirm"
    con.armed = True
    result = execute_pending(s)
    assert result["kind"] == "error" and "nothing was changed" in result["message"]
    assert real.execute("SELECT count(*) FROM tickets").fetchone()[0] == before


def test_a_tool_call_that_cannot_be_audited_is_refused_not_crashed(fresh: Settings) -> None:
    from core.session import Session
    from tools import call

    con = FullDisk(connect(fresh.db_path), "INSERT INTO AUDIT_LOG")
    s = Session(fresh, con, Principal("shopper", OWNER))  # type: ignore[arg-type]
    con.armed = True
    for name, args in [("order_details", {"order_id": ORDER}),
                       ("cancel_order", {"order_id": ORDER, "reason": "ordered by mistake"})]:
        result = call(s, name, args)
        assert result["kind"] == "error" and "storage problem" in result["message"], result
        assert "items" not in result and s.pending is None   # nothing shown unaudited, nothing left to confirm


def test_a_locked_store_is_one_clear_error(fresh: Settings) -> None:
    from core.errors import StoreError

    holder = subprocess.Popen([sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); sys.stdin.read()", str(fresh.db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError, match=r"shop\.duckdb.*(in use|locked)"):
            connect(fresh.db_path)
        with pytest.raises(StoreError, match=r"in use|locked"):
            connect(fresh.db_path, read_only=True)
    finally:
        holder.communicate("", timeout=30)


def test_a_data_dir_that_cannot_be_created_is_one_clear_error(tmp_path: Path) -> None:
    from core.errors import StoreError

    blocker = tmp_path / "data"
    blocker.write_text("a file where the data dir should be")
    with pytest.raises(StoreError, match=r"data"):
        connect(blocker / "shop.duckdb")


@pytest.mark.parametrize("message, meaning", [
    ("IO Error: Cannot open file \"x\": Read-only file system", "read-only"),
    ("IO Error: Cannot open file \"x\": Permission denied", "read-only|permission"),
    ("IO Error: Could not write file \"x\": No space left on device", "full"),
])
def test_store_open_errors_become_one_clear_line(fresh: Settings, monkeypatch: pytest.MonkeyPatch, message: str,
                                                 meaning: str) -> None:
    import duckdb

    from core.errors import StoreError

    def fail(*_: Any, **__: Any) -> Any:
        raise duckdb.IOException(message)

    monkeypatch.setattr(duckdb, "connect", fail)
    with pytest.raises(StoreError, match=meaning):
        connect(fresh.db_path)


def test_the_cli_reports_a_full_disk_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli.main import app
    from core.config import Settings

    def full(self: Settings) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "data"))

    monkeypatch.setattr(Settings, "ensure_dirs", full)
    out = CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), "init"])
    assert out.exit_code == 2, out.output
    assert "Traceback" not in out.output and "full" in out.output
