"""Staff console: customer search, retention card (gauge, drivers, timeline), staff chat, at-risk list + CSV."""

from __future__ import annotations

import csv
import html
import json
import tempfile
import uuid
from pathlib import Path
from typing import Any

from ui import plots
from ui.auth import user_of
from ui.chat import stream_reply
from ui.context import AppContext, available, not_available


def search(ctx: AppContext, text: str) -> list[list[Any]]:
    from shop.queries import search_customers

    if not text.strip():
        return []
    cur = ctx.cursor()
    try:
        return [[r["customer_id"], f"{r['first_name'] or ''} {r['last_name'] or ''}".strip(), r["email"], r["country"]]
                for r in search_customers(cur, text, limit=20)]
    finally:
        cur.close()


def events(ctx: AppContext, customer_id: str) -> list[dict[str, Any]]:
    """Orders, tickets and reviews of one customer, for the timeline."""
    out = [{"kind": "order", "date": r["d"], "label": f"{r['order_id']} · {r['status']}"} for r in ctx.rows(
        "SELECT order_id, status, CAST(created_at AS DATE) d FROM orders WHERE customer_id = ?", [customer_id])]
    out += [{"kind": "ticket", "date": r["d"], "label": f"{r['ticket_id']} · {r['category']} · {r['status']}"}
            for r in ctx.rows("SELECT ticket_id, category, status, CAST(created_at AS DATE) d FROM tickets "
                              "WHERE customer_id = ?", [customer_id])]
    out += [{"kind": "review", "date": r["d"], "label": f"{r['rating']}★ {r['title'] or ''}"} for r in ctx.rows(
        "SELECT rating, title, CAST(created_at AS DATE) d FROM reviews WHERE customer_id = ?", [customer_id])]
    return out


def retention_card(ctx: AppContext, customer_id: str) -> dict[str, Any] | None:
    """H4's customer_retention when it has landed, else the stored churn_scores row; None when unscored."""
    if available("retention.summary"):
        from retention.summary import customer_retention

        cur = ctx.cursor()
        try:
            return dict(customer_retention(cur, ctx.settings, customer_id))
        finally:
            cur.close()
    rows = ctx.rows("SELECT churn_probability AS probability, risk_band, drivers, segment, rfm, clv_12m, "
                    "lifecycle_stage, as_of FROM churn_scores WHERE customer_id = ? ORDER BY as_of DESC LIMIT 1",
                    [customer_id])
    if not rows:
        return None
    card = rows[0]
    card["drivers"] = json.loads(card["drivers"]) if card["drivers"] else []
    return card


def _text(value: Any) -> str:
    """Untrusted text (names, ticket subjects, review titles) shown as plain text: no HTML, links or images."""
    if value is None or value == "":
        return "—"
    return html.escape(str(value)).replace("|", "&#124;").replace("[", "&#91;").replace("]", "&#93;") \
        .replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;").replace("\n", " ")


SENTIMENT = {"positive": "🙂 positive", "neutral": "😐 neutral", "negative": "🙁 negative"}


