"""`retain bench campaign`: drafts per second offline and validator throughput on a synthetic shop."""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from retention.campaigns.models import AudienceSpec, CampaignSpec, Offer

if TYPE_CHECKING:
    from core.config import Settings


def run_bench(settings: Settings, customers: int, channels: list[str]) -> dict[str, Any]:
    from retention.campaigns.drafts import Renderer
    from retention.campaigns.facts import load_catalog, load_facts
    from retention.campaigns.offers import size_offer
    from retention.campaigns.service import draft, plan
    from retention.campaigns.synthetic import seed_store
    from retention.campaigns.validator import ValidationContext, validate
    from shop.db import connect

    con = connect(None)
    t0 = time.perf_counter()
    today = seed_store(con, customers, seed=1, n_products=300)
    seeded = time.perf_counter() - t0
    spec = CampaignSpec(audience=AudienceSpec(risk_bands=None), channels=channels,  # type: ignore[arg-type]
                        holdout_share=0.1)
    t0 = time.perf_counter()
    planned = plan(con, settings, spec)
    t_plan = time.perf_counter() - t0
    cid = planned["campaign_id"]
    # Drafting is timed for every customer in the shop (not only the planned audience), N customers x channels.
    variant = spec.variants[0]
    cur = con.execute("SELECT s.*, FALSE AS top_tier FROM churn_scores s")
    cols = [d[0] for d in cur.description]
    rows = [{**dict(zip(cols, r, strict=True)), "arm": variant.name} for r in cur.fetchall()]
    for r in rows:
        r["offer"] = size_offer(r, variant, settings.policy, today, cid).model_dump_json()
    t0 = time.perf_counter()
    catalog = load_catalog(con)
    facts = load_facts(con, [r["customer_id"] for r in rows], catalog, None)
    t_facts = time.perf_counter() - t0
    renderer = Renderer(spec, settings.policy, cid)
    t0 = time.perf_counter()
    drafts = []
    for r in rows:
        f = facts[r["customer_id"]]
        offer = Offer.model_validate_json(r["offer"])
        for ch in channels:
            drafts.append(renderer.render(f, offer, r["arm"], ch))
    t_render = time.perf_counter() - t0
    ctx = ValidationContext.from_store(con, spec, settings.policy, today, cid)
    t0 = time.perf_counter()
    reasons: Counter[str] = Counter()
    for d in drafts:
        reasons.update({i.code for i in validate(d, ctx)})
    t_val = time.perf_counter() - t0
    t0 = time.perf_counter()
    step = draft(con, settings, cid)
    t_step = time.perf_counter() - t0
    con.close()
    return {"customers": customers, "planned_audience": planned["audience"], "drafted_customers": len(rows),
            "channels": channels, "drafts": len(drafts),
            "note": "every customer is drafted; flags are the validator refusing non-consenting customers", "flag_reasons": dict(reasons),
            "seed_store_s": round(seeded, 2), "plan_s": round(t_plan, 2), "facts_s": round(t_facts, 2),
            "render_s": round(t_render, 2), "drafts_per_s": round(len(drafts) / t_render),
            "customers_per_s_incl_facts": round(len(rows) / (t_render + t_facts)),
            "validate_s": round(t_val, 2), "validations_per_s": round(len(drafts) / t_val),
            "draft_step": {"drafts": step["drafts"], "valid": step["valid"], "seconds": round(t_step, 2),
                           "drafts_per_s": round(step["drafts"] / t_step),
                           "what": "retain campaign draft on the planned audience: facts, render, validate, save"}}
