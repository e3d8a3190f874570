"""Read-only views over the scores for staff and marketers: one customer's retention picture, who is at risk,
and audience counts. Reads the newest scores up to the shop's today."""

from __future__ import annotations

import json
from typing import Any

from core.config import Settings
from core.errors import NotFoundError
from retention.campaigns.models import TOP_TIERS
from shop.db import rows as _rows

LATEST = "(SELECT max(as_of) FROM churn_scores)"


def next_best_action(band: str, segment: str, drivers: list[dict[str, Any]], open_tickets: int) -> str:
    texts = " ".join(d.get("text", "") for d in drivers)
    if open_tickets:
        return "Resolve the open ticket first: call or email with an apology, then a goodwill voucher."
    if band == "high" and segment in ("champions", "loyal", "can't lose"):
        return "Personal outreach from CS with a top-tier offer (up to the top-tier discount cap)."
    if band == "high":
        return "Add to the next win-back campaign with a personalised offer and recommended products."
    if band == "medium" and "visit" in texts:
        return "Re-engage with recommendations by email; no discount needed yet."
    if band == "medium":
        return "Send a reminder with products similar to their last purchase."
    return "No action needed; keep in regular newsletters."


def customer_retention(con: Any, settings: Settings, customer_id: str) -> dict[str, Any]:
    rows = _rows(con, f"SELECT * FROM churn_scores WHERE customer_id = ? AND as_of = {LATEST}", [customer_id])
    known = _rows(con, "SELECT first_name, last_name, email, phone, country FROM customers WHERE customer_id = ?",
                  [customer_id])
    if not known:
        raise NotFoundError(f"no customer with id {customer_id!r}")
    if not rows:
        raise NotFoundError(f"customer {customer_id} has no churn score yet (no purchases, or `retain score` "
                            "has not run)")
    s = rows[0]
    history = _rows(con, """
        SELECT count(*) FILTER (WHERE kind = 'sale') AS orders, max(created_at) AS last_order,
               (SELECT round(sum(i.quantity * i.unit_price), 2) FROM orders o2 JOIN order_items i USING (order_id)
                WHERE o2.customer_id = ? AND o2.kind = 'sale') AS total_spend
        FROM orders WHERE customer_id = ?""", [customer_id, customer_id])[0]
    tickets = _rows(con, "SELECT count(*) AS total, count(*) FILTER (WHERE status = 'open') AS open FROM tickets "
                         "WHERE customer_id = ?", [customer_id])[0]
    reviews = _rows(con, "SELECT count(*) AS n, count(*) FILTER (WHERE rating >= 4) AS positive, count(*) FILTER "
                         "(WHERE rating = 3) AS neutral, count(*) FILTER (WHERE rating <= 2) AS negative FROM reviews "
                         "WHERE customer_id = ?", [customer_id])[0]
    recent_tickets = _rows(con, "SELECT ticket_id, created_at::DATE AS date, category, status, subject, sentiment "
                                "FROM tickets WHERE customer_id = ? ORDER BY created_at DESC LIMIT 5", [customer_id])
    recent_reviews = _rows(con, "SELECT created_at::DATE AS date, rating, title, sentiment FROM reviews "
                                "WHERE customer_id = ? ORDER BY created_at DESC LIMIT 5", [customer_id])
    drivers = json.loads(s["drivers"]) if s["drivers"] else []
    return {"customer_id": customer_id, "name": f"{known[0]['first_name']} {known[0]['last_name']}",
            "email": known[0]["email"], "phone": known[0]["phone"], "country": known[0]["country"],
            "recent_tickets": recent_tickets, "recent_reviews": recent_reviews,
            "as_of": str(s["as_of"]), "probability": s["churn_probability"],
            "churn_probability": s["churn_probability"], "risk_band": s["risk_band"], "drivers": drivers,
            "segment": s["segment"], "rfm": s["rfm"], "clv_12m": s["clv_12m"], "lifecycle_stage": s["lifecycle_stage"],
            "orders": history["orders"], "last_order": str(history["last_order"])[:10],
            "total_spend": history["total_spend"], "tickets": tickets, "reviews": reviews,
            "model_version": s["model_version"],
            "next_best_action": next_best_action(s["risk_band"], s["segment"] or "", drivers, tickets["open"])}


def at_risk(con: Any, segment: str | None = None, band: str = "high", limit: int = 50) -> list[dict[str, Any]]:
    sql = (f"SELECT s.customer_id, c.first_name, c.last_name, s.churn_probability, s.risk_band, s.segment, s.clv_12m "
           f"FROM churn_scores s JOIN customers c USING (customer_id) WHERE s.as_of = {LATEST} AND s.risk_band = ?")
    params: list[Any] = [band]
    if segment and segment.lower() == "vip":  # the top tiers
        sql += f" AND s.segment IN ({', '.join('?' for _ in TOP_TIERS)})"
        params += list(TOP_TIERS)
    elif segment:
        sql += " AND lower(s.segment) = lower(?)"
        params.append(segment)
    return _rows(con, sql + " ORDER BY s.churn_probability DESC LIMIT ?", [*params, limit])


def segment_counts(con: Any) -> list[dict[str, Any]]:
    return _rows(con, f"SELECT segment, risk_band, count(*) AS customers, round(sum(clv_12m), 2) AS clv_12m "
                      f"FROM churn_scores WHERE as_of = {LATEST} GROUP BY ALL ORDER BY segment, risk_band", [])
