"""Win-back drafts: personalisation, variation, languages, SMS length counting, regeneration, template errors."""

from __future__ import annotations

import json
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from core.config import Settings
from core.errors import ConfigError, RetainError
from retention.campaigns import store as st
from retention.campaigns.channels import sms_length
from retention.campaigns.drafts import Renderer, opening_key
from retention.campaigns.facts import load_catalog, load_facts
from retention.campaigns.models import AudienceSpec, CampaignSpec, Draft, Offer
from retention.campaigns.service import approve, draft, export, plan
from retention.campaigns.synthetic import seed_store

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture()
def shop(store, tmp_path):
    today = seed_store(store, 250, seed=5)
    return store, today, Settings(data_dir=tmp_path / "data")


def _spec(**kw) -> CampaignSpec:
    return CampaignSpec(audience=AudienceSpec(risk_bands=None), holdout_share=0.0, **kw)


def test_campaign_drafts_are_personal(shop):
    con, _, s = shop
    cid = plan(con, s, _spec(channels=["email"]))["campaign_id"]
    draft(con, s, cid)
    rows = st.drafts(con, cid)
    facts = load_facts(con, [r["customer_id"] for r in rows], load_catalog(con))
    phrases = json.loads(resources.files("prompts").joinpath("winback/phrases.en.json").read_text())
    apologies = set(phrases["opening"]["apology"])
    n_apology = 0
    for r in rows:
        d, f = Draft.model_validate_json(r["draft"]), facts[r["customer_id"]]
        first_line, _, rest = d.body.partition("\n\n")
        assert f.first_name in first_line
        assert d.offer.code in d.body and d.unsubscribe_url in d.body
        for p in d.products:
            assert p.name in d.body and p.reason in d.body
        if f.bought:
            assert f.bought[0] in d.body
        if d.offer.kind == "percent":
            assert f"{d.offer.discount_pct}%" in d.body
        opening = rest.split("\n\n")[0]
        if f.late_delivery:
            n_apology += 1
            if d.language == "en":
                assert any(opening.startswith(a) for a in apologies), opening
            else:
                assert "歉" in opening
        else:
            assert not any(a in d.body for a in apologies)
    assert n_apology > 0


def test_campaign_opening_follows_drivers():
    from retention.campaigns.facts import CustomerFacts

    f = CustomerFacts("c", "A", "B", None, None, "en", True, False)
    assert opening_key(f) == "default"
    f.drivers = [{"feature": "days_since_last_order", "text": "no order for 200 days"}]
    assert opening_key(f) == "recency"
    f.drivers = [{"feature": "negative_review", "text": "rated 1 star"}]
    assert opening_key(f) == "feedback"
    f.late_delivery = True
    assert opening_key(f) == "apology"


def test_campaign_drafts_vary_but_are_deterministic(shop):
    con, _, s = shop
    cid = plan(con, s, _spec(channels=["email", "sms"]))["campaign_id"]
    draft(con, s, cid)
    first = {(r["customer_id"], r["channel"]): r["body"] for r in st.drafts(con, cid)}
    draft(con, s, cid)
    again = {(r["customer_id"], r["channel"]): r["body"] for r in st.drafts(con, cid)}
    assert first == again
    emails = [r for r in st.drafts(con, cid) if r["channel"] == "email" and r["language"] == "en"]
    assert len({r["subject"] for r in emails}) >= 5
    assert len({r["body"].split("\n\n")[1] for r in emails}) >= 5  # openings
    greetings = {r["body"].split(" ")[0] for r in emails}
    assert {"Hi", "Hello", "Dear"} <= greetings


def test_campaign_chinese_customers_get_chinese(shop):
    con, _, s = shop
    cid = plan(con, s, _spec(channels=["email", "sms", "push"]))["campaign_id"]
    draft(con, s, cid)
    langs = dict(con.execute("SELECT customer_id, preferred_language FROM customers").fetchall())
    rows = st.drafts(con, cid)
    assert any(r["language"] == "zh" for r in rows)
    for r in rows:
        assert r["language"] == ("zh" if langs[r["customer_id"]] == "zh" else "en")
        assert bool(CJK.search(r["body"])) == (r["language"] == "zh")
        if r["channel"] == "sms":
            n = sms_length(r["body"])
            assert n.encoding == ("ucs2" if r["language"] == "zh" else "gsm7") and n.ok


def test_campaign_sms_length_counts_like_a_carrier():
    assert sms_length("a" * 160).ok and not sms_length("a" * 161).ok
    assert sms_length("£" * 160) == sms_length("a" * 160)          # £ is in the GSM-7 basic set
    assert sms_length("€" * 80).units == 160 and not sms_length("€" * 81).ok   # extension: 2 septets
    assert sms_length("[]").units == 4
    assert sms_length("中" * 70).ok and not sms_length("中" * 71).ok  # UCS-2: 70 per message
    assert sms_length("a" * 69 + "中").encoding == "ucs2" and sms_length("a" * 69 + "中").units == 70
    assert sms_length("😀" * 35).units == 70 and not sms_length("😀" * 36).ok   # surrogate pairs count 2
    assert sms_length("Zoë").encoding == "ucs2"                     # ë is not GSM-7


