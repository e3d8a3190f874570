"""The support widget's labels in each shopper language (one table, easy to move to a catalogue), and the choice
of language: the page's `lang` parameter, else the signed-in customer's preferred language, else the browser's
Accept-Language, else English."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "status_bot": "Assistant",
        "status_waiting": "Handed to our team: a person will reply here",
        "status_human": "A person from our team has joined",
        "greeting": "**Hi!** How can we help? Ask about your orders, returns or our policies.",
        "placeholder": "Type your question…",
        "send": "Send",
        "confirm": "✔ Confirm",
        "decline": "✖ Decline",
        "typing": "_typing…_",
        "ticket": "Handed to a person: ticket",
        "orders": "My orders",
        "refresh": "Refresh orders",
        "chat": "Support",
        "anonymous": "*Not signed in.* Ask about our policies, or verify in the chat (email plus postcode or an order "
                     "number, or full name plus postcode) to see your orders.",
        "anonymous_short": "*Not signed in:* verify in the chat to see your orders.",
        "signed_in": "Signed in as **{name}**.",
    },
    "zh": {
        "status_bot": "智能助手",
        "status_waiting": "已转给我们的团队：客服人员会在这里回复",
        "status_human": "我们的客服人员已加入对话",
        "greeting": "**您好！** 有什么可以帮您？可以询问订单、退货或我们的政策。",
        "placeholder": "请输入您的问题…",
        "send": "发送",
        "confirm": "✔ 确认",
        "decline": "✖ 拒绝",
        "typing": "_正在输入…_",
        "ticket": "已转人工：工单",
        "orders": "我的订单",
        "refresh": "刷新订单",
        "chat": "客服",
        "anonymous": "*未登录。* 可以询问我们的政策；在聊天中验证身份（邮箱加邮编或订单号，或全名加邮编）后可查看您的订单。",
        "anonymous_short": "*未登录：* 在聊天中验证身份后可查看您的订单。",
        "signed_in": "已登录：**{name}**。",
    },
}

CHIPS: dict[str, list[str]] = {
    "en": ["What is your return policy?", "Where is my order?", "I want to return an item",
           "How long do refunds take?", "I'd like to talk to a person"],
    "zh": ["你们的退货政策是什么？", "我的订单在哪里？", "我想退一件商品", "退款需要多长时间？", "我想找人工客服"],
}
LANGUAGES = tuple(LABELS)


def _supported(code: str | None) -> str | None:
    base = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LABELS else None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (q-values honoured), else None."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")[:20]):
        code, _, params = part.partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if (lang := _supported(code)) and q > 0:
            ranked.append((-q, i, lang))
    return min(ranked)[2] if ranked else None


def choose(param: str | None, preferred: str | None, accept_language: str | None) -> str:
    return _supported(param) or _supported(preferred) or from_accept_language(accept_language) or "en"


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["en"])


def chips(lang: str) -> list[str]:
    return CHIPS.get(lang, CHIPS["en"])
