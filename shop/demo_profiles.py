"""Synthetic but clearly marked customer profiles: names, emails (example.* domains only), phones (Ofcom's
reserved drama range), addresses, payment methods, consent flags and preferred language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shop.demo_base import DemoContext, rng
from shop.demo_personas import DEMO_PERSONAS

if TYPE_CHECKING:
    import pandas as pd

FIRST = ["Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William", "James", "Leo", "Alfie", "Henry", "Archie", "Joshua", "Freddie", "Isaac", "Samuel", "Edward", "Amelia", "Olivia", "Isla", "Emily", "Poppy", "Ava", "Isabella", "Jessica", "Lily", "Sophie", "Grace", "Sophia", "Mia", "Evie", "Ruby", "Ella", "Scarlett", "Chloe", "Florence", "Alice", "Hannah", "Lucy", "Daniel", "Ethan", "Ruth", "Margaret", "Peter", "Susan", "Claire", "Helen"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips", "Mason", "Mitchell", "Rose", "Davis", "Rodriguez", "Cox", "Alexander", "Morgan", "Moore", "Martin", "Price", "Turner", "Hughes", "Bennett", "Carter", "Cooper", "Ward", "Murphy", "Harris", "Baker", "Kelly", "Marshall", "Owen", "Fletcher"]
ZH_FIRST = ["Wei", "Fang", "Min", "Jing", "Li", "Na", "Lei", "Yan", "Jun", "Hui", "Xin", "Yu", "Hao", "Ting", "Qiang", "Mei", "Jie", "Ling", "Tao", "Xiu"]
ZH_LAST = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo"]
DOMAINS = ("example.com", "example.org", "example.net")
STREETS = ("High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road",
           "Park Avenue", "Mill Lane", "Kings Road", "Queen Street", "London Road", "The Crescent")
UK_CITIES = (("London", "SW1A"), ("Manchester", "M1"), ("Birmingham", "B1"), ("Leeds", "LS1"),
             ("Bristol", "BS1"), ("Liverpool", "L1"), ("Sheffield", "S1"), ("Nottingham", "NG1"),
             ("Brighton", "BN1"), ("Norwich", "NR1"), ("York", "YO1"), ("Cardiff", "CF10"))
CITIES = {"France": "Paris", "Germany": "Berlin", "EIRE": "Dublin", "Spain": "Madrid", "Netherlands": "Amsterdam",
          "Belgium": "Brussels", "Switzerland": "Zurich", "Portugal": "Lisbon", "Italy": "Rome",
          "Australia": "Sydney", "Norway": "Oslo", "Finland": "Helsinki", "Sweden": "Stockholm",
          "Denmark": "Copenhagen", "Japan": "Tokyo", "Austria": "Vienna", "Poland": "Warsaw", "USA": "New York"}
CONSENT_P = 0.70 / 0.95  # consent among the 95 % who did not unsubscribe: ~70 % overall
UNSUBSCRIBED_P = 0.05
ZH_P = 0.10


def make_profiles(ctx: DemoContext) -> dict[str, int]:
    """Fill names/emails/phones/consent/language for every customer; add addresses and payment methods for the
    Online Retail customers (τ-bench users bring their own). All demo customers are marked is_synthetic."""
    import numpy as np

    g = rng(ctx.seed, "profiles")
    c = ctx.df("SELECT customer_id, source, coalesce(country, 'United Kingdom') AS country FROM customers "
               "ORDER BY customer_id")
    n = len(c)
    unsub = g.random(n) < UNSUBSCRIBED_P
    consent = ~unsub & (g.random(n) < CONSENT_P)
    lang = np.where(g.random(n) < ZH_P, "zh", "en")
    c["preferred_language"], c["marketing_consent"], c["unsubscribed"] = lang, consent, unsub
    zh = lang == "zh"
    c["first_name"] = np.where(zh, g.choice(ZH_FIRST, n), g.choice(FIRST, n))
    c["last_name"] = np.where(zh, g.choice(ZH_LAST, n), g.choice(LAST, n))
    dom = g.choice(DOMAINS, n)
    c["email"] = [f"{f}.{la}.{cid}@{d}".lower() for f, la, cid, d in
                  zip(c["first_name"], c["last_name"], c["customer_id"], dom, strict=True)]
    # Numbers reserved for drama: UK 07700 900000-900999, North America 555-0100-0199.
    c["phone"] = [f"+44 7700 900{k:03d}" if src == "online_retail" else f"+1 202 555 01{k % 100:02d}"
                  for k, src in zip(g.integers(0, 1000, n), c["source"], strict=True)]
    _apply_personas(c)
    ctx.customers = ctx.customers.merge(c[["customer_id", "preferred_language"]], on="customer_id", how="left")
    ctx.customers["language"] = ctx.customers.pop("preferred_language").fillna("en")

    ors = c["source"] == "online_retail"
    upd = c.copy()
    # τ-bench users keep their own (also made-up) names and emails.
    for col in ("first_name", "last_name", "email"):
        upd[col] = upd[col].where(ors, None)
    ctx.con.register("_demo_profiles", upd)
    try:
        ctx.con.execute("""
            UPDATE customers AS c SET
                first_name = coalesce(p.first_name, c.first_name), last_name = coalesce(p.last_name, c.last_name),
                email = coalesce(p.email, c.email), phone = p.phone, marketing_consent = p.marketing_consent,
                unsubscribed = p.unsubscribed, preferred_language = p.preferred_language, is_synthetic = TRUE
            FROM _demo_profiles p WHERE c.customer_id = p.customer_id""")
    finally:
        ctx.con.unregister("_demo_profiles")

    orc = c[ors].reset_index(drop=True)
    addresses = _addresses(g, orc)
    payments = _payment_methods(g, orc)
    return {"customers": n, "addresses": ctx.insert("addresses", addresses),
            "payment_methods": ctx.insert("payment_methods", payments),
            "marketing_consent": int(consent.sum()), "unsubscribed": int(unsub.sum()), "zh": int(zh.sum())}


def _apply_personas(c: pd.DataFrame) -> None:
    for p in DEMO_PERSONAS.values():
        m = c["customer_id"] == p.customer_id
        c.loc[m, ["first_name", "last_name", "email", "preferred_language"]] = [p.first_name, p.last_name,
                                                                              p.email, p.language]
        c.loc[m, ["marketing_consent", "unsubscribed"]] = [True, False]


def _addresses(g: Any, c: pd.DataFrame) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    n = len(c)
    city_idx = g.integers(0, len(UK_CITIES), n)
    uk = c["country"].eq("United Kingdom").to_numpy()
    city = np.where(uk, [UK_CITIES[i][0] for i in city_idx], c["country"].map(CITIES).fillna("City Centre"))
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    zips = [f"{UK_CITIES[i][1]} {d}{a}{b}" if u else f"{k:05d}" for i, d, a, b, u, k in zip(
        city_idx, g.integers(1, 10, n), g.choice(letters, n), g.choice(letters, n), uk, g.integers(1000, 99999, n),
        strict=True)]
    a = pd.DataFrame({
        "address_id": c["customer_id"] + ":default", "customer_id": c["customer_id"],
        "address1": [f"{k} {s}" for k, s in zip(g.integers(1, 240, n), g.choice(STREETS, n), strict=True)],
        "address2": [f"Flat {k}" if f else None for k, f in zip(g.integers(1, 40, n), g.random(n) < 0.2, strict=True)],
        "city": city, "state": None, "zip": zips, "country": c["country"], "is_default": True})
    second = g.random(n) < 0.12  # a work or family address
    b = a[second].copy()
    b["address_id"] = b["customer_id"] + ":2"
    b["address1"] = [f"{k} {s}" for k, s in zip(g.integers(1, 240, len(b)), g.choice(STREETS, len(b)), strict=True)]
    b["is_default"] = False
    return pd.concat([a, b], ignore_index=True)


PENDING_GIFT_CARD_BALANCE = 20.0


def _payment_methods(g: Any, c: pd.DataFrame) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    n = len(c)
    card, paypal, gift = g.random(n) < 0.85, g.random(n) < 0.40, g.random(n) < 0.25
    card |= ~paypal  # everyone has a card or PayPal to pay with; a gift card holds a balance (refunds, top-ups)
    persona = c["customer_id"].isin([p.customer_id for p in DEMO_PERSONAS.values()]).to_numpy()
    card |= persona
    wallet = (c["customer_id"] == DEMO_PERSONAS["pending"].customer_id).to_numpy()
    paypal |= wallet  # the pending order's owner can switch its payment: PayPal, and a gift card too small to pay it
    gift |= wallet
    brand = g.choice(["visa", "mastercard", "amex"], n, p=[0.55, 0.35, 0.10])
    last4 = [f"{k:04d}" for k in g.integers(0, 10000, n)]
    balance = np.round(g.uniform(5, 200, n), 2)
    balance[wallet] = PENDING_GIFT_CARD_BALANCE
    cid = c["customer_id"]
    frames = [
        pd.DataFrame({"payment_method_id": "credit_card_" + cid, "customer_id": cid, "kind": "credit_card",
                      "brand": brand, "last_four": last4, "balance": None})[card],
        pd.DataFrame({"payment_method_id": "paypal_" + cid, "customer_id": cid, "kind": "paypal", "brand": None,
                      "last_four": None, "balance": None})[paypal],
        pd.DataFrame({"payment_method_id": "gift_card_" + cid, "customer_id": cid, "kind": "gift_card",
                      "brand": None, "last_four": None, "balance": balance})[gift],
    ]
    return pd.concat(frames, ignore_index=True)


