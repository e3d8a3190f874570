"""Replies composed only from tool results and retrieved passages, quoted with citations; never invented."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.offline import render


def _money(x: Any) -> str:
    return f"{float(x):.2f}" if x is not None else "?"


def _fallback_answer(ps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Without picked sentences (another tool version): the first sentence of each of the first two passages."""
    from vectorstore.answer import sentences

    out = []
    for i, p in enumerate(ps[:2]):
        if sent := sentences(str(p.get("text", ""))):
            out.append({"text": sent[0], "passage": i})
    return out


def cited(r: dict[str, Any]) -> list[tuple[dict[str, Any], list[str]]]:
    """[(passage, its answer sentences)] in citation order: [1] is the first passage the answer quotes."""
    ps = r.get("passages") or []
    answer = r.get("answer") or _fallback_answer(ps)
    out: dict[int, list[str]] = {}
    for a in answer:
        i = int(a.get("passage", 0))
        if 0 <= i < len(ps):
            out.setdefault(i, []).append(" ".join(str(a["text"]).split()))
    docs: list[tuple[str, str]] = []  # quotes of one document sit together, so its numbers run on one line
    for i in out:
        if (key := (str(ps[i].get("kind")), str(ps[i].get("title")))) not in docs:
            docs.append(key)
    order = sorted(out, key=lambda i: docs.index((str(ps[i].get("kind")), str(ps[i].get("title")))))
    return [(ps[i], out[i]) for i in order]


def passages_reply(r: dict[str, Any], lang: str = "en") -> str:
    """The answer sentences, quoted and attributed to their documents, numbered [1] [2] ..., then the sources
    (title › section; the shopper UI links each number to the source's page). The words around the quotes are
    the [quote] table of the language's compose catalogue."""
    quotes = cited(r)
    c = render.cat(lang)
    if not quotes:
        return str(c["nothing_found"])
    w = c["quote"]
    lines: dict[tuple[str, str], list[str]] = {}  # one line per document: its label, then its numbered quotes
    sources = []
    for n, (p, sents) in enumerate(quotes, start=1):
        key = (str(p.get("kind")), str(p.get("title") or "?"))
        english = w["english"] if w["english"] and p.get("lang") == "en" else ""
        if key not in lines:
            lines[key] = [w.get(key[0], w["document"]).format(title=key[1]) + english]
        sep = " " if p.get("lang") == "en" else w["space"]
        lines[key].append(f"{w['open']}{sep.join(sents)}{w['close']} [{n}]")
        sources.append(f"[{n}] " + w["sep"].join(str(x) for x in (p.get("title"), p.get("section")) if x))
    body = "\n\n".join(parts[0] + w["space"] + " ".join(parts[1:]) for parts in lines.values())
    return body + f"\n\n{w['sources']}\n" + "\n".join(sources)


def _order_more(o: dict[str, Any]) -> str:
    """Item ids, delivery address, payment history and what a cancellation or return recorded."""
    from tools.orders import one_line

    out = ["Item ids: " + ", ".join(str(it["item_id"]) for it in o["items"])] if o.get("items") else []
    if o.get("ship_address"):
        out.append(f"Delivery address: {one_line(o['ship_address'])}")
    pays = o.get("payment_history") or []
    if pays:
        cur = f" {o['currency']}" if o.get("currency") else ""
        out.append("Payments: " + "; ".join(f"{p['transaction_type']} {_money(p['amount'])}{cur} "
                                            f"({p['payment_method_id']})" for p in pays))
    if o.get("cancel_reason"):
        out.append(f"Cancelled because: {o['cancel_reason']}")
    if o.get("return_payment_method_id"):
        out.append(f"Return refund to: {o['return_payment_method_id']}")
    return "".join("\n" + line for line in out)


def _retention(r: dict[str, Any]) -> str:
    s = r["summary"]
    drivers = "\n".join(f"- {d['text'] if isinstance(d, dict) else d}" for d in (s.get("drivers") or [])[:3])
    parts = [f"Customer {s.get('customer_id')}: churn risk {s.get('risk_band')} "
             f"(probability {float(s.get('churn_probability') or s.get('probability') or 0):.0%}), segment "
             f"{s.get('segment')}, 12-month CLV {_money(s.get('clv_12m'))}."]
    if drivers:
        parts.append("Top drivers:\n" + drivers)
    if s.get("next_best_action"):
        parts.append(f"Next best action: {s['next_best_action']}")
    return "\n".join(parts)


