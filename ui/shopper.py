"""The shopper support page and widget: chat (streamed, cited, confirm/decline), several conversations.

Who the shopper is (the principal) is set only by the server: a signed identity in the page URL (ui/identity.py),
a verification completed in the chat (tools.customers.verify_identity), or, in demo mode only, the customer
picker, whose event is no API endpoint and which the server refuses outside demo mode. Anyone else is an
anonymous visitor, who can ask about policies and verify in the chat. Only shopper tools are reachable.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from ui.chat import as_shown, signed_in_as, stream_reply
from ui.context import AppContext
from ui.conversations import chat_history, new_thread, past_threads

log = logging.getLogger("retain.ui")



def demo_customers(ctx: AppContext, limit: int = 40) -> list[tuple[str, str]]:
    """(label, customer_id) for the demo personas first, then other synthetic customers with recent orders."""
    if not ctx.has_store():
        return []
    try:
        from shop.demo_personas import persona_ids

        first = list(persona_ids())
    except ImportError:
        first = []
    rows = ctx.rows("SELECT customer_id, first_name, last_name, email FROM customers WHERE is_synthetic "
                    "ORDER BY customer_id LIMIT ?", [limit])
    by_id = {r["customer_id"]: r for r in rows}
    for cid in first:
        if cid not in by_id:
            by_id.update({r["customer_id"]: r for r in ctx.rows(
                "SELECT customer_id, first_name, last_name, email FROM customers WHERE customer_id = ?", [cid])})
    order = [c for c in first if c in by_id] + [c for c in by_id if c not in first]
    return [(f"{by_id[c]['first_name']} {by_id[c]['last_name']} ({c})", c) for c in order]


def my_orders(ctx: AppContext, customer_id: str | None) -> list[list[Any]]:
    if not customer_id:
        return []
    from shop.queries import list_orders

    cur = ctx.cursor()
    try:
        return [[o["order_id"], o["status"], str(o["date"]), o["total"], o["lines"]]
                for o in list_orders(cur, customer_id, limit=10)]
    finally:
        cur.close()


def whoami(ctx: AppContext, customer_id: str | None, lang: str = "en", short: bool = False) -> str:
    from ui.widget_labels import labels

    if not customer_id:
        return labels(lang)["anonymous_short" if short else "anonymous"]
    rows = ctx.rows("SELECT first_name, last_name FROM customers WHERE customer_id = ?", [customer_id])
    name = f"{rows[0]['first_name']} {rows[0]['last_name']}" if rows else customer_id
    return labels(lang)["signed_in"].format(name=name)


def session_for(ctx: AppContext, customer_id: str | None, reopen: dict[str, Any] | None = None) -> dict[str, Any]:
    """A page state for this principal: a new conversation (or the one `reopen` holds: ui/widget.reopened) first,
    then their earlier ones (newest first)."""
    thread = reopen["thread"] if reopen else new_thread(customer_id)
    earlier = [t for t in past_threads(ctx, customer_id) if t != thread] if customer_id else []
    actors = {**{t: customer_id for t in earlier}, thread: reopen["actor"] if reopen else customer_id}
    return {"customer_id": customer_id, "thread": thread, "threads": [thread], "earlier": earlier,
            "actors": actors, "chats": {thread: list(reopen["history"]) if reopen else []},
            "seen_reply": 0, "opened_at": dt.datetime.now(), "lang": "en"}


def support_replies(ctx: AppContext, st: dict[str, Any]) -> list[dict[str, Any]]:
    """Staff replies on this shopper's own tickets not shown on this page yet, as chat messages (escaped)."""
    from shop.tickets import staff_replies
    from ui.staff import _text

    if not ctx.has_store() or not (st.get("customer_id") or st.get("thread")):
        return []
    cur = ctx.cursor()
    try:
        new = staff_replies(cur, st.get("customer_id"), st.get("thread"), int(st.get("seen_reply") or 0),
                            st.get("opened_at"))
    finally:
        cur.close()
    return [{"role": "assistant", "content": f"**Reply from our support team** (ticket {_text(m['ticket_id'])}): "
             f"{_text(m['body'])}", "metadata": {"id": int(m["message_id"])}} for m in new]


def conversation_choices(st: dict[str, Any]) -> list[tuple[str, str]]:
    return ([(f"conversation {i + 1}", t) for i, t in enumerate(st["threads"])]
            + [(f"earlier conversation {i + 1}", t) for i, t in enumerate(st.get("earlier", []))])


def signed_identity(ctx: AppContext, params: Any) -> str | None:
    """The customer of a valid signed identity in the page URL that exists in the store, else None."""
    from ui.identity import verified_customer

    cid = verified_customer(ctx.settings, dict(params or {}))
    if cid and ctx.has_store() and not ctx.rows("SELECT 1 FROM customers WHERE customer_id = ?", [cid]):
        log.warning("signed identity refused: no customer %r in the store (anonymous session)", cid)
        return None
    return cid