def card_markdown(cid: str, card: dict[str, Any], currency: str = "£") -> str:
    """The retention card: who, how valuable, how at risk and why (in words, with direction), history."""
    clv = card.get("clv_12m")
    name = card.get("name")
    contact = " · ".join(_text(card[k]) for k in ("email", "phone", "country") if card.get(k))
    lines = [f"### {_text(name) + ' · ' if name else ''}Customer {cid}"]
    if contact:
        lines.append(f"**contact** {contact}")
    lines += [f"**churn probability** {100 * float(card['probability']):.1f}% · **risk** {card.get('risk_band')}",
              f"**segment** {card.get('segment') or '—'} · **lifecycle** {card.get('lifecycle_stage') or '—'} · "
              f"**CLV 12m** {'—' if clv is None else f'{currency}{float(clv):,.2f}'}"]
    if "orders" in card:
        spend = card.get("total_spend")
        lines.append(f"**orders** {card['orders']} · **last order** {card.get('last_order') or '—'} · **total spend** "
                     f"{'—' if spend is None else f'{currency}{float(spend):,.2f}'}")
    if card.get("next_best_action"):
        nba = card["next_best_action"]
        lines.append(f"**next best action** {nba.get('text', nba) if isinstance(nba, dict) else nba}")
    drivers = card.get("drivers") or []
    if drivers:
        lines.append("**why at risk** (what pushes the risk up, strongest first)\n\n" + "\n".join(
            f"- ↑ raises risk: {_text(d.get('text') or d.get('feature'))}" for d in drivers))
    tickets, reviews = card.get("tickets") or {}, card.get("reviews") or {}
    if tickets:
        lines.append(f"**tickets** {tickets.get('total', 0)} ({tickets.get('open', 0)} open)")
    if card.get("recent_tickets"):
        lines.append("| ticket | date | category | status | subject | sentiment |\n|---|---|---|---|---|---|\n" + "\n".join(
            f"| {_text(t['ticket_id'])} | {t['date']} | {_text(t['category'])} | {_text(t['status'])} | "
            f"{_text(t['subject'])} | {SENTIMENT.get(t.get('sentiment') or '', '—')} |" for t in card["recent_tickets"]))
    if reviews:
        lines.append(f"**reviews** {reviews.get('n', 0)}: {reviews.get('positive', 0)} positive, "
                     f"{reviews.get('neutral', 0)} neutral, {reviews.get('negative', 0)} negative (by rating)")
    if card.get("recent_reviews"):
        lines.append("| date | rating | title | sentiment |\n|---|---|---|---|\n" + "\n".join(
            f"| {r['date']} | {'★' * int(r['rating'] or 0)} | {_text(r['title'])} | "
            f"{SENTIMENT.get(r.get('sentiment') or '', '—')} |" for r in card["recent_reviews"]))
    return "\n\n".join(lines)


def open_card(ctx: AppContext, customer_id: str) -> tuple[str, Any, Any, Any]:
    if not customer_id:
        return "Pick a customer from the search results.", None, None, None
    ev = plots.timeline(events(ctx, customer_id))
    card = retention_card(ctx, customer_id)
    if card is None:
        return (f"### Customer {customer_id}\n\nNo churn score yet: " + not_available("The churn model",
                "retention.pipeline") + " (or run `retain demo`).", None, None, ev)
    return (card_markdown(customer_id, card, ctx.settings.policy.currency_symbol), plots.risk_gauge(float(card["probability"]), str(card["risk_band"])),
            plots.drivers_bar(card.get("drivers") or []), ev)


def at_risk(ctx: AppContext, band: str, segment: str, min_prob: float, limit: int) -> list[list[Any]]:
    sql = ("SELECT s.customer_id, c.first_name || ' ' || c.last_name AS name, round(s.churn_probability, 3) p, "
           "s.risk_band, s.segment, round(s.clv_12m, 2) clv FROM churn_scores s LEFT JOIN customers c USING "
           "(customer_id) WHERE s.as_of = (SELECT max(as_of) FROM churn_scores) AND s.churn_probability >= ?")
    params: list[Any] = [min_prob]
    if band != "any":
        sql += " AND s.risk_band = ?"
        params.append(band)
    if segment != "any":
        sql += " AND s.segment = ?"
        params.append(segment)
    sql += " ORDER BY p DESC LIMIT ?"
    return [list(r.values()) for r in ctx.rows(sql, [*params, int(limit)])]


AT_RISK_HEADERS = ["customer", "name", "probability", "risk", "segment", "clv_12m"]


def to_csv(rows: list[list[Any]]) -> str:
    """The at-risk list as a CSV file for download; formula-like cells quoted (shop.csv_safe)."""
    from shop.csv_safe import safe_rows

    path = Path(tempfile.mkdtemp(prefix="retain-")) / "at_risk.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(AT_RISK_HEADERS)
        w.writerows(safe_rows(rows))
    return str(path)