def _at_risk(r: dict[str, Any]) -> str:
    cs = r.get("customers") or []
    scope = f" in {r['segment']}" if r.get("segment") else ""
    if (r.get("segment") or "").lower() == "vip":
        scope = " in the top tiers (champions, loyal, can't lose)"
    if not cs:
        return f"No customers{scope} are in the {r.get('band')} risk band."
    rows = [f"- {c.get('customer_id')}: {float(c.get('churn_probability', 0)):.0%} ({c.get('segment')})" for c in cs]
    return f"Customers at {r.get('band')} risk{scope}, riskiest first:\n" + "\n".join(rows)


def _audience(r: dict[str, Any]) -> str:
    rows = r.get("counts") or []
    return "Customers by segment and risk band:\n" + "\n".join(
        f"- {c.get('segment')} / {c.get('risk_band')}: {c.get('customers', c.get('n'))}" for c in rows)


def _done_ops(r: dict[str, Any]) -> str:
    """Exchanges, item and payment changes, the default address (tools/order_changes.py)."""
    diff = r.get("price_difference") or 0.0
    settle = "" if abs(diff) < 0.005 else \
        f" {_money(abs(diff))} {'is charged to' if diff > 0 else 'is refunded to'} {r['payment_method_id']}."
    if r["action"] == "exchange_items":
        later = settle.replace(" is ", " will be ").rstrip(".") + " once the items are back." if settle else ""
        return f"Done: the exchange for order {r['order_id']} is requested (status: exchange requested); you'll get " \
               f"an email on how to send the item(s) back.{later}"
    if r["action"] == "modify_items":
        return f"Done: the items of order {r['order_id']} are changed (status: {r['status']}).{settle}"
    if r["action"] == "modify_payment":
        return f"Done: order {r['order_id']} is now paid with {r['payment_method_id']}; {_money(r['amount'])} is " \
               f"refunded to {r['refunded_to']}."
    if r["action"] == "update_default_address":
        a = r["address"]
        return "Done: your default address is now " + ", ".join(a[k] for k in ("address1", "address2", "city",
                                                                                 "state", "zip", "country") if a[k]) + "."
    return "Done."


STAFF: dict[str, Callable[[dict[str, Any]], str]] = {
    "retention": _retention, "at_risk": _at_risk, "audience": _audience,
    "customers": lambda r: "Matching customers:\n" + "\n".join(
        f"- {c['customer_id']}: {c['first_name']} {c['last_name']} ({c['email']})" for c in r["customers"])
    or "No matching customers.",
    "ask": lambda r: r["message"],
    "product_types": lambda r: "Our product types:\n" + "\n".join(
        f"- {p['name']} (product id {p['product_id']})" for p in r["products"]),
}


def _table(lang: str) -> dict[str, Callable[[dict[str, Any]], str]]:
    """The renderers of one reply language: the shopper's kinds from its compose catalogue, staff views in
    English."""
    c = render.cat(lang)

    def said(r: dict[str, Any]) -> str:
        return render.message(c, r["message"])

    return {**STAFF, "passages": lambda r: passages_reply(r, lang), "orders": lambda r: render.orders(c, r),
            "order": lambda r: render.order(c, r, _order_more), "suggestions": lambda r: render.suggestions(c, r),
            "products": lambda r: render.products(c, r), "payments": lambda r: render.payments(c, r),
            "profile": lambda r: render.profile(c, r), "done": lambda r: render.done(c, r, _done_ops),
            "confirm": lambda r: render.confirm(c, r), "language": lambda r: render.language(c, r),
            "refusal": said, "error": said, "auth": said}


def compose(results: list[dict[str, Any]], lang: str = "en") -> str:
    """The reply for a turn's tool results in the reply language (en, zh, or any language with a compose
    catalogue, see docs/languages.md); staff views stay in English."""
    table = _table(lang)
    parts = []
    for r in results:
        fn = table.get(r.get("kind", ""))
        parts.append(fn(r) if fn else str(r.get("text", "")))
    return "\n\n".join(p for p in parts if p)
