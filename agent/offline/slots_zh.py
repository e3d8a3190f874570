"""Chinese slot extraction: customer ids, zip codes, names (pinyin or Chinese characters), amounts, dates and
delivery addresses in Chinese sentences. `extract_into` adds to the slots the language-neutral extractor found."""

from __future__ import annotations

import re
from typing import Any

from agent.language import CJK
from shop.names import split_han

UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
POSTCODE = re.compile(r"(?:邮编|邮政编码|邮递区号|zip|postcode)\s*(?:是|为|:|：)?\s*(" + UK_POSTCODE + r"|\d{6}|\d{5})(?!\d)",
                      re.I)
CUSTOMER = re.compile(r"(?:客户|顾客|用户|会员)\s*(?:编号|ID|id|号码|号)?\s*[:：#]?\s*(\d{5})(?!\d)")
PINYIN_NAME = re.compile(r"(?:我叫|我的名字是|我的名字叫|名字[:：是]|姓名[:：是]?|我是)\s*([A-Z][a-z]+)\s+([A-Z][a-z]+)")
HAN_NAME = re.compile(r"(?:我叫|我的名字是|我的名字叫|姓名[:：]?|收件人[:：]?|我是)\s*([\u4e00-\u9fff]{2,4}?)"
                      r"(?=[，,。.！!\s]|$|，|的|邮编|邮箱|电话|$)")
AMOUNT = re.compile(r"(?:(¥|￥|£|\$|€)\s*(\d+(?:\.\d{1,2})?))|(?<![\d.])(\d{1,12}(?:\.\d{1,2})?)\s*(元|块钱|块|人民币|英镑|镑|美元|欧元)")
CURRENCY = {"¥": "CNY", "￥": "CNY", "元": "CNY", "块": "CNY", "块钱": "CNY", "人民币": "CNY", "£": "GBP",
            "英镑": "GBP", "镑": "GBP", "$": "USD", "美元": "USD", "€": "EUR", "欧元": "EUR"}
DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
ADDRESS_VERB = re.compile(r"(?:地址)?(?:改成|改为|改到|换成|换到|更改为|修改为|变更为|更新为|寄到|送到|发到|改寄到?)\s*[:：]?\s*"
                          r"(?:新地址(?:是|为)?[:：]?\s*)?(.+)$")
EN_ADDRESS = re.compile(r"^(\d{1,6}[A-Za-z0-9 .'-]{1,80}?),\s*([A-Za-z .'-]{1,60}?)[, ]+(" + UK_POSTCODE + r"|\d{5})"
                        r"(?:,\s*([A-Za-z .]+))?\s*[.!。！]?$", re.I)
ZH_CITY = re.compile(r"^(?:(?P<province>[\u4e00-\u9fff]{2,3}(?:省|自治区)))?(?P<city>[\u4e00-\u9fff]{2,4}?市)"
                     r"(?P<rest>.+)$")
MUNICIPALITIES = ("北京", "上海", "天津", "重庆", "香港", "澳门")


def without_postcodes(text: str) -> str:
    """The text with '邮编 200120'-style postcodes blanked, so six-digit postcodes are not read as invoice numbers."""
    return POSTCODE.sub(lambda m: " " * len(m.group(0)), text) if CJK.search(text) else text


def han_name(text: str) -> dict[str, str] | None:
    m = HAN_NAME.search(text)
    parts = split_han(m.group(1)) if m else None
    return {"surname": parts[0], "given": parts[1], "full": m.group(1)} if m and parts else None


def address(text: str) -> dict[str, str] | None:
    """A new delivery address after '改成/寄到/...': a Chinese one (province, city, street, 邮编) or a UK/US one."""
    m = ADDRESS_VERB.search(text.strip())
    if not m:
        return None
    rest = m.group(1).strip().rstrip("。.!！")
    if en := EN_ADDRESS.match(rest):
        return {"address1": en.group(1).strip(), "city": en.group(2).strip(), "zip": en.group(3).upper(),
                "country": (en.group(4) or "United Kingdom").strip()}
    z = POSTCODE.search(rest) or re.search(r"(?<!\d)(\d{6})(?!\d)\s*$", rest)
    if not z:
        return None
    street = (rest[:z.start()] + rest[z.end():]).strip(" ，,。;；")
    c = ZH_CITY.match(street)
    if c:
        city, address1, province = c.group("city"), c.group("rest").strip(" ，,"), c.group("province") or ""
    elif muni := next((x for x in MUNICIPALITIES if street.startswith(x)), None):
        city, address1, province = muni + "市", street[len(muni):].strip(" ，,"), ""
    else:
        return None
    if not address1 or not CJK.search(address1 + city):
        return None
    return {"address1": address1, "address2": province, "city": city, "zip": z.group(1).upper(), "country": "中国"}


def extract_into(slots: dict[str, Any], text: str) -> None:
    if "customer_id" not in slots and (m := CUSTOMER.search(text)):
        slots["customer_id"] = m.group(1)
    if "zip" not in slots and (m := POSTCODE.search(text)):
        slots["zip"] = m.group(1).upper()
    if "first_name" not in slots and (m := PINYIN_NAME.search(text)):
        # Chinese order is surname first; verify_identity also tries the other order
        slots["last_name"], slots["first_name"] = m.group(1), m.group(2)
    if name := han_name(text):
        slots["name_zh"] = name
        if "first_name" not in slots:   # verify_identity matches a name in characters against pinyin too
            slots["last_name"], slots["first_name"] = name["surname"], name["given"]
    if m := AMOUNT.search(text):
        cur, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        slots["amount"] = {"value": float(value), "currency": CURRENCY[cur]}
    if m := DATE.search(text):
        slots["date"] = (f"{int(m.group(1)):04d}-" if m.group(1) else "") + f"{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if "address" not in slots and (a := address(text)):
        slots["address"] = a
