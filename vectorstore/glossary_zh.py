"""A Chinese -> English glossary of the shop's own vocabulary, so BM25 can match a Chinese question against
English-only documents (the help-centre articles without a Chinese version, and the product pages).

It is built from the corpus, not from questions: every product name and option value in the catalogue
(shop/demo_data/tau_products.json.gz) and the key terms of every English help-centre article (titles,
headings, the nouns the articles are about). A Chinese term found in a question adds its English words to the
question's BM25 tokens (see `expand`); dense retrieval needs no glossary (the multilingual embedder).
"""

from __future__ import annotations

# Help-centre terms (article titles, headings, policy nouns).
HELP = {
    "退货": "return", "退回": "return", "寄回": "send back return", "退款": "refund", "退钱": "refund",
    "换货": "exchange", "更换": "exchange replace", "运费": "delivery shipping cost", "邮费": "postage delivery",
    "包邮": "free delivery", "免运费": "free delivery", "快递": "courier delivery", "配送": "delivery",
    "发货": "dispatch", "物流": "tracking courier", "跟踪": "tracking", "单号": "tracking number",
    "包裹": "parcel", "丢失": "lost", "延误": "late", "损坏": "damaged", "破损": "damaged broken",
    "取消": "cancel", "修改": "change modify", "地址": "address", "付款": "payment pay", "支付": "payment pay",
    "扣款": "charged", "信用卡": "credit card", "借记卡": "debit card", "分期": "instalment",
    "账户": "account", "账号": "account", "密码": "password", "登录": "sign-in login", "隐私": "privacy",
    "个人数据": "personal data", "注销": "delete account", "客服": "customer service", "人工": "human",
    "保修": "warranty", "质保": "warranty", "故障": "faulty fault", "坏了": "faulty broken", "维修": "repair",
    "海关": "customs", "关税": "customs duties import", "进口税": "import duties tax", "税": "tax vat",
    "增值税": "vat", "发票": "invoice", "收据": "receipt", "税号": "vat number", "含税": "include vat",
    "积分": "points loyalty", "会员": "loyalty member tier", "等级": "tier", "金卡": "gold", "银卡": "silver",
    "铜卡": "bronze", "过期": "expire", "失效": "expire", "兑换": "redeem", "抵扣": "redeem",
    "优惠券": "coupon code discount", "优惠码": "discount code coupon", "折扣码": "discount code",
    "折扣": "discount", "打折": "sale discount", "促销": "promotion sale", "降价": "price drop",
    "差价": "difference price", "比价": "price match", "价格保护": "price drop", "赠品": "free gift",
    "礼品卡": "gift card", "余额": "balance", "现金": "cash", "电子礼品卡": "digital gift card",
    "订阅": "newsletter subscribe", "退订": "unsubscribe", "新闻邮件": "newsletter", "营销邮件": "marketing email",
    "邮件": "email", "尺码": "size", "尺寸": "size", "码数": "size", "英码": "uk size", "鞋码": "shoe size",
    "偏大": "size larger", "偏小": "size", "礼品包装": "gift wrap", "包装": "packaging wrap",
    "礼物": "gift", "贺卡": "gift message", "留言": "message", "保养": "care", "清洗": "wash care",
    "水垢": "descale", "除垢": "descale", "召回": "recall", "安全": "safety", "环保": "sustainability recycled",
    "回收": "recycling recycled", "塑料": "plastic", "批发": "wholesale trade", "批量": "bulk",
    "大宗": "bulk wholesale", "企业": "business", "公司": "company business", "cookie": "cookies",
    "追踪": "tracking cookies", "投诉": "complaint complain", "升级投诉": "escalate escalation",
    "补偿": "compensation", "赔偿": "compensation", "缺货": "out of stock", "补货": "restock back in stock",
    "到货通知": "notify back in stock", "预订": "pre-order", "预售": "pre-order", "库存": "stock",
    "上架": "stock", "答复": "reply", "回复": "reply",
}

