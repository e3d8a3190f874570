"""The draft validator: crafted bad drafts are all caught (tests/eval/bad_drafts), good drafts are never flagged."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from retention.campaigns import store as st
from retention.campaigns.drafts import format_date, unsubscribe_url
from retention.campaigns.facts import display_name
from retention.campaigns.models import AudienceSpec, CampaignSpec, Draft
from retention.campaigns.offers import offer_code
from retention.campaigns.service import draft, plan
from retention.campaigns.synthetic import seed_store
from retention.campaigns.validator import ValidationContext, validate

CASES = json.loads((Path(__file__).resolve().parents[1] / "eval" / "bad_drafts" / "cases.json").read_text())


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from shop.db import connect

    con = connect(None)
    today = seed_store(con, 400, seed=11)
    s = Settings(data_dir=tmp_path_factory.mktemp("campaign") / "data")
    spec = CampaignSpec(audience=AudienceSpec(risk_bands=None), channels=["email", "sms", "push"],
                        holdout_share=0.0)
    cid = plan(con, s, spec)["campaign_id"]
    report = draft(con, s, cid)
    ctx = ValidationContext.from_store(con, spec, s.policy, today, cid)
    rows = st.drafts(con, cid)
    yield {"con": con, "today": today, "cid": cid, "ctx": ctx, "report": report, "rows": rows, "spec": spec}
    con.close()


def test_campaign_good_drafts_never_flagged(drafted):
    """Every rendered draft (3 channels, English and Chinese, all tones and offers) passes, first time."""
    rows = drafted["rows"]
    assert len(rows) >= 200
    assert {r["channel"] for r in rows} == {"email", "sms", "push"}
    assert {r["language"] for r in rows} == {"en", "zh"}
    assert drafted["report"]["flagged"] == 0 and drafted["report"]["regenerated"] == 0
    for r in rows[:400]:
        assert validate(Draft.model_validate_json(r["draft"]), drafted["ctx"]) == [], r["body"]


def test_campaign_good_drafts_other_seeds_never_flagged(drafted, tmp_path):
    """Other phrasings (other seeds and tones) are also clean: 200 more drafts."""
    con, spec = drafted["con"], drafted["spec"]
    s = Settings(data_dir=tmp_path)
    spec2 = spec.model_copy(update={"seed": 99, "variants": [v.model_copy(update={"tone": "playful"})
                                                             for v in spec.variants]})
    cid = plan(con, s, spec2)["campaign_id"]
    report = draft(con, s, cid)
    assert report["drafts"] >= 200 and report["flagged"] == 0, report["flag_reasons"]


def _base(drafted: dict[str, Any], channel: str, lang: str) -> Draft:
    ctx = drafted["ctx"]
    for r in drafted["rows"]:
        d = Draft.model_validate_json(r["draft"])
        c = ctx.customers[d.customer_id]
        if (d.channel == channel and d.language == lang and c.first_name and c.last_name and not c.top_tier
                and d.offer.kind == "percent" and d.offer.discount_pct in (10, 15, 20)
                and (channel != "email" or d.products)):
            return d
    raise AssertionError(f"no base draft for {channel}/{lang}")


def _placeholders(drafted: dict[str, Any], d: Draft) -> dict[str, str]:
    con, ctx, today, cid = drafted["con"], drafted["ctx"], drafted["today"], drafted["cid"]
    me = ctx.customers[d.customer_id]
    other_id, other = next((k, c) for k, c in ctx.customers.items() if c.first_name and c.last_name
                           and c.first_name != me.first_name and c.last_name != me.last_name)
    unavailable = con.execute("SELECT p.product_id, p.name FROM products p JOIN product_variants v USING "
                              "(product_id) GROUP BY ALL HAVING NOT bool_or(v.available) LIMIT 1").fetchone()
    (nonconsent,) = con.execute("SELECT customer_id FROM customers WHERE NOT marketing_consent LIMIT 1").fetchone()
    short = d.channel != "email"
    price = d.products[0].price if d.products else 0.0
    sym = ctx.policy.currency_symbol
    yesterday = today - dt.timedelta(days=1)
    return {
        "price0": f"{sym}{price:,.2f}", "price0x2": f"{sym}{price * 2:,.2f}",
        "price0plus1p": f"{sym}{price + 0.01:,.2f}", "price0_num": f"{price:.2f}",
        "name0": d.products[0].name if d.products else "", "pct": str(d.offer.discount_pct),
        "code": d.offer.code, "other_code": offer_code(cid, other_id),
        "expires": format_date(d.offer.expires_on, d.language, short), "unsub": d.unsubscribe_url,
        "other_unsub": unsubscribe_url(drafted["spec"].shop_url, cid, other_id),
        "sender": drafted["spec"].sender_name, "shop": drafted["spec"].shop_name,
        "first_name": me.first_name or "", "other_first": other.first_name or "",
        "other_full": f"{other.first_name} {other.last_name}", "other_email": other.email or "",
        "unavailable_pid": unavailable[0], "unavailable_name": display_name(unavailable[1]),
        "nonconsent_cid": nonconsent, "today": today.isoformat(), "yesterday": yesterday.isoformat(),
        "yesterday_text": format_date(yesterday, d.language, short),
        "far": (today + dt.timedelta(days=60)).isoformat(),
    }


def _fill(value: Any, ph: dict[str, str]) -> Any:
    if not isinstance(value, str):
        return value
    for k, v in ph.items():
        value = value.replace(f"<<{k}>>", v)
    assert "<<" not in value, f"unknown placeholder in {value!r}"
    return value


def _apply(d: Draft, ops: list[dict[str, Any]], ph: dict[str, str]) -> Draft:
    data = d.model_dump(mode="json")
    for op in ops:
        if op["op"] in ("replace", "append"):
            text = data[op["field"]] or ""
            if op["op"] == "append":
                data[op["field"]] = text + ("\n" if op["field"] == "body" and d.channel == "email" else "") \
                    + _fill(op["text"], ph)
                continue
            old, new = _fill(op["old"], ph), _fill(op["new"], ph)
            if op.get("must", True):
                assert old and old in text, f"{old!r} is not in the {op['field']}: {text!r}"
            data[op["field"]] = text.replace(old, new) if op["all"] else text.replace(old, new, 1)
        else:
            *parents, leaf = op["path"].split(".")
            node: Any = data
            for p in parents:
                node = node[int(p)] if isinstance(node, list) else node[p]
            key: Any = int(leaf) if isinstance(node, list) else leaf
            node[key] = round(node[key] * op["factor"], 2) if op["op"] == "scale" else _fill(op["value"], ph)
    return Draft.model_validate(data)


def test_campaign_bad_drafts_enough_cases():
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert len({c["expect"] for c in CASES}) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_campaign_bad_drafts_caught(drafted, case):
    base = _base(drafted, case["channel"], case["lang"])
    assert validate(base, drafted["ctx"]) == []
    bad = _apply(base, case["ops"], _placeholders(drafted, base))
    assert bad != base
    codes = [i.code for i in validate(bad, drafted["ctx"])]
    assert case["expect"] in codes, f"{case['id']}: expected {case['expect']}, got {codes}"
