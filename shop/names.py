"""Customers' names as a shopper may give them: in either order, and for Chinese names in Chinese characters as
well as in the pinyin the store usually holds ("我叫王芳" must find Fang Wang).

`candidates` lists the (first, last) pairs worth looking up; identity is still checked against the postcode, so a
wider list of readings never lets a wrong person in, it only stops the right one being turned away."""

from __future__ import annotations

import itertools

from core.language import has_han

# common single-character surnames and the compound ones, for names written in Chinese characters
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
               "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯")
# surnames read differently from the same character in ordinary words (单 is Shan, not dan; 曾 Zeng, not ceng)
SURNAME_READINGS = {"单": "shan", "曾": "zeng", "仇": "qiu", "解": "xie", "区": "ou", "查": "zha", "朴": "piao",
                    "盖": "ge", "乐": "yue", "华": "hua", "任": "ren", "覃": "qin", "缪": "miao", "翟": "zhai",
                    "员": "yun", "黑": "he", "种": "chong", "秘": "bi", "召": "shao", "尉迟": "yuchi", "万俟": "moqi",
                    "长孙": "zhangsun", "单于": "chanyu", "澹台": "tantai", "冼": "xian", "洗": "xian", "柏": "bai",
                    "薄": "bo", "繁": "po", "宿": "su", "折": "she"}
MAX_READINGS = 8


def split_han(full: str) -> tuple[str, str] | None:
    """A full name in Chinese characters as (surname, given name), surname first: 欧阳娜娜 -> (欧阳, 娜娜).
    None when it does not start with a known surname or has no given name."""
    surname = next((c for c in COMPOUND if full.startswith(c)), full[:1])
    if surname not in SURNAMES and surname not in COMPOUND or len(full) <= len(surname):
        return None
    return surname, full[len(surname):]


def readings(han: str, surname: bool = False) -> list[str]:
    """Pinyin spellings of a name part, capitalised and without tones (娜娜 -> Nana); several where a character
    has several readings, at most MAX_READINGS."""
    from pypinyin import Style, pinyin

    if surname and han in SURNAME_READINGS:
        return [SURNAME_READINGS[han].capitalize()]
    per_char = pinyin(han, style=Style.NORMAL, heteronym=True, errors="ignore")   # most common reading first
    spellings = ("".join(p).capitalize() for p in itertools.product(*per_char))
    return list(dict.fromkeys(itertools.islice(spellings, MAX_READINGS)))


def candidates(first: str, last: str) -> list[tuple[str, str]]:
    """(first, last) pairs to look a shopper's name up by: as given, swapped (a Chinese name comes surname first),
    and, for a name in Chinese characters, its pinyin readings; a whole Chinese name in one field is split."""
    first, last = first.strip(), last.strip()
    pairs = [(first, last), (last, first)]
    if first and last:
        parts = [(first, last), (last, first)]
    else:
        whole = split_han(first or last)
        parts = [(whole[1], whole[0])] if whole else []
    for given, sur in parts:
        if has_han(given) and has_han(sur):
            pairs += [(g, s) for s in readings(sur, surname=True) for g in readings(given)]
    return [p for p in dict.fromkeys(pairs) if all(p)]
