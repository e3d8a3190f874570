"""Identity and profile tools: shopper sign-in within the chat, own profile; staff customer lookups."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.session import Session
from shop import queries as q
from shop.db import scalar
from shop.names import candidates
from tools import tool
from tools.orders import NoArgs, me


class AuthArgs(BaseModel):
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    zip: str = ""
    order_id: str = Field("", description="one of the shopper's order numbers, as a second factor with the email")


class CustomerArg(BaseModel):
    customer_id: str = Field(description="the customer's id")


class SearchArg(BaseModel):
    text: str = Field(description="id, email or part of a name")


NEED_TWO = ("To verify you I need two details: the email address on your account plus your zip/postcode or one "
            "of your order numbers, or your full name plus your zip/postcode.")
FACTORS = ("email", "first_name", "last_name", "zip", "order_id")


def _norm(text: str) -> str:
    return "".join(text.lower().split()).replace("#", "")


def typed_factors(session: Session, args: dict[str, str]) -> dict[str, str]:
    """The factors in `args` that the shopper typed themselves in this conversation (the server keeps their
    messages in session.facts["typed"]), merged with those given earlier. A value the model made up, or took from
    anywhere but the shopper's own messages, is dropped: the model's arguments alone never sign anyone in."""
    typed = _norm(" ".join(session.facts.get("typed", [])))
    known: dict[str, str] = session.facts.setdefault("auth_factors", {})
    for k in FACTORS:
        v = (args.get(k) or "").strip()
        if v and _norm(v) and _norm(v) in typed:
            known[k] = v
    return dict(known)


def _match(session: Session, f: dict[str, str]) -> tuple[str | None, str | None]:
    """(verified customer id, candidate account charged with a failure) for two factors."""
    con = session.con
    if f.get("email") and (f.get("zip") or f.get("order_id")):
        cid = q.find_customer_by_email(con, f["email"])
        if not cid:
            return None, None
        ok = (f.get("zip") and scalar(con, "SELECT 1 FROM addresses WHERE customer_id = ? AND replace(lower(zip), "
                                             "' ', '') = ?", [cid, _norm(f["zip"])])) \
            or (f.get("order_id") and scalar(con, "SELECT 1 FROM orders WHERE customer_id = ? AND upper(order_id) "
                                                    "IN (?, ?)", [cid, f["order_id"].upper(),
                                                                  "#" + f["order_id"].upper().lstrip("#")]))
        return (cid, None) if ok else (None, cid)
    # full name plus zip, in either order, and a name in Chinese characters by its pinyin too ("王芳" finds Fang Wang)
    pairs = candidates(f.get("first_name", ""), f.get("last_name", ""))
    cid = next((hit for first, last in pairs if (hit := q.find_customer_by_name_zip(con, first, last, f["zip"]))), None)
    return cid, None


@tool("verify_identity", AuthArgs, roles=("shopper",))
def verify_identity(session: Session, email: str, first_name: str, last_name: str, zip: str, order_id: str
                    ) -> dict[str, Any]:
    """Verify an anonymous shopper with two details they typed: email plus zip/postcode or an order number, or
    full name plus zip/postcode. Attempts are limited per conversation and per account."""
    from shop import auth_failures

    if session.principal.customer_id:
        return {"kind": "auth", "ok": True, "message": "You are already signed in."}
    settings = session.settings
    failures = session.facts.get("auth_failures", 0)
    if failures >= settings.auth_max_failures_session:
        return {"kind": "auth", "ok": False, "locked": True,
                "message": "Too many failed attempts in this conversation, so I can't verify you here. A colleague "
                           "can help: just ask for a human."}
    f = typed_factors(session, {"email": email, "first_name": first_name, "last_name": last_name, "zip": zip,
                                "order_id": order_id})
    if not (f.get("email") and (f.get("zip") or f.get("order_id"))) and not (
            (f.get("first_name") or f.get("last_name")) and f.get("zip")):   # a full name may come in one part
        return {"kind": "auth", "ok": False, "need_more": True, "message": NEED_TWO}
    cid, charged = _match(session, f)
    account = cid or charged
    lock = settings.auth_lock_minutes
    if account and auth_failures.recent(session.con, account, lock) >= settings.auth_max_failures_account:
        return {"kind": "auth", "ok": False, "locked": True,
                "message": f"Too many failed attempts for this account; please try again in {lock} minutes, or ask "
                           "for a human."}
    if not cid:
        session.facts["auth_failures"] = failures + 1
        session.facts["auth_factors"] = {}
        if charged:
            auth_failures.record(session.con, charged)
        left = settings.auth_max_failures_session - failures - 1
        return {"kind": "auth", "ok": False, "message": "I couldn't match those details to an account"
                + (f" ({left} attempt{'s' if left != 1 else ''} left)." if left else ".")}
    session.principal.customer_id = cid
    c = q.get_customer(session.con, cid)
    first = c["first_name"]
    return {"kind": "auth", "ok": True, "message": f"Thanks{', ' + first if first else ''}, you're verified.",
            "language": c.get("preferred_language") or "en"}


@tool("my_profile", NoArgs, roles=("shopper",))
def my_profile(session: Session) -> dict[str, Any]:
    """The signed-in shopper's own profile: name, email, default address, payment methods."""
    return {"kind": "profile", "customer": q.get_customer(session.con, me(session))}


@tool("customer_orders", CustomerArg, roles=("staff",))
def customer_orders(session: Session, customer_id: str) -> dict[str, Any]:
    """Staff: any customer's recent orders."""
    q.get_customer(session.con, customer_id)
    return {"kind": "orders", "customer_id": customer_id, "orders": q.list_orders(session.con, customer_id)}


@tool("search_customers", SearchArg, roles=("staff",))
def search_customers(session: Session, text: str) -> dict[str, Any]:
    """Staff: find customers by id, email or name."""
    return {"kind": "customers", "customers": q.search_customers(session.con, text)}