def test_campaign_failing_draft_is_regenerated_then_valid(shop):
    con, _, s = shop
    cid = plan(con, s, _spec(channels=["sms"]))["campaign_id"]
    (victim,) = con.execute("SELECT customer_id FROM campaign_assignments a JOIN customers c USING (customer_id) "
                            "WHERE a.campaign_id = ? AND c.phone IS NOT NULL LIMIT 1", [cid]).fetchone()
    con.execute("UPDATE customers SET first_name = 'Zoë' WHERE customer_id = ?", [victim])  # forces UCS-2
    draft(con, s, cid)
    (row,) = [r for r in st.drafts(con, cid) if r["customer_id"] == victim]
    assert row["attempts"] == 2 and row["status"] == "valid"
    assert sms_length(row["body"]).ok and "Zoë" not in row["body"]


def test_campaign_flagged_drafts_are_never_exported(shop, tmp_path):
    con, _, s = shop
    cid = plan(con, s, _spec(channels=["sms"], shop_name="The Extraordinarily Long-Named Seaside Emporium of "
                                                         "Vintage Homeware, Kitchen Things and Seasonal Gifts "
                                                         "Limited"))["campaign_id"]
    report = draft(con, s, cid)
    assert report["drafts"] > 0 and report["valid"] == 0 and report["flag_reasons"]["too_long"] == report["drafts"]
    assert report["regenerated"] == report["drafts"]
    with pytest.raises(RetainError, match="no valid draft"):
        approve(con, s, cid)
    with pytest.raises(RetainError, match="approve"):
        export(con, s, cid, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert con.execute("SELECT count(*) FROM campaign_sends WHERE campaign_id = ?", [cid]).fetchone() == (0,)


def test_campaign_template_missing_variable_is_a_clear_error(shop, tmp_path):
    con, _, s = shop
    tdir = tmp_path / "brand"
    shutil.copytree(Path(str(resources.files("prompts").joinpath("winback"))), tdir)
    (tdir / "email.en.j2").write_text("{{ greeting }}\nYou have {{ loyalty_points }} points.\n"
                                      "Unsubscribe: {{ unsubscribe_url }}\n", encoding="utf-8")
    cid = plan(con, s, _spec(channels=["email"], template_dir=str(tdir)))["campaign_id"]
    with pytest.raises(ConfigError) as e:
        draft(con, s, cid)
    assert "email.en.j2" in str(e.value) and "loyalty_points" in str(e.value)
    assert st.get_campaign(con, cid)["status"] == "planned"
    assert con.execute("SELECT count(*) FROM campaign_drafts").fetchone() == (0,)
    with pytest.raises(RetainError):
        export(con, s, cid, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_campaign_renderer_rejects_unknown_channel(shop):
    con, today, s = shop
    spec = _spec()
    r = Renderer(spec, s.policy, "C1")
    facts = load_facts(con, ["S00000"], load_catalog(con))["S00000"]
    offer = Offer(kind="percent", discount_pct=10, code="WBX", expires_on=today)
    with pytest.raises(ConfigError, match="channel"):
        r.render(facts, offer, "A", "fax")


def test_campaign_uses_recommender_picks_safely(shop, monkeypatch):
    """The recommender's picks are used when it is trained: unknown or unavailable products are skipped, prices
    come from the store, and reasons with numbers or claims are replaced by a plain one."""
    import sys
    import types
    from dataclasses import dataclass

    con, _, s = shop
    unavailable = con.execute("SELECT product_id FROM product_variants GROUP BY 1 HAVING NOT bool_or(available) "
                              "LIMIT 1").fetchone()[0]

    @dataclass
    class Rec:
        product_id: str
        reason: str
        price: float = 999.0

    class FakeRecommender:
        @classmethod
        def load(cls, settings):
            return cls()

        def recommend(self, customer_id, k=10, context=None):
            return [Rec("NOPE-1", "ghost"), Rec(unavailable, "sold out"), Rec("P0003", "bought by 35% of fans"),
                    Rec("P0004", "goes with your last order")]

    monkeypatch.setitem(sys.modules, "retention.recommend", types.SimpleNamespace(Recommender=FakeRecommender))
    catalog = load_catalog(con)
    facts = load_facts(con, ["S00001"], catalog, s)["S00001"]
    assert [p.product_id for p in facts.featured] == ["P0003", "P0004"]
    assert facts.featured[0].reason in ("picked for you from your past orders", "根据您的购买记录为您挑选")
    assert facts.featured[1].reason == "goes with your last order"
    assert [p.price for p in facts.featured] == [catalog["P0003"].price, catalog["P0004"].price]
