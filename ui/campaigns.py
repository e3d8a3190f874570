"""Campaign workbench (marketer): a campaign picker that survives reloads (campaigns live in the store), audience
builder with every filter + funnel, A/B settings, drafts with validator flags, per-customer preview, approve,
export, and the results view (ui.campaign_results). Backed by retention.campaigns.service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui import campaign_results, plots
from ui.auth import user_of
from ui.context import AppContext, available, not_available

DRAFT_HEADERS = ["customer", "channel", "arm", "language", "subject", "status", "flags"]


def _num(x: float | None) -> float | None:
    """A filter bound from a number box: empty or 0 (Gradio sends an empty box as 0) means no limit."""
    return float(x) if x else None


def _int(x: float | None) -> int | None:
    return int(x) if x else None


def _spec(name: str, bands: list[str], segments: list[str], min_clv: float | None, max_clv: float | None,
          min_days: float | None, max_days: float | None, categories: list[str], limit: float | None,
          channels: list[str], tone_a: str, tone_b: str, offer_a: str, offer_b: str, holdout: float) -> Any:
    from retention.campaigns.models import AudienceSpec, CampaignSpec, Variant

    audience = AudienceSpec(risk_bands=bands or None, segments=segments or None, min_clv=_num(min_clv),
                            max_clv=_num(max_clv), min_days_since_order=_int(min_days),
                            max_days_since_order=_int(max_days), categories=categories or None,
                            limit=_int(limit) or None)
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


def campaign_choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(label, id) of every stored campaign, newest first: what the picker offers after a reload."""
    from retention.campaigns import store as st

    if not ctx.has_store():
        return []
    cur = ctx.cursor()
    try:
        rows = st.list_campaigns(cur)
    finally:
        cur.close()
    return [(f"{c['campaign_id']} · {c['name']} · {c['status']}", c["campaign_id"]) for c in reversed(rows)]


def campaign_summary(ctx: AppContext, campaign_id: str) -> str:
    from retention.campaigns import store as st

    cur = ctx.cursor()
    try:
        camp = st.get_campaign(cur, campaign_id)
        counts = st.draft_counts(cur, campaign_id)
    finally:
        cur.close()
    spec = camp["spec"]
    arms = ", ".join(f"{v.name} ({v.tone}, {v.offer})" for v in spec.variants)
    drafts = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "none yet"
    return (f"Campaign **{campaign_id}** · {camp['name']} · status **{camp['status']}** · arms {arms} · holdout "
            f"{spec.holdout_share:.0%} · drafts: {drafts}")


def _categories(ctx: AppContext) -> list[str]:
    if not ctx.has_store():
        return []
    cur = ctx.cursor()
    try:
        return [r[0] for r in cur.execute("SELECT DISTINCT category FROM products WHERE category IS NOT NULL "
                                          "ORDER BY 1").fetchall()]
    except Exception:  # a store without a catalogue: the filter simply offers nothing
        return []
    finally:
        cur.close()


def render_preview(draft: Any, issues: list[Any]) -> str:
    head = f"**To** customer {draft.customer_id} · **channel** {draft.channel} · **arm** {draft.arm}\n\n"
    if draft.subject:
        head += f"**Subject:** {draft.subject}\n\n"
    flags = ("\n\n**Validator flags:** " + "; ".join(f"`{i.code}` {i.message}" for i in issues)) if issues \
        else "\n\n✅ passes the validator"
    return head + "```\n" + draft.body + "\n```" + flags


