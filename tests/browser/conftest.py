"""Browser-test fixtures: the app served in-process over a private copy of the demo shop, and headless chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
USER, PASSWORD = "tester", "browser-test-pw"
WIDGET_SECRET = "browser-widget-secret"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def app_url(demo_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`retain`'s app on a free loopback port, over a writable copy of the session demo."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install -y chromium)")
    from core.config import Settings
    from ui.app import build
    from ui.auth import Logins

    data = tmp_path_factory.mktemp("ui") / "data"
    shutil.copytree(demo_settings.data_dir, data)
    settings = Settings(data_dir=data, demo=True, widget_secret=WIDGET_SECRET)   # demo: the picker, /shop-demo/
    _ensure_scores(settings)
    logins = Logins.plain({USER: PASSWORD})  # admin: both consoles
    logins = Logins({**logins.users, **Logins.plain({"stella": PASSWORD}, role="staff").users,
                     **Logins.plain({"mark": PASSWORD}, role="marketer").users})
    live = LiveServer(build(settings, logins))
    yield live.url
    live.stop()


def _ensure_scores(settings: Any) -> None:
    """Until the churn model's scores are in the demo (H4), score the copy by the campaign tests' recency rule
    (model_version 'rule') so the staff card and the campaign journey can run on the demo's real customers."""
    from shop.clock import shop_today
    from shop.db import connect
    from tests.integration.test_campaign_e2e import RULE_SCORES_SQL

    con = connect(settings.db_path)
    try:
        if con.execute("SELECT count(*) FROM churn_scores").fetchone()[0] == 0:
            today = shop_today(con)
            con.execute(RULE_SCORES_SQL, [today, today])
    finally:
        con.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = ctx.new_page()
    pg.set_default_timeout(30000)
    from playwright.sync_api import expect
    expect.set_options(timeout=30000)      # answers stream in; a loaded CI machine needs more than the 5 s default
    yield pg
    ctx.close()


def login(page: Any, url: str, user: str = USER) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()


@contextmanager
def staff_ticket(browser: Any, app_url: str, ticket: str, user: str = "stella") -> Iterator[Any]:
    """A staff user's page (own browser context) logged in, on the inbox, with `ticket` opened; closed after."""
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 1280, "height": 1400})
    staff = ctx.new_page()
    staff.set_default_timeout(30000)
    try:
        login(staff, app_url + "/staff/", user=user)
        staff.get_by_role("tab", name="Inbox").click()
        staff.locator("#inbox-refresh").click()
        expect(staff.locator("#inbox-tickets")).to_contain_text(ticket)
        staff.locator("#inbox-tickets").get_by_text(ticket).locator("visible=true").first.click()  # the row
        expect(staff.locator("#inbox-case")).to_contain_text(f"Ticket {ticket}")
        yield staff
    finally:
        ctx.close()
