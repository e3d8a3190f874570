"""Win-back campaign commands: `retain campaign plan|draft|approve|export|analyze|list|show` and
`retain bench campaign`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cli.common import bench_app, cli_actor, console, friendly, print_json, progress, settings

app = typer.Typer()  # merged into the `retain` app by cli.main

campaign_app = typer.Typer(help="Win-back campaigns: plan an audience, draft, approve, export, analyze uplift.",
                           no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


def _con() -> Any:
    from shop.db import connect

    s = settings()
    s.ensure_dirs()
    return connect(s.db_path)


def _variants(spec: str) -> list[Any]:
    from core.errors import ConfigError
    from retention.campaigns.models import Variant

    out = []
    for part in [p.strip() for p in spec.split(",") if p.strip()]:
        bits = part.split(":")
        try:
            out.append(Variant(name=bits[0], **({"tone": bits[1]} if len(bits) > 1 else {}),
                               **({"offer": bits[2]} if len(bits) > 2 else {})))
        except Exception:
            raise ConfigError(f"variant {part!r}: write NAME[:TONE[:OFFER]] with TONE warm|direct|playful and "
                              "OFFER percent|free_shipping, e.g. A:warm,B:direct:free_shipping") from None
    return out


@campaign_app.command()
@friendly
def plan(
    name: str = typer.Option("win-back", "--name"),
    risk: list[str] = typer.Option(["high"], "--risk", help="risk bands (low, medium, high); repeat or comma-separate"),
    min_prob: float = typer.Option(None, "--min-prob", help="minimum churn probability"),
    segment: list[str] = typer.Option(None, "--segment", help="RFM segments, e.g. 'at risk'; repeatable"),
    min_clv: float = typer.Option(None, "--min-clv", help="minimum 12-month CLV"),
    max_clv: float = typer.Option(None, "--max-clv", help="maximum 12-month CLV"),
    min_days: int = typer.Option(None, "--min-days-since-order"),
    max_days: int = typer.Option(None, "--max-days-since-order"),
    category: list[str] = typer.Option(None, "--category", help="bought in these categories; repeatable"),
    limit: int = typer.Option(None, "--limit", help="keep the riskiest N"),
    channels: str = typer.Option("email", "--channels", help="email,sms,push"),
    variants: str = typer.Option("A:warm,B:direct", "--variants", help="NAME[:TONE[:OFFER]],... (A/B/n arms)"),
    holdout: float = typer.Option(0.1, "--holdout", help="share held out as control, stratified by risk band"),
    seed: int = typer.Option(None, "--seed"),
    template_dir: Path = typer.Option(None, "--templates", help="your own templates instead of prompts/winback"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Choose the audience (count after each filter), size offers, assign arms with a holdout."""
    from core.errors import ConfigError
    from retention.campaigns.models import CHANNELS, AudienceSpec, CampaignSpec
    from retention.campaigns.service import plan as do_plan

    s = settings()
    bands = _split(risk)
    chans = _split([channels]) or []
    if not chans or any(c not in CHANNELS for c in chans):
        raise ConfigError(f"--channels {channels!r}: use one or more of {', '.join(CHANNELS)}")
    spec = CampaignSpec(
        name=name, channels=chans,  # type: ignore[arg-type]
        audience=AudienceSpec(risk_bands=None if bands == ["any"] else bands, min_probability=min_prob,
                              segments=_split(segment), min_clv=min_clv, max_clv=max_clv,
                              min_days_since_order=min_days,
                              max_days_since_order=max_days, categories=_split(category), limit=limit),
        variants=_variants(variants), holdout_share=holdout, seed=s.seed if seed is None else seed,
        template_dir=str(template_dir) if template_dir else None)
    con = _con()
    try:
        report = do_plan(con, s, spec, actor=cli_actor())
    finally:
        con.close()
    if as_json:
        print_json(report)
        return
    from rich.table import Table

    t = Table("filter", "customers left", title=f"campaign {report['campaign_id']} (as of {report['as_of']})")
    for f in report["funnel"]:
        t.add_row(f["step"], f"{f['count']:,}")
    c = console()
    c.print(t)
    c.print(f"arms: {report['arms']}   offers: {report['offers']}")
    c.print(f"next: retain campaign draft {report['campaign_id']}")


