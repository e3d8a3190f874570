"""The compact support widget's own parts: its header (shop name, assistant or human status), language, layout
CSS, and the conversation its cookie reopens (ui/widget_session.py)."""

from __future__ import annotations

import html
from typing import Any

from ui.context import AppContext
from ui.widget_labels import choose, labels

# The input stays in view from 360 to 420 px wide and 520 to 640 px high: the chat takes what is left.
WIDGET_CSS = """
footer {display: none !important}
.gradio-container {padding: 0 !important; min-height: 0 !important; --layout-gap: 6px; --block-padding: 6px 8px;
                   --size-4: 6px}
.gradio-container .main {padding: 0 6px 6px !important}
.gradio-container .html-container {padding: 0 !important}
#widget-header {margin: 0 -6px; padding: 8px 12px; background: #3b5bdb; color: #fff !important}
#widget-header * {color: #fff !important}
#widget-header .shop {font-weight: 600; font-size: 1.05rem}
#widget-header .status {font-size: .85rem; opacity: .9}
#widget-header .dot {display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 6px;
                     background: #8ce99a}
#widget-header.human .dot {background: #ffd43b}
#whoami {font-size: .8rem}
#whoami p {margin: 0}
#chips {flex-wrap: nowrap !important; overflow-x: auto; gap: 6px}
"""
FULL_CSS = "footer {display: none !important}"
CHAT_HEIGHT = "max(160px, calc(100vh - 220px))"


def status_of(ctx: AppContext, thread: str | None) -> str:
    """'bot' | 'waiting' (a ticket from this conversation is open) | 'human' (our team has replied on it)."""
    if not thread or not ctx.has_store():
        return "bot"
    found = ctx.rows("SELECT bool_or(t.status = 'open') AS open, count(m.message_id) AS replies FROM tickets t "
                     "LEFT JOIN ticket_messages m ON m.ticket_id = t.ticket_id AND m.author_role = 'staff' "
                     "WHERE t.thread_id = ?", [thread])
    if not found or found[0]["open"] is None:
        return "bot"
    return "human" if found[0]["replies"] else "waiting" if found[0]["open"] else "bot"


def header(shop_name: str, lang: str, status: str) -> str:
    text = labels(lang)[f"status_{status}"]
    return (f'<div id="widget-header" class="{"human" if status != "bot" else "bot"}">'
            f'<div class="shop">{html.escape(shop_name)}</div>'
            f'<div class="status" id="widget-status"><span class="dot"></span>{html.escape(text)}</div></div>')


def language(ctx: AppContext, request: Any, customer_id: str | None) -> str:
    """`lang` in the page URL, else the customer's preferred language, else the browser's."""
    params = dict(getattr(request, "query_params", None) or {})
    headers = getattr(request, "headers", None) or {}
    preferred = None
    if customer_id and ctx.has_store():
        found = ctx.rows("SELECT preferred_language FROM customers WHERE customer_id = ?", [customer_id])
        preferred = found[0]["preferred_language"] if found else None
    return choose(params.get("lang"), preferred, headers.get("accept-language"))


def reopened(ctx: AppContext, request: Any, customer_id: str | None) -> dict[str, Any] | None:
    """The conversation the request's widget cookie holds for this identity: its thread, history and principal
    (a shopper verified in that conversation is the principal the server's thread keeps, for
    settings.widget_verified_minutes after their last message: later, on a shared computer say, the conversation
    reopens signed out), else None."""
    import datetime as dt

    from ui.chat import as_shown, forget_principal, signed_in_as
    from ui.conversations import chat_history, last_active
    from ui.widget_session import current

    session = current(ctx.settings, getattr(request, "cookies", None), customer_id)
    if session is None:
        return None
    verified = customer_id or signed_in_as(ctx, "shopper", None, session.thread)
    if verified and not customer_id:
        active = last_active(ctx, session.thread)
        limit = dt.timedelta(minutes=ctx.settings.widget_verified_minutes)
        if active is None or dt.datetime.now(dt.UTC) - active > limit:
            forget_principal(ctx, "shopper", None, session.thread)
            verified = None
    return {"thread": session.thread, "actor": customer_id, "customer_id": verified,
            "history": as_shown(chat_history(ctx, session.thread))}
