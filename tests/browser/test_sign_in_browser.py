"""Issue 14.4 in headless chromium: an anonymous visitor asks a policy question and verifies in the chat; a shop
page embedding the widget with a valid signature is signed in; a tampered signature is anonymous."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, WIDGET_SECRET

pytestmark = pytest.mark.browser


def _ask(frame: Any, text: str) -> None:
    from playwright.sync_api import expect

    frame.locator("#ask textarea").fill(text)
    frame.locator("#send").click()
    expect(frame.locator("#chat")).to_contain_text(text)


@pytest.mark.skipif(importlib.util.find_spec("vectorstore.build") is None, reason="no knowledge base in this build")
def test_anonymous_visitor_asks_policy_then_verifies_and_checks_an_order(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app_url + "/widget/", wait_until="domcontentloaded")
    me, chat = page.locator("#whoami"), page.locator("#chat")
    expect(me).to_contain_text("Not signed in")
    expect(page.locator("#customer")).to_have_count(0)          # no picker in the widget
    _ask(page, "How many days do I have to return something?")
    expect(chat).to_contain_text("sources", timeout=180_000)   # the first answer loads the retriever
    expect(chat).not_to_contain_text("pick who you are")
    _ask(page, "Where is my order?")
    expect(chat).to_contain_text("once you're verified")
    _ask(page, "my email is harry.fletcher@example.org")
    expect(chat).to_contain_text("two details")
    _ask(page, "postcode BS1 9XN")
    expect(chat).to_contain_text("you're verified")
    expect(chat).to_contain_text("#W9000002")
    expect(me).to_contain_text("Harry Fletcher")
    page.screenshot(path=str(ARTIFACTS / "widget_verified_in_chat.png"), full_page=True)


def test_shop_page_embedding_a_signed_widget_is_signed_in(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app_url + "/shop-demo/", wait_until="domcontentloaded")
    page.get_by_role("button", name="Open support chat").click()     # the one-line snippet's launcher
    widget = page.frame_locator("#retain-widget")
    expect(widget.locator("#whoami")).to_contain_text("Signed in as Harry Fletcher")
    _ask(widget, "Where is my order?")
    expect(widget.locator("#chat")).to_contain_text("#W9000002")
    page.screenshot(path=str(ARTIFACTS / "shop_demo_signed_widget.png"), full_page=True)


def test_a_tampered_signature_is_anonymous(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    from ui.identity import sign

    good = sign(WIDGET_SECRET.encode(), "16985")
    tampered = ("0" if good[0] != "0" else "1") + good[1:]
    page.goto(f"{app_url}/widget/?customer_id=16985&sig={tampered}", wait_until="domcontentloaded")
    expect(page.locator("#whoami")).to_contain_text("Not signed in")
    _ask(page, "Where is my order?")
    chat = page.locator("#chat")
    expect(chat).to_contain_text("once you're verified")
    expect(chat).not_to_contain_text("#W9000002")
    page.goto(f"{app_url}/widget/?customer_id=16985&sig={good}", wait_until="domcontentloaded")   # the control
    expect(page.locator("#whoami")).to_contain_text("Signed in as Harry Fletcher")
