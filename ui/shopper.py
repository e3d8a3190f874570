"""The shopper support page and widget: chat (streamed, cited, confirm/decline), several conversations.

Who the shopper is (the principal) is set only by the server: a signed identity in the page URL (ui/identity.py),
a verification completed in the chat (tools.customers.verify_identity), or, in demo mode only, the customer
picker, whose event is no API endpoint and which the server refuses outside demo mode. Anyone else is an
anonymous visitor, who can ask about policies and verify in the chat. Only shopper tools are reachable.
"""

from __future__ import annotations

import logging
from typing import Any

from ui.chat import signed_in_as, stream_reply
from ui.context import AppContext
from ui.conversations import chat_history, new_thread, past_threads

log = logging.getLogger("retain.ui")

SUGGESTIONS = ["What is your return policy?", "Where is my order?", "I want to return an item",
               "How long do refunds take?", "I'd like to talk to a person"]


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


ANONYMOUS = ("*Not signed in.* Ask about our policies, or verify in the chat (email plus postcode or an order "
             "number, or full name plus postcode) to see your orders.")


def whoami(ctx: AppContext, customer_id: str | None) -> str:
    if not customer_id:
        return ANONYMOUS
    rows = ctx.rows("SELECT first_name, last_name FROM customers WHERE customer_id = ?", [customer_id])
    name = f"{rows[0]['first_name']} {rows[0]['last_name']}" if rows else customer_id
    return f"Signed in as **{name}**."


def session_for(ctx: AppContext, customer_id: str | None) -> dict[str, Any]:
    """A fresh page state for this principal: a new conversation first, then their earlier ones (newest first)."""
    thread = new_thread(customer_id)
    earlier = past_threads(ctx, customer_id) if customer_id else []
    return {"customer_id": customer_id, "thread": thread, "threads": [thread], "earlier": earlier,
            "actors": {t: customer_id for t in [thread, *earlier]}, "chats": {thread: []}}


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
    """The support page (full) or the compact embeddable widget (no picker, even in demo mode)."""
    import gradio as gr

    from agent.runner import too_long

    settings = ctx.settings
    picker = settings.demo and not widget
    allowed = dict((cid, label) for label, cid in demo_customers(ctx)) if picker else {}
    workers: dict[str, Any] = {"concurrency_limit": settings.ui_workers, "concurrency_id": "shopper-turns"}
    with gr.Blocks(title="retain support" if not widget else "retain widget") as page:
        state = gr.State({"customer_id": None, "thread": None, "threads": [], "earlier": [], "actors": {},
                          "chats": {}})
        if not widget:
            gr.Markdown("# Help centre\nAsk about orders, returns and our policies."
                        + (" *Demo: pick a customer to act as.*" if picker else ""))
        me = gr.Markdown(ANONYMOUS, elem_id="whoami")
        with gr.Row():
            who = gr.Dropdown([(label, cid) for cid, label in allowed.items()], label="You are (demo customer)",
                              value=None, elem_id="customer", visible=picker)
            convo = gr.Dropdown([], label="Conversation", elem_id="conversation")
            new_btn = gr.Button("New conversation", elem_id="new-conversation", scale=0)
        chatbot = gr.Chatbot(label="Support", height=380 if widget else 460, elem_id="chat")
        with gr.Row():
            chips = [gr.Button(s, size="sm", elem_classes=["chip"]) for s in SUGGESTIONS]
        with gr.Row():
            box = gr.Textbox(placeholder="Type your question…", show_label=False, elem_id="ask", scale=5,
                             max_length=settings.max_message_chars)
            send = gr.Button("Send", variant="primary", elem_id="send", scale=1)
        with gr.Row(visible=False) as confirm_row:
            yes = gr.Button("✔ Confirm", variant="primary", elem_id="confirm")
            no = gr.Button("✖ Decline", variant="stop", elem_id="decline")
        ticket = gr.Markdown(elem_id="ticket")
        with gr.Accordion("My orders", open=not widget):
            orders = gr.Dataframe(headers=["order", "status", "date", "total", "lines"], elem_id="orders",
                                  interactive=False)
            gr.Button("Refresh orders", size="sm", elem_id="refresh-orders").click(
                lambda st: my_orders(ctx, st["customer_id"]), state, orders, api_visibility="private")

        def opened(cid: str | None) -> tuple[Any, ...]:
            st = session_for(ctx, cid)
            return (st, gr.update(choices=conversation_choices(st), value=st["thread"]), [], my_orders(ctx, cid), "",
                    whoami(ctx, cid))

        def start(request: Any) -> tuple[Any, ...]:
            return opened(signed_identity(ctx, request.query_params if request else None))

        start.__annotations__["request"] = gr.Request   # a real class: Gradio injects the page's request

        def pick(cid: str | None, st: dict[str, Any]) -> tuple[Any, ...]:
            if not picker or cid not in allowed:    # the server's check, whatever a client sends
                log.warning("customer picker refused (demo mode: %s)", settings.demo)
                return (st, *(gr.update() for _ in range(5)))
            return opened(cid)

        def new_conversation(st: dict[str, Any]) -> tuple[Any, ...]:
            thread = new_thread(st.get("customer_id"))
            st = {**st, "thread": thread, "threads": [*st["threads"], thread],
                  "actors": {**st["actors"], thread: st.get("customer_id")}, "chats": {**st["chats"], thread: []}}
            return st, gr.update(choices=conversation_choices(st), value=thread), [], ""

        def switch(thread: str | None, st: dict[str, Any]) -> tuple[Any, ...]:
            if not thread or thread not in st["actors"]:   # only this page's own conversations
                return st, gr.update()
            chats = st["chats"] if thread in st["chats"] else {**st["chats"], thread: chat_history(ctx, thread)}
            return {**st, "thread": thread, "chats": chats}, chats[thread]

        def ask(text: str, history: list[dict[str, Any]], st: dict[str, Any]) -> Any:
            keep = (gr.update(), gr.update(), gr.update(), gr.update())
            if not text.strip():
                yield history, *keep[:3], st, "", gr.update()
                return
            if len(text) > settings.max_message_chars:
                msg = too_long(len(text), settings.max_message_chars)
                yield [*history, {"role": "assistant", "content": msg}], *keep[:3], st, gr.update(), gr.update()
                return
            if not st.get("thread"):
                st = {**st, **session_for(ctx, st.get("customer_id"))}
            thread = st["thread"]
            actor = st["actors"].get(thread, st.get("customer_id"))
            reply = None
            box_update: Any = ""
            for h, r in stream_reply(ctx, "shopper", actor, thread, text, history):
                history, reply = h, r
                yield history, *keep[:3], st, box_update, gr.update()
                box_update = gr.update()    # cleared once, as the message is taken: later typing is kept
            st["chats"][thread] = history
            cid = st.get("customer_id") or signed_in_as(ctx, "shopper", actor, thread)   # verified in the chat
            st = {**st, "customer_id": cid}
            pending = bool(reply and reply.needs_confirmation)
            note = f"**Handed to a person: ticket {reply.ticket_id}**" if reply and reply.ticket_id else gr.update()
            yield (history, gr.update(visible=pending), note, my_orders(ctx, cid), st, gr.update(), whoami(ctx, cid))

        outs = [chatbot, confirm_row, ticket, orders, state, box, me]
        opened_outs = [state, convo, chatbot, orders, ticket, me]
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
