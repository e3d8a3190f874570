"""Campaign state in the shop store (tables from 005_campaigns.sql) and its audit trail (audit_log)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from core.errors import NotFoundError, RetainError
from retention.campaigns.models import CampaignSpec, Draft, Issue

if TYPE_CHECKING:
    import duckdb

ORDER = ("planned", "drafted", "approved", "exported", "analyzed")


def audit(con: duckdb.DuckDBPyConnection, action: str, target: str, details: dict[str, Any], ok: bool = True,
          actor_role: str = "marketer", actor_id: str | None = None) -> None:
    """A campaign step's audit row, through the shop's one audit writer (personal data masked)."""
    from shop.queries import audit as shop_audit

    shop_audit(con, actor_role, actor_id, action, target, details, ok)


def new_campaign_id(con: duckdb.DuckDBPyConnection, today: dt.date) -> str:
    """C<yyyymmdd>-<n>: one more than the highest number given that day (not a count, which repeats an id once
    numbers have gaps)."""
    prefix = f"C{today:%Y%m%d}-"
    (n,) = con.execute("SELECT coalesce(max(TRY_CAST(substr(campaign_id, ?) AS INTEGER)), 0) FROM campaigns "
                       "WHERE starts_with(campaign_id, ?)", [len(prefix) + 1, prefix]).fetchone() or (0,)
    return f"{prefix}{n + 1:03d}"


def create_campaign(con: duckdb.DuckDBPyConnection, campaign_id: str, spec: CampaignSpec,
                    funnel: list[dict[str, Any]], today: dt.date) -> None:
    con.execute("INSERT INTO campaigns (campaign_id, name, status, spec, funnel, as_of) VALUES (?,?,?,?,?,?)",
                [campaign_id, spec.name, "planned", spec.model_dump_json(), json.dumps(funnel), today])


def get_campaign(con: duckdb.DuckDBPyConnection, campaign_id: str) -> dict[str, Any]:
    row = con.execute("SELECT campaign_id, name, status, spec, funnel, as_of, created_at FROM campaigns "
                      "WHERE campaign_id = ?", [campaign_id]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute(
            "SELECT campaign_id FROM campaigns ORDER BY created_at DESC LIMIT 10").fetchall()]
        raise NotFoundError(f"campaign {campaign_id!r} does not exist; known campaigns: "
                            f"{', '.join(known) or '(none yet: run `retain campaign plan`)'}")
    return {"campaign_id": row[0], "name": row[1], "status": row[2], "spec": CampaignSpec.model_validate_json(row[3]),
            "funnel": json.loads(row[4]) if row[4] else [], "as_of": row[5], "created_at": row[6]}


def list_campaigns(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.execute("SELECT campaign_id, name, status, as_of, created_at FROM campaigns "
                       "ORDER BY created_at").fetchall()
    return [dict(zip(("campaign_id", "name", "status", "as_of", "created_at"), r, strict=True)) for r in rows]


def set_status(con: duckdb.DuckDBPyConnection, campaign_id: str, status: str) -> None:
    con.execute("UPDATE campaigns SET status = ?, updated_at = current_timestamp WHERE campaign_id = ?",
                [status, campaign_id])


def require_status(campaign: dict[str, Any], at_least: str) -> None:
    if ORDER.index(campaign["status"]) < ORDER.index(at_least):
        nxt = {"drafted": "draft", "approved": "approve", "exported": "export"}.get(at_least, at_least)
        raise RetainError(f"campaign {campaign['campaign_id']} is {campaign['status']}; run "
                          f"`retain campaign {nxt} {campaign['campaign_id']}` first")


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]], or_ignore: bool = False
            ) -> None:
    """Bulk insert through an Arrow table (much faster than executemany in DuckDB)."""
    import pyarrow as pa

    tbl = pa.table({k: pa.array(v) for k, v in columns.items()})
    con.register("_campaign_rows", tbl)
    try:
        con.execute(f"INSERT {'OR IGNORE ' if or_ignore else ''}INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(columns)} FROM _campaign_rows")
    finally:
        con.unregister("_campaign_rows")


def save_audience(con: duckdb.DuckDBPyConnection, campaign_id: str, members: list[dict[str, Any]],
                  assignment: dict[str, tuple[str, str]], offers: dict[str, str | None]) -> None:
    if not members:
        return
    _insert(con, "campaign_audience", {
        "campaign_id": [campaign_id] * len(members), "customer_id": [m["customer_id"] for m in members],
        "churn_probability": [float(m["churn_probability"]) for m in members],
        "risk_band": [m["risk_band"] for m in members], "segment": [m["segment"] for m in members],
        "clv_12m": [None if m["clv_12m"] is None else float(m["clv_12m"]) for m in members],
        "top_tier": [bool(m["top_tier"]) for m in members]})
    ids = [m["customer_id"] for m in members]
    _insert(con, "campaign_assignments", {
        "campaign_id": [campaign_id] * len(ids), "customer_id": ids,
        "arm": [assignment[c][0] for c in ids], "stratum": [assignment[c][1] for c in ids],
        "offer": [offers.get(c) for c in ids]})


def assignments(con: duckdb.DuckDBPyConnection, campaign_id: str) -> list[dict[str, Any]]:
    cur = con.execute("SELECT a.customer_id, a.arm, a.stratum, a.offer, au.churn_probability, au.risk_band "
                      "FROM campaign_assignments a JOIN campaign_audience au USING (campaign_id, customer_id) "
                      "WHERE a.campaign_id = ? ORDER BY a.customer_id", [campaign_id])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def save_drafts(con: duckdb.DuckDBPyConnection, campaign_id: str,
                results: list[tuple[Draft, list[Issue]]]) -> None:
    con.execute("DELETE FROM campaign_drafts WHERE campaign_id = ?", [campaign_id])
    if not results:
        return
    _insert(con, "campaign_drafts", {
        "campaign_id": [campaign_id] * len(results),
        "customer_id": [d.customer_id for d, _ in results], "channel": [d.channel for d, _ in results],
        "arm": [d.arm for d, _ in results], "language": [d.language for d, _ in results],
        "subject": [d.subject for d, _ in results], "preheader": [d.preheader for d, _ in results],
        "body": [d.body for d, _ in results], "draft": [d.model_dump_json() for d, _ in results],
        "status": ["flagged" if issues else "valid" for _, issues in results],
        "issues": [json.dumps([i.model_dump() for i in issues]) for _, issues in results],
        "attempts": [d.attempt for d, _ in results]})


def drafts(con: duckdb.DuckDBPyConnection, campaign_id: str, status: str | None = None) -> list[dict[str, Any]]:
    sql = ("SELECT customer_id, channel, arm, language, subject, preheader, body, draft, status, issues, attempts "
           "FROM campaign_drafts WHERE campaign_id = ?")
    params: list[Any] = [campaign_id]
    if status:
        sql += " AND status = ?"
        params.append(status)
    cur = con.execute(sql + " ORDER BY customer_id, channel", params)
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(cols, r, strict=True))
        row["issues"] = json.loads(row["issues"]) if row["issues"] else []
        out.append(row)
    return out


def draft_counts(con: duckdb.DuckDBPyConnection, campaign_id: str) -> dict[str, int]:
    return {s: n for s, n in con.execute("SELECT status, count(*) FROM campaign_drafts WHERE campaign_id = ? "
                                         "GROUP BY 1", [campaign_id]).fetchall()}
