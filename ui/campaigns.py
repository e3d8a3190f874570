"""Campaign workbench (marketer): audience builder + funnel, A/B settings, drafts with validator flags, per-customer
preview, approve, export, and the results view (uplift, retention by arm). Backed by retention.campaigns.service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ui import plots
from ui.auth import user_of
from ui.context import AppContext, available, not_available

DRAFT_HEADERS = ["customer", "channel", "arm", "language", "subject", "status", "flags"]


def _spec(name: str, bands: list[str], min_days: float | None, limit: float | None, channels: list[str],
          tone_a: str, tone_b: str, offer_a: str, offer_b: str, holdout: float) -> Any:
    from retention.campaigns.models import AudienceSpec, CampaignSpec, Variant

    audience = AudienceSpec(risk_bands=bands or None, min_days_since_order=int(min_days) if min_days else None,
                            limit=int(limit) if limit else None)
    variants = [Variant(name="A", tone=tone_a, offer=offer_a), Variant(name="B", tone=tone_b, offer=offer_b)]
    return CampaignSpec(name=name or "win-back", audience=audience, channels=channels or ["email"],
                        variants=variants, holdout_share=float(holdout))


def draft_rows(ctx: AppContext, campaign_id: str) -> list[list[Any]]:
    from retention.campaigns import store as st

    cur = ctx.cursor()
    try:
        return [[d["customer_id"], d["channel"], d["arm"], d["language"], d["subject"] or "", d["status"],
                 "; ".join(f"{i['code']}: {i['message']}" for i in d["issues"])] for d in st.drafts(cur, campaign_id)]
    finally:
        cur.close()


def render_preview(draft: Any, issues: list[Any]) -> str:
    head = f"**To** customer {draft.customer_id} · **channel** {draft.channel} · **arm** {draft.arm}\n\n"
    if draft.subject:
        head += f"**Subject:** {draft.subject}\n\n"
    flags = ("\n\n**Validator flags:** " + "; ".join(f"`{i.code}` {i.message}" for i in issues)) if issues \
        else "\n\n✅ passes the validator"
    return head + "```\n" + draft.body + "\n```" + flags


def build_campaigns_tab(ctx: AppContext, user: str = "marketer") -> None:
    import gradio as gr

    if not available("retention.campaigns.service"):
        gr.Markdown(not_available("The campaign workbench", "retention.campaigns"))
        return
    from retention.campaigns import service

    camp = gr.State("")
    gr.Markdown("### 1 · Audience and A/B settings")
    with gr.Row():
        name = gr.Textbox("win-back", label="campaign name")
        bands = gr.CheckboxGroup(["high", "medium", "low"], value=["high"], label="risk bands")
        min_days = gr.Number(None, label="min days since last order", precision=0)
        limit = gr.Number(200, label="max customers (riskiest first)", precision=0)
    with gr.Row():
        channels = gr.CheckboxGroup(["email", "sms", "push"], value=["email"], label="channels")
        tone_a = gr.Dropdown(["warm", "direct", "playful"], value="warm", label="arm A tone")
        offer_a = gr.Dropdown(["percent", "free_shipping"], value="percent", label="arm A offer")
        tone_b = gr.Dropdown(["warm", "direct", "playful"], value="direct", label="arm B tone")
        offer_b = gr.Dropdown(["percent", "free_shipping"], value="free_shipping", label="arm B offer")
        holdout = gr.Slider(0.0, 0.5, value=0.1, step=0.05, label="holdout share")
    plan_btn = gr.Button("Build audience", variant="primary", elem_id="build-audience")
    plan_out = gr.Markdown(elem_id="plan-out")
    funnel_plot = gr.Plot(label="funnel", elem_id="funnel")

    gr.Markdown("### 2 · Drafts")
    draft_btn = gr.Button("Write drafts", elem_id="write-drafts")
    draft_out = gr.Markdown(elem_id="draft-out")
    drafts = gr.Dataframe(headers=DRAFT_HEADERS, interactive=False, elem_id="drafts", wrap=True)
    with gr.Row():
        pv_cust = gr.Textbox(label="preview customer", elem_id="preview-customer")
        pv_chan = gr.Dropdown(["email", "sms", "push"], value="email", label="channel")
        pv_btn = gr.Button("Preview", elem_id="preview-btn")
    preview = gr.Markdown(elem_id="preview")

    gr.Markdown("### 3 · Approve and export")
    with gr.Row():
        approve_ids = gr.Textbox(label="approve only these customers (comma-separated; empty = all valid drafts; "
                                 "drafts not approved stay rejected)")
        approve_btn = gr.Button("Approve", variant="primary", elem_id="approve")
        export_btn = gr.Button("Export", elem_id="export")
    status = gr.Markdown(elem_id="campaign-status")
    files = gr.File(label="export files", file_count="multiple", elem_id="export-files")

    gr.Markdown("### 4 · Results")
    results_btn = gr.Button("Measure (purchases in the store after the send)", elem_id="measure")
    results = gr.Markdown(elem_id="results")
    results_plot = gr.Plot(label="retention by arm")

    def do_plan(*args: Any) -> tuple[Any, ...]:
        cur = ctx.cursor()
        try:
            res = service.plan(cur, ctx.settings, _spec(*args))
        except Exception as e:
            return "", f"**Could not build the audience:** {e}", None
        finally:
            cur.close()
        return (res["campaign_id"], f"Campaign **{res['campaign_id']}**: {res['audience']} customers · arms "
                f"{res['arms']} · offers {res['offers']}", plots.funnel(res["funnel"]))

    def do_draft(cid: str, progress: Any = gr.Progress()) -> tuple[str, list[list[Any]], str]:
        if not cid:
            return "Build an audience first.", [], ""
        from retention.campaigns import store as st
        from retention.campaigns.models import CONTROL

        cur = ctx.cursor()
        total = max(1, sum(1 for r in st.assignments(cur, cid) if r["arm"] != CONTROL))
        done = [0]

        def tick(n: int) -> None:
            done[0] += n
            progress((done[0], total), desc="writing drafts", unit="customers")

        progress((0, total), desc="writing drafts", unit="customers")
        try:
            res = service.draft(cur, ctx.settings, cid, tick=tick)
        except Exception as e:
            return f"**Could not draft:** {e}", [], ""
        finally:
            cur.close()
        rows = draft_rows(ctx, cid)
        return (f"{res['drafts']} drafts: {res['valid']} valid, {res['flagged']} flagged "
                f"({res['regenerated']} regenerated); flags {res['flag_reasons'] or 'none'}", rows,
                rows[0][0] if rows else "")

    def do_preview(cid: str, customer: str, channel: str) -> str:
        if not cid or not customer.strip():
            return "Pick a campaign and a customer (click a draft row)."
        cur = ctx.cursor()
        try:
            res = service.preview(cur, ctx.settings, cid, customer.strip(), channel)
        except Exception as e:
            return f"**Could not preview:** {e}"
        finally:
            cur.close()
        return "That customer is not in this audience." if res is None else render_preview(*res)

    def do_approve(cid: str, ids: str, request: Any = None) -> tuple[str, list[list[Any]]]:
        cur = ctx.cursor()
        try:
            wanted = [i.strip() for i in ids.split(",") if i.strip()] or None
            res = service.approve(cur, ctx.settings, cid, wanted, approver=user_of(request, user))
            msg = f"Approved {res['approved']} drafts ({res['flagged']} flagged, never approvable)."
        except Exception as e:
            msg = f"**Could not approve:** {e}"
        finally:
            cur.close()
        return msg, draft_rows(ctx, cid) if cid else []

    def do_export(cid: str) -> tuple[str, Any]:
        cur = ctx.cursor()
        try:
            res = service.export(cur, ctx.settings, cid, Path(ctx.settings.data_dir) / "exports")
        except Exception as e:
            return f"**Could not export:** {e}", None
        finally:
            cur.close()
        return f"Exported {res['sends']} sends {res['by_channel']} ({res['skipped']} skipped: no consent).", res["files"]

    def do_results(cid: str) -> tuple[str, Any]:
        cur = ctx.cursor()
        try:
            rep = service.analyze_campaign(cur, ctx.settings, cid, outcomes_from="orders")
        except Exception as e:
            return f"**Could not measure:** {e}", None
        finally:
            cur.close()
        arms = rep.get("arms") or {}
        fig = None
        if isinstance(arms, dict) and arms:
            rate = [float(v.get("conversion", v.get("rate", 0)) or 0) if isinstance(v, dict) else 0
                    for v in arms.values()]
            fig = plots.bars(list(arms), rate, "purchase rate by arm")
        return "```json\n" + json.dumps(rep, indent=1, default=str)[:4000] + "\n```", fig

    inputs = [name, bands, min_days, limit, channels, tone_a, tone_b, offer_a, offer_b, holdout]
    plan_btn.click(do_plan, inputs, [camp, plan_out, funnel_plot], api_visibility="private")
    draft_btn.click(do_draft, camp, [draft_out, drafts, pv_cust], api_visibility="private")

    def select(data: Any, evt: Any) -> tuple[str, str]:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        r = data.iloc[row].tolist() if hasattr(data, "iloc") else data[row]
        return str(r[0]), str(r[1])

    select.__annotations__["evt"] = gr.SelectData
    drafts.select(select, drafts, [pv_cust, pv_chan], api_visibility="private")
    pv_btn.click(do_preview, [camp, pv_cust, pv_chan], preview, api_visibility="private")
    do_approve.__annotations__["request"] = gr.Request    # the logged-in user is the approver
    approve_btn.click(do_approve, [camp, approve_ids], [status, drafts], api_visibility="private")
    export_btn.click(do_export, camp, [status, files], api_visibility="private")
    results_btn.click(do_results, camp, [results, results_plot], api_visibility="private")
