"""Signed shopper identities for the embedded widget (the identity-verification scheme hosted messengers use).

A shop that already knows its signed-in customer embeds `/widget/?customer_id=C&sig=S` or
`/widget/?customer_id=C&exp=E&sig=S`, where E is a Unix time and S the hex HMAC-SHA256, under the secret the shop
shares with the app (`RETAIN_WIDGET_SECRET`), of `C` or of `C.E`. The server checks it; an unsigned, expired or
tampered identity (or any identity while no secret is configured) gives an anonymous session, and the log says why.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Mapping

from core.config import Settings

log = logging.getLogger("retain.identity")
MAX_ID_CHARS = 64


def secret_of(settings: Settings) -> bytes | None:
    return settings.widget_secret.get_secret_value().encode() if settings.widget_secret else None


def with_demo_secret(settings: Settings) -> Settings:
    """Demo mode without a configured secret gets a random one for this run (production never does)."""
    if settings.demo and not settings.widget_secret:
        from pydantic import SecretStr

        return settings.model_copy(update={"widget_secret": SecretStr(secrets.token_hex(32))})  # copies skip validation
    return settings


def sign(secret: bytes, customer_id: str, exp: int | None = None) -> str:
    message = customer_id if exp is None else f"{customer_id}.{exp}"
    return hmac.new(secret, message.encode(), hashlib.sha256).hexdigest()


def query(secret: bytes, customer_id: str, exp: int | None = None) -> str:
    """The widget URL's query string for this customer (what the shop's server would render)."""
    from urllib.parse import urlencode

    params: dict[str, str | int] = {"customer_id": customer_id}
    if exp is not None:
        params["exp"] = exp
    return urlencode({**params, "sig": sign(secret, customer_id, exp)})


def verified_customer(settings: Settings, params: Mapping[str, str], now: float | None = None) -> str | None:
    """The customer id of a valid signed identity in `params`, else None (anonymous; the reason is logged)."""
    cid, sig, exp = params.get("customer_id"), params.get("sig"), params.get("exp")
    if not cid:
        return None
    secret = secret_of(settings)
    if secret is None:
        log.warning("signed identity refused: RETAIN_WIDGET_SECRET is not set (anonymous session)")
        return None
    if not sig or len(cid) > MAX_ID_CHARS:
        log.warning("identity refused: %s (anonymous session)", "no signature" if not sig else "id too long")
        return None
    expires: int | None = None
    if exp is not None:
        if not exp.isdigit():
            log.warning("signed identity refused: exp %r is not a Unix time (anonymous session)", exp[:20])
            return None
        expires = int(exp)
    if not hmac.compare_digest(sign(secret, cid, expires), sig.lower()):
        log.warning("signed identity refused: the signature does not match (anonymous session)")
        return None
    if expires is not None and expires <= (time.time() if now is None else now):
        log.warning("signed identity refused: expired (anonymous session)")
        return None
    return cid