def build_shopper(ctx: AppContext, widget: bool = False) -> Any:
    """The support page (full) or the compact embeddable widget (no picker, even in demo mode; a header with the
    shop's name and status, a greeting, labels in the shopper's language, the conversation kept by a cookie)."""
    import gradio as gr

    from agent.runner import too_long
    from ui import widget as w
    from ui.widget_labels import chips as chip_texts
    from ui.widget_labels import labels

    settings = ctx.settings
    picker = settings.demo and not widget
    allowed = dict((cid, label) for label, cid in demo_customers(ctx)) if picker else {}
    workers: dict[str, Any] = {"concurrency_limit": settings.ui_workers, "concurrency_id": "shopper-turns"}
    en = labels("en")
    with gr.Blocks(title="retain support" if not widget else "retain widget") as page:
        state = gr.State({"customer_id": None, "thread": None, "threads": [], "earlier": [], "actors": {},
                          "chats": {}, "lang": "en"})
        head = gr.HTML(w.header(settings.shop_name, "en", "bot"), visible=widget, padding=False)
        if not widget:
            gr.Markdown("# Help centre\nAsk about orders, returns and our policies."
                        + (" *Demo: pick a customer to act as.*" if picker else ""))
        me = gr.Markdown(en["anonymous_short" if widget else "anonymous"], elem_id="whoami")
        with gr.Row(visible=not widget):
            who = gr.Dropdown([(label, cid) for cid, label in allowed.items()], label="You are (demo customer)",
                              value=None, elem_id="customer", visible=picker)
            convo = gr.Dropdown([], label="Conversation", elem_id="conversation")
            new_btn = gr.Button("New conversation", elem_id="new-conversation", scale=0)
        chatbot = gr.Chatbot(label=en["chat"], height=w.CHAT_HEIGHT if widget else 460, elem_id="chat",
                             show_label=not widget, placeholder=en["greeting"] if widget else None,
                             buttons=["copy"])   # a copy button per message; no "share to Hugging Face" button
        with gr.Row(elem_id="chips") as chip_row:
            chips = [gr.Button(c, size="sm", elem_classes=["chip"]) for c in chip_texts("en")]
        with gr.Row():
            box = gr.Textbox(placeholder=en["placeholder"], show_label=False, elem_id="ask", scale=5,
                             max_length=settings.max_message_chars, container=not widget)
            send = gr.Button(en["send"], variant="primary", elem_id="send", scale=1, min_width=60)
        with gr.Row(visible=False) as confirm_row:
            yes = gr.Button(en["confirm"], variant="primary", elem_id="confirm")
            no = gr.Button(en["decline"], variant="stop", elem_id="decline")
        ticket = gr.Markdown(elem_id="ticket")
        with gr.Accordion(en["orders"], open=not widget) as orders_box:
            orders = gr.Dataframe(headers=["order", "status", "date", "total", "lines"], elem_id="orders",
                                  interactive=False)
            refresh = gr.Button(en["refresh"], size="sm", elem_id="refresh-orders")
            refresh.click(lambda st: my_orders(ctx, st["customer_id"]), state, orders, api_visibility="private")

        def chips_shown(history: list[dict[str, Any]]) -> Any:
            """The widget's suggestions are for an empty conversation; the full page keeps them."""
            return gr.update(visible=not (widget and history))

        def relabel(lang: str, status: str) -> tuple[Any, ...]:
            t = labels(lang)
            return (gr.update(value=w.header(settings.shop_name, lang, status)),
                    *(gr.update(value=c) for c in chip_texts(lang)), gr.update(placeholder=t["placeholder"]),
                    gr.update(value=t["send"]), gr.update(value=t["confirm"]), gr.update(value=t["decline"]),
                    gr.update(label=t["orders"]), gr.update(value=t["refresh"]))

        def opened(cid: str | None, lang: str = "en", reopen: dict[str, Any] | None = None) -> tuple[Any, ...]:
            st = {**session_for(ctx, cid, reopen), "lang": lang}
            history = st["chats"][st["thread"]]
            chat = gr.update(value=history, placeholder=labels(lang)["greeting"]) if widget else history
            return (st, gr.update(choices=conversation_choices(st), value=st["thread"]), chat, my_orders(ctx, cid),
                    "", whoami(ctx, cid, lang, widget), chips_shown(history),
                    *relabel(lang, w.status_of(ctx, st["thread"])))

        def start(request: Any) -> tuple[Any, ...]:
            cid = signed_identity(ctx, request.query_params if request else None)
            if not widget:
                return opened(cid)
            try:
                reopen = w.reopened(ctx, request, cid)
            except Exception:   # a conversation that cannot be read back: a fresh one, not a broken page
                log.exception("widget conversation not reopened (a fresh one instead)")
                reopen = None
            who_now = reopen["customer_id"] if reopen else cid
            return opened(who_now, w.language(ctx, request, who_now), reopen)

        start.__annotations__["request"] = gr.Request   # a real class: Gradio injects the page's request

        def pick(cid: str | None, st: dict[str, Any]) -> tuple[Any, ...]:
            if not picker or cid not in allowed:    # the server's check, whatever a client sends
                log.warning("customer picker refused (demo mode: %s)", settings.demo)
                return (st, *(gr.update() for _ in range(len(opened_outs) - 1)))
            return opened(cid)

        def new_conversation(st: dict[str, Any]) -> tuple[Any, ...]:
            thread = new_thread(st.get("customer_id"))
            st = {**st, "thread": thread, "threads": [*st["threads"], thread],
                  "actors": {**st["actors"], thread: st.get("customer_id")}, "chats": {**st["chats"], thread: []}}
            return st, gr.update(choices=conversation_choices(st), value=thread), [], ""

        def switch(thread: str | None, st: dict[str, Any]) -> tuple[Any, ...]:
            if not thread or thread not in st["actors"]:   # only this page's own conversations
                return st, gr.update()
            if thread not in st["chats"]:
                st = {**st, "chats": {**st["chats"], thread: as_shown(chat_history(ctx, thread))}}
            chats = st["chats"]
            return {**st, "thread": thread, "chats": chats}, chats[thread]

        def ask(text: str, history: list[dict[str, Any]], st: dict[str, Any]) -> Any:
            u = gr.update()
            if not text.strip():
                yield history, u, u, u, st, "", u, u, u
                return
            if len(text) > settings.max_message_chars:
                msg = too_long(len(text), settings.max_message_chars)
                yield [*history, {"role": "assistant", "content": msg}], u, u, u, st, u, u, u, u
                return
            if not st.get("thread"):
                st = {**st, **session_for(ctx, st.get("customer_id"))}
            thread = st["thread"]
            actor = st["actors"].get(thread, st.get("customer_id"))
            t = labels(st.get("lang") or "en")
            reply = None
            box_update: Any = ""
            for h, r in stream_reply(ctx, "shopper", actor, thread, text, history, typing=t["typing"]):
                history, reply = h, r
                yield history, u, u, u, st, box_update, u, u, chips_shown(history)
                box_update = u    # cleared once, as the message is taken: later typing is kept
            st["chats"][thread] = history
            cid = st.get("customer_id") or signed_in_as(ctx, "shopper", actor, thread)   # verified in the chat
            st = {**st, "customer_id": cid}
            pending = bool(reply and reply.needs_confirmation)
            handed = bool(reply and reply.ticket_id)
            note = f"**{t['ticket']} {reply.ticket_id}**" if reply and reply.ticket_id else u
            status = w.header(settings.shop_name, st.get("lang") or "en", w.status_of(ctx, thread)) if handed else u
            yield (history, gr.update(visible=pending), note, my_orders(ctx, cid), st, u,
                   whoami(ctx, cid, st.get("lang") or "en", widget), status, u)

        def poll(history: list[dict[str, Any]], st: dict[str, Any]) -> tuple[Any, ...]:
            """Staff replies on the shopper's tickets appear in the open conversation (the header says so)."""
            new = support_replies(ctx, st)
            if not new or not st.get("thread"):   # nothing new: the state is left alone (a turn may be updating it)
                return gr.update(), gr.update(), gr.update()
            seen = max(m["metadata"]["id"] for m in new)
            shown = [{"role": m["role"], "content": m["content"]} for m in new]
            history = [*(history or []), *shown]
            return (history, {**st, "seen_reply": seen, "chats": {**st["chats"], st["thread"]: history}},
                    w.header(settings.shop_name, st.get("lang") or "en", "human"))

        gr.Timer(3).tick(poll, [chatbot, state], [chatbot, state, head], api_visibility="private")
        outs = [chatbot, confirm_row, ticket, orders, state, box, me, head, chip_row]
        opened_outs = [state, convo, chatbot, orders, ticket, me, chip_row, head, *chips, box, send, yes, no,
                       orders_box, refresh]
        page.load(start, None, opened_outs, api_visibility="private")
        if picker:
            who.change(pick, [who, state], opened_outs, api_visibility="private")
        new_btn.click(new_conversation, state, [state, convo, chatbot, ticket], api_visibility="private")
        convo.change(switch, [convo, state], [state, chatbot], api_visibility="private")
        # A message sent while an answer is still streaming runs after it ("always_last"), instead of being
        # dropped (Gradio's default "once"); its inputs are read then, so it sees the finished history.
        # Turns of different shoppers run side by side, up to settings.ui_workers at once.
        send.click(ask, [box, chatbot, state], outs, api_name="ask", trigger_mode="always_last", **workers)
        box.submit(ask, [box, chatbot, state], outs, api_visibility="private", trigger_mode="always_last", **workers)
        for chip in chips:
            chip.click(ask, [chip, chatbot, state], outs, api_visibility="private", trigger_mode="always_last",
                       **workers)
        yes.click(ask, [gr.State("yes"), chatbot, state], outs, api_visibility="private", **workers)
        no.click(ask, [gr.State("no"), chatbot, state], outs, api_visibility="private", **workers)
    return page
