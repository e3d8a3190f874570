"""Issue 18.1: who the shopper is comes from the server only (a signed identity or a verification the shopper
completed with two factors they typed), never from a public endpoint or the model's arguments; attempts are limited
per conversation and per account."""

from __future__ import annotations

import contextlib
from typing import Any

from tests.security.web.conftest import last_text

OLIVIA = {"email": "olivia.bennett@example.com", "zip": "L1 3NN", "order_id": "#W9000001"}


def _session(settings: Any, typed: list[str]) -> Any:
    from core.session import Principal, Session
    from shop.db import connect

    s = Session(settings, connect(settings.db_path), Principal("shopper"), "t")
    s.facts["typed"] = list(typed)
    return s


def _verify(session: Any, **args: str) -> dict[str, Any]:
    from tools import call

    return call(session, "verify_identity", args)


def test_pick_customer_is_no_public_endpoint(shop: Any, serve: Any) -> None:
    """gradio_client predict('16985', api_name='/pick_customer') then an order question stays anonymous."""
    from gradio_client import Client

    url = serve(shop.model_copy(update={"demo": True}))     # not even in demo mode
    client = Client(url + "/", verbose=False)
    with contextlib.suppress(Exception):
        client.predict("16985", api_name="/pick_customer")
    history = client.predict("Where is my order?", [], api_name="/ask")[0]
    text = last_text(history)
    assert "#W9000002" not in text and "verified" in text


def test_model_arguments_alone_never_sign_in(shop: Any) -> None:
    """The model (or an injected text) names an account's details the shopper never typed."""
    s = _session(shop, ["what is your return policy?"])
    out = _verify(s, email=OLIVIA["email"], zip=OLIVIA["zip"])
    assert not out["ok"] and s.principal.customer_id is None


def test_email_alone_does_not_verify(shop: Any) -> None:
    s = _session(shop, [f"my email is {OLIVIA['email']}"])
    out = _verify(s, email=OLIVIA["email"])
    assert not out["ok"] and out.get("need_more") and s.principal.customer_id is None
    assert "two details" in out["message"]


def test_two_typed_factors_verify(shop: Any) -> None:
    for typed, args in [
        (f"it's {OLIVIA['email']}, postcode l1 3nn", {"email": OLIVIA["email"], "zip": "l1 3nn"}),
        (f"{OLIVIA['email']} and order W9000001", {"email": OLIVIA["email"], "order_id": "#W9000001"}),
        ("I'm Olivia Bennett, postcode L1 3NN", {"first_name": "Olivia", "last_name": "Bennett", "zip": "L1 3NN"}),
    ]:
        s = _session(shop, [typed])
        assert _verify(s, **args)["ok"], typed
        assert s.principal.customer_id == "15854"


def test_factors_may_come_in_two_messages(shop: Any) -> None:
    s = _session(shop, [f"my email is {OLIVIA['email']}"])
    assert not _verify(s, email=OLIVIA["email"])["ok"]
    s.facts["typed"].append("postcode L1 3NN")
    assert _verify(s, zip="L1 3NN")["ok"] and s.principal.customer_id == "15854"


def test_wrong_second_factor_fails(shop: Any) -> None:
    s = _session(shop, [f"{OLIVIA['email']} postcode ZZ9 9ZZ, order #W9000002"])
    assert not _verify(s, email=OLIVIA["email"], zip="ZZ9 9ZZ")["ok"]
    assert not _verify(s, email=OLIVIA["email"], order_id="#W9000002")["ok"]   # Harry's order, not hers
    assert s.principal.customer_id is None


def test_attempts_are_limited_per_conversation(shop: Any) -> None:
    """31 failures, then the right details: still refused in this conversation."""
    typed = [f"me{i}@example.com postcode AB1 {i % 10}CD" for i in range(31)]
    s = _session(shop, [*typed, f"{OLIVIA['email']} postcode L1 3NN"])
    for i in range(31):
        _verify(s, email=f"me{i}@example.com", zip=f"AB1 {i % 10}CD")
    out = _verify(s, email=OLIVIA["email"], zip=OLIVIA["zip"])
    assert not out["ok"] and out.get("locked") and s.principal.customer_id is None
    assert shop.auth_max_failures_session < 31


def test_attempts_are_limited_per_account(shop: Any) -> None:
    """Guessing one account's postcode from fresh conversations locks that account for a while."""
    for i in range(shop.auth_max_failures_account):
        s = _session(shop, [f"{OLIVIA['email']} postcode XX{i} 1AA"])
        assert not _verify(s, email=OLIVIA["email"], zip=f"XX{i} 1AA")["ok"]
    s = _session(shop, [f"{OLIVIA['email']} postcode L1 3NN"])
    out = _verify(s, email=OLIVIA["email"], zip=OLIVIA["zip"])
    assert not out["ok"] and out.get("locked") and s.principal.customer_id is None
    other = _session(shop, ["harry.fletcher@example.org postcode BS1 9XN"])      # other accounts unaffected
    assert _verify(other, email="harry.fletcher@example.org", zip="BS1 9XN")["ok"]


def test_chat_verification_end_to_end(shop: Any) -> None:
    """The offline agent: email alone asks for more; the postcode then verifies and answers the order question."""
    from agent.runner import Assistant
    from core.session import Principal

    bot = Assistant(shop, Principal("shopper"), thread_id="sec-e2e")
    assert "verified" in bot.ask("where is my order?").text
    r = bot.ask(f"it's {OLIVIA['email']}")
    assert "two details" in r.text and bot.session.principal.customer_id is None
    r = bot.ask("my postcode is L1 3NN")
    assert bot.session.principal.customer_id == "15854", r.text
    assert "#W9000001" in r.text
