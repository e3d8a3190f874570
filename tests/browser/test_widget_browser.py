"""Issue 17, the support widget as a product, in headless chromium at a desktop, a small and a phone viewport: the
one-line snippet's launcher opens the widget on the sample shop page; header, greeting and suggestions show; the
input is in view without scrolling; an answer streams in behind a typing indicator; a reload keeps the conversation
and the panel open; a Chinese-speaking shopper gets Chinese labels; no framework footer.
Screenshots of each step go to tests/artifacts/ (widget_<step>_<width>x<height>.png)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, WIDGET_SECRET, staff_ticket

pytestmark = pytest.mark.browser
VIEWPORTS = [(1280, 800), (420, 640), (390, 844)]
WATCH_TYPING = """(word) => { window.__typed = false; const chat = document.querySelector('#chat');
  new MutationObserver(() => { if (chat.innerText.includes(word)) window.__typed = true; })
    .observe(chat, {childList: true, subtree: true, characterData: true}); }"""


@pytest.fixture(params=VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def viewport(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[Any, int, int]]:
    from playwright.sync_api import expect

    width, height = request.param
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.set_default_timeout(30000)
    expect.set_options(timeout=30000)
    yield pg, width, height
    ctx.close()


def _frame(page: Any) -> Any:
    return page.locator("#retain-widget").element_handle().content_frame()


def _in_view(page: Any, frame: Any, selector: str, width: int, height: int) -> None:
    """The element is inside the panel and the panel inside the viewport: seen without scrolling anything."""
    panel = page.locator("#retain-widget").bounding_box()
    box = frame.locator(selector).bounding_box()    # in the page's coordinates
    assert panel and box, (panel, box)
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= width, (panel, width)
    assert panel["y"] >= 0 and panel["y"] + panel["height"] <= height, (panel, height)
    assert panel["y"] <= box["y"] and box["y"] + box["height"] <= panel["y"] + panel["height"], (selector, box, panel)
    assert panel["x"] <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"], (selector, box, panel)


def _shot(page: Any, step: str, width: int, height: int) -> None:
    page.screenshot(path=str(ARTIFACTS / f"widget_{step}_{width}x{height}.png"))


def _last_message_in_view(frame: Any) -> bool:
    """Auto-scroll: the newest message's bottom is inside the chat's visible area."""
    return bool(frame.evaluate("""() => { const chat = document.querySelector('#chat');
      const msgs = chat.querySelectorAll('.message'); if (!msgs.length) return false;
      const last = msgs[msgs.length - 1].getBoundingClientRect(), box = chat.getBoundingClientRect();
      return last.bottom <= box.bottom + 2 && last.bottom > box.top; }"""))


def test_launcher_opens_the_widget_and_a_reload_keeps_the_conversation(app_url: str,
                                                                        viewport: tuple[Any, int, int]) -> None:
    from playwright.sync_api import expect

    page, width, height = viewport
    page.goto(app_url + "/shop-demo/", wait_until="domcontentloaded")
    launcher, panel = page.locator("#retain-launcher"), page.locator("#retain-widget")
    expect(launcher).to_have_attribute("aria-label", "Open support chat")
    expect(panel).to_be_hidden()
    _shot(page, "1_closed", width, height)

    launcher.click()
    expect(panel).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(launcher).to_have_attribute("aria-label", "Close support chat")
    frame = _frame(page)
    expect(frame.locator("#widget-header")).to_contain_text("Hearth & Home")
    expect(frame.locator("#widget-status")).to_contain_text("Assistant")
    expect(frame.locator("#whoami")).to_contain_text("Signed in as Harry Fletcher")
    expect(frame.locator("#chat")).to_contain_text("How can we help?")              # the greeting
    chip = frame.get_by_role("button", name="Where is my order?")
    expect(chip).to_be_visible()
    expect(frame.locator("#send")).to_have_text("Send")
    expect(frame.locator("#conversation")).to_be_hidden()                           # compact: no dropdowns
    expect(frame.locator("footer")).to_be_hidden()                                  # no framework footer
    _in_view(page, frame, "#ask textarea", width, height)
    _in_view(page, frame, "#send", width, height)
    _shot(page, "2_open", width, height)

    frame.evaluate(WATCH_TYPING, "typing…")
    chip.click()                                                                   # a suggestion asks it
    expect(frame.locator("#chat")).to_contain_text("#W9000002")
    assert frame.evaluate("window.__typed"), "no typing indicator was shown while the answer was on its way"
    expect(chip).to_be_hidden()                                                    # suggestions are for a new chat
    page.wait_for_timeout(300)
    assert _last_message_in_view(frame), "the newest message is not scrolled into view"
    _in_view(page, frame, "#ask textarea", width, height)
    _shot(page, "3_answered", width, height)

    page.reload(wait_until="domcontentloaded")
    expect(panel).to_be_visible()                                                  # the panel stays open
    frame = _frame(page)
    expect(frame.locator("#chat")).to_contain_text("Where is my order?")            # the same conversation
    expect(frame.locator("#chat")).to_contain_text("#W9000002")
    expect(frame.locator("#whoami")).to_contain_text("Signed in as Harry Fletcher")
    _in_view(page, frame, "#ask textarea", width, height)
    _shot(page, "4_reloaded", width, height)

    page.keyboard.press("Escape")                                                 # Escape closes it too
    expect(panel).to_be_hidden()
    launcher.click()
    expect(panel).to_be_visible()
    page.locator("#retain-launcher").click()
    expect(panel).to_be_hidden()
    expect(launcher).to_have_attribute("aria-label", "Open support chat")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.reload(wait_until="domcontentloaded")
    expect(page.locator("#retain-widget")).to_be_hidden()                          # closed stays closed


def test_a_chinese_speaking_shopper_gets_chinese_labels(app_url: str, viewport: tuple[Any, int, int]) -> None:
    from playwright.sync_api import expect

    page, width, height = viewport
    page.goto(app_url + "/shop-demo/?lang=zh", wait_until="domcontentloaded")
    launcher = page.locator("#retain-launcher")
    expect(launcher).to_have_attribute("aria-label", "打开客服聊天")
    launcher.click()
    frame = _frame(page)
    expect(frame.locator("#widget-status")).to_contain_text("智能助手")
    expect(frame.locator("#chat")).to_contain_text("您好")
    expect(frame.locator("#send")).to_have_text("发送")
    expect(frame.locator("#ask textarea")).to_have_attribute("placeholder", "请输入您的问题…")
    expect(frame.get_by_role("button", name="我的订单在哪里？")).to_be_visible()
    expect(frame.locator("#chat")).not_to_contain_text("How can we help?")
    expect(frame.locator("#whoami")).to_contain_text("已登录：Harry Fletcher")
    _in_view(page, frame, "#ask textarea", width, height)
    _shot(page, "5_zh", width, height)


def test_a_zh_customer_without_lang_gets_chinese_and_another_identity_starts_fresh(app_url: str, page: Any) -> None:
    """A signed customer whose preferred language is zh (17920, Ling Wu) gets Chinese labels with no `lang`;
    the conversation of one identity is not reopened for another (nor for an anonymous visitor)."""
    from playwright.sync_api import expect

    from ui.identity import query

    page.goto(f"{app_url}/widget/?{query(WIDGET_SECRET.encode(), '17920')}", wait_until="domcontentloaded")
    expect(page.locator("#widget-status")).to_contain_text("智能助手")
    expect(page.locator("#send")).to_have_text("发送")
    expect(page.locator("#whoami")).to_contain_text("已登录：Ling Wu")
    page.locator("#ask textarea").fill("我的订单在哪里？")
    page.locator("#send").click()
    expect(page.locator("#chat")).to_contain_text("我的订单在哪里？")
    page.reload(wait_until="domcontentloaded")
    expect(page.locator("#chat")).to_contain_text("我的订单在哪里？")                  # same identity: kept
    page.goto(f"{app_url}/widget/?{query(WIDGET_SECRET.encode(), '16985')}", wait_until="domcontentloaded")
    expect(page.locator("#whoami")).to_contain_text("Harry Fletcher")
    expect(page.locator("#chat")).to_contain_text("How can we help?")               # another identity: fresh
    expect(page.locator("#chat")).not_to_contain_text("我的订单在哪里？")
    page.goto(f"{app_url}/widget/", wait_until="domcontentloaded")
    expect(page.locator("#whoami")).to_contain_text("Not signed in")
    expect(page.locator("#chat")).not_to_contain_text("我的订单在哪里？")


def test_an_anonymous_visitor_verified_in_the_chat_is_still_signed_in_after_a_reload(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 360, "height": 548})       # the panel on a 360x640 phone
    page.goto(app_url + "/widget/", wait_until="domcontentloaded")
    chat = page.locator("#chat")
    expect(page.locator("#whoami")).to_contain_text("Not signed in")
    box = page.locator("#ask textarea").bounding_box()
    assert box and box["y"] + box["height"] <= 548, box                # the input in view without scrolling
    for text, answer in [("Where is my order?", "once you're verified"),
                         ("my email is harry.fletcher@example.org", "two details"),
                         ("postcode BS1 9XN", "you're verified")]:
        page.locator("#ask textarea").fill(text)
        page.locator("#send").click()
        expect(chat).to_contain_text(answer)
    expect(page.locator("#whoami")).to_contain_text("Harry Fletcher")
    page.reload(wait_until="domcontentloaded")
    expect(page.locator("#whoami")).to_contain_text("Harry Fletcher")                # the server's thread says so
    expect(chat).to_contain_text("you're verified")
    page.locator("#ask textarea").fill("Where is my order?")
    page.locator("#send").click()
    expect(chat).to_contain_text("#W9000002")
    page.screenshot(path=str(ARTIFACTS / "widget_verified_reloaded.png"))


def test_the_header_shows_when_a_person_from_the_team_has_joined(app_url: str, page: Any, browser: Any) -> None:
    import re

    from playwright.sync_api import expect

    from ui.identity import query

    page.set_viewport_size({"width": 400, "height": 640})
    page.goto(f"{app_url}/widget/?{query(WIDGET_SECRET.encode(), '16985')}", wait_until="domcontentloaded")
    status = page.locator("#widget-status")
    expect(status).to_contain_text("Assistant")
    page.get_by_role("button", name="I'd like to talk to a person").click()
    page.locator("#confirm").click()
    expect(page.locator("#ticket")).to_contain_text("Handed to a person: ticket T")
    expect(status).to_contain_text("Handed to our team")
    found = re.search(r"ticket (T\d+)", page.locator("#ticket").inner_text())
    assert found, page.locator("#ticket").inner_text()

    with staff_ticket(browser, app_url, found.group(1)) as staff:
        staff.locator("#inbox-reply-text textarea, #inbox-reply-text input").first.fill("Hi Harry, Stella here.")
        staff.locator("#inbox-reply").click()
        expect(staff.locator("#inbox-note")).to_contain_text("Reply sent")
    expect(page.locator("#chat")).to_contain_text("Hi Harry, Stella here.")          # the widget polls every 3 s
    expect(status).to_contain_text("A person from our team has joined")
    page.screenshot(path=str(ARTIFACTS / "widget_person_joined.png"))
    page.reload(wait_until="domcontentloaded")
    expect(page.locator("#chat")).to_contain_text("I'd like to talk to a person")
    expect(page.locator("#widget-status")).to_contain_text("A person from our team has joined")   # from the store


def test_an_anonymous_visitor_gets_the_browsers_language(browser: Any, app_url: str) -> None:
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 400, "height": 640}, locale="zh-CN")   # Accept-Language: zh-CN
    try:
        page = ctx.new_page()
        page.goto(app_url + "/widget/", wait_until="domcontentloaded")
        expect(page.locator("#whoami")).to_contain_text("未登录", timeout=30000)
        expect(page.locator("#send")).to_have_text("发送")
        page.goto(app_url + "/widget/?lang=en", wait_until="domcontentloaded")            # the page's lang wins
        expect(page.locator("#send")).to_have_text("Send", timeout=30000)
        expect(page.locator("#whoami")).to_contain_text("Not signed in")
    finally:
        ctx.close()
