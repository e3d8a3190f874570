"""Issue 18 #4: concurrent confirms of one cancel-with-refund refund once; concurrent handoffs get distinct ids."""

from __future__ import annotations

import copy
import threading
from typing import Any

from core.config import Settings
from core.session import Principal, Session
from shop.db import connect

ORDER, OWNER = "#W9000001", "15854"   # a pending order of the demo's shopper 15854


def _run_all(sessions: list[Session], fn: Any) -> list[Any]:
    """Run fn(session) in one thread per session, all released at once; results or the exceptions raised."""
    out: list[Any] = [None] * len(sessions)
    gate = threading.Barrier(len(sessions))

    def work(i: int) -> None:
        gate.wait()
        try:
            out[i] = fn(sessions[i])
        except Exception as e:  # noqa: BLE001 - counted by the test
            out[i] = e

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(sessions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _refunds(con: Any) -> int:
    return con.execute("SELECT count(*) FROM payments WHERE order_id = ? AND transaction_type = 'refund'",
                       [ORDER]).fetchone()[0]


def test_200_confirms_of_the_same_pending_cancel_refund_once(fresh: Settings) -> None:
    from tools import call
    from tools.orders import execute_pending

    con = connect(fresh.db_path)
    first = Session(fresh, con, Principal("shopper", OWNER))
    assert call(first, "cancel_order", {"order_id": ORDER, "reason": "ordered by mistake"})["kind"] == "confirm"
    sessions = [Session(fresh, con.cursor(), Principal("shopper", OWNER), pending=copy.deepcopy(first.pending))
                for _ in range(200)]
    results = _run_all(sessions, execute_pending)
    assert _refunds(con) == 1
    assert con.execute("SELECT status FROM orders WHERE order_id = ?", [ORDER]).fetchone()[0] == "cancelled"
    assert not [r for r in results if isinstance(r, Exception)], "every confirm gets a reply, none a traceback"
    assert all(r["kind"] == "done" for r in results), "the same pending action, confirmed twice, is done once"
    written = con.execute("SELECT count(*) FROM audit_log WHERE action = 'write:cancel_order' AND ok").fetchone()[0]
    assert written == 1


def test_200_sessions_each_confirming_their_own_cancel_refund_once(fresh: Settings) -> None:
    """Different pending actions on the same order (e.g. two tabs): the state is re-checked inside the write."""
    from tools import call
    from tools.orders import execute_pending

    con = connect(fresh.db_path)
    sessions = []
    for _ in range(200):
        s = Session(fresh, con.cursor(), Principal("shopper", OWNER))
        assert call(s, "cancel_order", {"order_id": ORDER, "reason": "ordered by mistake"})["kind"] == "confirm"
        sessions.append(s)
    results = _run_all(sessions, execute_pending)
    assert _refunds(con) == 1
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r["kind"] == "done" for r in results) == 1
    refused = [r for r in results if r["kind"] != "done"]
    assert all(r["kind"] == "error" and "cancelled" in r["message"] for r in refused), refused[:3]
    rows = con.execute("SELECT ok, count(*) FROM audit_log WHERE action = 'write:cancel_order' GROUP BY ok "
                       "ORDER BY ok").fetchall()
    assert rows == [(False, 199), (True, 1)], "refused writes are audited too"


def test_concurrent_handoffs_get_distinct_ticket_ids(fresh: Settings) -> None:
    from tools import call
    from tools.orders import execute_pending

    con = connect(fresh.db_path)
    before = con.execute("SELECT count(*) FROM tickets").fetchone()[0]
    sessions = []
    for _ in range(50):
        s = Session(fresh, con.cursor(), Principal("shopper", OWNER))
        assert call(s, "request_human", {"summary": "my parcel is late"})["kind"] == "confirm"
        sessions.append(s)
    results = _run_all(sessions, execute_pending)
    assert not [r for r in results if isinstance(r, Exception)]
    ids = [r["ticket_id"] for r in results]
    assert len(set(ids)) == 50
    assert con.execute("SELECT count(*) FROM tickets").fetchone()[0] == before + 50
    audited = con.execute("SELECT count(*) FROM audit_log WHERE action = 'write:handoff' AND ok").fetchone()[0]
    assert audited == 50


def test_a_pending_action_confirmed_by_another_principal_reveals_nothing(fresh: Settings) -> None:
    """Even holding the key of someone else's confirmed action, another shopper gets no part of its result."""
    from tools import call
    from tools.orders import execute_pending

    con = connect(fresh.db_path)
    owner = Session(fresh, con, Principal("shopper", OWNER))
    call(owner, "cancel_order", {"order_id": ORDER, "reason": "ordered by mistake"})
    stolen = copy.deepcopy(owner.pending)
    assert execute_pending(owner)["kind"] == "done"
    other = Session(fresh, con, Principal("shopper", "12583"), pending=stolen)
    result = execute_pending(other)
    assert result["kind"] == "error" and "refund" not in result and "another conversation" in result["message"]
    assert _refunds(con) == 1