def _chat_model(spec: str | None, s: Any) -> Any:
    """None for the offline templates; otherwise the agent's chat model for `spec`."""
    if not spec or spec == "offline":
        return None

    from agent.llm import load_chat_model

    return load_chat_model(spec, s)


@campaign_app.command()
@friendly
def draft(
    campaign_id: str = typer.Argument(...),
    show: int = typer.Option(0, "--show", help="print N sample drafts"),
    model: str = typer.Option(None, "--model", help="offline (templates, default) or a chat model such as "
                                                    "openai:gpt-4o-mini (needs the agent's model loader)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Write and validate a draft per treated customer and channel (failures regenerated once, else flagged)."""
    from retention.campaigns import store as st
    from retention.campaigns.service import draft as do_draft

    s = settings()
    chat = _chat_model(model, s)
    con = _con()
    try:
        n = len([r for r in st.assignments(con, campaign_id) if r["arm"] != "control"])
        with progress() as bar:
            task = bar.add_task("drafting", total=n)
            report = do_draft(con, s, campaign_id, tick=lambda k: bar.advance(task, k), model=chat,
                              actor=cli_actor())
        samples = st.drafts(con, campaign_id)[:show] if show else []
    finally:
        con.close()
    if as_json:
        print_json({**report, "samples": samples})
        return
    c = console()
    c.print(f"{report['drafts']} drafts: {report['valid']} valid, {report['flagged']} flagged "
            f"({report['regenerated']} regenerated); skipped {report['skipped']}")
    if report["flag_reasons"]:
        c.print(f"flag reasons: {report['flag_reasons']}")
    for d in samples:
        c.print(f"\n[bold]{d['customer_id']} {d['channel']} ({d['arm']}, {d['status']})[/]", highlight=False)
        if d["subject"]:
            c.print(f"subject: {d['subject']}", highlight=False)
        c.print(d["body"], highlight=False, markup=False)
    c.print(f"next: retain campaign approve {campaign_id}")


@campaign_app.command()
@friendly
def approve(
    campaign_id: str = typer.Argument(...),
    customer: list[str] = typer.Option(None, "--customer", help="approve only these customers' drafts"),
    by: str = typer.Option(None, "--by", help="who approves (recorded in the audit log; default cli:<login>)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Approve valid drafts after re-checking them against the store; flagged drafts are never approved."""
    from retention.campaigns.service import approve as do_approve

    con = _con()
    try:
        report = do_approve(con, settings(), campaign_id, _split(customer), approver=by or cli_actor())
    finally:
        con.close()
    if as_json:
        print_json(report)
    else:
        console().print(f"approved {report['approved']} drafts ({report['flagged']} flagged, not approved); "
                        f"next: retain campaign export {campaign_id}")


@campaign_app.command()
@friendly
def export(
    campaign_id: str = typer.Argument(...),
    out: Path = typer.Option(None, "--out", help="folder for the files (default: <data dir>/exports)"),
    fmt: str = typer.Option("csv,json", "--format", help="csv, json or both"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Export approved sends of consenting customers as CSV/JSON for an email/SMS platform."""
    from retention.campaigns.service import export as do_export

    s = settings()
    con = _con()
    try:
        report = do_export(con, s, campaign_id, out or s.data_dir / "exports", _split([fmt]), actor=cli_actor())
    finally:
        con.close()
    if as_json:
        print_json(report)
    else:
        console().print(f"exported {report['sends']} sends {report['by_channel']} to {', '.join(report['files'])}")


def _effects(spec: str | None) -> dict[str, float] | None:
    from core.errors import ConfigError

    if not spec:
        return None
    out = {}
    for part in spec.split(","):
        name, _, value = part.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise ConfigError(f"--effect {spec!r}: write ARM=UPLIFT,..., e.g. A=0.05,B=0.08") from None
    return out


@campaign_app.command()
@friendly
def analyze(
    campaign_id: str = typer.Argument(...),
    simulate: bool = typer.Option(False, "--simulate", help="simulate outcomes with a known effect first"),
    from_orders: bool = typer.Option(False, "--from-orders", help="outcomes = purchases in the store after sending"),
    outcomes: Path = typer.Option(None, "--outcomes", help="CSV: customer_id, opened, clicked, purchased, revenue, "
                                                          "days_to_purchase (every assigned customer)"),
    effect: str = typer.Option(None, "--effect", help="simulated true uplift per arm, e.g. A=0.05,B=0.08"),
    window: int = typer.Option(None, "--window", help="days after sending that count (default: the plan's)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Conversion per arm, uplift vs the holdout with intervals and a two-proportion test, incremental revenue."""
    from retention.campaigns.service import analyze_campaign

    source = "simulate" if simulate else "orders" if from_orders else "file" if outcomes else "recorded"
    con = _con()
    try:
        report = analyze_campaign(con, settings(), campaign_id, source, _effects(effect), window,
                                  outcomes_file=outcomes, actor=cli_actor())
    finally:
        con.close()
    if as_json:
        print_json(report)
        return
    from rich.table import Table

    t = Table("arm", "n", "conversion", "95% CI", "revenue/customer", title=f"campaign {campaign_id}")
    for arm, a in report["arms"].items():
        lo, hi = a["conversion_ci"]
        t.add_row(arm, str(a["n"]), f"{a['conversion']:.1%}", f"{lo:.1%} .. {hi:.1%}",
                  f"{a['revenue_per_customer']:.2f}")
    u = Table("arm", "uplift", "95% CI", "relative", "z", "p", "incremental revenue")
    for arm, c in report["uplift_vs_control"].items():
        rel = "n/a" if c["relative"] is None else f"{c['relative']:+.0%}"
        u.add_row(arm, f"{c['absolute']:+.1%}", f"{c['absolute_ci'][0]:+.1%} .. {c['absolute_ci'][1]:+.1%}", rel,
                  f"{c['z']:.2f}", f"{c['p_value']:.3f}", f"{c['incremental_revenue']:.2f}")
    c = console()
    c.print(t)
    c.print(u)
    if "true_uplift" in report:
        c.print(f"simulated true uplift: { {k: round(v, 4) for k, v in report['true_uplift'].items()} }")


@campaign_app.command("list")
@friendly
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """Campaigns in the store and their status."""
    from retention.campaigns.store import list_campaigns

    con = _con()
    try:
        rows = list_campaigns(con)
    finally:
        con.close()
    if as_json:
        print_json({"campaigns": rows})
    else:
        for r in rows:
            console().print(f"{r['campaign_id']}  {r['status']:9}  {r['name']}  (as of {r['as_of']})")


@campaign_app.command()
@friendly
def show(
    campaign_id: str = typer.Argument(...),
    flagged: int = typer.Option(5, "--flagged", help="print up to N flagged drafts with their findings"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A campaign's status, funnel, arms and drafts by status, with flagged drafts and why."""
    from retention.campaigns import store as st

    con = _con()
    try:
        camp = st.get_campaign(con, campaign_id)
        arms = dict(con.execute("SELECT arm, count(*) FROM campaign_assignments WHERE campaign_id = ? GROUP BY 1 "
                                "ORDER BY 1", [campaign_id]).fetchall())
        out = {"campaign_id": campaign_id, "name": camp["name"], "status": camp["status"], "as_of": camp["as_of"],
               "funnel": camp["funnel"], "arms": arms, "drafts": st.draft_counts(con, campaign_id),
               "flagged": [{k: d[k] for k in ("customer_id", "channel", "issues", "body")}
                           for d in st.drafts(con, campaign_id, status="flagged")[:flagged]],
               "spec": camp["spec"].model_dump(mode="json")}
    finally:
        con.close()
    if as_json:
        print_json(out)
        return
    c = console()
    c.print(f"{campaign_id} '{out['name']}' {out['status']} (as of {out['as_of']}): arms {arms}, "
            f"drafts {out['drafts']}", highlight=False)
    for f in out["funnel"]:
        c.print(f"  {f['count']:>7,}  {f['step']}", highlight=False)
    for d in out["flagged"]:
        c.print(f"flagged {d['customer_id']} {d['channel']}: " + "; ".join(i["message"] for i in d["issues"]),
                highlight=False, markup=False)


@bench_app.command("campaign")
@friendly
def bench_campaign(
    customers: int = typer.Option(10_000, "--customers"),
    channels: str = typer.Option("email,sms,push", "--channels"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Offline drafting and validation throughput on a synthetic shop of N customers."""
    from retention.campaigns.bench import run_bench

    out = run_bench(settings(), customers, _split([channels]) or ["email"])
    if as_json:
        print_json(out)
    else:
        for k, v in out.items():
            console().print(f"{k}: {v}")
