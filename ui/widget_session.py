"""The widget's conversation cookie: a reload (or the next page of the shop) reopens the same conversation.

The server sets `retain_widget` (HttpOnly, SameSite=Lax, Path=/widget) on the widget page: base64url JSON of
{"who": "c:<customer id>" | "a:<random visitor id>", "thread": <thread id>, "exp": <Unix time>} plus an
HMAC-SHA256 of it under `settings.session_secret`. `who` is the identity the page was opened with: the customer of
a valid signed identity in the URL, or an anonymous visitor. The chat reopens the cookie's thread only when the
cookie verifies, has not expired and names the identity of the page now; a tampered or expired cookie, or one of
another identity, starts a fresh conversation (and a fresh cookie). The thread id itself is made by the server.

Cross-origin embedding (the shop on another site than the app): browsers treat the iframe's cookie as a
third-party one; `SameSite=None; Secure` over HTTPS is needed then, and some browsers block it anyway (the chat
then simply starts fresh on each load).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from core.config import Settings

log = logging.getLogger("retain.widget")
COOKIE = "retain_widget"
PATH = "/widget"
MAX_COOKIE_CHARS = 1024


@dataclass(frozen=True)
class WidgetSession:
    who: str        # "c:<customer id>" or "a:<visitor id>"
    thread: str
    exp: int

    @property
    def customer_id(self) -> str | None:
        return self.who[2:] if self.who.startswith("c:") else None


def with_session_secret(settings: Settings) -> Settings:
    """The cookie key: RETAIN_SESSION_SECRET, else one derived from the widget secret, else random for this run."""
    if settings.session_secret:
        return settings
    if settings.widget_secret:
        key = hmac.new(settings.widget_secret.get_secret_value().encode(), b"retain widget session cookie",
                       hashlib.sha256).hexdigest()
    else:
        key = secrets.token_hex(32)
    from pydantic import SecretStr

    return settings.model_copy(update={"session_secret": SecretStr(key)})   # model_copy does not validate


def _key(settings: Settings) -> bytes:
    if not settings.session_secret:
        raise ValueError("no session_secret: build the app with ui.widget_session.with_session_secret(settings)")
    return settings.session_secret.get_secret_value().encode()


def _mac(settings: Settings, body: str) -> str:
    return hmac.new(_key(settings), body.encode(), hashlib.sha256).hexdigest()


def identity_of(customer_id: str | None) -> str:
    """The `who` of a fresh session: the signed customer, or a new anonymous visitor."""
    return f"c:{customer_id}" if customer_id else f"a:{secrets.token_hex(16)}"


def mint(settings: Settings, customer_id: str | None, now: float | None = None) -> tuple[WidgetSession, str]:
    """A new conversation for this identity, and its cookie value."""
    from ui.conversations import new_thread

    exp = int(now if now is not None else time.time()) + settings.widget_session_days * 86400
    session = WidgetSession(identity_of(customer_id), new_thread(customer_id), exp)
    body = base64.urlsafe_b64encode(json.dumps(
        {"who": session.who, "thread": session.thread, "exp": session.exp}).encode()).decode().rstrip("=")
    return session, f"{body}.{_mac(settings, body)}"


def read(settings: Settings, cookie: str | None, now: float | None = None) -> WidgetSession | None:
    """The session in a cookie value when it verifies and has not expired, else None (the reason is logged)."""
    if not cookie:
        return None
    body, _, mac = cookie.partition(".")
    if len(cookie) > MAX_COOKIE_CHARS or not hmac.compare_digest(_mac(settings, body), mac.lower()):
        log.warning("widget cookie refused: the signature does not match (fresh conversation)")
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        session = WidgetSession(str(data["who"]), str(data["thread"]), int(data["exp"]))
    except (ValueError, KeyError, TypeError):
        log.warning("widget cookie refused: malformed (fresh conversation)")
        return None
    if session.exp <= (time.time() if now is None else now):
        log.info("widget cookie expired (fresh conversation)")
        return None
    return session


def belongs_to(session: WidgetSession | None, customer_id: str | None) -> bool:
    """The session is this page's identity: the same signed customer, or an anonymous one for an anonymous page."""
    if session is None:
        return False
    if customer_id:
        return session.who == f"c:{customer_id}" and session.thread.startswith(f"{customer_id}-")
    return session.who.startswith("a:") and session.thread.startswith("anon-")


def current(settings: Settings, cookies: Any, customer_id: str | None) -> WidgetSession | None:
    """The session of a request's cookies when it belongs to this page's identity, else None."""
    session = read(settings, (cookies or {}).get(COOKIE))
    if session is not None and not belongs_to(session, customer_id):
        log.info("widget cookie of another identity (fresh conversation)")
        return None
    return session


def install(app: Any, settings: Settings) -> None:
    """Middleware: the widget page's response carries a cookie that belongs to the page's identity (kept if the
    request's one does, else a new conversation's)."""
    from ui.identity import verified_customer

    @app.middleware("http")
    async def widget_cookie(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        if request.method != "GET" or request.url.path not in (PATH, PATH + "/") or response.status_code != 200:
            return response
        cid = verified_customer(settings, dict(request.query_params))
        if current(settings, request.cookies, cid) is None:
            _, value = mint(settings, cid)
            response.set_cookie(COOKIE, value, max_age=settings.widget_session_days * 86400, path=PATH,
                                httponly=True, samesite="lax", secure=request.url.scheme == "https")
        return response
