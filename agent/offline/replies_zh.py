"""Chinese direct replies of the offline planner (no tool needed, or a slot is missing), and the product words a
Chinese question names, in the catalogue's English (the catalogue is English-only)."""

from __future__ import annotations

import re

ASK_IDENTITY = "验证身份后我就可以帮您处理：请告诉我您账户的邮箱地址以及邮编或任一订单号，或您的全名和邮编。"
ASK_ADDRESS = "订单 {order} 要改寄到哪个新地址？请提供完整地址和邮编，例如：“改成上海市浦东新区世纪大道100号，邮编200120”。"
DIRECT = {
    "greeting": "您好！我可以解答本店政策和商品的问题，查询您的订单，并帮您办理取消、退货和修改地址。请问有什么可以帮您？",
    "injection": "我不能改变我的工作方式，也不能透露其他客户的信息，但很乐意帮您处理您自己的订单，或解答关于本店的问题。",
    "abusive": "很抱歉让您不满意。我在这里帮您：请告诉我出了什么问题，或者我可以为您转接人工客服。",
    "other_customer": "为了保护隐私，我只能帮您处理您本人的账户和订单。",
    "campaign": "挽回营销活动在营销工作台中规划、起草、校验和审批。",
}
LANGUAGE_NOTED = {"zh": "好的，我会用中文回复您。登录后我还可以把中文记为您的首选语言。",
                  "en": "OK, I'll answer in English. Once you're signed in I can also save English as your preferred "
                        "language."}

GLOSSARY = {"T恤": "t-shirt", "体恤": "t-shirt", "衬衫": "shirt", "夹克": "jacket", "抓绒": "fleece", "外套": "jacket",
            "运动鞋": "sneakers", "跑鞋": "running shoes", "登山靴": "hiking boots", "鞋": "shoes", "水壶": "water bottle",
            "水瓶": "water bottle", "电水壶": "electric kettle", "烧水壶": "kettle", "背包": "backpack", "双肩包": "backpack",
            "耳机": "headphones", "无线耳机": "wireless earbuds", "蓝牙音箱": "bluetooth speaker", "音箱": "speaker",
            "手表": "watch", "智能手表": "smart watch", "太阳镜": "sunglasses", "墨镜": "sunglasses", "瑜伽垫": "yoga mat",
            "笔记本电脑": "laptop", "电脑": "laptop", "平板": "tablet", "手机": "smartphone", "咖啡机": "coffee maker",
            "意式咖啡机": "espresso machine", "台灯": "desk lamp", "办公椅": "office chair", "自行车": "bicycle",
            "头盔": "helmet", "相机": "camera", "键盘": "keyboard", "鼠标": "mouse", "行李箱": "luggage", "拼图": "puzzle",
            "香水": "perfume", "吸尘器": "vacuum cleaner", "电动牙刷": "electric toothbrush", "空气净化器": "air purifier",
            "书架": "bookshelf", "笔记本": "notebook", "挂钟": "wall clock", "宠物床": "pet bed", "滑板": "skateboard"}
_GLOSSARY = re.compile("|".join(sorted(map(re.escape, GLOSSARY), key=len, reverse=True)))


def product_words(text: str) -> str:
    """The product a question names: English words as they are, known Chinese product words in English."""
    found = [GLOSSARY[m.group(0)] for m in _GLOSSARY.finditer(text)]
    return " ".join([_GLOSSARY.sub(" ", text), *found]) if found else text
