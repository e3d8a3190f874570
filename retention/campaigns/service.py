"""The campaign lifecycle the CLI, the agent's marketer tools and the UI call: plan, draft, approve, export,
analyze. Each step reads and writes campaign state in the store inside one transaction and leaves an audit row."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError, NotEnoughDataError, RetainError
from retention.campaigns import store as st
from retention.campaigns.audience import build_audience
from retention.campaigns.drafts import Renderer
from retention.campaigns.experiment import assign
from retention.campaigns.facts import load_catalog, load_facts
from retention.campaigns.measure import analyze_campaign, record_outcomes  # the analysis step, re-exported
from retention.campaigns.models import CONTROL, CampaignSpec, Draft, Issue, Offer
from retention.campaigns.offers import check_policy, size_offer
from retention.campaigns.validator import ValidationContext, validate
from shop.clock import shop_today
from shop.db import transaction

if TYPE_CHECKING:
    import duckdb

    from core.config import Settings

Tick = Callable[[int], None] | None


def plan(con: duckdb.DuckDBPyConnection, settings: Settings, spec: CampaignSpec,
         actor: str | None = None) -> dict[str, Any]:
    """Audience (with the funnel), offers and the experiment's assignment; saved as a 'planned' campaign (the audit
    row names `actor`, the marketer; likewise for every step below)."""
    today = shop_today(con)
    policy = settings.policy
    check_policy(policy, spec.variants)
    bad = [c for c in spec.channels if c not in ("email", "sms", "push")]
    if bad or not spec.channels:
        raise ConfigError(f"unknown channel(s) {bad or '(none)'}; channels: email, sms, push")
    aud = build_audience(con, spec.audience, policy, today)
    if not aud.members:
        last = next((f["step"] for f in aud.funnel if f["count"] == 0), "the filters")
        steps = " -> ".join(f"{f['step']}: {f['count']}" for f in aud.funnel)
        raise NotEnoughDataError(f"the audience is empty: no customer is left after '{last}'; nothing was "
                                 f"planned or exported. Funnel: {steps}")
    arms = [v.name for v in spec.variants]
    assignment = assign(aud.members, arms, spec.holdout_share, spec.seed)
    campaign_id = st.new_campaign_id(con, today)
    variants = {v.name: v for v in spec.variants}
    offers: dict[str, str | None] = {}
    pct: Counter[str] = Counter()
    for m in aud.members:
        arm = assignment[m["customer_id"]][0]
        if arm == CONTROL:
            offers[m["customer_id"]] = None
            continue
        o = size_offer(m, variants[arm], policy, today, campaign_id)
        offers[m["customer_id"]] = o.model_dump_json()
        pct[f"{o.discount_pct}%" if o.kind == "percent" else "free shipping"] += 1
    arm_counts = Counter(a for a, _ in assignment.values())
    with transaction(con):
        st.create_campaign(con, campaign_id, spec, aud.funnel, today)
        st.save_audience(con, campaign_id, aud.members, assignment, offers)
        st.audit(con, "campaign.plan", campaign_id, {"audience": len(aud.members), "arms": dict(arm_counts)},
                 actor_id=actor)
    return {"campaign_id": campaign_id, "as_of": today.isoformat(), "audience": len(aud.members),
            "funnel": aud.funnel, "arms": dict(sorted(arm_counts.items())), "offers": dict(sorted(pct.items()))}


def _context(con: duckdb.DuckDBPyConnection, settings: Settings, camp: dict[str, Any]) -> ValidationContext:
    return ValidationContext.from_store(con, camp["spec"], settings.policy, shop_today(con), camp["campaign_id"])


def render_and_validate(renderer: Renderer, ctx: ValidationContext, facts: Any, offer: Offer, arm: str,
                        channel: str, model: Any = None) -> tuple[Draft, list[Issue]]:
    """Render, validate; on a failure render once more (new phrasings, compact SMS) and validate again.
    With a chat `model`, the model writes the text from the template draft's facts; a failing answer is
    regenerated once with the validator's findings, then flagged."""
    d = renderer.render(facts, offer, arm, channel)
    if model is not None:
        from retention.campaigns.llm import llm_draft

        base = d
        d = llm_draft(model, base)
        issues = validate(d, ctx)
        if issues:
            d = llm_draft(model, base, issues)
            issues = validate(d, ctx)
        return d, issues
    issues = validate(d, ctx)
    if issues:
        d = renderer.render(facts, offer, arm, channel, attempt=2)
        issues = validate(d, ctx)
    return d, issues


