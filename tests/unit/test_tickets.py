"""The staff inbox's store (shop/tickets.py) and the handoff ticket keeping the conversation (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import RetainError
from core.session import Principal
from shop import tickets
from shop.db import connect
from shop.queries import create_ticket


@pytest.fixture()
def ticket(store) -> str:
    return create_ticket(store, "C1", "handoff", "Customer asked for a human", "late parcel", thread_id="C1-abc",
                         transcript="Shopper: where is my parcel?\nAssistant: Shall I hand you over?")


def _audit(con, action: str) -> list[tuple]:
    return con.execute("SELECT actor_role, actor_id, ok, details FROM audit_log WHERE action = ? ORDER BY audit_id",
                       [f"ticket:{action}"]).fetchall()


def test_claim_by_a_second_user_is_refused_and_audited(store, ticket: str) -> None:
    assert [t["ticket_id"] for t in tickets.list_tickets(store, "open")] == [ticket]
    assert tickets.claim(store, ticket, "stella") == {"assignee": "stella"}
    with pytest.raises(RetainError, match="claimed by stella"):
        tickets.claim(store, ticket, "admin")
    t = tickets.get_ticket(store, ticket)
    assert (t["assignee"], t["inbox_status"]) == ("stella", "assigned")
    assert tickets.list_tickets(store, "open") == []
    assert [x["ticket_id"] for x in tickets.list_tickets(store, "assigned")] == [ticket]
    assert [(r, a, ok) for r, a, ok, _ in _audit(store, "claim")] == [("staff", "stella", True),
                                                                      ("staff", "admin", False)]


def test_reply_is_stored_audited_and_shown_only_to_that_customer(store, ticket: str) -> None:
    other = create_ticket(store, "C2", "handoff", "Customer asked for a human", "other case")
    tickets.reply(store, other, "admin", "for C2 only")
    with pytest.raises(RetainError, match="empty"):
        tickets.reply(store, ticket, "stella", "   ")
    done = tickets.reply(store, ticket, "stella", "Your parcel left today.")
    assert tickets.get_ticket(store, ticket)["assignee"] == "stella"   # replying claims an unclaimed ticket
    assert [(m["author_role"], m["author_id"], m["body"]) for m in tickets.messages(store, ticket)] == [
        ("staff", "stella", "Your parcel left today.")]
    role, actor, ok, details = _audit(store, "reply")[-1]
    assert (role, actor, ok) == ("staff", "stella", True) and json.loads(details)["message_id"] == done["message_id"]
    mine = tickets.staff_replies(store, "C1")
    assert [m["body"] for m in mine] == ["Your parcel left today."]
    assert tickets.staff_replies(store, "C1", after=mine[-1]["message_id"]) == []
    assert [m["body"] for m in tickets.staff_replies(store, "C2")] == ["for C2 only"]
    assert tickets.staff_replies(store, None, "C1-abc") == []    # the thread only counts for anonymous tickets
    assert tickets.staff_replies(store, None, None) == []
    with pytest.raises(RetainError, match="claimed by stella"):
        tickets.reply(store, ticket, "admin", "me too")


def test_solve(store, ticket: str) -> None:
    tickets.claim(store, ticket, "stella")
    with pytest.raises(RetainError, match="claimed by stella"):
        tickets.solve(store, ticket, "admin")
    assert tickets.solve(store, ticket, "stella")["status"] == "resolved"
    t = tickets.get_ticket(store, ticket)
    assert (t["status"], t["inbox_status"]) == ("resolved", "solved") and t["resolved_at"] is not None
    assert [x["ticket_id"] for x in tickets.list_tickets(store, "solved")] == [ticket]
    with pytest.raises(RetainError, match="already solved"):
        tickets.reply(store, ticket, "stella", "late")
    with pytest.raises(RetainError, match="inbox status"):
        tickets.list_tickets(store, "closed")


@pytest.fixture()
def fresh(tmp_path: Path) -> Settings:
    from shop.demo import build_demo

    s = Settings(data_dir=tmp_path / "data")
    build_demo(s)
    return s


def test_the_handoff_ticket_keeps_the_transcript(fresh: Settings) -> None:
    from agent.llm.offline import OfflineChatModel
    from agent.runner import Assistant

    con = connect(fresh.db_path)
    bot = Assistant(fresh, Principal("shopper", "15854"), model=OfflineChatModel(), con=con, thread_id="15854-h")
    bot.ask("where is my order #W9000001?")
    r = bot.ask("I'd like to talk to a person")
    assert r.needs_confirmation
    r = bot.ask("yes")
    assert r.ticket_id
    t = tickets.get_ticket(con, r.ticket_id)
    assert (t["customer_id"], t["thread_id"], t["category"]) == ("15854", "15854-h", "handoff")
    lines = t["transcript"].splitlines()
    assert lines[0] == "Shopper: where is my order #W9000001?"
    assert "Shopper: I'd like to talk to a person" in lines and lines[-1] == "Shopper: yes"
    assert any(x.startswith("Assistant: ") for x in lines) and '"kind"' not in t["transcript"]  # no tool output
    assert "transcript" not in bot.session.facts


def test_inbox_view_escapes_the_conversation_and_the_shopper_sees_only_their_replies(settings: Settings) -> None:
    import datetime as dt

    from ui.context import AppContext
    from ui.inbox import act, ticket_rows, ticket_view
    from ui.shopper import support_replies

    settings.data_dir.mkdir(parents=True)
    connect(settings.db_path).close()
    ctx = AppContext(settings)
    cur = ctx.cursor()
    mine = create_ticket(cur, "C1", "handoff", "Customer asked for a human", "refund [click](http://evil.example)",
                         thread_id="C1-t", transcript="Shopper: ![x](http://evil.example/p.png) <b>hi</b>\nAssistant: ok")
    theirs = create_ticket(cur, "C2", "handoff", "Customer asked for a human", "other")
    assert [r[0] for r in ticket_rows(ctx, "open")] == [theirs, mine]
    case, card = ticket_view(ctx, mine)
    assert "Shopper: " in case and "Assistant: ok" in case and "no customer with id" in card
    assert "](" not in case and "<b>" not in case and "&lt;b&gt;" in case     # shown as text, never as links/HTML
    assert "have claimed" in act(ctx, "claim", mine, "stella")
    assert act(ctx, "reply", mine, "admin", "hi").startswith("**Not done:** ticket")  # claimed by stella
    assert act(ctx, "reply", mine, "stella", "Refund sent [here](http://x)").startswith("Reply sent")
    act(ctx, "reply", theirs, "admin", "for C2")
    page = {"customer_id": "C1", "thread": "C1-new", "seen_reply": 0, "opened_at": dt.datetime.now()}
    shown = support_replies(ctx, page)
    assert len(shown) == 1 and "Reply from our support team" in shown[0]["content"]
    assert "Refund sent" in shown[0]["content"] and "](" not in shown[0]["content"]
    assert support_replies(ctx, {**page, "seen_reply": shown[0]["metadata"]["id"]}) == []
    assert support_replies(ctx, {"customer_id": None, "thread": "C1-t"}) == []   # not an anonymous ticket
    assert "is solved" in act(ctx, "solve", mine, "stella")
    assert support_replies(ctx, {**page, "opened_at": dt.datetime.now() + dt.timedelta(minutes=1)}) == []


def test_two_staff_claiming_at_once_one_wins(tmp_path: Path) -> None:
    import threading

    con = connect(tmp_path / "shop.duckdb")
    ticket = create_ticket(con, "C1", "handoff", "Customer asked for a human", "case")
    barrier, outcome = threading.Barrier(2), {}

    def attempt(user: str) -> None:
        cur = con.cursor()
        barrier.wait()
        try:
            outcome[user] = tickets.claim(cur, ticket, user)["assignee"]
        except RetainError as e:
            outcome[user] = str(e)

    threads = [threading.Thread(target=attempt, args=(u,)) for u in ("stella", "admin")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winner = tickets.get_ticket(con, ticket)["assignee"]
    loser = "admin" if winner == "stella" else "stella"
    assert outcome == {winner: winner, loser: f"ticket {ticket} is claimed by {winner}"}
