"""A small seeded shop with churn scores, for unit tests and `retain bench campaign` (no demo build needed).

Everything is made up and marked synthetic; it exercises every campaign rule: consent, unsubscribes, the
frequency cap, open complaints, late-delivery tickets, Chinese-speaking customers, unavailable products.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import TYPE_CHECKING

from shop.clock import freeze_today

if TYPE_CHECKING:
    import duckdb

FIRST = ["Anna", "Ben", "Chloe", "Daniel", "Emma", "Finn", "Grace", "Harry", "Isla", "Jack", "Lily", "Mason",
         "Nora", "Oscar", "Poppy", "Ruby", "Sam", "Theo", "Wei", "Mei", "Li", "Yusuf", "Zara", "Amelie"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright",
        "Zhang", "Wang", "Chen", "Liu", "Khan", "Murphy", "Kelly", "Novak", "Moreau", "Rossi"]
CATEGORIES = ["Home Decor", "Kitchen", "Gifts", "Garden", "Stationery", "Toys"]
DRIVERS = [("days_since_last_order", "no order for a long time"), ("frequency_trend", "ordering less often"),
           ("negative_review", "a negative review"), ("returns_rate", "returned items"),
           ("monetary_trend", "spending less")]
SEGMENTS = ["champions", "loyal", "potential loyalists", "at risk", "can't lose", "hibernating", "lost", "new"]
TODAY = dt.date(2011, 12, 10)


def seed_store(con: duckdb.DuckDBPyConnection, n_customers: int = 200, seed: int = 0, n_products: int = 60,
               today: dt.date = TODAY) -> dt.date:
    """Fill an empty migrated store; returns the frozen shop 'today'."""
    import pyarrow as pa

    rng = random.Random(seed)
    freeze_today(con, today)
    products, variants = [], []
    for i in range(n_products):
        cat = CATEGORIES[i % len(CATEGORIES)]
        pid = f"P{i:04d}"
        products.append((pid, f"{rng.choice(['Blue', 'Red', 'Vintage', 'Classic', 'Floral'])} "
                              f"{rng.choice(['Mug', 'Lantern', 'Notebook', 'Tin', 'Cushion', 'Bag'])} {i}", cat))
        for j in range(rng.choice([1, 1, 2])):
            variants.append((f"{pid}-{j}", pid, round(rng.uniform(1.5, 60), 2), i % 13 != 7 or j > 0))
    customers, orders, items, scores, tickets, sends = [], [], [], [], [], []
    for c in range(n_customers):
        cid = f"S{c:05d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        lang = "zh" if rng.random() < 0.15 else "en"
        customers.append((cid, "demo", first, last, f"{first.lower()}.{last.lower()}{c}@mail.example",
                          f"+4477{c:08d}" if rng.random() < 0.7 else None, "United Kingdom",
                          rng.random() < 0.85, rng.random() < 0.05, lang, True))
        for k in range(rng.randint(1, 5)):
            oid = f"O{c:05d}-{k}"
            when = dt.datetime.combine(today, dt.time(12)) - dt.timedelta(days=rng.randint(5, 400))
            orders.append((oid, cid, "delivered", "sale", when, "United Kingdom", "demo"))
            for line in range(rng.randint(1, 3)):
                v = rng.choice(variants)
                items.append((oid, line, v[0], v[1], rng.randint(1, 4), v[2], True))
        p = rng.random()
        band = "high" if p >= 0.6 else "medium" if p >= 0.3 else "low"
        drv = rng.sample(DRIVERS, 2)
        scores.append((cid, today, p, band, json.dumps([{"feature": f, "text": t, "contribution": 0.1}
                                                        for f, t in drv]),
                       rng.choice(SEGMENTS), round(rng.uniform(0, 800), 2), "lapsing", "synthetic"))
        r = rng.random()
        if r < 0.10:
            tickets.append((f"T{c}", cid, "late_delivery", "resolved", today - dt.timedelta(days=40)))
        elif r < 0.15:
            tickets.append((f"T{c}", cid, "complaint", "open", today - dt.timedelta(days=3)))
        if rng.random() < 0.03:
            sends.append(("C-PRIOR", cid, "email", "A", dt.datetime.combine(today, dt.time(9))
                          - dt.timedelta(days=rng.randint(1, 30))))

    def put(table: str, cols: list[str], rows: list[tuple]) -> None:  # type: ignore[type-arg]
        if not rows:
            return
        data = {c: [r[i] for r in rows] for i, c in enumerate(cols)}
        con.register("_seed", pa.table(data))
        con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _seed")
        con.unregister("_seed")

    put("products", ["product_id", "name", "category", "source"], [(a, b, c, "demo") for a, b, c in products])
    put("product_variants", ["item_id", "product_id", "price", "available"], variants)
    put("customers", ["customer_id", "source", "first_name", "last_name", "email", "phone", "country",
                      "marketing_consent", "unsubscribed", "preferred_language", "is_synthetic"], customers)
    put("orders", ["order_id", "customer_id", "status", "kind", "created_at", "country", "source"], orders)
    put("order_items", ["order_id", "line_no", "item_id", "product_id", "quantity", "unit_price", "is_product"],
        items)
    put("churn_scores", ["customer_id", "as_of", "churn_probability", "risk_band", "drivers", "segment",
                         "clv_12m", "lifecycle_stage", "model_version"], scores)
    put("tickets", ["ticket_id", "customer_id", "category", "status", "created_at"], tickets)
    put("campaign_sends", ["campaign_id", "customer_id", "channel", "arm", "sent_at"], sends)
    return today