def preview(con: duckdb.DuckDBPyConnection, settings: Settings, campaign_id: str, customer_id: str,
            channel: str = "email", arm: str | None = None) -> tuple[Draft, list[Issue]] | None:
    """Render and validate one audience member's draft without saving it (holdout members included, with the
    first variant's offer); None when the customer is not in the campaign's audience."""
    camp = st.get_campaign(con, campaign_id)
    spec: CampaignSpec = camp["spec"]
    row = next((r for r in st.assignments(con, campaign_id) if r["customer_id"] == customer_id), None)
    if row is None:
        return None
    arm = arm or (row["arm"] if row["arm"] != CONTROL else spec.variants[0].name)
    variant = next((v for v in spec.variants if v.name == arm), spec.variants[0])
    today = shop_today(con)
    if row["offer"] and arm == row["arm"]:
        offer = Offer.model_validate_json(row["offer"])
    else:
        top = con.execute("SELECT top_tier FROM campaign_audience WHERE campaign_id = ? AND customer_id = ?",
                          [campaign_id, customer_id]).fetchone()
        member = {**row, "top_tier": bool(top and top[0])}
        offer = size_offer(member, variant, settings.policy, today, campaign_id)
    facts = load_facts(con, [customer_id], load_catalog(con), settings)[customer_id]
    renderer = Renderer(spec, settings.policy, campaign_id)
    return render_and_validate(renderer, _context(con, settings, camp), facts, offer, arm, channel)


def draft(con: duckdb.DuckDBPyConnection, settings: Settings, campaign_id: str, tick: Tick = None,
          model: Any = None, actor: str | None = None) -> dict[str, Any]:
    """Drafts for every treated customer on every planned channel, each validated (regenerated once). Offline
    (model None) the templates write them; with a LangChain chat model, the model does (see llm.py)."""
    camp = st.get_campaign(con, campaign_id)
    if camp["status"] in ("exported", "analyzed"):
        raise RetainError(f"campaign {campaign_id} is already {camp['status']}; plan a new campaign instead")
    spec: CampaignSpec = camp["spec"]
    rows = [r for r in st.assignments(con, campaign_id) if r["arm"] != CONTROL]
    catalog = load_catalog(con)
    facts = load_facts(con, [r["customer_id"] for r in rows], catalog, settings)
    renderer = Renderer(spec, settings.policy, campaign_id)
    ctx = _context(con, settings, camp)
    results: list[tuple[Draft, list[Issue]]] = []
    skipped: Counter[str] = Counter()
    for r in rows:
        f = facts.get(r["customer_id"])
        if f is None:
            skipped["customer missing"] += 1
            continue
        offer = Offer.model_validate_json(r["offer"])
        for channel in spec.channels:
            if (channel == "email" and not f.email) or (channel == "sms" and not f.phone):
                skipped[f"no {'email address' if channel == 'email' else 'phone number'}"] += 1
                continue
            results.append(render_and_validate(renderer, ctx, f, offer, r["arm"], channel, model))
        if tick:
            tick(1)
    reasons = Counter(i.code for _, issues in results for i in issues)
    counts = {"drafts": len(results), "valid": sum(1 for _, i in results if not i),
              "flagged": sum(1 for _, i in results if i),
              "regenerated": sum(1 for d, _ in results if d.attempt > 1)}
    with transaction(con):
        st.save_drafts(con, campaign_id, results)
        st.set_status(con, campaign_id, "drafted")
        st.audit(con, "campaign.draft", campaign_id, {**counts, "flag_reasons": dict(reasons),
                                                      "writer": "templates" if model is None else "llm"},
                 actor_id=actor)
    return {"campaign_id": campaign_id, "writer": "templates" if model is None else "llm", **counts, "skipped": dict(skipped), "flag_reasons": dict(reasons),
            "languages": dict(Counter(d.language for d, _ in results))}