def build_staff_tab(ctx: AppContext, user: str = "staff") -> None:
    """Render the staff console inside the current Blocks/Tab."""
    import gradio as gr

    with gr.Row():
        q = gr.Textbox(label="Find a customer (id, email or name)", elem_id="staff-search", scale=4)
        go = gr.Button("Search", elem_id="staff-search-btn", scale=1)
    found = gr.Dataframe(headers=["customer", "name", "email", "country"], interactive=False, elem_id="found")
    pick = gr.Textbox(label="Customer id", elem_id="staff-customer")
    open_btn = gr.Button("Open retention card", variant="primary", elem_id="open-card")
    card = gr.Markdown(elem_id="card")
    with gr.Row():
        gauge = gr.Plot(label="risk", elem_id="gauge")
        drivers = gr.Plot(label="drivers", elem_id="drivers")
    tl = gr.Plot(label="timeline", elem_id="timeline")
    go.click(lambda t: search(ctx, t), q, found, api_visibility="private")
    q.submit(lambda t: search(ctx, t), q, found, api_visibility="private")

    def select(data: Any, evt: Any) -> str:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        return str(data.iloc[row, 0]) if hasattr(data, "iloc") else str(data[row][0])

    select.__annotations__["evt"] = gr.SelectData
    found.select(select, found, pick, api_visibility="private")
    open_btn.click(lambda c: open_card(ctx, c.strip()), pick, [card, gauge, drivers, tl], api_visibility="private")

    with gr.Accordion("At-risk customers", open=False):
        scored = ctx.has_store() and bool(ctx.rows("SELECT 1 FROM churn_scores LIMIT 1"))
        if not scored:
            gr.Markdown(not_available("The at-risk list", "retention.pipeline (churn_scores is empty)"))
        segs = ["any"] + ([r["segment"] for r in ctx.rows(
            "SELECT DISTINCT segment FROM churn_scores WHERE segment IS NOT NULL ORDER BY 1")] if scored else [])
        with gr.Row():
            band = gr.Dropdown(["any", "high", "medium", "low"], value="high", label="risk band")
            seg = gr.Dropdown(segs, value="any", label="segment")
            minp = gr.Slider(0, 1, value=0.0, step=0.05, label="min probability")
            lim = gr.Number(100, label="max rows", precision=0)
        list_btn = gr.Button("List", elem_id="at-risk-btn")
        table = gr.Dataframe(headers=AT_RISK_HEADERS, interactive=False, elem_id="at-risk")
        dl = gr.File(label="CSV")
        list_btn.click(lambda b, s, m, n: at_risk(ctx, b, s, m, n), [band, seg, minp, lim], table,
                       api_visibility="private").then(lambda rows: to_csv(rows.values.tolist() if hasattr(rows, "values")
                                                                else rows), table, dl, api_visibility="private")

    with gr.Accordion("Ask the assistant (staff role)", open=False):
        sstate = gr.State(lambda: f"staff-{uuid.uuid4().hex[:6]}")
        sbot = gr.Chatbot(height=320, elem_id="staff-chat")
        sbox = gr.Textbox(placeholder="e.g. why is customer 12347 at risk?", show_label=False)

        def staff_ask(text: str, history: list[dict[str, Any]], thread: str, request: Any = None) -> Any:
            box_update: Any = ""
            for h, _ in stream_reply(ctx, "staff", user_of(request, user), thread, text, history):
                yield h, box_update
                box_update = gr.update()    # cleared once; what is typed meanwhile is kept and sent next

        staff_ask.__annotations__["request"] = gr.Request    # the logged-in user is the audit actor
        sbox.submit(staff_ask, [sbox, sbot, sstate], [sbot, sbox], api_visibility="private",
                    trigger_mode="always_last")
