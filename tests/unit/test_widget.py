"""The support widget's pure parts: the conversation cookie (sign, verify, bind to an identity), the language
choice, the labels table and the one-line embed snippet."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from core.config import Settings

SECRET = "unit-widget-secret"


@pytest.fixture()
def settings(tmp_path: object) -> Settings:
    from ui.widget_session import with_session_secret

    return with_session_secret(Settings(data_dir=tmp_path, widget_secret=SECRET))


def test_a_minted_cookie_reads_back_and_belongs_only_to_its_identity(settings: Settings) -> None:
    from ui.widget_session import belongs_to, mint, read

    session, value = mint(settings, "16985")
    assert read(settings, value) == session and session.customer_id == "16985"
    assert session.thread.startswith("16985-") and re.fullmatch(r"[A-Za-z0-9_.=-]+", value)   # no quoting
    assert belongs_to(session, "16985")
    assert not belongs_to(session, "15854") and not belongs_to(session, None)
    anon, anon_value = mint(settings, None)
    assert read(settings, anon_value) == anon and anon.who.startswith("a:") and anon.thread.startswith("anon-")
    assert belongs_to(anon, None) and not belongs_to(anon, "16985")
    assert mint(settings, None)[0].who != anon.who                 # each anonymous visitor is a new one


def test_a_tampered_forged_or_expired_cookie_is_refused(settings: Settings) -> None:
    import base64
    import json

    from ui.widget_session import mint, read

    _, value = mint(settings, "16985", now=time.time())
    body, mac = value.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"who": "c:15854", "thread": "15854-x", "exp": 4102444800})
                                      .encode()).decode().rstrip("=")
    assert read(settings, f"{forged}.{mac}") is None                               # another body, same MAC
    assert read(settings, f"{body}.{'0' * 64}") is None
    assert read(settings, body) is None and read(settings, "") is None and read(settings, None) is None
    assert read(settings, "x" * 5000) is None and read(settings, "%%%.&&&") is None
    other = settings.model_copy(update={"session_secret": None, "widget_secret": None})
    from ui.widget_session import with_session_secret

    assert read(with_session_secret(other), value) is None                         # another app's key
    _, old = mint(settings, "16985", now=time.time() - settings.widget_session_days * 86400 - 1)
    assert read(settings, old) is None                                             # expired


def test_the_session_key_is_derived_from_the_widget_secret_or_random(tmp_path: object) -> None:
    from ui.widget_session import with_session_secret

    a = with_session_secret(Settings(data_dir=tmp_path, widget_secret=SECRET)).session_secret
    b = with_session_secret(Settings(data_dir=tmp_path, widget_secret=SECRET)).session_secret
    assert a and b and a.get_secret_value() == b.get_secret_value() != SECRET      # stable across restarts
    r1 = with_session_secret(Settings(data_dir=tmp_path)).session_secret
    r2 = with_session_secret(Settings(data_dir=tmp_path)).session_secret
    assert r1 and r2 and r1.get_secret_value() != r2.get_secret_value()
    own = with_session_secret(Settings(data_dir=tmp_path, session_secret="mine")).session_secret
    assert own and own.get_secret_value() == "mine"


@pytest.mark.parametrize(("param", "preferred", "accept", "lang"), [
    ("zh", "en", "en-GB", "zh"),                     # the page's lang first
    (None, "zh", "en-GB,en;q=0.9", "zh"),            # then the customer's preferred language
    ("fr", "zh", None, "zh"),                        # an unsupported lang is ignored
    (None, None, "fr-FR,zh-CN;q=0.8,en;q=0.5", "zh"),
    (None, None, "zh;q=0.2,en;q=0.9", "en"),         # q-values honoured
    (None, None, "zh-TW;q=0", "en"),
    (None, None, "garbage;;q=x,,", "en"),
    (None, None, None, "en"),
])
def test_the_language_is_chosen_by_param_then_profile_then_browser(param: str | None, preferred: str | None,
                                                                  accept: str | None, lang: str) -> None:
    from ui.widget_labels import choose

    assert choose(param, preferred, accept) == lang


def test_every_language_has_every_label_and_as_many_suggestions() -> None:
    from core.catalogue import catalogue
    from ui.widget_labels import chips, labels, languages

    assert set(languages()) >= {"en", "zh"}
    for lang in languages():
        own = catalogue(lang, "widget", "ui")
        assert {k for k in own if own.own(k) is not None} == set(catalogue("en", "widget", "ui")), lang  # no fallback
        assert len(chips(lang)) == len(chips("en")), lang
        assert "{name}" in labels(lang)["signed_in"]
    assert all(re.search(r"[\u4e00-\u9fff]", v) for k, v in labels("zh").items() if k not in ("confirm", "decline"))
    assert labels("xx") == labels("en") and chips("xx") == chips("en")   # a language the widget lacks: English


def test_a_language_added_as_files_labels_the_widget(tmp_path: Any) -> None:
    """A third language for the widget is one TOML file; what it leaves out comes from English."""
    from core.catalogue import add_root, remove_root
    from ui.widget_labels import choose, labels

    (tmp_path / "ui" / "fr").mkdir(parents=True)
    (tmp_path / "ui" / "fr" / "widget.toml").write_text('send = "Envoyer"\nplaceholder = "Votre question…"\n',
                                                        encoding="utf-8")
    add_root(tmp_path)
    try:
        assert choose(None, None, "fr-FR,fr;q=0.9,en;q=0.5") == "fr"
        fr = labels("fr")
        assert (fr["send"], fr["placeholder"], fr["orders"]) == ("Envoyer", "Votre question…", "My orders")
    finally:
        remove_root(tmp_path)
    assert choose(None, None, "fr-FR") == "en"


def test_the_embed_snippet_is_one_signed_script_tag_without_the_secret(settings: Settings) -> None:
    from ui.identity import verified_customer
    from ui.widget_embed import snippet

    tag = snippet(settings, "https://support.example.com/", "16985", "zh", lifetime_s=600)
    assert "\n" not in tag and tag.startswith('<script src="https://support.example.com/widget.js" ')
    assert tag.endswith(" async></script>") and SECRET not in tag
    attrs = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', tag))
    params = {"customer_id": attrs["data-customer"], "exp": attrs["data-expires"], "sig": attrs["data-signature"]}
    assert verified_customer(settings, params) == "16985" and attrs["data-lang"] == "zh"
    assert verified_customer(settings, {**params, "customer_id": "15854"}) is None
    anonymous = snippet(settings)
    assert anonymous == '<script src="/widget.js" async></script>'
    assert "&quot;" in snippet(settings, "", None, 'zh" onload="x')             # attributes are escaped
    with pytest.raises(ValueError, match="RETAIN_WIDGET_SECRET"):
        snippet(settings.model_copy(update={"widget_secret": None}), "", "16985")



def test_a_chat_verification_survives_a_reload_only_while_the_conversation_is_fresh(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """An anonymous visitor who verified in the chat is still signed in after a reload within
    widget_verified_minutes of their last message; later (the next person at a shared computer) the conversation
    reopens signed out and its Assistant, which held the verification, is dropped."""
    import datetime as dt

    import ui.conversations
    from ui.context import AppContext
    from ui.widget import reopened
    from ui.widget_session import COOKIE, mint

    class Verified:   # the conversation's Assistant after the shopper verified in the chat
        session = type("S", (), {"principal": type("P", (), {"customer_id": "15854"})()})()

    ctx = AppContext(settings)
    session, cookie = mint(settings, None)
    key = f"assistant:shopper:None:{session.thread}"
    request = type("Req", (), {"cookies": {COOKIE: cookie}})()
    now = dt.datetime.now(dt.UTC)
    for idle, expected in ((10, "15854"), (settings.widget_verified_minutes + 1, None)):
        ctx.cache[key] = Verified()
        monkeypatch.setattr(ui.conversations, "last_active", lambda _ctx, _t, i=idle: now - dt.timedelta(minutes=i))
        found = reopened(ctx, request, None)
        assert found is not None and found["thread"] == session.thread and found["actor"] is None
        assert found["customer_id"] == expected, idle
        assert (key in ctx.cache) == (expected is not None)
