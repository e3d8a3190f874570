"""From a shopper's words to the ids the order tools take: which line of the order ("the t-shirt"), which option
of its product ("in size XL", the other options kept where possible) and which payment method ("with PayPal").
Used when the offline engine passes the shopper's request instead of ids; unclear requests raise NeedsDetail,
whose message is the question to ask back."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from core.errors import NeedsDetail, RetainError
from shop.db import rows
from shop.order_changes import options_text, product_details

if TYPE_CHECKING:
    import duckdb

def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def _says(text: str, value: str) -> bool:
    return re.search(rf"(?<![a-z0-9'’]){re.escape(value.lower())}(?![a-z0-9])", text.lower()) is not None


def _choices(variants: list[dict[str, Any]]) -> str:
    return "; ".join(options_text(v["options"]) for v in variants if v["available"]) or "none available"


def resolve_swap(con: duckdb.DuckDBPyConnection, order: dict[str, Any], text: str) -> tuple[str, str]:
    """(item id, new item id) from words like "the t-shirt in size L": the one line whose product is named (or
    the only line), and the variant of that product with the option values asked for, the rest kept. Raises
    NeedsDetail when the item or the option is not clear, RetainError when the asked-for option does not exist
    or is not available."""
    free = [it for it in order["items"] if not it.get("status")]
    said = _words(text)
    named = [it for it in free if _words(it["name"]) & said]
    if len({it["product_id"] for it in named}) != 1:
        if len({it["product_id"] for it in free}) != 1:
            listed = "; ".join(f"{it['name']} ({options_text(it['options'])})" for it in free)
            raise NeedsDetail(f"Which item of order {order['order_id']} would you like to change? It holds: {listed}.")
        named = free
    line = named[0]
    variants = product_details(con, line["product_id"])["variants"]
    current = line["options"] or {}
    asked = {k: v for var in variants for k, v in var["options"].items()
             if current.get(k) != v and _says(text, str(v))}
    if not asked:
        raise NeedsDetail(f"Which option of the {line['name']} ({options_text(current)}) would you like instead? "
                          f"Available: {_choices(variants)}.")
    fits = [v for v in variants if all(v["options"].get(k) == val for k, val in asked.items())]
    if not fits:
        raise RetainError(f"there is no {line['name']} with {options_text(asked)}; available: {_choices(variants)}")
    fits.sort(key=lambda v: (not v["available"], -sum(v["options"].get(k) == x for k, x in current.items())))
    best = fits[0]
    if not best["available"]:
        raise RetainError(f"the {line['name']} with {options_text(best['options'])} is not available")
    return line["item_id"], best["item_id"]


METHOD_WORDS = (("gift_card", r"gift ?card|voucher"), ("paypal", r"pay ?pal"), ("credit_card", r"credit card|\bcard\b"))


def method_kind(text: str) -> str:
    """'gift_card' | 'paypal' | 'credit_card' | '' as named in the shopper's words."""
    low = text.lower()
    return next((kind for kind, pat in METHOD_WORDS if re.search(pat, low)), "")


def resolve_method(con: duckdb.DuckDBPyConnection, customer_id: str, given: str, default: str | None) -> str:
    """A payment method id from an id, a kind ('gift_card', 'paypal', 'credit_card': the customer's one method of
    that kind) or nothing (the default)."""
    if not given:
        if default is None:
            raise NeedsDetail("Which payment method should I use?")
        return default
    kinds = {"gift_card", "paypal", "credit_card"}
    if given not in kinds:
        return given
    mine = rows(con, "SELECT payment_method_id FROM payment_methods WHERE customer_id = ? AND kind = ? "
                     "ORDER BY payment_method_id", [customer_id, given])
    if not mine:
        raise RetainError(f"there is no {given.replace('_', ' ')} on your account")
    if len(mine) > 1:
        raise NeedsDetail(f"You have {len(mine)} of those: " + ", ".join(r["payment_method_id"] for r in mine) +
                          ". Which one should I use?")
    return str(mine[0]["payment_method_id"])
