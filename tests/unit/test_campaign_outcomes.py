"""Recorded outcomes: from the store's orders after sending, and from a platform's CSV file."""

from __future__ import annotations

import datetime as dt

import pytest

from core.config import Settings
from core.errors import ImportDataError
from retention.campaigns import store as st
from retention.campaigns.models import AudienceSpec, CampaignSpec
from retention.campaigns.service import analyze_campaign, approve, draft, export, plan
from retention.campaigns.synthetic import seed_store


@pytest.fixture()
def exported(store, tmp_path):
    today = seed_store(store, 200, seed=21)
    s = Settings(data_dir=tmp_path / "data")
    cid = plan(store, s, CampaignSpec(audience=AudienceSpec(risk_bands=None), holdout_share=0.3))["campaign_id"]
    draft(store, s, cid)
    approve(store, s, cid)
    export(store, s, cid, tmp_path / "out")
    return store, s, cid, today


def test_campaign_outcomes_from_orders(exported):
    con, s, cid, today = exported
    rows = st.assignments(con, cid)
    buyers = {r["customer_id"]: (i % 5) + 2 for i, r in enumerate(rows) if i % 3 == 0}
    for cust, days in buyers.items():
        oid = f"NEW-{cust}"
        con.execute("INSERT INTO orders (order_id, customer_id, status, kind, created_at, source) VALUES "
                    "(?, ?, 'delivered', 'sale', ?, 'demo')",
                    [oid, cust, dt.datetime.combine(today + dt.timedelta(days=days), dt.time(10))])
        con.execute("INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) "
                    "VALUES (?, 0, 'P0001', 2, 5.0)", [oid])
    late = rows[1]["customer_id"]   # a purchase after the window does not count
    con.execute("INSERT INTO orders (order_id, customer_id, status, kind, created_at, source) VALUES "
                "('LATE', ?, 'delivered', 'sale', ?, 'demo')", [late, dt.datetime.combine(
                    today + dt.timedelta(days=45), dt.time(10))])
    rep = analyze_campaign(con, s, cid, "orders", window_days=30)
    got = dict(con.execute("SELECT customer_id, purchased FROM campaign_outcomes WHERE campaign_id = ?",
                           [cid]).fetchall())
    assert {c for c, p in got.items() if p} == set(buyers)
    assert late not in buyers and not got[late]
    days = dict(con.execute("SELECT customer_id, days_to_purchase FROM campaign_outcomes WHERE purchased "
                            "AND campaign_id = ?", [cid]).fetchall())
    assert days == buyers
    total = sum(a["conversions"] for a in rep["arms"].values())
    assert total == len(buyers)
    assert sum(a["revenue"] for a in rep["arms"].values()) == pytest.approx(10.0 * len(buyers))


def test_campaign_outcomes_from_file(exported, tmp_path):
    con, s, cid, _ = exported
    rows = st.assignments(con, cid)
    path = tmp_path / "outcomes.csv"
    lines = ["customer_id,opened,clicked,purchased,revenue,days_to_purchase"]
    for i, r in enumerate(rows):
        bought = i % 4 == 0
        lines.append(f"{r['customer_id']},{'yes' if r['arm'] != 'control' else 'no'},no,"
                     f"{'1' if bought else '0'},{'12.5' if bought else '0'},{'3' if bought else ''}")
    path.write_text("\n".join(lines) + "\n")
    rep = analyze_campaign(con, s, cid, "file", outcomes_file=path)
    assert sum(a["conversions"] for a in rep["arms"].values()) == len(range(0, len(rows), 4))
    assert rep["arms"]["control"]["opened"] == 0

    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines[:3] + ["NOBODY,no,no,0,0,"]) + "\n")
    with pytest.raises(ImportDataError, match="line 4.*not in this campaign"):
        analyze_campaign(con, s, cid, "file", outcomes_file=bad)
    short = tmp_path / "short.csv"
    short.write_text("\n".join(lines[:5]) + "\n")
    with pytest.raises(ImportDataError, match="have no row"):
        analyze_campaign(con, s, cid, "file", outcomes_file=short)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(lines[0] + "\n" + lines[1].replace(",0,", ",maybe,", 1).replace(",1,", ",maybe,", 1) + "\n")
    with pytest.raises(ImportDataError, match="yes/no"):
        analyze_campaign(con, s, cid, "file", outcomes_file=wrong)


def test_campaign_export_again_records_no_duplicate_sends(exported, tmp_path):
    con, s, cid, _ = exported
    (before,) = con.execute("SELECT count(*) FROM campaign_sends WHERE campaign_id = ?", [cid]).fetchone()
    again = export(con, s, cid, tmp_path / "again")
    (after,) = con.execute("SELECT count(*) FROM campaign_sends WHERE campaign_id = ?", [cid]).fetchone()
    assert before == after == again["sends"] > 0
    assert (tmp_path / "again" / f"{cid}_sends.csv").exists() and not list((tmp_path / "again").glob("*.part"))
