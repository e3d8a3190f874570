"""The shopper support widget: pick a demo customer, chat (streamed, cited, confirm/decline), several conversations.

Only shopper tools are reachable: the Assistant is built with a shopper Principal for the selected customer.
"""

from __future__ import annotations

import uuid
from typing import Any

from ui.chat import stream_reply
from ui.context import AppContext

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


def build_shopper(ctx: AppContext, widget: bool = False) -> Any:
    """The support page (full) or the compact embeddable widget."""
    import gradio as gr

    customers = demo_customers(ctx)
    with gr.Blocks(title="retain support" if not widget else "retain widget") as page:
        state = gr.State({"customer_id": None, "thread": None, "threads": []})
        if not widget:
            gr.Markdown("# Help centre\nAsk about orders, returns and our policies. *Demo: pick a customer to act as.*")
        with gr.Row():
            who = gr.Dropdown(customers, label="You are (demo customer)", value=None, elem_id="customer")
            convo = gr.Dropdown([], label="Conversation", elem_id="conversation")
            new_btn = gr.Button("New conversation", elem_id="new-conversation", scale=0)
        chatbot = gr.Chatbot(label="Support", height=380 if widget else 460, elem_id="chat")
        with gr.Row():
            chips = [gr.Button(s, size="sm", elem_classes=["chip"]) for s in SUGGESTIONS]
        with gr.Row():
            box = gr.Textbox(placeholder="Type your question…", show_label=False, elem_id="ask", scale=5)
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

        def pick(cid: str | None, st: dict[str, Any]) -> tuple[Any, ...]:
            thread = f"{cid}-{uuid.uuid4().hex[:6]}"
            st = {"customer_id": cid, "thread": thread, "threads": [thread], "chats": {thread: []}}
            return st, gr.update(choices=[("conversation 1", thread)], value=thread), [], my_orders(ctx, cid), ""

        def new_conversation(st: dict[str, Any]) -> tuple[Any, ...]:
            if not st.get("customer_id"):
                return st, gr.update(), [], ""
            thread = f"{st['customer_id']}-{uuid.uuid4().hex[:6]}"
            st = {**st, "thread": thread, "threads": [*st["threads"], thread], "chats": {**st["chats"], thread: []}}
            choices = [(f"conversation {i + 1}", t) for i, t in enumerate(st["threads"])]
            return st, gr.update(choices=choices, value=thread), [], ""

        def switch(thread: str | None, st: dict[str, Any]) -> tuple[Any, ...]:
            if not thread or thread not in st.get("chats", {}):
                return st, gr.update()
            return {**st, "thread": thread}, st["chats"][thread]

        def ask(text: str, history: list[dict[str, Any]], st: dict[str, Any]) -> Any:
            if not text.strip():
                yield history, gr.update(), gr.update(), gr.update(), st, ""
                return
            if not st.get("customer_id"):
                yield ([*history, {"role": "assistant", "content": "Please pick who you are first."}],
                       gr.update(), gr.update(), gr.update(), st, "")
                return
            reply = None
            box_update: Any = ""
            for h, r in stream_reply(ctx, "shopper", st["customer_id"], st["thread"], text, history):
                history, reply = h, r
                yield history, gr.update(), gr.update(), gr.update(), st, box_update
                box_update = gr.update()    # cleared once, as the message is taken: later typing is kept
            st["chats"][st["thread"]] = history
            pending = bool(reply and reply.needs_confirmation)
            note = f"**Handed to a person: ticket {reply.ticket_id}**" if reply and reply.ticket_id else gr.update()
            yield (history, gr.update(visible=pending), note, my_orders(ctx, st["customer_id"]), st, gr.update())

        outs = [chatbot, confirm_row, ticket, orders, state, box]
        who.change(pick, [who, state], [state, convo, chatbot, orders, ticket], api_name="pick_customer")
        new_btn.click(new_conversation, state, [state, convo, chatbot, ticket], api_visibility="private")
        convo.change(switch, [convo, state], [state, chatbot], api_visibility="private")
        # A message sent while an answer is still streaming runs after it ("always_last"), instead of being
        # dropped (Gradio's default "once"); its inputs are read then, so it sees the finished history.
        send.click(ask, [box, chatbot, state], outs, api_name="ask", trigger_mode="always_last")
        box.submit(ask, [box, chatbot, state], outs, api_visibility="private", trigger_mode="always_last")
        for chip in chips:
            chip.click(ask, [chip, chatbot, state], outs, api_visibility="private", trigger_mode="always_last")
        yes.click(ask, [gr.State("yes"), chatbot, state], outs, api_visibility="private")
        no.click(ask, [gr.State("no"), chatbot, state], outs, api_visibility="private")
    return page
