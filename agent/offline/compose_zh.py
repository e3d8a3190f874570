"""Chinese replies of the offline engine, composed only from tool results and retrieved passages (as in
compose.py). Tool messages written in English (errors, refusals) are rendered from a table of their known
forms; an unknown one is shown as it is, after a Chinese preface, rather than guessed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from agent.language import CJK
from agent.offline.compose import cited

NOTHING_FOUND = "我在帮助中心里没有找到相关内容，所以不想随便猜测。需要我为您转接人工客服吗？"
CONFIRM = "请问要继续吗？请回复“确认”或“不用了”。"
STATUS = {"pending": "待处理", "processed": "已发货", "delivered": "已送达", "cancelled": "已取消",
          "return requested": "已申请退货", "exchange requested": "已申请换货", "returned": "已退货",
          "exchanged": "已换货", "open": "处理中", "closed": "已关闭"}
REASON = {"no longer needed": "不再需要", "ordered by mistake": "误购（下错单）"}
TXN = {"payment": "付款", "refund": "退款"}
PAYMENT_KIND = {"credit_card": "信用卡", "card": "银行卡", "paypal": "PayPal", "gift_card": "礼品卡"}


def _money(x: Any) -> str:
    return f"{float(x):.2f}" if x is not None else "?"


def status(s: Any) -> str:
    return STATUS.get(str(s), str(s))


def _statuses(text: str) -> str:
    return " 或 ".join(status(s.strip()) for s in text.split(" or "))


# (English message pattern, Chinese template) for the messages tools and the store raise
MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"I can't find an order (\S+) on your account"), lambda m: f"您的账户下找不到订单 {m[1]}。"),
    (re.compile(r"Please verify your identity first"),
     lambda m: "请先验证您的身份：告诉我您账户的邮箱地址以及邮编或任一订单号，或您的全名和邮编。"),
    (re.compile(r"order (\S+) is ([a-z ]+); only ([a-z ]+?) orders can be ([a-z ]+)", re.I),
     lambda m: f"订单 {m[1]} 的状态是{status(m[2])}，只有{_statuses(m[3])}的订单才能"
               + {"cancelled": "取消", "modified": "修改", "changed": "修改", "returned or exchanged": "退货或换货"}.get(m[4], m[4]) + "。"),
    (re.compile(r"Order (\S+) is ([a-z ]+); only pending orders can be changed"),
     lambda m: f"订单 {m[1]} 的状态是{status(m[2])}，只有待处理的订单才能修改。"),
    (re.compile(r"order (\S+) was delivered (\d+) days ago; returns and exchanges are accepted within (\d+) days"),
     lambda m: f"订单 {m[1]} 已于 {m[2]} 天前送达；退货和换货须在送达后 {m[3]} 天内申请。"),
    (re.compile(r"^(.+) cannot be returned \(category excluded by the returns policy\)"),
     lambda m: f"{m[1]} 属于退货政策排除的品类，不能退货。"),
    (re.compile(r"The (\w+) tool is not available to a (\w+)"), lambda m: "抱歉，这项操作不在我能为您办理的范围内。"),
    (re.compile(r"I can't do that here"), lambda m: "抱歉，这项操作不在我能为您办理的范围内。"),
    (re.compile(r"no order '([^']+)'"), lambda m: f"找不到订单 {m[1]}。"),
    (re.compile(r"You are already signed in"), lambda m: "您已经登录了。"),
    (re.compile(r"I couldn't match those details to an account(?: \((\d+) attempts? left\))?"),
     lambda m: "抱歉，我无法用这些信息匹配到账户。请检查后重试" + (f"（还可尝试 {m[1]} 次）。" if m[1] else "。")),
    (re.compile(r"To verify you I need two details"),
     lambda m: "为了验证您的身份，我需要两项信息：账户邮箱加上邮编或任一订单号，或您的全名加邮编。"),
    (re.compile(r"Too many failed attempts in this conversation"),
     lambda m: "本次对话中验证失败的次数过多，无法在这里验证。如需帮助，请要求转人工客服。"),
    (re.compile(r"Too many failed attempts for this account; please try again in (\d+) minutes"),
     lambda m: f"该账户验证失败的次数过多，请 {m[1]} 分钟后再试，或要求转人工客服。"),
    (re.compile(r"Thanks(?:, (.+?))?, you're verified"),
     lambda m: f"谢谢{('，' + m[1]) if m[1] else ''}，您的身份已验证。"),
    (re.compile(r"Sorry, I can't reach that information right now \((\w+)\)"),
     lambda m: f"抱歉，我现在无法获取这些信息（{m[1]}）。如需帮助，可以让我为您转接人工客服。"),
]


def message(text: str) -> str:
    """A tool's English message in Chinese (or with a Chinese preface when its form is not known)."""
    if CJK.search(text):
        return text
    body = text.removeprefix("I couldn't complete that: ")
    done = body != text
    for pattern, render in MESSAGES:
        if m := pattern.search(body):
            return ("无法完成：" if done else "") + render(m)
    return f"抱歉，无法完成您的请求：{text}"


def _passages(r: dict[str, Any]) -> str:
    ps = r.get("passages") or []
    if not ps:
        return NOTHING_FOUND
    lines, cites = cited(ps, "（）")
    english = "" if any(CJK.search(p["text"]) for p in ps[:2]) else "（以下内容原文为英文）\n\n"
    return "以下内容摘自我们的帮助中心：\n\n" + english + "\n\n".join(lines) + "\n\n来源：\n" + "\n".join(cites)


def _orders(r: dict[str, Any]) -> str:
    orders = r.get("orders") or []
    if not orders:
        return "您的账户下没有订单。"
    rows = [f"- {o['order_id']}（{o['date']}）：{status(o['status'])}，{o['lines']} 件商品，合计 {_money(o['total'])}"
            for o in orders]
    return "您最近的订单：\n" + "\n".join(rows)


