"""The web app's pure parts: logins, plots, cohorts, the card text, and the mounted routes (no browser)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ConfigError
from ui.auth import parse_users, resolve_logins


def test_parse_users_and_check() -> None:
    logins = resolve_logins("alice:pw1, bob:p:w2")
    assert logins.users == {"alice": "pw1", "bob": "p:w2"} and logins.generated is None
    assert logins.check("alice", "pw1") and not logins.check("alice", "pw2") and not logins.check("eve", "pw1")


@pytest.mark.parametrize("spec", ["alice", "alice:", ":pw", " , "])
def test_parse_users_rejects_malformed(spec: str) -> None:
    with pytest.raises(ConfigError, match="RETAIN_UI_USERS"):
        parse_users(spec)


def test_no_users_means_a_fresh_random_password() -> None:
    a, b = resolve_logins(None), resolve_logins("")
    assert a.generated and b.generated and a.generated != b.generated
    assert len(a.generated) >= 12 and a.check("staff", a.generated)


def test_plots_carry_the_data() -> None:
    from ui import plots

    g = plots.risk_gauge(0.734, "high")
    assert g.data[0].value == 73.4
    d = plots.drivers_bar([{"text": "no order for 200 days", "contribution": 0.3},
                           {"text": "many orders", "contribution": -0.1}])
    assert list(d.data[0].x) == [-0.1, 0.3] and d.data[0].marker.color[1] == "#e57373"
    f = plots.funnel([{"step": "scored", "count": 100}, {"step": "consented", "count": 40}])
    assert list(f.data[0].x) == [100, 40]
    t = plots.timeline([{"kind": "order", "date": dt.date(2011, 1, 1)}, {"kind": "review", "date": dt.date(2011, 2, 1)}])
    assert sorted(tr.name for tr in t.data) == ["order", "review"]


def test_cohort_matrix_from_orders(settings) -> None:
    from shop.db import connect
    from ui.analytics import cohort_matrix
    from ui.context import AppContext

    settings.ensure_dirs()
    con = connect(settings.db_path)
    rows = [("o1", "a", "2011-01-05"), ("o2", "a", "2011-02-03"), ("o3", "b", "2011-01-20"), ("o4", "c", "2011-02-10")]
    for oid, cid, day in rows:
        con.execute("INSERT INTO orders (order_id, customer_id, created_at, status, kind, source) "
                    "VALUES (?, ?, ?, 'delivered', 'sale', 'test')", [oid, cid, day])
    con.close()
    z, x, y = cohort_matrix(AppContext(settings), months=2)
    assert y == ["2011-01", "2011-02"] and x == ["+0m", "+1m", "+2m"]
    assert z[0][:2] == [1.0, 0.5]        # a and b start in January; a comes back in February
    assert z[1][0] == 1.0 and z[1][1] is None


def test_card_markdown() -> None:
    from ui.staff import card_markdown

    md = card_markdown("123", {"probability": 0.5, "risk_band": "medium", "segment": "loyal", "clv_12m": 1234.5})
    assert "50.0%" in md and "medium" in md and "£1,234.50" in md


def test_app_routes_without_a_store(settings) -> None:
    """Built over an empty data dir: the shopper page is public, the consoles ask for a login."""
    from fastapi.testclient import TestClient

    from ui.app import build
    from ui.auth import Logins

    client = TestClient(build(settings, Logins({"u": "p"})))
    assert client.get("/").status_code == 200
    assert client.get("/widget/").status_code == 200
    cfg = client.get("/staff/config")
    assert cfg.status_code == 401 or "auth_required" in cfg.text
    login = client.post("/staff/login", data={"username": "u", "password": "p"})
    assert login.status_code == 200
    assert client.post("/marketing/login", data={"username": "u", "password": "nope"}).status_code == 400
