"""Replies composed only from tool results and retrieved passages, quoted with citations; never invented."""

from __future__ import annotations

from typing import Any

NOTHING_FOUND = ("I couldn't find that in our help centre, so I'd rather not guess. Would you like me to connect "
                 "you with a colleague?")


def _money(x: Any) -> str:
    return f"{float(x):.2f}" if x is not None else "?"


# The words around quoted passages, per reply language. A quote is always attributed to its document (a
# help-centre article, a product page, or another document in the knowledge base): retrieved text is quoted,
# never spoken in the shop's own voice.
QUOTE = {
    "en": {"help": "The help-centre article “{title}” says:", "product": "The product page “{title}” says:",
           "document": "The document “{title}” in our knowledge base (not written by our support team) says:",
           "english": "", "space": " ", "open": "“", "close": "”", "sources": "Sources:", "sep": " › "},
    "zh": {"help": "帮助中心文章《{title}》写道：", "product": "商品页面《{title}》写道：",
           "document": "知识库中的文档《{title}》（并非客服团队撰写）写道：", "english": "（英文原文）",
           "space": "", "open": "“", "close": "”", "sources": "来源：", "sep": " › "},
}


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


def passages_reply(r: dict[str, Any], lang: str = "en", nothing: str = "") -> str:
    """The answer sentences, quoted and attributed to their documents, numbered [1] [2] ..., then the sources
    (title › section; the shopper UI links each number to the source's page)."""
    quotes = cited(r)
    if not quotes:
        return nothing or NOTHING_FOUND
    w = QUOTE.get(lang, QUOTE["en"])
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


def _passages(r: dict[str, Any]) -> str:
    return passages_reply(r, "en")


def _orders(r: dict[str, Any]) -> str:
    orders = r.get("orders") or []
    if not orders:
        return "I can't see any orders on this account."
    who = f"Customer {r['customer_id']}'s" if r.get("customer_id") else "Your"
    rows = [f"- {o['order_id']} ({o['date']}): {o['status']}, {o['lines']} item(s), total {_money(o['total'])}"
            for o in orders]
    return f"{who} most recent orders:\n" + "\n".join(rows)


def _order(r: dict[str, Any]) -> str:
    o = r["order"]
    items = "\n".join(f"- {it['name']}" + (f" ({', '.join(f'{k}: {v}' for k, v in it['options'].items())})"
                                         if it.get("options") else "")
                      + f" × {it['quantity']} at {_money(it['unit_price'])}" + (f" [{it['status']}]" if it.get("status")
                                                                                else "")
                      for it in o["items"])
    track = f"\nTracking: {', '.join(o['tracking_ids'])}" if o.get("tracking_ids") else ""
    return f"Order {o['order_id']} is {o['status']} (placed {str(o['created_at'])[:10]}, total {_money(o['total'])}).\n" \
           f"{items}{track}{_order_more(o)}"


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


def _suggestions(r: dict[str, Any]) -> str:
    items = r.get("items") or []
    if not items:
        return "I don't have suggestions for you right now."
    return "You might like:\n" + "\n".join(f"- {i['name']} ({_money(i['price'])}): {i['reason']}" for i in items)


def _products(r: dict[str, Any]) -> str:
    ps = r.get("products") or []
    if not ps:
        return "I couldn't find that product in our catalogue."
    p = ps[0]
    avail = [v for v in p["variants"] if v["available"]]
    opts = "\n".join(f"- {', '.join(f'{k}: {v}' for k, v in v['options'].items()) or 'standard'}: "
                     f"{_money(v['price'])}" for v in avail[:12])
    return f"{p['name']} is available in {len(avail)} option(s):\n{opts}" if avail else \
        f"{p['name']} is currently out of stock in every option."


def _payments(r: dict[str, Any]) -> str:
    ps = r.get("payments") or []
    if not ps:
        return f"There are no payments or refunds recorded on order {r['order_id']} yet."
    return f"Order {r['order_id']}:\n" + "\n".join(f"- {p['transaction_type']}: {_money(p['amount'])} "
                                                    f"({p['payment_method_id']})" for p in ps)


def _profile(r: dict[str, Any]) -> str:
    c = r["customer"]
    a = c.get("default_address") or {}
    from tools.orders import one_line

    addr = one_line(a) if a else ""
    return f"{c.get('first_name')} {c.get('last_name')}, {c.get('email')}. Default address: {addr or 'none'}. " \
           f"Payment methods: {', '.join(_method(p) for p in c.get('payment_methods', [])) or 'none'}."


def _method(p: dict[str, Any]) -> str:
    extra = f", balance {_money(p['balance'])}" if p.get("balance") is not None else ""
    return f"{p['kind']} ({p['payment_method_id']}{extra})"


def _done(r: dict[str, Any]) -> str:
    if r["action"] == "cancel_order":
        return f"Done: order {r['order_id']} is cancelled and {_money(r['refund'])} will be refunded to your " \
               "original payment method."
    if r["action"] == "return_items":
        return f"Done: the return for order {r['order_id']} is requested (status: return requested). Refund due: " \
               f"{_money(r['refund'])}."
    if r["action"] == "change_order_address":
        return f"Done: order {r['order_id']} will now be delivered to {r['ship_address']['address1']}, " \
               f"{r['ship_address']['city']}."
    if r["action"] == "handoff":
        return f"I've opened ticket {r['ticket_id']}; a colleague will pick up your case and reply here, in this conversation."
    return _done_ops(r)


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


RENDER = {"passages": _passages, "orders": _orders, "order": _order, "retention": _retention,
          "at_risk": _at_risk, "audience": _audience, "suggestions": _suggestions, "products": _products,
          "payments": _payments, "profile": _profile, "done": _done,
          "confirm": lambda r: r["summary"], "refusal": lambda r: r["message"], "error": lambda r: r["message"],
          "auth": lambda r: r["message"], "customers": lambda r: "Matching customers:\n" + "\n".join(
              f"- {c['customer_id']}: {c['first_name']} {c['last_name']} ({c['email']})" for c in r["customers"])
          or "No matching customers."}


RENDER["ask"] = lambda r: r["message"]
RENDER["product_types"] = lambda r: "Our product types:\n" + "\n".join(
    f"- {p['name']} (product id {p['product_id']})" for p in r["products"])
RENDER["language"] = lambda r: ("OK, I'll answer in English from now on." if r.get("language") == "en" else
                                "OK, I'll answer in Chinese from now on.")


def compose(results: list[dict[str, Any]], lang: str = "en") -> str:
    """The reply for a turn's tool results, in English or Chinese ('zh'); staff views stay in English."""
    table = RENDER
    if lang == "zh":
        from agent.offline.compose_zh import RENDER_ZH

        table = {**RENDER, **RENDER_ZH}
    parts = []
    for r in results:
        fn = table.get(r.get("kind", ""))
        parts.append(fn(r) if fn else str(r.get("text", "")))
    return "\n\n".join(p for p in parts if p)
