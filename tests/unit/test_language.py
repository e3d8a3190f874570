"""Language handling: detection per message, the reply language, explicit switch requests, and the shopper's
preferred language kept on their own record through the audited set_language tool."""

import pytest

from agent.language import detect, dominant, preferred_from, reply_language, requested


@pytest.mark.parametrize("text,kind", [
    ("我的订单到哪了？", "zh"),
    ("where is my order?", "en"),
    ("我的order W9000003 status 是什么？", "mixed"),
    ("#W9000003", "neutral"),
    ("yes", "neutral"),
    ("wang.fang@example.com", "neutral"),
    ("订单W9000003到了吗", "zh"),  # ids inside Chinese text are not English words
])
def test_detect(text: str, kind: str) -> None:
    assert detect(text) == kind


def test_mixed_message_takes_the_language_most_of_it_is_in() -> None:
    assert dominant("我的order到哪里了？") == "zh"
    assert dominant("Where is my 订单 please, I ordered it last week?") == "en"
    assert dominant("581001") is None


def test_reply_language_falls_back_to_the_conversation_then_the_preference() -> None:
    assert reply_language("where is my order?", [], "zh") == "en"  # the message's own language wins
    assert reply_language("#W9000003", ["我的订单呢"], "en") == "zh"  # neutral: the conversation's language
    assert reply_language("yes", [], "zh") == "zh"  # nothing said yet: the stored preference
    assert reply_language("yes", [], None) == "en"
    assert reply_language("ok", ["以后请用英文回复"], "zh") == "en"  # an explicit request counts


@pytest.mark.parametrize("text,lang", [
    ("以后请用中文回复我", "zh"), ("请用英文回答", "en"), ("please answer in Chinese", "zh"),
    ("can you switch to English?", "en"), ("我的订单到哪了", None), ("is the t-shirt available in blue", None),
])
def test_requested(text: str, lang: str | None) -> None:
    assert requested(text) == lang


def test_preferred_from_prompt_and_sign_in() -> None:
    assert preferred_from("ROLE: shopper\nPREFERRED_LANGUAGE: zh") == "zh"
    auth = '{"kind": "auth", "ok": true, "message": "Thanks", "language": "en"}'
    assert preferred_from("PREFERRED_LANGUAGE: zh", [auth]) == "en"
    assert preferred_from("ROLE: staff") is None


def _shopper(store, customer_id: str | None):  # type: ignore[no-untyped-def]
    from core.config import Settings
    from core.session import Principal, Session

    store.execute("INSERT INTO customers (customer_id, source, first_name) VALUES ('1', 'demo', 'A'), "
                  "('2', 'demo', 'B')")
    return Session(Settings(), store, Principal("shopper", customer_id))


def test_set_language_writes_only_the_principals_record_and_audits(store) -> None:  # type: ignore[no-untyped-def]
    from tools import call

    s = _shopper(store, "1")
    out = call(s, "set_language", {"language": "zh"})
    assert out == {"kind": "language", "language": "zh", "changed": True}
    langs = dict(store.execute("SELECT customer_id, preferred_language FROM customers").fetchall())
    assert langs == {"1": "zh", "2": "en"}
    audits = [r[0] for r in store.execute("SELECT action FROM audit_log WHERE actor_id = '1' ORDER BY 1").fetchall()]
    assert audits == ["tool:set_language", "write:set_language"]
    assert call(s, "set_language", {"language": "zh"})["changed"] is False  # no second write


def test_set_language_refuses_bad_input_and_anonymous_visitors(store) -> None:  # type: ignore[no-untyped-def]
    from tools import call

    assert call(_shopper(store, "1"), "set_language", {"language": "fr"})["kind"] == "error"
    store.execute("DELETE FROM customers")
    anon = call(_shopper(store, None), "set_language", {"language": "zh"})
    assert anon["kind"] == "error" and "verify" in anon["message"]
    assert store.execute("SELECT count(*) FROM customers WHERE preferred_language = 'zh'").fetchone()[0] == 0


def test_shopper_prompt_names_the_preferred_language() -> None:
    from core.config import Settings
    from prompts.system import system_prompt

    p = system_prompt("shopper", signed_in=True, shop_name="S", policy=Settings().policy, language="zh")
    assert "PREFERRED_LANGUAGE: zh" in p and "(Chinese)" in p
    assert "PREFERRED_LANGUAGE: en" in system_prompt("shopper", signed_in=False, shop_name="S",
                                                     policy=Settings().policy)
