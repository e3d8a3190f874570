"""Analytics: cohort retention heatmap, churn-risk distribution, segment sizes and value, model-card metrics,
recommender metrics. Everything is computed from the store and the saved model cards when the page asks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ui import plots
from ui.context import AppContext, not_available


def cohort_matrix(ctx: AppContext, months: int = 12) -> tuple[list[list[float | None]], list[str], list[str]]:
    """Share of each first-purchase month's customers who ordered again k months later (retention.cohorts)."""
    from retention.cohorts import cohort_table, heatmap

    return heatmap(cohort_table(ctx.cursor(), months), months)


def model_card(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text()) if path.exists() else None


def refresh(ctx: AppContext) -> tuple[Any, ...]:
    if not ctx.has_store():
        msg = "No store yet: run `retain demo`."
        return None, None, None, msg, None, msg
    z, x, y = cohort_matrix(ctx)
    heat = plots.heatmap(z, x, y, "cohort retention (share ordering again)")
    scores = ctx.rows("SELECT churn_probability p, segment, clv_12m FROM churn_scores "
                      "WHERE as_of = (SELECT max(as_of) FROM churn_scores)")
    if scores:
        dist = plots.histogram([r["p"] for r in scores], "churn-risk distribution")
        segs: dict[str, list[float]] = {}
        for r in scores:
            segs.setdefault(r["segment"] or "unknown", []).append(float(r["clv_12m"] or 0))
        seg_fig = plots.bars(list(segs), [len(v) for v in segs.values()], "customers per segment",
                             [round(sum(v), 0) for v in segs.values()], "12-month value (£)")
    else:
        dist = seg_fig = None
    card = model_card(ctx.settings.models_dir / "churn" / "model_card.json")
    if card is None:
        card_md, cal = not_available("The churn model card", "models/churn/model_card.json"), None
    else:
        metrics = card.get("metrics", card)
        card_md = "#### Churn model\n```json\n" + json.dumps(metrics, indent=1, default=str)[:3000] + "\n```"
        calib = card.get("calibration_plot") or card.get("calibration")
        cal = None
        if isinstance(calib, dict) and "predicted" in calib and "observed" in calib:
            cal = plots.line(calib["predicted"], {"observed": calib["observed"]}, "calibration", diagonal=True)
    rec_dir = ctx.settings.models_dir / "recommender"
    rec_cards = sorted(rec_dir.glob("*.json")) if rec_dir.exists() else []
    rec_md = ("#### Recommender\n" + "\n".join(
        f"`{p.name}`\n```json\n{p.read_text()[:1500]}\n```" for p in rec_cards if "card" in p.name or "metric" in p.name)
        if rec_cards else not_available("Recommender metrics", "retention.recommend"))
    if not scores:
        card_md += "\n\n" + not_available("Churn scores", "retention.pipeline (churn_scores is empty)")
    return heat, dist, seg_fig, card_md, cal, rec_md


def build_analytics_tab(ctx: AppContext) -> None:
    import gradio as gr

    btn = gr.Button("Load analytics", variant="primary", elem_id="load-analytics")
    heat = gr.Plot(label="cohorts", elem_id="cohorts")
    with gr.Row():
        dist = gr.Plot(label="risk distribution")
        segs = gr.Plot(label="segments")
    card = gr.Markdown()
    cal = gr.Plot(label="calibration")
    rec = gr.Markdown()
    btn.click(lambda: refresh(ctx), None, [heat, dist, segs, card, cal, rec], api_visibility="private")
