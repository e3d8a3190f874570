"""Chinese homophone correction: a wrongly picked character of the same sound becomes the corpus word."""

from __future__ import annotations

import pytest

from vectorstore.homophones import HomophoneSpeller, sound

CORPUS = ["您的包裹寄出后，可以在订单页面查看物流。退货请在30天内申请，运费由我们承担。",
          "忘记密码？请在登录页面点击重置密码。如需帮助，请联系客服。"]


@pytest.fixture(scope="module")
def speller() -> HomophoneSpeller:
    return HomophoneSpeller(CORPUS, terms=["保修"])


def test_sound_is_toneless_pinyin() -> None:
    assert sound("包裹") == sound("包果") == "bao guo"


def test_misheard_words_become_corpus_words(speller: HomophoneSpeller) -> None:
    assert speller.correct("我的包果到哪了") == "我的包裹到哪了"
    assert speller.correct("推货要几天之内") == "退货要几天之内"
    assert speller.correct("忘了密马怎么办") == "忘了密码怎么办"
    assert speller.correct("保休期是多久") == "保修期是多久"          # a glossary term is a target too


def test_sound_alike_common_words_and_english_stay(speller: HomophoneSpeller) -> None:
    assert speller.correct("今天天气怎么样") == "今天天气怎么样"
    assert speller.correct("我想退货") == "我想退货"
    assert speller.correct("where is my parcel") == "where is my parcel"
