"""Policy profiles: the rules a shop runs under, chosen per store instead of fixed constants.

The demo shop (GBP, a 30-day return window, refunds to the original payment method) is the default profile.
A store imported from τ-bench adopts the 'tau' profile: USD, no return window, refunds to the original method or
any of the customer's gift cards. The profile's name is kept in the store's `meta` table (key 'policy_profile');
the tools and the help centre both read the policy through `shop_policy`, so they quote the rules they enforce.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.config import Policy
from core.errors import ConfigError

if TYPE_CHECKING:
    import duckdb

PROFILES: dict[str, dict[str, Any]] = {
    "demo": {},
    "tau": {"currency": "USD", "currency_symbol": "$", "return_window_days": None, "exchange_window_days": None,
            "refund_to_gift_card": True, "non_returnable_categories": (), "refund_days_card": 5,
            "refund_days_gift_card": 0},
}


def profile_policy(base: Policy, name: str) -> Policy:
    """`base` with the named profile's rules applied."""
    if name not in PROFILES:
        raise ConfigError(f"unknown policy profile {name!r}; choose one of: {', '.join(PROFILES)}")
    return base.model_copy(update={**PROFILES[name], "profile": name})


def store_profile(con: duckdb.DuckDBPyConnection) -> str:
    from shop.db import scalar

    return str(scalar(con, "SELECT value FROM meta WHERE key = 'policy_profile'") or "demo")


def shop_policy(con: duckdb.DuckDBPyConnection, base: Policy) -> Policy:
    """The policy this store runs under: the settings' policy with the store's profile applied."""
    name = store_profile(con)
    return base if name == base.profile == "demo" else profile_policy(base, name)


def adopt_profile(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Give the store a profile unless it already has one (an import into a demo store keeps the demo's)."""
    if name not in PROFILES:
        raise ConfigError(f"unknown policy profile {name!r}; choose one of: {', '.join(PROFILES)}")
    con.execute("INSERT OR IGNORE INTO meta VALUES ('policy_profile', ?)", [name])
