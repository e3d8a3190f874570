"""The staff inbox (issue 17) driven in headless chromium: a shopper asks for a human, the ticket appears in the
staff inbox with the conversation, a staff user claims it and replies, and the shopper's page shows the reply."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import staff_ticket
from tests.browser.test_ui_browser import _ask, _pick_customer, _shot

pytestmark = pytest.mark.browser


def _fill(page: Any, elem_id: str, text: str) -> None:
    page.locator(f"#{elem_id} input, #{elem_id} textarea").first.fill(text)


def test_handoff_reaches_the_inbox_and_the_staff_reply_reaches_the_shopper(app_url: str, page: Any,
                                                                          browser: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app_url + "/", wait_until="domcontentloaded")
    _pick_customer(page, "Olivia Bennett (15854)")
    _ask(page, "Where is my order?")
    _ask(page, "I'd like to talk to a person")
    expect(page.locator("#confirm")).to_be_visible()
    page.locator("#confirm").click()
    expect(page.locator("#ticket")).to_contain_text("Handed to a person: ticket T")
    found = re.search(r"ticket (T\d+)", page.locator("#ticket").inner_text())
    assert found, page.locator("#ticket").inner_text()
    ticket = found.group(1)

    with staff_ticket(browser, app_url, ticket) as staff:
        expect(staff.locator("#inbox-ticket input, #inbox-ticket textarea").first).to_have_value(ticket)
        case = staff.locator("#inbox-case")
        expect(case).to_contain_text("Shopper: Where is my order?")          # the transcript came with it
        expect(case).to_contain_text("Shopper: I'd like to talk to a person")
        expect(staff.locator("#inbox-card")).to_contain_text("Customer 15854")
        staff.locator("#inbox-claim").click()
        expect(staff.locator("#inbox-note")).to_contain_text("(stella) have claimed")
        _fill(staff, "inbox-reply-text", "Hello Olivia, your parcel is on its way and arrives tomorrow.")
        staff.locator("#inbox-reply").click()
        expect(staff.locator("#inbox-note")).to_contain_text("Reply sent")
        expect(case).to_contain_text("your parcel is on its way")
        staff.locator("#inbox-status").get_by_text("assigned").click()      # claimed: now under "assigned"
        expect(staff.locator("#inbox-tickets")).to_contain_text(ticket)
        expect(staff.locator("#inbox-tickets")).to_contain_text("stella")
        _shot(staff, "staff_inbox")

    chat = page.locator("#chat")
    expect(chat).to_contain_text("Reply from our support team", timeout=30000)   # the page polls every 3 s
    expect(chat).to_contain_text("your parcel is on its way and arrives tomorrow")
    _shot(page, "shopper_sees_reply")