# Catalogue terms: product names and option values (colours, materials, sizes, features).
PRODUCTS = {
    "T恤": "t-shirt", "短袖": "t-shirt", "笔记本电脑": "laptop", "手提电脑": "laptop", "跑鞋": "running shoes",
    "跑步鞋": "running shoes", "智能手机": "smartphone", "手机": "smartphone", "背包": "backpack",
    "双肩包": "backpack", "咖啡机": "coffee maker", "意式咖啡机": "espresso machine", "水杯": "water bottle",
    "水壶": "water bottle kettle", "台灯": "desk lamp", "笔记本": "notebook", "本子": "notebook",
    "太阳镜": "sunglasses", "墨镜": "sunglasses", "手表": "wristwatch watch", "电动牙刷": "electric toothbrush",
    "瑜伽垫": "yoga mat", "蓝牙音箱": "bluetooth speaker", "音箱": "speaker", "游戏鼠标": "gaming mouse",
    "鼠标": "mouse", "运动相机": "action camera", "水管": "garden hose", "浇花": "garden hose",
    "登山靴": "hiking boots", "登山鞋": "hiking boots", "平板电脑": "tablet", "平板": "tablet",
    "电子书阅读器": "e-reader", "阅读器": "e-reader", "充电宝": "portable charger", "移动电源": "portable charger",
    "监控摄像头": "indoor security camera", "摄像头": "security camera", "电热水壶": "electric kettle",
    "烧水壶": "kettle", "机械键盘": "mechanical keyboard", "键盘": "keyboard", "无线耳机": "wireless earbuds",
    "蓝牙耳机": "wireless earbuds", "耳机": "headphones earbuds", "恒温器": "smart thermostat",
    "温控器": "thermostat", "抓绒外套": "fleece jacket", "抓绒": "fleece", "外套": "jacket", "夹克": "jacket",
    "挂钟": "wall clock", "钟": "clock", "哑铃": "dumbbell set", "宠物床": "pet bed", "狗窝": "pet bed",
    "猫窝": "pet bed", "头盔": "cycling helmet", "骑行头盔": "cycling helmet", "灯泡": "led light bulb",
    "数码相机": "digital camera", "相机": "camera", "书架": "bookshelf", "自行车": "bicycle",
    "单车": "bicycle", "运动鞋": "sneakers", "球鞋": "sneakers", "办公椅": "office chair", "椅子": "chair",
    "智能手表": "smart watch", "茶壶": "tea kettle", "行李箱": "luggage set", "拉杆箱": "luggage",
    "遮阳伞": "patio umbrella", "伞": "umbrella", "空气净化器": "air purifier", "化妆品": "makeup kit",
    "彩妆": "makeup kit", "滑板": "skateboard", "拼图": "jigsaw puzzle", "烤架": "grill", "烧烤炉": "grill",
    "头戴式耳机": "headphones over-ear", "吸尘器": "vacuum cleaner", "扫地机器人": "robotic vacuum",
    "香水": "perfume",
    # option values
    "黑色": "black", "白色": "white", "红色": "red", "蓝色": "blue", "绿色": "green", "黄色": "yellow",
    "紫色": "purple", "粉色": "pink", "灰色": "grey gray", "银色": "silver", "金色": "gold",
    "玫瑰金": "rose gold", "棕色": "brown", "米色": "beige", "藏青": "navy", "深蓝": "navy",
    "不锈钢": "stainless steel", "玻璃": "glass", "陶瓷": "ceramic", "皮革": "leather", "真皮": "leather",
    "棉": "cotton", "涤纶": "polyester", "尼龙": "nylon", "网面": "mesh", "橡胶": "rubber", "木": "wood",
    "金属": "metal", "硅胶": "silicone", "防水": "waterproof water resistance", "无线": "wireless",
    "有线": "wired", "充电": "rechargeable", "电池": "battery", "续航": "battery life", "容量": "capacity",
    "存储": "storage", "内存": "ram storage", "屏幕": "screen size", "分辨率": "resolution", "厚度": "thickness",
    "毫米": "mm thickness", "轴": "switch type", "背光": "backlight", "滤网": "filter", "颜色": "color",
    "材质": "material", "价格": "price", "多少钱": "price", "有货": "in stock", "升": "liter",
    "偏光": "polarized", "扶手": "armrest", "可调节": "adjustable", "片": "pieces", "件套": "piece",
    "寸": "inch", "码": "size",
}

GLOSSARY: dict[str, str] = {**HELP, **PRODUCTS}
_KEYS = sorted(GLOSSARY, key=len, reverse=True)


def expand(query: str) -> list[str]:
    """English BM25 tokens for the glossary terms in a Chinese question (longest terms first; a term inside a
    longer matched term is skipped, so 蓝牙耳机 adds "wireless earbuds" but not also 耳机's words)."""
    from vectorstore.lexical import tokenize

    taken = [False] * len(query)
    words: list[str] = []
    for key in _KEYS:
        start = query.find(key)
        while start >= 0:
            span = range(start, start + len(key))
            if not any(taken[j] for j in span):
                for j in span:
                    taken[j] = True
                words.append(GLOSSARY[key])
            start = query.find(key, start + 1)
    out: list[str] = []
    for w in words:
        for t in tokenize(w):
            if t not in out:
                out.append(t)
    return out
