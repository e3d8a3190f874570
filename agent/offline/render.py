"""The shopper's replies in any language, from tool results and the language's compose catalogue
(agent/lang/<lang>/compose.toml; a key it lacks comes from English). Tool messages written in English (errors,
refusals) are rendered from the catalogue's table of their known forms; an unknown one is shown as it is, inside
the catalogue's `unknown` preface, rather than guessed."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from core.catalogue import Catalogue, catalogue

SOURCE_PREFIX = "I couldn't complete that: "  # how a refused write begins (shop/writes.py)


def _money(x: Any) -> str:
    return f"{float(x):.2f}" if x is not None else "?"


def cat(lang: str) -> Catalogue:
    return catalogue(lang, "compose")


def status(c: Catalogue, s: Any) -> str:
    return str(c.get("status", {}).get(str(s), str(s)))


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _group(c: Catalogue, entry: dict[str, Any], n: int, value: str | None) -> str:
    key = str(n)
    if value is None:
        return str(entry.get("absent", {}).get(key, ""))
    how = entry.get("map", {}).get(key)
    if how == "statuses":
        value = c["or"].join(status(c, s.strip()) for s in value.split(" or "))
    elif how:
        value = str(c.get(how, {}).get(value, value))
    wrap = entry.get("wrap", {}).get(key)
    return wrap.replace(f"{{{key}}}", value) if wrap else value


def message(c: Catalogue, text: str) -> str:
    """A tool's English message in the catalogue's language (with its preface when the form is not known)."""
    native = c.get("native")
    if native and _compiled(native).search(text):
        return text
    body = text.removeprefix(SOURCE_PREFIX)
    done = body != text
    for entry in c.get("messages", []):
        if m := _compiled(entry["pattern"]).search(body):
            groups = [_group(c, entry, i, g) for i, g in enumerate(m.groups(), start=1)]
            return (c["done_prefix"] if done else "") + entry["template"].format(m[0], *groups)
    return str(c["unknown"]).format(text=text)


def reason(c: Catalogue, text: str) -> str:
    """A recommender reason (retention/recommend.py) in the catalogue's language."""
    for entry in c.get("reasons", []):
        if m := re.fullmatch(entry["pattern"], text):
            return str(entry["template"]).format(m[0], *m.groups())
    return text


def _options(c: Catalogue, options: dict[str, Any]) -> str:
    return c["list_sep"].join(f"{k}: {v}" for k, v in options.items())


def orders(c: Catalogue, r: dict[str, Any]) -> str:
    rows = r.get("orders") or []
    if not rows:
        return str(c["orders_none"])
    who = c["orders_of_customer"].format(**r) if r.get("customer_id") else c["orders_own"]
    return c["orders_head"].format(who=who) + "\n" + "\n".join(
        c["order_row"].format(order_id=o["order_id"], date=o["date"], status=status(c, o["status"]), lines=o["lines"],
                              total=_money(o["total"])) for o in rows)


def order(c: Catalogue, r: dict[str, Any], more: Callable[[dict[str, Any]], str]) -> str:
    o = r["order"]
    items = "\n".join(
        f"- {it['name']}" + (c["item_options"].format(options=_options(c, it["options"])) if it.get("options") else "")
        + c["item_price"].format(quantity=it["quantity"], price=_money(it["unit_price"]))
        + (c["item_status"].format(status=status(c, it["status"])) if it.get("status") else "")
        for it in o["items"])
    track = c["track"].format(ids=c["list_sep"].join(o["tracking_ids"])) if o.get("tracking_ids") else ""
    return c["order"].format(order_id=o["order_id"], status=status(c, o["status"]), created=str(o["created_at"])[:10],
                             total=_money(o["total"]), items=items, track=track,
                             more=more(o) if "{more}" in c["order"] else "")


