"""Campaign planning: the audience funnel, exclusions, offer policy and the experiment's assignment."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from core.config import Policy, Settings
from core.errors import ConfigError, NotEnoughDataError
from retention.campaigns.audience import build_audience
from retention.campaigns.experiment import assign
from retention.campaigns.models import CONTROL, AudienceSpec, CampaignSpec, Variant
from retention.campaigns.offers import check_policy, size_offer
from retention.campaigns.service import plan
from retention.campaigns.synthetic import seed_store


@pytest.fixture()
def shop(store):
    today = seed_store(store, 300, seed=3)
    return store, today


def test_campaign_funnel_counts_match_sql(shop):
    con, today = shop
    aud = build_audience(con, AudienceSpec(risk_bands=["high", "medium"]), Policy(), today)
    counts = {f["step"]: f["count"] for f in aud.funnel}
    (n_bands,) = con.execute("SELECT count(*) FROM churn_scores WHERE risk_band IN ('high','medium')").fetchone()
    (n_consent,) = con.execute(
        "SELECT count(*) FROM churn_scores s JOIN customers c USING (customer_id) "
        "WHERE risk_band IN ('high','medium') AND c.marketing_consent").fetchone()
    assert counts["scored customers"] == 300
    assert counts["risk band in ['high', 'medium']"] == n_bands
    assert counts["exclude: no marketing consent"] == n_consent
    # the funnel never grows, and the members are exactly the last count
    values = [f["count"] for f in aud.funnel]
    assert values == sorted(values, reverse=True)
    assert len(aud.members) == values[-1]
    ids = {m["customer_id"] for m in aud.members}
    bad = con.execute(
        """SELECT c.customer_id FROM customers c WHERE NOT c.marketing_consent OR c.unsubscribed
           UNION SELECT customer_id FROM tickets WHERE status = 'open' AND category = 'complaint'
           UNION SELECT customer_id FROM campaign_sends WHERE sent_at >= ?::DATE - 14""", [today]).fetchall()
    assert ids.isdisjoint({r[0] for r in bad})
    assert all(m["risk_band"] in ("high", "medium") for m in aud.members)


def test_campaign_filters_probability_clv_recency_category(shop):
    con, today = shop
    spec = AudienceSpec(risk_bands=None, min_probability=0.5, min_clv=100, max_days_since_order=200,
                        categories=["kitchen"])
    aud = build_audience(con, spec, Policy(), today)
    assert aud.members, "the seeded shop should have someone matching"
    kitchen = {r[0] for r in con.execute(
        "SELECT DISTINCT o.customer_id FROM orders o JOIN order_items i USING (order_id) "
        "JOIN products p USING (product_id) WHERE p.category = 'Kitchen'").fetchall()}
    for m in aud.members:
        assert m["churn_probability"] >= 0.5 and m["clv_12m"] >= 100 and m["days_since_order"] <= 200
        assert m["customer_id"] in kitchen
    assert len(aud.funnel) == 1 + 4 + 4


def test_campaign_clv_range_keeps_only_customers_inside_it(shop):
    con, today = shop
    everyone = build_audience(con, AudienceSpec(risk_bands=None), Policy(), today).members
    clvs = sorted(m["clv_12m"] or 0 for m in everyone)
    lo, hi = clvs[len(clvs) // 4], clvs[3 * len(clvs) // 4]
    aud = build_audience(con, AudienceSpec(risk_bands=None, min_clv=lo, max_clv=hi), Policy(), today)
    inside = {m["customer_id"] for m in everyone if lo <= (m["clv_12m"] or 0) <= hi}
    assert aud.members and {m["customer_id"] for m in aud.members} == inside
    assert f"clv_12m <= {hi}" in [f["step"] for f in aud.funnel]
    with pytest.raises(ConfigError, match="CLV range is empty"):
        build_audience(con, AudienceSpec(risk_bands=None, min_clv=hi + 1, max_clv=lo), Policy(), today)


def test_campaign_unknown_segment_lists_valid_ones(shop):
    con, today = shop
    with pytest.raises(ConfigError) as e:
        build_audience(con, AudienceSpec(segments=["vip"]), Policy(), today)
    assert "'vip'" in str(e.value) and "champions" in str(e.value) and "at risk" in str(e.value)
    with pytest.raises(ConfigError, match="risk band"):
        build_audience(con, AudienceSpec(risk_bands=["severe"]), Policy(), today)
    with pytest.raises(ConfigError, match="category"):
        build_audience(con, AudienceSpec(categories=["Spaceships"]), Policy(), today)


def test_campaign_needs_scores(store, tmp_path):
    with pytest.raises(NotEnoughDataError, match="churn scores"):
        plan(store, Settings(data_dir=tmp_path), CampaignSpec())


def test_campaign_empty_audience_plans_nothing(shop, tmp_path):
    con, _ = shop
    spec = CampaignSpec(audience=AudienceSpec(min_probability=0.9999))
    with pytest.raises(NotEnoughDataError, match="audience is empty") as e:
        plan(con, Settings(data_dir=tmp_path), spec)
    assert "churn probability >= 0.9999" in str(e.value)
    assert con.execute("SELECT count(*) FROM campaigns").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM campaign_assignments").fetchone() == (0,)


def test_campaign_offers_within_caps_and_expiry(shop):
    con, today = shop
    policy = Policy(max_discount_pct=15, top_tier_max_discount_pct=25, offer_validity_days=10)
    aud = build_audience(con, AudienceSpec(risk_bands=None), policy, today)
    offers = [(m, size_offer(m, Variant(name="A"), policy, today, "C1")) for m in aud.members]
    assert {o.expires_on for _, o in offers} == {today + dt.timedelta(days=10)}
    for m, o in offers:
        assert o.kind == "percent" and o.discount_pct % 5 == 0
        assert 5 <= o.discount_pct <= (25 if m["top_tier"] else 15)
    assert any(o.discount_pct > 15 for _, o in offers), "top tiers may get more than the regular cap"
    assert all(o.discount_pct <= 15 for m, o in offers if not m["top_tier"])
    # higher risk never gets a smaller offer than lower risk at the same tier
    by_band = {b: min(o.discount_pct for m, o in offers if m["risk_band"] == b and not m["top_tier"])
               for b in ("low", "medium", "high")}
    assert by_band["low"] <= by_band["medium"] <= by_band["high"]
    free = size_offer(aud.members[0], Variant(name="B", offer="free_shipping"), policy, today, "C1")
    assert free.kind == "free_shipping" and free.discount_pct == 0


@pytest.mark.parametrize("policy,match", [
    (Policy(max_discount_pct=0, top_tier_max_discount_pct=0), "no valid discount"),
    (Policy(max_discount_pct=3, top_tier_max_discount_pct=4), "no valid discount"),
    (Policy(offer_validity_days=0), "expire"),
    (Policy(max_discount_pct=-5), "outside"),
    (Policy(max_discount_pct=20, top_tier_max_discount_pct=10), "below"),
])
def test_campaign_caps_that_invalidate_every_offer(shop, tmp_path, policy, match):
    con, _ = shop
    with pytest.raises(ConfigError, match=match):
        plan(con, Settings(data_dir=tmp_path, policy=policy), CampaignSpec())
    assert con.execute("SELECT count(*) FROM campaigns").fetchone() == (0,)


def test_campaign_free_shipping_variant_survives_zero_caps():
    check_policy(Policy(max_discount_pct=0, top_tier_max_discount_pct=0),
                 [Variant(name="A", offer="free_shipping")])


def test_campaign_assignment_stratified_holdout():
    members = [{"customer_id": f"c{i}", "risk_band": b} for i, b in
               enumerate(["high"] * 500 + ["medium"] * 300 + ["low"] * 200)]
    a = assign(members, ["A", "B", "C"], 0.2, seed=7)
    assert a == assign(members, ["A", "B", "C"], 0.2, seed=7)
    assert a != assign(members, ["A", "B", "C"], 0.2, seed=8)
    for band, n in (("high", 500), ("medium", 300), ("low", 200)):
        arms = Counter(arm for arm, s in a.values() if s == band)
        assert arms[CONTROL] == round(n * 0.2)
        treated = [arms[x] for x in "ABC"]
        assert max(treated) - min(treated) <= 1
    with pytest.raises(ConfigError):
        assign(members, ["A"], 1.0, seed=1)
    with pytest.raises(ConfigError):
        assign(members, ["A", "A"], 0.1, seed=1)


def test_campaign_plan_saves_state_and_audit(shop, tmp_path):
    con, _ = shop
    r = plan(con, Settings(data_dir=tmp_path), CampaignSpec(holdout_share=0.25))
    cid = r["campaign_id"]
    assert con.execute("SELECT status FROM campaigns WHERE campaign_id = ?", [cid]).fetchone() == ("planned",)
    (n,) = con.execute("SELECT count(*) FROM campaign_assignments WHERE campaign_id = ?", [cid]).fetchone()
    assert n == r["audience"] == sum(r["arms"].values())
    offers = con.execute("SELECT arm, offer FROM campaign_assignments WHERE campaign_id = ?", [cid]).fetchall()
    assert all((arm == CONTROL) == (offer is None) for arm, offer in offers)
    assert all(json.loads(o)["code"].startswith("WB") for arm, o in offers if o)
    audit = con.execute("SELECT action, target, ok FROM audit_log").fetchall()
    assert ("campaign.plan", cid, True) in audit


def test_campaign_ids_number_each_day_past_gaps(store):
    """The next id is one past the day's highest number, so an id is never given twice (a count would repeat
    C…-002 once an earlier campaign's number is missing)."""
    from retention.campaigns.store import new_campaign_id

    day = dt.date(2011, 12, 10)
    assert new_campaign_id(store, day) == "C20111210-001"
    for cid in ("C20111210-001", "C20111210-003", "C20111209-007"):
        store.execute("INSERT INTO campaigns (campaign_id, name, status, spec, as_of) VALUES (?, 'x', 'planned', "
                      "'{}', ?)", [cid, day])
    assert new_campaign_id(store, day) == "C20111210-004"
    assert new_campaign_id(store, dt.date(2011, 12, 9)) == "C20111209-008"
    assert new_campaign_id(store, dt.date(2011, 12, 11)) == "C20111211-001"
