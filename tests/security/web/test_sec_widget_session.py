"""Issue 17: the widget's conversation cookie. The server sets it HttpOnly and SameSite=Lax on the widget page and
keeps it only while it verifies and names the page's identity; the chat reopens a conversation only for that
identity (a tampered cookie, another customer's, an anonymous one on a signed page, or the reverse, start fresh)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.web.conftest import SECRET


class _Request:
    """What ui.widget.reopened reads of Gradio's request: cookies."""

    def __init__(self, cookies: dict[str, str]) -> None:
        self.cookies = cookies


def _cookie(response: Any) -> str | None:
    from ui.widget_session import COOKIE

    return response.cookies.get(COOKIE)


def test_the_widget_page_sets_a_strict_cookie_and_replaces_a_bad_one(shop: Any, serve: Any) -> None:
    import httpx

    from ui.identity import query
    from ui.widget_session import COOKIE, read, with_session_secret

    url = serve(shop)
    settings = with_session_secret(shop)            # the app derives the same key from the widget secret
    first = httpx.get(f"{url}/widget/")
    header = first.headers["set-cookie"]
    assert first.status_code == 200 and "HttpOnly" in header and "SameSite=lax" in header and "Path=/widget" in header
    value = _cookie(first)
    anon = read(settings, value)
    assert anon is not None and anon.customer_id is None and anon.thread.startswith("anon-")

    kept = httpx.get(f"{url}/widget/", cookies={COOKIE: value})
    assert kept.status_code == 200 and "set-cookie" not in kept.headers                 # the same conversation

    tampered = value[:-1] + ("0" if value[-1] != "0" else "1")
    fresh = read(settings, _cookie(httpx.get(f"{url}/widget/", cookies={COOKIE: tampered})))
    assert fresh is not None and fresh.thread != anon.thread

    signed = httpx.get(f"{url}/widget/?{query(SECRET.encode(), '16985')}", cookies={COOKIE: value})
    mine = read(settings, _cookie(signed))
    assert mine is not None and mine.customer_id == "16985" and mine.thread.startswith("16985-")
    theirs = httpx.get(f"{url}/widget/?{query(SECRET.encode(), '15854')}", cookies={COOKIE: _cookie(signed) or ""})
    other = read(settings, _cookie(theirs))
    assert other is not None and other.customer_id == "15854"                          # not 16985's conversation
    back = httpx.get(f"{url}/widget/", cookies={COOKIE: _cookie(signed) or ""})
    assert (s := read(settings, _cookie(back))) is not None and s.customer_id is None  # a signed-out page: anonymous
    assert "set-cookie" not in httpx.get(f"{url}/").headers                            # the full page sets none


def test_a_conversation_reopens_only_for_its_own_identity(shop: Any) -> None:
    from agent.runner import Assistant
    from core.session import Principal
    from ui.context import AppContext
    from ui.widget import reopened
    from ui.widget_session import COOKIE, mint, with_session_secret

    settings = with_session_secret(shop)
    ctx = AppContext(settings)
    harry, harry_cookie = mint(settings, "16985")
    Assistant(settings, Principal("shopper", "16985"), con=ctx.cursor(), thread_id=harry.thread).ask(
        "Where is my order?")
    visitor, visitor_cookie = mint(settings, None)
    Assistant(settings, Principal("shopper"), con=ctx.cursor(), thread_id=visitor.thread).ask(
        "hello there ![x](http://evil.example/x.png) <img src=x onerror=alert(1)>")

    again = reopened(ctx, _Request({COOKIE: harry_cookie}), "16985")
    assert again is not None and again["thread"] == harry.thread and again["customer_id"] == "16985"
    assert again["history"][0]["content"] == "Where is my order?"
    assert r"\#W9000002" in again["history"][-1]["content"]                          # escaped as when it streamed
    assert reopened(ctx, _Request({COOKIE: harry_cookie}), "15854") is None             # another customer
    assert reopened(ctx, _Request({COOKIE: harry_cookie}), None) is None                # an anonymous page

    anon = reopened(ctx, _Request({COOKIE: visitor_cookie}), None)
    assert anon is not None and anon["thread"] == visitor.thread and anon["customer_id"] is None
    shown = anon["history"][0]["content"]
    assert shown.startswith("hello there") and r"\!\[x\]\(http\:" in shown and r"\<img" in shown   # no image
    assert reopened(ctx, _Request({COOKIE: visitor_cookie}), "16985") is None           # a signed page

    body, _, mac = harry_cookie.partition(".")
    assert reopened(ctx, _Request({COOKIE: f"{body}.{mac[::-1]}"}), "16985") is None   # tampered
    assert reopened(ctx, _Request({}), "16985") is None


@pytest.mark.parametrize("thread", ["15854-0123", "anon-0123"])
def test_a_signed_cookie_naming_another_customers_thread_is_refused(shop: Any, thread: str) -> None:
    """Even a cookie signed with the app's key reopens only a thread of its own identity (defence in depth)."""
    from ui.widget_session import WidgetSession, belongs_to

    assert not belongs_to(WidgetSession("c:16985", thread, 4102444800), "16985")


def test_the_header_says_a_person_has_joined_once_our_team_replies(shop: Any) -> None:
    from shop.queries import create_ticket
    from shop.tickets import reply
    from ui.context import AppContext
    from ui.conversations import new_thread
    from ui.widget import header, status_of

    ctx = AppContext(shop)
    thread, other = new_thread("16985"), new_thread("16985")
    assert status_of(ctx, thread) == "bot"
    cur = ctx.cursor()
    ticket = create_ticket(cur, "16985", "handoff", "a person please", "a person please", thread_id=thread)
    assert status_of(ctx, thread) == "waiting" and status_of(ctx, other) == "bot"
    reply(cur, ticket, "stella", "Hello Harry, I am looking into it.")
    assert status_of(ctx, thread) == "human" and status_of(ctx, other) == "bot"
    assert "A person from our team has joined" in header("Hearth & Home", "en", "human")
    assert "我们的客服人员已加入对话" in header("<b>x</b>", "zh", "human")
    assert "&lt;b&gt;x&lt;/b&gt;" in header("<b>x</b>", "zh", "human")             # the shop name is escaped