def _order(r: dict[str, Any]) -> str:
    o = r["order"]
    items = "\n".join(
        f"- {it['name']}" + (f"（{'，'.join(f'{k}: {v}' for k, v in it['options'].items())}）" if it.get("options")
                             else "")
        + f" × {it['quantity']}，单价 {_money(it['unit_price'])}" + (f" [{status(it['status'])}]" if it.get("status")
                                                                    else "")
        for it in o["items"])
    track = f"\n物流单号（tracking）：{'，'.join(o['tracking_ids'])}" if o.get("tracking_ids") else ""
    return f"订单 {o['order_id']} 的状态：{status(o['status'])}（下单日期 {str(o['created_at'])[:10]}，合计 " \
           f"{_money(o['total'])}）。\n{items}{track}"


def reason(text: str) -> str:
    """A recommender reason (retention/recommend.py) in Chinese; product and category names stay as they are."""
    if m := re.fullmatch(r"often bought with (.+)", text):
        return f"常与 {m[1]} 一起购买"
    if m := re.fullmatch(r"popular in (.+) this month", text):
        return f"本月 {m[1]} 类热销"
    return "购买习惯相似的顾客也喜欢" if text == "customers with similar purchases liked it" else text


def _suggestions(r: dict[str, Any]) -> str:
    items = r.get("items") or []
    if not items:
        return "目前我没有适合您的推荐。"
    return "您可能会喜欢：\n" + "\n".join(f"- {i['name']}（{_money(i['price'])}）：{reason(i['reason'])}"
                                       for i in items)


def _products(r: dict[str, Any]) -> str:
    ps = r.get("products") or []
    if not ps:
        return "我在商品目录里没有找到这件商品。"
    p = ps[0]
    avail = [v for v in p["variants"] if v["available"]]
    opts = "\n".join(f"- {'，'.join(f'{k}: {v}' for k, v in v['options'].items()) or '标准款'}：{_money(v['price'])}"
                     for v in avail[:12])
    return f"{p['name']} 有 {len(avail)} 个可选款式有货：\n{opts}" if avail else f"{p['name']} 目前所有款式都缺货。"


def _payments(r: dict[str, Any]) -> str:
    ps = r.get("payments") or []
    if not ps:
        return f"订单 {r['order_id']} 目前还没有付款或退款记录。"
    return f"订单 {r['order_id']} 的付款和退款记录：\n" + "\n".join(
        f"- {TXN.get(p['transaction_type'], p['transaction_type'])}：{_money(p['amount'])}（{p['payment_method_id']}）"
        for p in ps)


def _profile(r: dict[str, Any]) -> str:
    c = r["customer"]
    a = c.get("default_address") or {}
    addr = "，".join(str(a[k]) for k in ("address1", "city", "zip", "country") if a.get(k))
    kinds = "、".join(PAYMENT_KIND.get(p["kind"], p["kind"]) for p in c.get("payment_methods", []))
    return f"{c.get('last_name')} {c.get('first_name')}，{c.get('email')}。默认地址：{addr or '无'}。" \
           f"付款方式：{kinds or '无'}。"


def _address(a: dict[str, Any]) -> str:
    if a.get("country") == "中国":
        return f"{a.get('address2') or ''}{a['city']}{a['address1']}（邮编 {a['zip']}）"
    return f"{a['address1']}, {a['city']} {a['zip']}, {a.get('country', '')}".rstrip(", ")


def _confirm(r: dict[str, Any]) -> str:
    act = r.get("action")
    if act == "cancel_order":
        what = f"取消订单 {r['order_id']}（{r['items']} 件商品，{_money(r['total'])} {r['currency']}），原因：" \
               f"{REASON.get(r['reason'], r['reason'])}；全额退款将退回原支付方式。"
    elif act == "return_items":
        what = f"为订单 {r['order_id']} 申请退货：{'、'.join(r['names'])}；商品寄回后，{_money(r['refund'])} " \
               f"{r['currency']} 将退回原支付方式。"
    elif act == "change_order_address":
        what = f"把订单 {r['order_id']} 的收货地址改为：{_address(r['address'])}。"
    elif act == "handoff":
        what = f"创建一张由人工客服跟进的工单，摘要：“{r['case']}”。"
    else:
        return message(r["summary"])
    return f"请确认以下操作：{what}{CONFIRM}"


def _done(r: dict[str, Any]) -> str:
    if r["action"] == "cancel_order":
        return f"已完成：订单 {r['order_id']} 已取消，{_money(r['refund'])} 将退回您的原支付方式。"
    if r["action"] == "return_items":
        return f"已完成：订单 {r['order_id']} 的退货申请已提交（状态：已申请退货）。应退金额：{_money(r['refund'])}。"
    if r["action"] == "change_order_address":
        return f"已完成：订单 {r['order_id']} 将寄往 {_address(r['ship_address'])}。"
    if r["action"] == "handoff":
        return f"我已为您创建工单 {r['ticket_id']}，人工客服会接手处理，并通过邮件回复您。"
    return "已完成。"


def _language(r: dict[str, Any]) -> str:
    return "好的，以后我会用中文回复您。" if r.get("language") == "zh" else \
        "OK, I'll answer in English from now on."


RENDER_ZH: dict[str, Callable[[dict[str, Any]], str]] = {
    "passages": _passages, "orders": _orders, "order": _order, "suggestions": _suggestions,
    "products": _products, "payments": _payments, "profile": _profile, "done": _done, "confirm": _confirm,
    "language": _language, "refusal": lambda r: message(r["message"]), "error": lambda r: message(r["message"]),
    "auth": lambda r: message(r["message"]),
}
