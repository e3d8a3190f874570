"""Issue 18.8: staff logins are throttled, staff files are not served by the public pages, the public pages take
no uploads, and the audit actor is the logged-in user (not the constant 'staff')."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx

from tests.security.web.conftest import PASSWORD, USER


def _login(url: str, password: str) -> httpx.Response:
    return httpx.post(url + "/staff/login", data={"username": USER, "password": password}, timeout=10)


def test_logins_are_throttled(shop: Any, serve: Any) -> None:
    url = serve(shop)
    assert _login(url, PASSWORD).status_code == 200
    codes = [_login(url, f"guess-{i}").status_code for i in range(shop.login_max_failures + 20)]
    assert all(c >= 400 for c in codes)
    assert codes[-1] == 429 and "Too many failed logins" in _login(url, "guess").text
    assert _login(url, PASSWORD).status_code != 200          # locked for the window, right password or not


def test_throttle_window_passes() -> None:
    from ui.auth import Logins
    from ui.guard import LoginThrottle

    now = [0.0]
    t = LoginThrottle(3, 60, clock=lambda: now[0])
    logins = Logins.plain({"bob": "pw"})
    for _ in range(3):
        assert not t.check("bob", "nope", logins)
    assert not t.check("bob", "pw", logins)
    now[0] = 61
    assert t.check("bob", "pw", logins)


def _staff_file() -> Path:
    """A file where Gradio keeps the staff console's outputs (the at-risk CSV goes there)."""
    from gradio.utils import get_upload_folder

    folder = Path(get_upload_folder()) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / "at_risk.csv"
    path.write_text("customer,name,probability\n15581,Grace Holloway,0.91\n")
    return path


def test_staff_files_are_not_served_without_login(shop: Any, serve: Any) -> None:
    url = serve(shop)
    path = _staff_file()
    for mount in ("", "/widget", "/tools"):
        r = httpx.get(f"{url}{mount}/gradio_api/file={path}", timeout=10)
        assert r.status_code in (401, 403) and "Grace" not in r.text, mount
    assert httpx.get(f"{url}/staff/gradio_api/file={path}", timeout=10).status_code in (401, 403)
    with httpx.Client(base_url=url, timeout=10) as c:         # logged in, the console gets it
        assert c.post("/staff/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        assert "Grace" in c.get(f"/staff/gradio_api/file={path}").text


def test_public_pages_take_no_uploads(shop: Any, serve: Any) -> None:
    url = serve(shop)
    big = b"x" * 20_000_000
    for mount in ("", "/widget", "/tools"):
        r = httpx.post(f"{url}{mount}/gradio_api/upload", files={"files": ("big.bin", big)}, timeout=60)
        assert r.status_code in (401, 403, 413), (mount, r.status_code)


def test_staff_uploads_are_capped(shop: Any, serve: Any) -> None:
    url = serve(shop.model_copy(update={"max_upload_bytes": 1_000_000}))
    with httpx.Client(base_url=url, timeout=60) as c:
        assert c.post("/staff/login", data={"username": USER, "password": PASSWORD}).status_code == 200
        r = c.post("/staff/gradio_api/upload", files={"files": ("big.bin", b"x" * 2_000_000)})
        assert r.status_code == 413, r.status_code


def test_staff_chat_is_audited_as_the_logged_in_user(shop: Any) -> None:
    """The staff console's assistant acts as the user who logged in."""
    from ui.app import build_staff
    from ui.context import AppContext

    ctx = AppContext(shop)
    page = build_staff(ctx)
    fn = next(f.fn for f in page.fns.values() if getattr(f.fn, "__name__", "") == "staff_ask")
    request = type("Req", (), {"username": "alice"})()
    for _ in fn("find customer olivia.bennett@example.com", [], "staff-sec", request):
        pass
    actors = {r["actor_id"] for r in ctx.rows("SELECT actor_id FROM audit_log WHERE actor_role = 'staff'")}
    assert actors == {"alice"}
