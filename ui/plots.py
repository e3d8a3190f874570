"""Plotly figures for the pages. Each takes plain data and returns a go.Figure (plotly imported lazily)."""

from __future__ import annotations

from typing import Any


def _go() -> Any:
    import plotly.graph_objects as go

    return go


def _layout(fig: Any, title: str, height: int = 320) -> Any:
    fig.update_layout(title=title, height=height, margin={"l": 40, "r": 20, "t": 50, "b": 40})
    return fig


def risk_gauge(probability: float, band: str) -> Any:
    """Churn probability as a 0-100 gauge with low/medium/high zones."""
    go = _go()
    fig = go.Figure(go.Indicator(
        mode="gauge+number", value=round(100 * probability, 1), number={"suffix": "%"},
        title={"text": f"churn risk ({band})"},
        gauge={"axis": {"range": [0, 100]}, "bar": {"color": "#333"},
               "steps": [{"range": [0, 30], "color": "#c8e6c9"}, {"range": [30, 60], "color": "#fff59d"},
                         {"range": [60, 100], "color": "#ef9a9a"}]}))
    return _layout(fig, "", 260)


def drivers_bar(drivers: list[dict[str, Any]]) -> Any:
    """Horizontal bars of driver contributions (positive = raises risk)."""
    go = _go()
    ds = sorted(drivers, key=lambda d: abs(float(d.get("contribution") or 0)))
    vals = [float(d.get("contribution") or 0) for d in ds]
    fig = go.Figure(go.Bar(x=vals, y=[str(d.get("text") or d.get("feature")) for d in ds], orientation="h",
                           marker_color=["#e57373" if v > 0 else "#81c784" for v in vals]))
    return _layout(fig, "what drives the risk", 300)


def timeline(events: list[dict[str, Any]]) -> Any:
    """Orders, tickets and reviews of one customer on a date axis."""
    go = _go()
    fig = go.Figure()
    for kind, colour in (("order", "#1976d2"), ("ticket", "#e53935"), ("review", "#43a047")):
        ev = [e for e in events if e["kind"] == kind]
        if ev:
            fig.add_trace(go.Scatter(x=[e["date"] for e in ev], y=[kind] * len(ev), mode="markers", name=kind,
                                     marker={"size": 11, "color": colour}, text=[e.get("label", "") for e in ev],
                                     hovertemplate="%{x}<br>%{text}<extra></extra>"))
    return _layout(fig, "timeline", 240)


def funnel(steps: list[dict[str, Any]]) -> Any:
    """The audience builder's funnel of counts."""
    go = _go()
    fig = go.Figure(go.Funnel(y=[s["step"] for s in steps], x=[s["count"] for s in steps]))
    return _layout(fig, "audience funnel", 320)


def histogram(values: list[float], title: str, bins: int = 20) -> Any:
    go = _go()
    return _layout(go.Figure(go.Histogram(x=values, nbinsx=bins)), title)


def bars(labels: list[str], values: list[float], title: str, secondary: list[float] | None = None,
         secondary_name: str = "") -> Any:
    go = _go()
    fig = go.Figure(go.Bar(x=labels, y=values, name=title))
    if secondary is not None:   # on its own right-hand axis, so counts and money both stay readable
        fig.add_trace(go.Scatter(x=labels, y=secondary, name=secondary_name, mode="markers+lines", yaxis="y2"))
        fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "title": secondary_name})
    return _layout(fig, title)


def heatmap(z: list[list[float | None]], x: list[str], y: list[str], title: str) -> Any:
    go = _go()
    fig = go.Figure(go.Heatmap(z=z, x=x, y=y, colorscale="Blues", zmin=0, zmax=1))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, 420)


def line(x: list[Any], ys: dict[str, list[float]], title: str, diagonal: bool = False) -> Any:
    go = _go()
    fig = go.Figure([go.Scatter(x=x, y=v, mode="lines+markers", name=k) for k, v in ys.items()])
    if diagonal:
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect", line={"dash": "dash"}))
    return _layout(fig, title)


def conversion_by_arm(arms: dict[str, dict[str, Any]]) -> Any:
    """Purchase rate of each arm (control first) with its 95 % Wilson interval as error bars."""
    go = _go()
    names = list(arms)
    rate = [100 * float(a["conversion"]) for a in arms.values()]
    lo = [100 * float(a["conversion_ci"][0]) for a in arms.values()]
    hi = [100 * float(a["conversion_ci"][1]) for a in arms.values()]
    fig = go.Figure(go.Bar(
        x=names, y=rate, text=[f"{r:.1f}%" for r in rate], textposition="outside",
        error_y={"type": "data", "symmetric": False, "array": [h - r for h, r in zip(hi, rate, strict=True)],
                 "arrayminus": [r - lo_ for r, lo_ in zip(rate, lo, strict=True)]},
        marker_color=["#9e9e9e" if n == "control" else "#1976d2" for n in names]))
    fig.update_yaxes(title="purchased (%)", rangemode="tozero")
    return _layout(fig, "conversion by arm (95 % interval)")


def cumulative_purchases(arms: dict[str, dict[str, Any]]) -> Any:
    """Share of each arm that has purchased by day t after the send."""
    go = _go()
    fig = go.Figure([go.Scatter(x=list(range(len(a["retention_curve"]))),
                                y=[100 * v for v in a["retention_curve"]], mode="lines", name=name,
                                line={"dash": "dot"} if name == "control" else {})
                     for name, a in arms.items()])
    fig.update_xaxes(title="days after the send")
    fig.update_yaxes(title="purchased so far (%)", rangemode="tozero")
    return _layout(fig, "cumulative purchases")


def incremental_revenue(comparisons: dict[str, dict[str, Any]], currency: str = "") -> Any:
    """Revenue each treatment arm added over the holdout, with its 95 % interval."""
    go = _go()
    names = list(comparisons)
    inc = [float(c["incremental_revenue"]) for c in comparisons.values()]
    lo = [float(c["incremental_revenue_ci"][0]) for c in comparisons.values()]
    hi = [float(c["incremental_revenue_ci"][1]) for c in comparisons.values()]
    fig = go.Figure(go.Bar(
        x=names, y=inc, text=[f"{v:,.0f}" for v in inc], textposition="outside",
        error_y={"type": "data", "symmetric": False, "array": [h - v for h, v in zip(hi, inc, strict=True)],
                 "arrayminus": [v - lo_ for v, lo_ in zip(inc, lo, strict=True)]},
        marker_color=["#43a047" if v >= 0 else "#e53935" for v in inc]))
    fig.add_hline(y=0, line_color="#555")
    fig.update_yaxes(title=f"incremental revenue {currency}".strip())
    return _layout(fig, "incremental revenue vs holdout (95 % interval)")
