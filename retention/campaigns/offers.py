"""Offer policy: a discount (or a free-shipping perk) sized by value and risk, within the shop's caps."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from core.config import Policy
from core.errors import ConfigError
from retention.campaigns.models import Offer, Variant

BASE_PCT = {"high": 15, "medium": 10, "low": 5}
MIN_PCT = 5          # a percent offer below this is not worth sending
STEP = 5             # discounts are whole multiples of 5 %


def offer_code(campaign_id: str, customer_id: str) -> str:
    """A stable, customer-specific code (GSM-7 safe, so it fits SMS)."""
    h = hashlib.blake2b(f"{campaign_id}|{customer_id}".encode(), digest_size=5).hexdigest().upper()
    return f"WB{h[:8]}"


def cap_for(policy: Policy, top_tier: bool) -> int:
    return policy.top_tier_max_discount_pct if top_tier else policy.max_discount_pct


def check_policy(policy: Policy, variants: list[Variant]) -> None:
    """Raise ConfigError when the caps or validity make every offer invalid."""
    if policy.offer_validity_days < 1:
        raise ConfigError(f"policy.offer_validity_days={policy.offer_validity_days}: every offer would expire "
                          "on or before today; set it to 1 or more")
    for name in ("max_discount_pct", "top_tier_max_discount_pct"):
        v = getattr(policy, name)
        if not 0 <= v < 100:
            raise ConfigError(f"policy.{name}={v} is outside 0..99")
    if policy.top_tier_max_discount_pct < policy.max_discount_pct:
        raise ConfigError(f"policy.top_tier_max_discount_pct={policy.top_tier_max_discount_pct} is below "
                          f"policy.max_discount_pct={policy.max_discount_pct}")
    top = max(policy.max_discount_pct, policy.top_tier_max_discount_pct)
    for v in variants:
        if v.offer == "percent" and top < MIN_PCT:
            raise ConfigError(
                f"variant {v.name!r} offers a percent discount, but the caps (max_discount_pct="
                f"{policy.max_discount_pct}, top_tier_max_discount_pct={policy.top_tier_max_discount_pct}) leave "
                f"no valid discount of at least {MIN_PCT}%; raise the caps or use a free_shipping variant")


def size_offer(member: dict[str, Any], variant: Variant, policy: Policy, today: dt.date,
               campaign_id: str) -> Offer:
    """Base by risk band (+5 for top tiers, +5 above 0.8 churn probability), rounded down to 5 %, capped."""
    top = bool(member.get("top_tier"))
    expires = today + dt.timedelta(days=policy.offer_validity_days)
    code = offer_code(campaign_id, member["customer_id"])
    pct = BASE_PCT.get(member.get("risk_band") or "low", MIN_PCT)
    if top:
        pct += 5
    if (member.get("churn_probability") or 0) >= 0.8:
        pct += 5
    pct = min(pct, cap_for(policy, top))
    pct -= pct % STEP
    if variant.offer == "free_shipping" or pct < MIN_PCT:
        return Offer(kind="free_shipping", discount_pct=0, code=code, expires_on=expires, top_tier=top)
    return Offer(kind="percent", discount_pct=pct, code=code, expires_on=expires, top_tier=top)
