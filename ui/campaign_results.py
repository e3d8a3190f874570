"""The campaign results view: where outcomes come from (store orders or the demo's simulation, explained on the
page), the uplift report in words, and its three charts."""

from __future__ import annotations

from typing import Any

from ui import plots

# outcome mode shown on the page -> retention.campaigns.measure.analyze_campaign(outcomes_from=...)
MODES = {"purchases in the store": "orders", "simulated (demo)": "simulate"}

MODES_HELP = (
    "**Where the outcomes come from.** *Purchases in the store* counts real orders placed after the send date, "
    "within the campaign's outcome window. *Simulated (demo)* draws outcomes with the campaign simulator, which "
    "gives every treatment arm a known +5-point effect over the holdout, so you can see how a report reads: "
    "never base a decision on it. The demo shop's history ends at its frozen 'today', so a campaign sent in the "
    "demo has no later purchases and its store results are zero by construction.")


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _pp(x: float) -> str:
    return f"{100 * x:+.1f} pts"


def summary(report: dict[str, Any], mode: str) -> str:
    """The report in plain words: one line per arm and per comparison with the holdout."""
    arms: dict[str, Any] = report["arms"]
    lines = [f"Outcome window {report['window_days']} days · outcomes: "
             f"{'simulated with a known effect (demo only)' if mode == 'simulate' else 'purchases in the store'}",
             "", "| arm | customers | purchased | rate (95 % interval) | revenue |", "|---|---|---|---|---|"]
    for name, a in arms.items():
        lo, hi = a["conversion_ci"]
        lines.append(f"| {name} | {a['n']} | {a['conversions']} | {_pct(a['conversion'])} "
                     f"({_pct(lo)} – {_pct(hi)}) | {a['revenue']:,.2f} |")
    lines.append("")
    for name, c in report["uplift_vs_control"].items():
        lo, hi = c["absolute_ci"]
        verdict = "significant at 5 %" if c["p_value"] is not None and c["p_value"] < 0.05 else "not significant"
        lines.append(f"- **{name} vs holdout:** {_pp(c['absolute'])} (95 % interval {_pp(lo)} to {_pp(hi)}, "
                     f"p = {c['p_value']:.3f}, {verdict}); incremental revenue {c['incremental_revenue']:,.2f}.")
    if mode == "orders" and not any(a["conversions"] for a in arms.values()):
        lines += ["", "No customer in any arm has purchased since the send. In the demo shop that is expected: "
                      "its order history ends at the frozen 'today' (see above); choose *simulated (demo)* to "
                      "see a report with outcomes."]
    return "\n".join(lines)


def charts(report: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Conversion by arm with intervals, cumulative purchase curves, incremental revenue."""
    arms = report["arms"]
    return (plots.conversion_by_arm(arms), plots.cumulative_purchases(arms),
            plots.incremental_revenue(report["uplift_vs_control"]))
