"""The web app's pure parts: logins, plots, cohorts, the card text, and the mounted routes (no browser)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import ConfigError
from ui.auth import Logins, User, add_user, demo_logins_path, parse_users, resolve_logins, users_path


def test_env_users_with_roles_and_check(settings) -> None:
    logins = resolve_logins(settings.model_copy(update={"ui_users": "alice:pw1:staff, bob:p:w2:marketer, carol:pw3"}))
    assert {u: x.role for u, x in logins.users.items()} == {"alice": "staff", "bob": "marketer", "carol": "admin"}
    assert all(x.hash.startswith("$argon2id$") for x in logins.users.values())  # never the clear password
    assert logins.check("alice", "pw1") and not logins.check("alice", "pw2") and not logins.check("eve", "pw1")
    assert logins.check("bob", "p:w2")


def test_each_console_admits_only_its_roles() -> None:
    logins = Logins({"s": User("staff", "x"), "m": User("marketer", "x"), "a": User("admin", "x")})
    assert logins.admits("staff", "s") and not logins.admits("marketing", "s")
    assert logins.admits("marketing", "m") and not logins.admits("staff", "m")
    assert logins.admits("staff", "a") and logins.admits("marketing", "a") and not logins.admits("staff", "eve")


@pytest.mark.parametrize("spec", ["alice", "alice:", ":pw", " , "])
def test_parse_users_rejects_malformed(spec: str) -> None:
    with pytest.raises(ConfigError, match="RETAIN_UI_USERS"):
        parse_users(spec)


def test_users_file_is_hashed_and_survives_restarts(settings) -> None:
    add_user(settings, "dana", "correct horse", "marketer")
    text = users_path(settings).read_text()
    assert "correct horse" not in text and "$argon2id$" in text
    assert oct(users_path(settings).stat().st_mode & 0o777) == "0o600"
    first, second = resolve_logins(settings), resolve_logins(settings)  # two starts: the same user, no new password
    assert first.users == second.users and not first.generated
    assert second.check("dana", "correct horse") and second.admits("marketing", "dana")
    with pytest.raises(ConfigError, match="at least 8"):
        add_user(settings, "eve", "short", "staff")
    with pytest.raises(ConfigError, match="role 'boss'"):
        add_user(settings, "eve", "long enough", "boss")


def test_no_users_means_nobody_outside_demo_mode_and_demo_users_once(settings) -> None:
    assert resolve_logins(settings).users == {}  # no default password, no per-start password
    demo = settings.model_copy(update={"demo": True})
    first = resolve_logins(demo)
    assert set(first.generated) == {"staff", "marketer"} and first.check("staff", first.generated["staff"])
    again = resolve_logins(demo)  # the next start reads the same users: no new passwords
    assert not again.generated and again.check("marketer", first.generated["marketer"])
    assert demo_logins_path(demo).read_text().split() == ["staff", first.generated["staff"], "marketer",
                                                          first.generated["marketer"]]


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


def test_full_card_has_contact_history_sentiment_and_drivers_with_direction() -> None:
    from ui.staff import card_markdown

    card = {"probability": 0.81, "risk_band": "high", "segment": "at risk", "clv_12m": 80.0, "name": "Ann Lee",
            "email": "ann@example.com", "phone": "+44 7700 900123", "country": "United Kingdom", "orders": 7,
            "last_order": "2011-06-01", "total_spend": 812.4,
            "drivers": [{"feature": "recency_days", "text": "no order for 190 days, 3.2 times their usual gap"}],
            "tickets": {"total": 2, "open": 1}, "reviews": {"n": 1, "positive": 0, "neutral": 0, "negative": 1},
            "recent_tickets": [{"ticket_id": "T9", "date": "2011-05-02", "category": "late_delivery",
                                "status": "open", "subject": "Where is it?", "sentiment": "negative"}],
            "recent_reviews": [{"date": "2011-05-03", "rating": 1, "title": "![x](http://evil.example/p.png) broke",
                                "sentiment": "negative"}]}
    md = card_markdown("15581", card, "£")
    assert md.startswith("### Ann Lee · Customer 15581")
    assert "ann@example.com" in md and "+44 7700 900123" in md and "**orders** 7" in md and "£812.40" in md
    assert "↑ raises risk: no order for 190 days, 3.2 times their usual gap" in md
    assert "| T9 | 2011-05-02 | late&#95;delivery | open | Where is it? | 🙁 negative |" in md
    assert "1 negative" in md and "★ |" in md
    assert "](http" not in md and "![" not in md  # an untrusted title cannot become an image or a link


def test_every_churn_feature_reads_in_plain_words() -> None:
    from retention.explain import _sentence
    from retention.features import FEATURES

    for feature in FEATURES:
        text = _sentence(feature, {feature: 3.0, "recency_days": 30.0, "mean_gap_days": 10.0})
        assert "=" not in text and "_" not in text, f"{feature}: {text!r}"


def test_app_routes_without_a_store(settings) -> None:
    """Built over an empty data dir: the shopper page is public, the consoles ask for a login."""
    from fastapi.testclient import TestClient

    from ui.app import build
    from ui.auth import Logins

    client = TestClient(build(settings, Logins.plain({"u": "p"})))
    assert client.get("/").status_code == 200
    assert client.get("/widget/").status_code == 200
    cfg = client.get("/staff/config")
    assert cfg.status_code == 401 or "auth_required" in cfg.text
    login = client.post("/staff/login", data={"username": "u", "password": "p"})
    assert login.status_code == 200
    assert client.post("/marketing/login", data={"username": "u", "password": "nope"}).status_code == 400
