"""The question the offline engine asks when the learned router is unsure: the two likeliest intents, named in
the shopper's language ("Do you want to cancel an order or check where your orders are?")."""

from __future__ import annotations

EN = {"list_orders": "check where your orders are", "order_details": "see the details of an order",
      "cancel_order": "cancel an order", "return_items": "return something", "change_address":
      "change a delivery address", "refund_status": "check on a refund", "handoff": "talk to a person",
      "policy": "ask about our shop's policies (delivery, returns, payment)", "recommend": "get product suggestions",
      "product_options": "check a product's sizes, colours or stock", "profile": "see your account details",
      "out_of_scope": "ask about something other than this shop", "greeting": "ask about something else"}
ZH = {"list_orders": "查看订单到哪了", "order_details": "查看某个订单的详情", "cancel_order": "取消订单",
      "return_items": "退货", "change_address": "修改收货地址", "refund_status": "查询退款", "handoff": "转人工客服",
      "policy": "了解本店的政策（配送、退货、付款）", "recommend": "获取商品推荐", "product_options": "查询商品的尺码、颜色或库存",
      "profile": "查看账户资料", "out_of_scope": "咨询与本店无关的事", "greeting": "问别的事情"}
OUT_OF_SCOPE = {"en": "That's outside what I can help with here, so I'd rather not guess. I can answer questions "
                      "about this shop's products and policies, and help with your orders, deliveries, returns and "
                      "refunds; for anything else, please contact the company concerned.",
                "zh": "这不在本店客服的范围内，我在帮助中心里也没有找到相关内容，所以不想随便猜测。我可以解答本店商品和政策的问题，"
                      "并处理您的订单、配送、退货和退款；其他事情请联系相关的公司或机构。"}


def question(alternatives: list[tuple[str, float]], lang: str = "en") -> str:
    names = ZH if lang == "zh" else EN
    options = list(dict.fromkeys(names.get(i, names["greeting"]) for i, _ in alternatives[:2])) or [names["policy"]]
    if lang == "zh":
        return "请问您是想" + "，还是想".join(options) + "？"
    return "Do you want to " + " or ".join(options) + "?"