def suggestions(c: Catalogue, r: dict[str, Any]) -> str:
    items = r.get("items") or []
    if not items:
        return str(c["suggestions_none"])
    return c["suggestions_head"] + "\n" + "\n".join(
        c["suggestion_row"].format(name=i["name"], price=_money(i["price"]), reason=reason(c, i["reason"]))
        for i in items)


def products(c: Catalogue, r: dict[str, Any]) -> str:
    ps = r.get("products") or []
    if not ps:
        return str(c["products_none"])
    p = ps[0]
    avail = [v for v in p["variants"] if v["available"]]
    opts = "\n".join(c["variant_row"].format(options=_options(c, v["options"]) or c["standard"],
                                             price=_money(v["price"])) for v in avail[:12])
    return c["products"].format(name=p["name"], n=len(avail), options=opts) if avail else \
        c["products_out"].format(name=p["name"])


def payments(c: Catalogue, r: dict[str, Any]) -> str:
    ps = r.get("payments") or []
    if not ps:
        return c["payments_none"].format(order_id=r["order_id"])
    kinds = c.get("transaction", {})
    return c["payments_head"].format(order_id=r["order_id"]) + "\n" + "\n".join(
        c["payment_row"].format(type=kinds.get(p["transaction_type"], p["transaction_type"]),
                                amount=_money(p["amount"]), method=p["payment_method_id"]) for p in ps)


def _method(c: Catalogue, p: dict[str, Any]) -> str:
    balance = c["balance"].format(balance=_money(p["balance"])) if p.get("balance") is not None else ""
    kind = c.get("payment_kind", {}).get(p["kind"], p["kind"])
    return str(c["method"]).format(kind=kind, payment_method_id=p.get("payment_method_id"), balance=balance)


def profile(c: Catalogue, r: dict[str, Any]) -> str:
    cu = r["customer"]
    a = cu.get("default_address") or {}
    parts = (" ".join(str(a[k]) for k in keys if a.get(k)) for keys in c["profile_address"])
    addr = c["list_sep"].join(p for p in parts if p)
    methods = c["enum_sep"].join(_method(c, p) for p in cu.get("payment_methods", []))
    return c["profile"].format(first_name=cu.get("first_name"), last_name=cu.get("last_name"), email=cu.get("email"),
                               address=addr or c["none"], methods=methods or c["none"])


def postal(c: Catalogue, a: dict[str, Any]) -> str:
    """An address on one line: the local way for the catalogue's home country, else street first."""
    if c.get("home_country") and a.get("country") == c["home_country"]:
        return str(c["home_address"]).format(**{**a, "address2": a.get("address2") or ""})
    tail = " ".join(x for x in (a.get("state"), a["zip"]) if x)
    return ", ".join(x for x in (a["address1"], a.get("address2"), a["city"], tail, a.get("country")) if x)


def confirm(c: Catalogue, r: dict[str, Any]) -> str:
    template = c.get("confirm_action", {}).get(r.get("action"))
    if template is None:
        return message(c, r["summary"])
    fields = {**r, "total": _money(r.get("total")), "refund": _money(r.get("refund")),
              "reason": c.get("reason", {}).get(r.get("reason"), r.get("reason")),
              "names": c["enum_sep"].join(r.get("names") or []),
              "address": postal(c, r["address"]) if r.get("address") else ""}
    return str(c["confirm"]).format(what=template.format(**fields))


def done(c: Catalogue, r: dict[str, Any], other: Callable[[dict[str, Any]], str]) -> str:
    template = c["done"].get(r["action"])
    if template is None:
        return str(c["done_other"]) if "done_other" in c else other(r)
    ship = r.get("ship_address") or {}
    return str(template).format(**{**r, "refund": _money(r.get("refund")), "address1": ship.get("address1"),
                                   "city": ship.get("city"), "address": postal(c, ship) if ship else ""})


def language(c: Catalogue, r: dict[str, Any]) -> str:
    said = c["language_set"]
    return str(said.get(r.get("language"), said["other"]))
