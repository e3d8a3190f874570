"""Staff and marketer tools over the churn scores: a customer's retention summary, who is at risk, audience
counts; and product suggestions for shoppers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.session import Session
from tools import tool
from tools.customers import CustomerArg
from tools.orders import NoArgs, me


class SegmentArg(BaseModel):
    segment: str = Field("", description="segment name, e.g. champions, at risk, loyal; vip = the top tiers; empty = all")
    band: str = Field("high", description="risk band: high, medium or low")


class SuggestArg(BaseModel):
    k: int = Field(5, ge=1, le=20)


@tool("retention_summary", CustomerArg, roles=("staff",))
def retention_summary(session: Session, customer_id: str) -> dict[str, Any]:
    """Staff: a customer's churn risk and probability, top drivers, segment, CLV, history, next best action."""
    from retention.summary import customer_retention

    return {"kind": "retention", "summary": customer_retention(session.con, session.settings, customer_id)}


@tool("at_risk_customers", SegmentArg, roles=("staff", "marketer"))
def at_risk_customers(session: Session, segment: str, band: str) -> dict[str, Any]:
    """Customers in a risk band (default high), optionally within one segment, riskiest first."""
    from retention.summary import at_risk

    return {"kind": "at_risk", "segment": segment or None, "band": band,
            "customers": at_risk(session.con, segment=segment or None, band=band, limit=10)}


@tool("audience_counts", NoArgs, roles=("marketer", "staff"))
def audience_counts(session: Session) -> dict[str, Any]:
    """How many customers are in each segment and risk band."""
    from retention.summary import segment_counts

    return {"kind": "audience", "counts": segment_counts(session.con)}


@tool("suggest_products", SuggestArg, roles=("shopper",))
def suggest_products(session: Session, k: int) -> dict[str, Any]:
    """Product suggestions for the signed-in shopper, each with a reason."""
    from retention.recommend import Recommender

    recs = Recommender.load(session.settings).recommend(me(session), k=k)
    return {"kind": "suggestions", "items": [
        {"product_id": r.product_id, "name": r.name, "price": r.price, "reason": r.reason} for r in recs]}