def approve(con: duckdb.DuckDBPyConnection, settings: Settings, campaign_id: str,
            customer_ids: list[str] | None = None, approver: str | None = None) -> dict[str, Any]:
    """Approve valid drafts (all, or those of `customer_ids`), re-validating each against the store as it is now;
    flagged drafts can never be approved."""
    camp = st.get_campaign(con, campaign_id)
    st.require_status(camp, "drafted")
    if camp["status"] in ("exported", "analyzed"):
        raise RetainError(f"campaign {campaign_id} is already {camp['status']}")
    ctx = _context(con, settings, camp)
    wanted = set(customer_ids) if customer_ids else None
    approved: list[tuple[dict[str, Any], list[Issue]]] = []
    newly_flagged: list[tuple[dict[str, Any], list[Issue]]] = []
    for row in st.drafts(con, campaign_id, status="valid"):
        if wanted is not None and row["customer_id"] not in wanted:
            continue
        issues = validate(Draft.model_validate_json(row["draft"]), ctx)
        (newly_flagged if issues else approved).append((row, issues))
    if not approved:
        counts = st.draft_counts(con, campaign_id)
        raise RetainError(f"campaign {campaign_id}: no valid draft to approve ({counts.get('flagged', 0)} flagged, "
                          f"{len(newly_flagged)} failed re-validation); nothing was approved")
    with transaction(con):
        for row, issues in newly_flagged:
            con.execute("UPDATE campaign_drafts SET status = 'flagged', issues = ? WHERE campaign_id = ? AND "
                        "customer_id = ? AND channel = ?", [json.dumps([i.model_dump() for i in issues]),
                                                             campaign_id, row["customer_id"], row["channel"]])
        for row, _ in approved:
            con.execute("UPDATE campaign_drafts SET status = 'approved' WHERE campaign_id = ? AND customer_id = ? "
                        "AND channel = ?", [campaign_id, row["customer_id"], row["channel"]])
        st.set_status(con, campaign_id, "approved")
        st.audit(con, "campaign.approve", campaign_id, {"approved": len(approved),
                                                        "flagged_on_recheck": len(newly_flagged)},
                 actor_id=approver)
    return {"campaign_id": campaign_id, "approved": len(approved), "flagged_on_recheck": len(newly_flagged),
            "flagged": st.draft_counts(con, campaign_id).get("flagged", 0)}


def export(con: duckdb.DuckDBPyConnection, settings: Settings, campaign_id: str, out_dir: Path,
           formats: list[str] | None = None, actor: str | None = None) -> dict[str, Any]:
    """Write approved, consented sends as CSV/JSON and record them as sends (feeds the frequency cap)."""
    from retention.campaigns.export import export_paths, send_rows, write_files

    formats = formats or ["csv", "json"]
    if bad := [f for f in formats if f not in ("csv", "json")]:
        raise ConfigError(f"unknown export format(s) {bad}; formats: csv, json")
    camp = st.get_campaign(con, campaign_id)
    st.require_status(camp, "approved")
    approved = st.drafts(con, campaign_id, status="approved")
    contacts = {r[0]: {"email": r[1], "phone": r[2], "marketing_consent": r[3], "unsubscribed": r[4]}
                for r in con.execute("SELECT customer_id, email, phone, marketing_consent, unsubscribed FROM customers "
                                     "WHERE customer_id IN (SELECT customer_id FROM campaign_drafts WHERE "
                                     "campaign_id = ?)", [campaign_id]).fetchall()}
    rows = send_rows(campaign_id, approved, contacts)
    if not rows:
        raise RetainError(f"campaign {campaign_id}: no approved draft for a consenting customer; nothing exported")
    today = shop_today(con)
    paths = export_paths(campaign_id, out_dir, formats)
    earlier = {p for p in paths if p.exists()}   # a re-export's earlier files are replaced, never removed
    try:
        with transaction(con):   # the sends are recorded only if the files are written, and the other way round
            n = len(rows)
            st._insert(con, "campaign_sends", {
                "campaign_id": [campaign_id] * n, "customer_id": [r["customer_id"] for r in rows],
                "channel": [r["channel"] for r in rows], "arm": [r["arm"] for r in rows],
                "sent_at": [dt.datetime.combine(today, dt.time(9))] * n, "export_path": [str(paths[0])] * n},
                or_ignore=True)
            write_files(campaign_id, rows, paths)
            st.set_status(con, campaign_id, "exported")
            st.audit(con, "campaign.export", campaign_id, {"sends": len(rows), "files": [str(p) for p in paths],
                                                           "skipped_no_consent": len(approved) - len(rows)},
                     actor_id=actor)
    except BaseException:   # rolled back (e.g. a full disk at the audit row or the commit): no new files either
        for p in paths:
            p.with_name(p.name + ".part").unlink(missing_ok=True)
            if p not in earlier:
                p.unlink(missing_ok=True)
        raise
    return {"campaign_id": campaign_id, "sends": len(rows), "skipped": len(approved) - len(rows),
            "files": [str(p) for p in paths], "by_channel": dict(Counter(r["channel"] for r in rows))}


__all__ = ["plan", "preview", "draft", "approve", "export", "analyze_campaign", "record_outcomes",
           "render_and_validate"]