def build_campaigns_tab(ctx: AppContext, page: Any = None, user: str = "marketer") -> None:
    """The workbench. With `page` (the enclosing gr.Blocks) the campaign picker refreshes on every page load."""
    import gradio as gr

    if not available("retention.campaigns.service"):
        gr.Markdown(not_available("The campaign workbench", "retention.campaigns"))
        return
    from retention.campaigns import service
    from retention.campaigns.models import RISK_BANDS, SEGMENTS

    camp = gr.State("")
    with gr.Row():
        picker = gr.Dropdown(campaign_choices(ctx), value=None, label="open a campaign", elem_id="campaign-picker",
                             interactive=True, scale=3)
        refresh_btn = gr.Button("↻ refresh list", scale=1, elem_id="refresh-campaigns")
    summary = gr.Markdown(elem_id="campaign-summary")

    gr.Markdown("### 1 · Audience and A/B settings")
    with gr.Row():
        name = gr.Textbox("win-back", label="campaign name")
        bands = gr.CheckboxGroup(list(reversed(RISK_BANDS)), value=["high"], label="risk bands")
        segments = gr.CheckboxGroup(list(SEGMENTS), label="segments (none = any)", elem_id="segments")
    with gr.Row():
        min_clv = gr.Number(None, label="min 12-month CLV", elem_id="min-clv")
        max_clv = gr.Number(None, label="max 12-month CLV", elem_id="max-clv")
        min_days = gr.Number(None, label="min days since last order", precision=0)
        max_days = gr.Number(None, label="max days since last order", precision=0)
        categories = gr.Dropdown(_categories(ctx), multiselect=True, label="bought in categories (none = any)",
                                 elem_id="categories")
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
    gr.Markdown(campaign_results.MODES_HELP, elem_id="outcome-modes-help")
    with gr.Row():
        mode = gr.Radio(list(campaign_results.MODES), value="purchases in the store", label="outcomes",
                        elem_id="outcome-mode")
        results_btn = gr.Button("Measure", elem_id="measure")
    results = gr.Markdown(elem_id="results")
    with gr.Row():
        conv_plot = gr.Plot(label="conversion by arm", elem_id="conversion-plot")
        curve_plot = gr.Plot(label="cumulative purchases", elem_id="curve-plot")
        revenue_plot = gr.Plot(label="incremental revenue", elem_id="revenue-plot")

    def refresh(current: str | None = None) -> Any:
        return gr.update(choices=campaign_choices(ctx), value=current or None)

    def do_plan(request: Any, *args: Any) -> tuple[Any, ...]:
        """request first: Gradio inserts the gr.Request at its parameter's position, before the 15 inputs."""
        cur = ctx.cursor()
        try:
            res = service.plan(cur, ctx.settings, _spec(*args), actor=user_of(request, user))
        except Exception as e:
            return "", f"**Could not build the audience:** {e}", None, gr.update(), ""
        finally:
            cur.close()
        cid = res["campaign_id"]
        return (cid, f"Campaign **{cid}**: {res['audience']} customers · arms {res['arms']} · offers "
                f"{res['offers']}", plots.funnel(res["funnel"]), refresh(cid), campaign_summary(ctx, cid))

    def do_open(cid: str | None) -> tuple[Any, ...]:
        """Pick a stored campaign: its state, summary, funnel and drafts come back from the store."""
        if not cid:
            return "", "", None, [], ""
        from retention.campaigns import store as st

        cur = ctx.cursor()
        try:
            funnel = st.get_campaign(cur, cid)["funnel"]
        except Exception as e:
            return "", f"**Could not open the campaign:** {e}", None, [], ""
        finally:
            cur.close()
        rows = draft_rows(ctx, cid)
        return (cid, campaign_summary(ctx, cid), plots.funnel(funnel) if funnel else None, rows,
                rows[0][0] if rows else "")

    def do_draft(cid: str, request: Any = None, progress: Any = gr.Progress()) -> tuple[str, list[list[Any]], str]:
        if not cid:
            return "Build an audience or open a campaign first.", [], ""
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
            res = service.draft(cur, ctx.settings, cid, tick=tick, actor=user_of(request, user))
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
        if not cid:
            return "Build an audience or open a campaign first.", []
        cur = ctx.cursor()
        try:
            wanted = [i.strip() for i in ids.split(",") if i.strip()] or None
            res = service.approve(cur, ctx.settings, cid, wanted, approver=user_of(request, user))
            msg = f"Approved {res['approved']} drafts ({res['flagged']} flagged, never approvable)."
        except Exception as e:
            msg = f"**Could not approve:** {e}"
        finally:
            cur.close()
        return msg, draft_rows(ctx, cid)

    def do_export(cid: str, request: Any = None) -> tuple[str, Any]:
        if not cid:
            return "Build an audience or open a campaign first.", None
        cur = ctx.cursor()
        try:
            res = service.export(cur, ctx.settings, cid, Path(ctx.settings.data_dir) / "exports",
                                 actor=user_of(request, user))
        except Exception as e:
            return f"**Could not export:** {e}", None
        finally:
            cur.close()
        return f"Exported {res['sends']} sends {res['by_channel']} ({res['skipped']} skipped: no consent).", res["files"]

    def do_results(cid: str, mode_label: str, request: Any = None) -> tuple[Any, ...]:
        if not cid:
            return "Build an audience or open a campaign first.", None, None, None
        outcomes_from = campaign_results.MODES[mode_label]
        cur = ctx.cursor()
        try:
            rep = service.analyze_campaign(cur, ctx.settings, cid, outcomes_from=outcomes_from,
                                           actor=user_of(request, user))
        except Exception as e:
            return f"**Could not measure:** {e}", None, None, None
        finally:
            cur.close()
        return (campaign_results.summary(rep, outcomes_from), *campaign_results.charts(rep))

    inputs = [name, bands, segments, min_clv, max_clv, min_days, max_days, categories, limit, channels, tone_a,
              tone_b, offer_a, offer_b, holdout]
    plan_btn.click(do_plan, inputs, [camp, plan_out, funnel_plot, picker, summary], api_visibility="private")
    picker.input(do_open, picker, [camp, summary, funnel_plot, drafts, pv_cust], api_visibility="private")
    refresh_btn.click(refresh, camp, picker, api_visibility="private")
    if page is not None:
        page.load(refresh, None, picker, api_visibility="private")
    draft_btn.click(do_draft, camp, [draft_out, drafts, pv_cust], api_visibility="private")

    def select(data: Any, evt: Any) -> tuple[str, str]:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        r = data.iloc[row].tolist() if hasattr(data, "iloc") else data[row]
        return str(r[0]), str(r[1])

    select.__annotations__["evt"] = gr.SelectData
    drafts.select(select, drafts, [pv_cust, pv_chan], api_visibility="private")
    pv_btn.click(do_preview, [camp, pv_cust, pv_chan], preview, api_visibility="private")
    for fn in (do_plan, do_draft, do_approve, do_export, do_results):   # the logged-in user is the audit actor
        fn.__annotations__["request"] = gr.Request
    approve_btn.click(do_approve, [camp, approve_ids], [status, drafts], api_visibility="private")
    export_btn.click(do_export, camp, [status, files], api_visibility="private")
    results_btn.click(do_results, [camp, mode], [results, conv_plot, curve_plot, revenue_plot],
                      api_visibility="private")
