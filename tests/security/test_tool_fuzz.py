"""Fuzz every tool's arguments, for every role: each call ends in a result or a clear refusal (a RetainError or
a validation message, never the catch-all for an unexpected exception), and no call writes anything half-way.
Confirmable writes are then confirmed: each is done (and audited) or refused with the store unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import Settings
from core.session import Principal, Session
from shop.db import connect

OWNER = "15854"
NASTY = ["", " ", "#W9000001", "#W9000002", "#W0000000", OWNER, "12583", "' OR 1=1 --", "\"; DROP TABLE orders; --",
         "../../../etc/passwd", "/etc/passwd", "%", "_", "\x00", "\n\r\t", "=HYPERLINK(\"x\")", "王芳", "🙂" * 50,
         "x" * 5000, "no longer needed", "ordered by mistake", "zh", "en", "high", "at risk", "NW1 6XE",
         "camille.durand@example.fr", "+44 7700 900123", "None", "null", "[]", "{}", "-1", "1e309"]
JUNK = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.integers(), st.floats(allow_nan=True),
                 st.none(), st.booleans(), st.lists(st.sampled_from(NASTY), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.sampled_from(NASTY), max_size=2))
UNEXPECTED = "Sorry, I can't reach that information right now"
COUNTS = ("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM payments), (SELECT count(*) FROM tickets), "
          "(SELECT count(*) FROM write_actions), (SELECT count(*) FROM order_items)")
MINE = ("SELECT (SELECT sum(hash(order_id, status, ship_address)) FROM orders WHERE order_id = ANY($ids)), "
        "(SELECT sum(hash(order_id, line_no, status)) FROM order_items WHERE order_id = ANY($ids)), "
        "(SELECT sum(hash(order_id, seq, amount)) FROM payments WHERE order_id = ANY($ids)), "
        "(SELECT sum(hash(customer_id, preferred_language)) FROM customers WHERE customer_id IN ('15854', '12583'))")
IDS: list[str] = []  # the orders of the two customers the fuzz can name (filled by the `shared` fixture)


def _state(con: Any) -> tuple[Any, ...]:
    """Row counts of every written table, and the rows the fuzz's ids can reach."""
    return (*con.execute(COUNTS).fetchone(), *con.execute(MINE, {"ids": IDS}).fetchone())


def _args(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    known = st.fixed_dictionaries({f: JUNK for f in fields})
    extra = st.dictionaries(st.sampled_from([*fields, "customer_id", "role", "actor_id", "sql"]), JUNK, max_size=4)
    return st.one_of(known, extra, st.builds(lambda a, b: {**a, **b}, known, extra))


class _NoRetriever:
    def search(self, query: str, k: int = 3, **_: Any) -> list[Any]:
        assert isinstance(query, str)
        return []

    def answer(self, query: str, hits: list[Any]) -> list[Any]:
        assert isinstance(query, str) and hits == []
        return []


def _tool_names() -> list[str]:
    from tools import load_all

    return sorted(load_all())


@pytest.fixture(scope="module")
def shared(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Any]:
    """One private copy of the demo store for the whole fuzz run (the state checks are per call)."""
    data = tmp_path_factory.mktemp("fuzz") / "data"
    data.mkdir()
    shutil.copy(demo_store, data / "shop.duckdb")
    s = Settings(data_dir=data)
    con = connect(s.db_path)
    IDS[:] = [r[0] for r in con.execute("SELECT order_id FROM orders WHERE customer_id IN ('15854', '12583')")
              .fetchall()]
    return s, con


@pytest.fixture()
def store(shared: tuple[Settings, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, Any]:
    import tools.knowledge

    monkeypatch.setattr(tools.knowledge, "retriever", lambda session: _NoRetriever())  # no vector store here
    return shared


@pytest.mark.parametrize("name", _tool_names())
def test_fuzzed_arguments_never_crash_or_half_write(store: tuple[Settings, Any], name: str) -> None:
    from tools import call, load_all
    from tools.orders import execute_pending

    fresh, con = store
    fields = list(load_all()[name].args.model_fields)

    @settings(max_examples=8, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(args=_args(fields), who=st.sampled_from(["shopper", "anonymous", "staff", "marketer"]))
    def check(args: dict[str, Any], who: str) -> None:
        principal = {"shopper": Principal("shopper", OWNER), "anonymous": Principal("shopper"),
                     "staff": Principal("staff", staff_id="staff:fuzz"),
                     "marketer": Principal("marketer", staff_id="mkt:fuzz")}[who]
        s = Session(fresh, con, principal)
        before = _state(con)
        audits = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        result = call(s, name, args)
        assert isinstance(result, dict) and isinstance(result.get("kind"), str)
        assert UNEXPECTED not in str(result.get("message", "")), result
        after = _state(con)
        if name != "set_language" or result["kind"] != "language":
            assert after == before, f"{name}({args!r}) changed the store without a confirmation"
        assert con.execute("SELECT count(*) FROM audit_log").fetchone()[0] > audits, "every call is audited"
        if result["kind"] == "confirm":
            assert s.pending is not None
            done = execute_pending(s)
            assert done["kind"] in ("done", "error"), done
            if done["kind"] == "error":
                assert _state(con) == after, "a refused confirm changed nothing"
            else:
                assert _state(con) != after
            last = con.execute("SELECT actor_id, ok FROM audit_log WHERE action LIKE 'write:%' "
                               "ORDER BY audit_id DESC LIMIT 1").fetchone()
            assert last == (principal.actor_id, done["kind"] == "done")

    check()
