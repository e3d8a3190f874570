"""Typed shapes shared by the campaign modules: the plan (spec), an offer, a draft and a validator finding."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

Channel = Literal["email", "sms", "push"]
CHANNELS: tuple[str, ...] = ("email", "sms", "push")
RISK_BANDS: tuple[str, ...] = ("low", "medium", "high")
SEGMENTS: tuple[str, ...] = ("champions", "loyal", "potential loyalists", "at risk", "can't lose",
                             "hibernating", "lost", "new")
TOP_TIERS: tuple[str, ...] = ("champions", "loyal", "can't lose")
CONTROL = "control"


class AudienceSpec(BaseModel):
    """Who to target. Every filter is optional; None means 'any'."""

    risk_bands: list[str] | None = Field(default_factory=lambda: ["high"])
    min_probability: float | None = None
    segments: list[str] | None = None
    min_clv: float | None = None
    max_clv: float | None = None
    min_days_since_order: int | None = None
    max_days_since_order: int | None = None
    categories: list[str] | None = None      # category affinity: bought in any of these
    limit: int | None = None                  # keep the riskiest N


class Variant(BaseModel):
    """One treatment arm: a copy tone and an offer kind."""

    name: str
    tone: Literal["warm", "direct", "playful"] = "warm"
    offer: Literal["percent", "free_shipping"] = "percent"


class CampaignSpec(BaseModel):
    """Everything `retain campaign plan` decides; stored as JSON on the campaign row."""

    name: str = "win-back"
    audience: AudienceSpec = Field(default_factory=AudienceSpec)
    channels: list[Channel] = Field(default_factory=lambda: ["email"])  # type: ignore[arg-type]
    variants: list[Variant] = Field(default_factory=lambda: [Variant(name="A", tone="warm"),
                                                             Variant(name="B", tone="direct")])
    holdout_share: float = 0.1
    seed: int = 42
    shop_name: str = "Retain Shop"
    sender_name: str = "Alex from Retain Shop"
    sender_email: str = "hello@retainshop.example"
    shop_url: str = "https://retainshop.example"
    outcome_window_days: int = 30
    template_dir: str | None = None           # a brand's own templates instead of prompts/winback


class Offer(BaseModel):
    kind: Literal["percent", "free_shipping"]
    discount_pct: int = 0
    code: str
    expires_on: dt.date
    top_tier: bool = False


class FeaturedProduct(BaseModel):
    product_id: str
    name: str
    price: float
    reason: str


class Draft(BaseModel):
    """One message for one customer on one channel. `subject` is the push title for push."""

    campaign_id: str
    customer_id: str
    channel: Channel
    arm: str
    language: str = "en"
    subject: str | None = None
    preheader: str | None = None
    body: str
    offer: Offer
    products: list[FeaturedProduct] = Field(default_factory=list)
    first_name: str | None = None
    sender_name: str
    sender_email: str
    shop_name: str
    unsubscribe_url: str
    attempt: int = 1


class Issue(BaseModel):
    """A validator finding: a stable code, the field, and a message a marketer can act on."""

    code: str
    field: str
    message: str
