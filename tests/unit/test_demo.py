"""The demo shop: deterministic, complete (every order status, flags, personas), realistic (churners fade,
complain more, rate lower) and never dated after the shop's frozen today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import ConfigError
from shop.clock import shop_today
from shop.db import connect, scalar
from shop.demo import DEMO_PERSONAS, DEMO_TODAY, build_demo, table_fingerprints

STATUSES = {"pending", "processed", "delivered", "cancelled", "return requested", "exchange requested"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """A full-size demo store (default settings), opened read-only."""
    s = Settings(data_dir=tmp_path_factory.mktemp("demo") / "data")
    report = build_demo(s)
    con = connect(s.db_path, read_only=True)
    yield con, report
    con.close()


def _small(tmp: Path, seed: int) -> dict[str, str]:
    s = Settings(data_dir=tmp / "data", seed=seed, demo_customers=80)
    build_demo(s)
    con = connect(s.db_path, read_only=True)
    try:
        return table_fingerprints(con)
    finally:
        con.close()


def test_same_seed_same_store_other_seed_differs(tmp_path: Path) -> None:
    a = _small(tmp_path / "a", 42)
    assert a == _small(tmp_path / "b", 42)
    c = _small(tmp_path / "c", 7)
    changed = {t for t in a if a[t] != c[t]}
    assert {"customers", "events", "reviews", "tickets", "orders"} <= changed
    empty = "d41d8cd98f00b204e9800998ecf8427e"  # md5(''): an empty table
    assert all(a[t] != empty for t in ("customers", "events", "reviews", "tickets", "orders", "payments"))


def test_report_and_clock(demo) -> None:
    con, report = demo
    assert shop_today(con) == DEMO_TODAY
    assert report["counts"]["customers"] == scalar(con, "SELECT count(*) FROM customers")
    n_real = scalar(con, "SELECT count(*) FROM customers WHERE source = 'online_retail'")
    assert n_real == Settings().demo_customers
    assert report["personas"] == {k: p.customer_id for k, p in DEMO_PERSONAS.items()}


def test_every_order_status_among_recent_demo_orders(demo) -> None:
    con, _ = demo
    rows = con.execute("""SELECT status, min(created_at), max(created_at) FROM orders
                          WHERE source = 'demo' GROUP BY 1""").fetchall()
    assert {r[0] for r in rows} == STATUSES
    for _, lo, _hi in rows:
        assert (DEMO_TODAY - lo.date()).days <= 61


def test_nothing_dated_on_or_after_today(demo) -> None:
    con, _ = demo
    for table, col in [("events", "ts"), ("reviews", "created_at"), ("tickets", "created_at"),
                       ("tickets", "resolved_at"), ("orders", "created_at"), ("orders", "updated_at"),
                       ("payments", "created_at"), ("customers", "created_at")]:
        late = scalar(con, f"SELECT count(*) FROM {table} WHERE {col} >= ?", [DEMO_TODAY])
        assert late == 0, f"{table}.{col} has {late} rows dated on/after {DEMO_TODAY}"


def test_profiles_are_marked_synthetic_with_consent_and_language(demo) -> None:
    con, _ = demo
    n, synth, consent, unsub, zh, both = con.execute("""
        SELECT count(*), count(*) FILTER (is_synthetic), avg(marketing_consent::INT), avg(unsubscribed::INT),
               avg((preferred_language = 'zh')::INT), count(*) FILTER (marketing_consent AND unsubscribed)
        FROM customers""").fetchone()
    assert synth == n
    assert 0.62 < consent < 0.78 and 0.02 < unsub < 0.09 and 0.06 < zh < 0.15 and both == 0
    emails = [r[0] for r in con.execute("SELECT email FROM customers").fetchall()]
    assert len(set(emails)) == len(emails)
    assert all(e.split("@")[1].startswith("example.") for e in emails)
    no_addr = scalar(con, """SELECT count(*) FROM customers c WHERE NOT EXISTS
                             (SELECT 1 FROM addresses a WHERE a.customer_id = c.customer_id AND a.is_default)""")
    no_pay = scalar(con, """SELECT count(*) FROM customers c WHERE NOT EXISTS
                            (SELECT 1 FROM payment_methods p WHERE p.customer_id = c.customer_id)""")
    assert no_addr == 0 and no_pay == 0
    kinds = {r[0] for r in con.execute("SELECT DISTINCT kind FROM payment_methods").fetchall()}
    assert {"credit_card", "paypal", "gift_card"} <= kinds


def test_demo_orders_are_consistent(demo) -> None:
    con, _ = demo
    bad_items = scalar(con, """SELECT count(*) FROM orders o JOIN order_items i USING (order_id)
                               LEFT JOIN product_variants v ON v.item_id = i.item_id
                               WHERE o.source = 'demo' AND (v.item_id IS NULL OR v.product_id <> i.product_id)""")
    assert bad_items == 0
    unpaid = scalar(con, """SELECT count(*) FROM orders o WHERE o.source = 'demo' AND abs(
        (SELECT sum(quantity * unit_price) FROM order_items i WHERE i.order_id = o.order_id) -
        (SELECT sum(amount) FILTER (WHERE transaction_type = 'payment') FROM payments p
         WHERE p.order_id = o.order_id)) > 0.01""")
    assert unpaid == 0
    foreign_pm = scalar(con, """SELECT count(*) FROM orders o LEFT JOIN payment_methods p
                                USING (payment_method_id) WHERE o.source = 'demo'
                                AND (p.customer_id IS NULL OR p.customer_id <> o.customer_id)""")
    assert foreign_pm == 0
    kinds = {r[0] for r in con.execute("""SELECT DISTINCT p.kind FROM orders o JOIN payment_methods p
                                          USING (payment_method_id) WHERE o.source = 'demo'""").fetchall()}
    assert kinds <= {"credit_card", "paypal"}  # never a gift card that might not cover the order
    for (addr,) in con.execute("SELECT ship_address FROM orders WHERE source = 'demo'").fetchall():
        assert json.loads(addr)["address1"]
    refunds = scalar(con, """SELECT count(*) FROM orders o WHERE source = 'demo' AND status = 'cancelled'
                             AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.order_id
                                             AND p.transaction_type = 'refund')""")
    assert refunds == 0
    flagged = con.execute("""SELECT o.status, count(*) FILTER (WHERE i.status = o.status) FROM orders o
                             JOIN order_items i USING (order_id) WHERE o.source = 'demo'
                             AND o.status LIKE '% requested' GROUP BY 1""").fetchall()
    assert len(flagged) == 2 and all(n > 0 for _, n in flagged)


def test_churners_fade_before_they_stop(demo) -> None:
    """Long-lived churners visit less often in the 60 days before their last purchase than earlier on."""
    con, _ = demo
    final, early, n = con.execute("""
        WITH t AS (SELECT customer_id, min(created_at) AS first, max(created_at) AS last FROM orders
                   WHERE source = 'online_retail' AND kind = 'sale' GROUP BY 1),
        c AS (SELECT * FROM t WHERE last < TIMESTAMP '2011-12-10' - INTERVAL 90 DAY
                                AND last - first > INTERVAL 150 DAY),
        r AS (SELECT c.customer_id,
                count(DISTINCT session_id) FILTER (WHERE ts > last - INTERVAL 60 DAY AND ts <= last) / 60 AS final,
                count(DISTINCT session_id) FILTER (WHERE ts >= first AND ts <= last - INTERVAL 60 DAY)
                  / (date_diff('day', first, last) - 60) AS early
              FROM c JOIN events e USING (customer_id) GROUP BY c.customer_id, first, last)
        SELECT avg(final), avg(early), count(*) FROM r""").fetchone()
    assert n >= 20
    assert final < 0.85 * early


def test_churners_abandon_carts_complain_more_and_rate_lower(demo) -> None:
    con, _ = demo
    rows = con.execute("""
        WITH t AS (SELECT customer_id, max(created_at) < TIMESTAMP '2011-12-10' - INTERVAL 90 DAY AS churned
                   FROM orders WHERE source = 'online_retail' AND kind = 'sale' GROUP BY 1)
        SELECT churned,
               (SELECT count(*) FROM tickets k JOIN t t2 USING (customer_id) WHERE t2.churned = t.churned)
                 / count(*) AS tickets_per_customer,
               (SELECT avg(rating) FROM reviews r JOIN t t2 USING (customer_id) WHERE t2.churned = t.churned)
        FROM t GROUP BY churned ORDER BY churned""").fetchall()
    (_, tk_active, stars_active), (_, tk_churned, stars_churned) = rows
    assert tk_churned > 2 * tk_active
    assert stars_churned < stars_active


def test_reviews_are_real_texts_after_a_purchase(demo) -> None:
    from shop.demo_subset import REVIEWS_SUBSET, read_text_csv

    con, _ = demo
    pool = read_text_csv(REVIEWS_SUBSET, index_col=0)
    real = set(zip(pool["Review Text"], pool["Rating"].astype(int), strict=True))
    reviews = con.execute("SELECT body, rating FROM reviews").fetchall()
    assert len(reviews) > 1000
    assert all((b, r) in real for b, r in reviews)
    early = scalar(con, """SELECT count(*) FROM reviews r WHERE NOT EXISTS (
        SELECT 1 FROM orders o JOIN order_items i USING (order_id) WHERE o.customer_id = r.customer_id
        AND i.product_id = r.product_id AND o.created_at < r.created_at AND o.kind = 'sale')""")
    assert early == 0


def test_tickets_belong_to_the_customers_orders(demo) -> None:
    con, _ = demo
    cats = {r[0] for r in con.execute("SELECT DISTINCT category FROM tickets").fetchall()}
    assert cats == {"late_delivery", "damaged", "refund", "payment", "account", "complaint"}
    foreign = scalar(con, """SELECT count(*) FROM tickets t JOIN orders o USING (order_id)
                             WHERE o.customer_id <> t.customer_id OR o.created_at > t.created_at""")
    assert foreign == 0
    assert scalar(con, "SELECT count(*) FROM tickets WHERE status = 'open'") > 0
    assert scalar(con, "SELECT count(*) FROM tickets WHERE status = 'resolved' AND resolved_at IS NULL") == 0


def test_personas(demo) -> None:
    con, _ = demo
    for p in DEMO_PERSONAS.values():
        row = con.execute("SELECT first_name, last_name, email, preferred_language FROM customers "
                          "WHERE customer_id = ?", [p.customer_id]).fetchone()
        assert row == (p.first_name, p.last_name, p.email, p.language), p.key
        if p.order_id:
            status, created = con.execute("SELECT status, created_at FROM orders WHERE order_id = ?",
                                          [p.order_id]).fetchone()
            assert status == p.order_status
            assert (DEMO_TODAY - created.date()).days == p.order_age_days
    window = Settings().policy.return_window_days
    assert DEMO_PERSONAS["returnable"].order_age_days < window
    opts = con.execute("""SELECT v.options FROM order_items i JOIN product_variants v USING (item_id)
                          WHERE i.order_id = ?""", [DEMO_PERSONAS["returnable"].order_id]).fetchall()
    assert all(json.loads(o) for (o,) in opts)
    risk = DEMO_PERSONAS["at_risk"]
    cat, status = con.execute("SELECT category, status FROM tickets WHERE ticket_id = ?",
                              [risk.ticket_id]).fetchone()
    assert (cat, status) == ("late_delivery", "open")
    last = scalar(con, "SELECT max(created_at) FROM orders WHERE customer_id = ? AND kind = 'sale'",
                  [risk.customer_id])
    assert (DEMO_TODAY - last.date()).days > 90


def test_too_few_customers_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="DEMO_CUSTOMERS"):
        build_demo(settings.model_copy(update={"demo_customers": 2}))


def test_rebuild_replaces_and_a_failed_build_keeps_the_old_store(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import shop.demo

    s = Settings(data_dir=tmp_path / "data", demo_customers=60)
    build_demo(s)
    con = connect(s.db_path)
    con.execute("INSERT INTO meta VALUES ('marker', 'old')")
    con.close()
    build_demo(s)
    con = connect(s.db_path, read_only=True)
    assert scalar(con, "SELECT count(*) FROM meta WHERE key = 'marker'") == 0
    con.close()

    def boom(*a: object, **k: object) -> dict[str, object]:
        raise RuntimeError("generator failed")

    before = s.db_path.read_bytes()
    monkeypatch.setattr(shop.demo, "enrich", boom)
    with pytest.raises(RuntimeError):
        build_demo(s)
    assert s.db_path.read_bytes() == before
    assert not any(p.name.endswith(".building") for p in s.data_dir.iterdir())
