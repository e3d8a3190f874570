"""Win-back campaign end to end on the demo shop, through the CLI: plan, drafts, validation, approval, export,
simulated outcomes, uplift report."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from cli.main import app

# Until the churn model's scores are in the demo (retention.pipeline.train_and_score), score by a simple
# recency rule so the campaign loop can still be exercised on the demo shop's real customers and catalogue.
RULE_SCORES_SQL = """
INSERT INTO churn_scores (customer_id, as_of, churn_probability, risk_band, drivers, segment, clv_12m,
                          lifecycle_stage, model_version)
WITH f AS (
    SELECT o.customer_id, date_diff('day', max(o.created_at)::DATE, ?::DATE) AS days,
           count(DISTINCT o.order_id) AS n, sum(i.quantity * i.unit_price) AS spend
    FROM orders o JOIN order_items i USING (order_id)
    WHERE o.kind = 'sale' AND o.customer_id IS NOT NULL GROUP BY 1
), p AS (SELECT *, 1 - exp(-greatest(days, 0) / 150.0) AS prob FROM f)
SELECT customer_id, ?::DATE, prob,
       CASE WHEN prob >= 0.6 THEN 'high' WHEN prob >= 0.3 THEN 'medium' ELSE 'low' END,
       json_array(json_object('feature', 'days_since_last_order', 'value', days,
                              'text', 'no order for ' || days || ' days')),
       CASE WHEN n >= 10 AND days < 60 THEN 'champions' WHEN n >= 5 AND days < 120 THEN 'loyal'
            WHEN n >= 5 THEN 'can''t lose' WHEN days > 300 THEN 'lost' WHEN days > 180 THEN 'hibernating'
            WHEN days > 90 THEN 'at risk' WHEN n = 1 THEN 'new' ELSE 'potential loyalists' END,
       greatest(spend, 0) * 0.5,
       CASE WHEN days > 180 THEN 'lapsed' WHEN days > 90 THEN 'lapsing' ELSE 'active' END, 'rule'
FROM p
"""


def _cli(settings, *args: str) -> dict:
    r = CliRunner().invoke(app, ["--data-dir", str(settings.data_dir), "campaign", *args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_campaign_end_to_end_on_demo_shop(demo_copy, tmp_path):
    from shop.clock import shop_today
    from shop.db import connect

    con = connect(demo_copy.db_path)
    today = shop_today(con)
    (n_scores,) = con.execute("SELECT count(*) FROM churn_scores WHERE as_of <= ?", [today]).fetchone()
    if n_scores == 0:
        con.execute(RULE_SCORES_SQL, [today, today])
    con.close()

    plan = _cli(demo_copy, "plan", "--risk", "high,medium", "--channels", "email,sms", "--holdout", "0.2",
                "--variants", "A:warm,B:direct")
    cid = plan["campaign_id"]
    assert plan["audience"] >= 100 and plan["arms"]["control"] >= 20

    drafted = _cli(demo_copy, "draft", cid)
    assert drafted["drafts"] > 0 and drafted["valid"] + drafted["flagged"] == drafted["drafts"]
    assert drafted["valid"] >= 0.95 * drafted["drafts"], drafted["flag_reasons"]
    assert drafted["languages"].get("zh", 0) > 0

    approved = _cli(demo_copy, "approve", cid, "--by", "e2e")
    assert approved["approved"] == drafted["valid"]

    out = tmp_path / "exports"
    exported = _cli(demo_copy, "export", cid, "--out", str(out))
    with open(out / f"{cid}_sends.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == exported["sends"] > 0

    con = connect(demo_copy.db_path)
    consent = dict(con.execute("SELECT customer_id, marketing_consent AND NOT unsubscribed FROM customers").fetchall())
    flagged = {(r[0], r[1]) for r in con.execute("SELECT customer_id, channel FROM campaign_drafts WHERE "
                                                 "campaign_id = ? AND status = 'flagged'", [cid]).fetchall()}
    prices = dict(con.execute("SELECT product_id, min(price) FROM product_variants WHERE available "
                              "GROUP BY 1").fetchall())
    late = {r[0] for r in con.execute("SELECT customer_id FROM tickets WHERE category = 'late_delivery'").fetchall()}
    drafts = [json.loads(r[0]) for r in con.execute("SELECT draft FROM campaign_drafts WHERE campaign_id = ? AND "
                                                    "channel = 'email'", [cid]).fetchall()]
    con.close()
    assert all(consent[r["customer_id"]] for r in rows)
    assert not flagged & {(r["customer_id"], r["channel"]) for r in rows}
    for d in drafts:   # featured products are real, available and priced as in the store
        for p in d["products"]:
            assert round(prices[p["product_id"]], 2) == p["price"]
    apologies = [d for d in drafts if d["customer_id"] in late]
    assert apologies and all(("sorry" in d["body"] or "apolog" in d["body"] or "歉" in d["body"])
                             for d in apologies)

    # the demo's at-risk persona (an open late-delivery ticket) is contacted, and her message opens with an apology
    from retention.campaigns.service import preview

    con = connect(demo_copy.db_path)
    in_audience = con.execute("SELECT count(*) FROM campaign_audience WHERE campaign_id = ? AND customer_id = "
                              "'15581'", [cid]).fetchone() == (1,)
    grace = preview(con, demo_copy, cid, "15581")
    con.close()
    assert (grace is not None) == in_audience
    if grace is not None:
        d, issues = grace
        assert issues == [] and "Grace" in d.body.split("\n", 1)[0]
        assert any(w in d.body.split("\n\n")[1] for w in ("sorry", "apolog"))

    report = _cli(demo_copy, "analyze", cid, "--simulate", "--effect", "A=0.15,B=0.05")
    assert set(report["arms"]) == {"control", "A", "B"}
    a = report["uplift_vs_control"]["A"]
    assert a["absolute_ci"][0] <= report["true_uplift"]["A"] <= a["absolute_ci"][1]
    assert 0 <= a["p_value"] <= 1 and "incremental_revenue" in a
    assert len(report["arms"]["A"]["retention_curve"]) == report["window_days"] + 1
