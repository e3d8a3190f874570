"""Identity and profile tools: shopper sign-in within the chat, own profile; staff customer lookups."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core.session import Session
from shop import queries as q
from shop.names import candidates
from tools import tool
from tools.orders import NoArgs, me


class AuthArgs(BaseModel):
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    zip: str = ""


class CustomerArg(BaseModel):
    customer_id: str = Field(description="the customer's id")


class SearchArg(BaseModel):
    text: str = Field(description="id, email or part of a name")


@tool("verify_identity", AuthArgs, roles=("shopper",))
def verify_identity(session: Session, email: str, first_name: str, last_name: str, zip: str) -> dict[str, Any]:
    """Authenticate an anonymous shopper by email, or by first name, last name and zip code."""
    if session.principal.customer_id:
        return {"kind": "auth", "ok": True, "message": "You are already signed in."}
    if email:
        cid = q.find_customer_by_email(session.con, email)
    else:   # in either order, and a name in Chinese characters by its pinyin too ("王芳" finds Fang Wang)
        pairs = candidates(first_name, last_name) if zip else []
        cid = next((hit for first, last in pairs
                    if (hit := q.find_customer_by_name_zip(session.con, first, last, zip))), None)
    if not cid:
        return {"kind": "auth", "ok": False, "message": "I couldn't match those details to an account."}
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
