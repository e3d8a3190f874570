"""Staff inbox: handoff tickets by status (open, assigned, solved), each with its case summary, the conversation
transcript, the messages and the customer's retention card; Claim, Reply and Solve act as the logged-in user."""

from __future__ import annotations

from typing import Any

from ui.auth import user_of
from ui.context import AppContext
from ui.staff import _text, open_card

HEADERS = ["ticket", "status", "assignee", "customer", "created", "category", "subject"]


def ticket_rows(ctx: AppContext, status: str) -> list[list[Any]]:
    from shop.tickets import list_tickets

    if not ctx.has_store():
        return []
    cur = ctx.cursor()
    try:
        return [[t["ticket_id"], t["inbox_status"], t["assignee"] or "", t["customer_id"] or "", str(t["created_at"])[:16],
                 t["category"], t["subject"] or ""] for t in list_tickets(cur, status)]
    finally:
        cur.close()


def _block(text: str | None) -> str:
    """Untrusted multi-line text (a transcript, a message) as escaped lines: no links, images or HTML."""
    return "<br>".join(_text(line) for line in (text or "").splitlines()) or "—"


def ticket_view(ctx: AppContext, ticket_id: str) -> tuple[str, str]:
    """(the case: summary, transcript and messages; the customer's retention card) as Markdown."""
    from core.errors import NotFoundError
    from shop.tickets import get_ticket, messages

    if not ticket_id:
        return "Pick a ticket from the list.", ""
    cur = ctx.cursor()
    try:
        t = get_ticket(cur, ticket_id)
        msgs = messages(cur, ticket_id)
    except NotFoundError as e:
        return f"**{_text(e)}**", ""
    finally:
        cur.close()
    head = (f"### Ticket {_text(t['ticket_id'])} · {t['inbox_status']}"
            + (f" · claimed by {_text(t['assignee'])}" if t["assignee"] else "")
            + f"\n\n**customer** {_text(t['customer_id'])} · **order** {_text(t['order_id'])} · **opened** "
            f"{str(t['created_at'])[:16]}\n\n**case summary** {_text(t['body'])}")
    convo = f"#### Conversation before the handoff\n\n{_block(t['transcript'])}"
    replies = "#### Messages\n\n" + ("\n\n".join(
        f"**{_text(m['author_id'])}** ({m['author_role']}, {str(m['created_at'])[:16]}): {_block(m['body'])}"
        for m in msgs) or "No messages yet.")
    return "\n\n".join([head, convo, replies]), customer_card(ctx, t["customer_id"])


def customer_card(ctx: AppContext, customer_id: str | None) -> str:
    """The retention card beside the ticket (ui.staff's), or why there is none."""
    from core.errors import RetainError

    if not customer_id:
        return "Anonymous visitor (not verified): no customer card."
    try:
        return str(open_card(ctx, customer_id)[0])
    except RetainError as e:
        return f"No customer card: {_text(e)}"


def act(ctx: AppContext, action: str, ticket_id: str, staff: str, body: str = "") -> str:
    """Claim, reply or solve as `staff`; a sentence saying what happened (a refusal in words, never a traceback)."""
    from core.errors import RetainError
    from shop import tickets

    if not ticket_id:
        return "Pick a ticket first."
    cur = ctx.cursor()
    try:
        if action == "claim":
            tickets.claim(cur, ticket_id, staff)
            return f"You ({_text(staff)}) have claimed ticket {_text(ticket_id)}."
        if action == "reply":
            tickets.reply(cur, ticket_id, staff, body)
            return f"Reply sent on ticket {_text(ticket_id)}; the shopper sees it in their conversation."
        tickets.solve(cur, ticket_id, staff)
        return f"Ticket {_text(ticket_id)} is solved."
    except RetainError as e:
        return f"**Not done:** {_text(e)}"
    finally:
        cur.close()


def build_inbox_tab(ctx: AppContext, user: str = "staff") -> None:
    """Render the inbox inside the current Blocks/Tab."""
    import gradio as gr

    with gr.Row():
        status = gr.Radio(["open", "assigned", "solved", "all"], value="open", label="Tickets",
                          elem_id="inbox-status", scale=4)
        refresh = gr.Button("Refresh", elem_id="inbox-refresh", scale=1)
    table = gr.Dataframe(value=lambda: ticket_rows(ctx, "open"), headers=HEADERS, interactive=False,
                         elem_id="inbox-tickets")  # a callable value: read again on every page load
    pick = gr.Textbox(label="Ticket", elem_id="inbox-ticket")
    note = gr.Markdown(elem_id="inbox-note")
    with gr.Row():
        with gr.Column(scale=3):
            case = gr.Markdown(elem_id="inbox-case")
            with gr.Row():
                claim = gr.Button("Claim", elem_id="inbox-claim")
                solve = gr.Button("Solve", elem_id="inbox-solve")
            body = gr.Textbox(label="Reply to the shopper", lines=3, elem_id="inbox-reply-text")
            send = gr.Button("Reply", variant="primary", elem_id="inbox-reply")
        with gr.Column(scale=2):
            card = gr.Markdown(elem_id="inbox-card")

    def select(data: Any, evt: Any) -> str:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        return str(data.iloc[row, 0]) if hasattr(data, "iloc") else str(data[row][0])

    select.__annotations__["evt"] = gr.SelectData

    def do(action: str) -> Any:
        def run(ticket_id: str, text: str, shown: str, request: Any = None) -> tuple[Any, ...]:
            said = act(ctx, action, ticket_id.strip(), user_of(request, user), text)
            cleared = "" if action == "reply" and said.startswith("Reply sent") else gr.update()
            return (said, *ticket_view(ctx, ticket_id.strip()), ticket_rows(ctx, shown), cleared)

        run.__annotations__["request"] = gr.Request    # the logged-in user is the actor and the audit actor
        return run

    private: dict[str, Any] = {"api_visibility": "private"}
    status.change(lambda s: ticket_rows(ctx, s), status, table, **private)
    refresh.click(lambda s: ticket_rows(ctx, s), status, table, **private)
    table.select(select, table, pick, **private).then(lambda t: ticket_view(ctx, t.strip()), pick, [case, card],
                                                      **private)
    pick.submit(lambda t: ticket_view(ctx, t.strip()), pick, [case, card], **private)
    for button, action in ((claim, "claim"), (send, "reply"), (solve, "solve")):
        button.click(do(action), [pick, body, status], [note, case, card, table, body], **private)
