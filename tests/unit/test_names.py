"""Names as shoppers give them: either order, Chinese characters matched against the store's pinyin."""

from __future__ import annotations

from shop.names import candidates, readings, split_han


def test_split_han_knows_single_and_compound_surnames() -> None:
    assert split_han("王芳") == ("王", "芳")
    assert split_han("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_han("王") is None                 # a surname alone is not a name
    assert split_han("你好") is None               # not a known surname


def test_readings_spell_names_as_the_store_holds_them() -> None:
    assert readings("芳") == ["Fang"]
    assert readings("娜娜")[0] == "Nana"
    assert readings("单", surname=True) == ["Shan"]        # the surname reading, not dan
    assert readings("曾", surname=True) == ["Zeng"]        # not ceng
    assert readings("欧阳", surname=True)[0] == "Ouyang"
    assert len(readings("行行行行")) <= 8                   # many-reading names stay bounded


def test_candidates_cover_order_and_script() -> None:
    assert candidates("Fang", "Wang") == [("Fang", "Wang"), ("Wang", "Fang")]
    han = candidates("芳", "王")            # given name, surname (as the Chinese slot extractor fills them)
    assert ("芳", "王") in han and ("Fang", "Wang") in han
    assert ("Fang", "Wang") in candidates("", "王芳")       # a whole name in one field is split
    assert candidates("", "") == []

