"""Per-customer facts a draft is written from, loaded set-based for a whole audience at once: names and contact
details, what they bought, their churn drivers, late-delivery tickets, and featured products (the recommender's
picks with reasons when its model exists, else popular available products from their favourite category)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retention.campaigns.models import FeaturedProduct

if TYPE_CHECKING:
    import duckdb

    from core.config import Settings


def display_name(name: str) -> str:
    """Online Retail descriptions are SHOUTED; show them in title case. Other names unchanged."""
    name = " ".join(name.split())
    return name.title() if name.isupper() else name


@dataclass
class CustomerFacts:
    customer_id: str
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    language: str
    marketing_consent: bool
    unsubscribed: bool
    bought: list[str] = field(default_factory=list)
    drivers: list[dict[str, Any]] = field(default_factory=list)
    late_delivery: bool = False
    featured: list[FeaturedProduct] = field(default_factory=list)


@dataclass
class CatalogEntry:
    name: str                 # display name
    price: float | None       # lowest available variant price; None when nothing is available
    available: bool


def load_catalog(con: duckdb.DuckDBPyConnection) -> dict[str, CatalogEntry]:
    rows = con.execute(
        """SELECT p.product_id, p.name, min(v.price) FILTER (WHERE v.available), bool_or(v.available)
           FROM products p LEFT JOIN product_variants v USING (product_id) GROUP BY ALL""").fetchall()
    return {pid: CatalogEntry(display_name(name), None if price is None else round(float(price), 2),
                              bool(avail)) for pid, name, price, avail in rows}


def _register_ids(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    import pyarrow as pa

    con.register("_campaign_ids", pa.table({"customer_id": pa.array(ids, pa.string())}))


_FEATURED_SQL = """
WITH bought AS (
    SELECT DISTINCT o.customer_id, i.product_id FROM orders o JOIN order_items i USING (order_id)
    JOIN _campaign_ids USING (customer_id) WHERE o.kind = 'sale' AND i.is_product AND i.product_id IS NOT NULL
), cat_spend AS (
    SELECT o.customer_id, p.category, sum(i.quantity * i.unit_price) AS spend
    FROM orders o JOIN order_items i USING (order_id) JOIN _campaign_ids USING (customer_id)
    JOIN products p ON p.product_id = i.product_id
    WHERE o.kind = 'sale' AND i.is_product AND p.category IS NOT NULL GROUP BY 1, 2
), top_cat AS (
    SELECT customer_id, category FROM cat_spend
    QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY spend DESC, category) = 1
), pop AS (
    SELECT p.product_id, p.category, count(DISTINCT o.customer_id) AS buyers
    FROM products p JOIN product_variants v ON v.product_id = p.product_id AND v.available
    LEFT JOIN order_items i ON i.product_id = p.product_id
    LEFT JOIN orders o ON o.order_id = i.order_id AND o.kind = 'sale'
    GROUP BY ALL
), ranked AS (
    SELECT * FROM pop QUALIFY row_number() OVER (PARTITION BY category ORDER BY buyers DESC, product_id) <= 30
)
SELECT t.customer_id, r.product_id, t.category FROM top_cat t JOIN ranked r ON r.category = t.category
WHERE NOT EXISTS (SELECT 1 FROM bought b WHERE b.customer_id = t.customer_id AND b.product_id = r.product_id)
QUALIFY row_number() OVER (PARTITION BY t.customer_id ORDER BY r.buyers DESC, r.product_id) <= ?
"""


_UNSAFE_REASON = re.compile(r"%|[£$€¥]|\d{4}|\d+ (?:left|days?)|guarant|best price|lowest|cheapest|hurry|保证|最低",
                            re.I)


def safe_reason(reason: object, language: str) -> str:
    """A recommender's reason goes into the message verbatim, so it must not carry numbers the validator would
    read as prices, discounts or dates, nor claims; such reasons (and very long ones) become a plain one."""
    text = " ".join(str(reason or "").split())
    if not text or len(text) > 120 or _UNSAFE_REASON.search(text):
        return "根据您的购买记录为您挑选" if language == "zh" else "picked for you from your past orders"
    return text


def _reason(category: str | None, language: str) -> str:
    if language == "zh":
        return f"{category}类热销商品，您买过这类商品" if category else "顾客最喜爱的商品之一"
    return (f"popular in {category.lower()}, a category you have bought from before" if category
            else "one of our customers' favourites")


def _fallback_featured(con: duckdb.DuckDBPyConnection, catalog: dict[str, CatalogEntry], k: int
                       ) -> tuple[dict[str, list[tuple[str, str | None]]], list[tuple[str, str | None]]]:
    """(customer -> [(product_id, category)]) from their favourite category, and the shop-wide popular list."""
    picks: dict[str, list[tuple[str, str | None]]] = {}
    for cid, pid, cat in con.execute(_FEATURED_SQL, [k]).fetchall():
        c = catalog.get(pid)
        if c and c.available and c.price is not None:
            picks.setdefault(cid, []).append((pid, cat))
    top = con.execute(
        """SELECT i.product_id FROM order_items i JOIN orders o USING (order_id)
           WHERE o.kind = 'sale' AND i.is_product AND i.product_id IS NOT NULL
           GROUP BY 1 ORDER BY count(DISTINCT o.customer_id) DESC, 1 LIMIT 50""").fetchall()
    popular: list[tuple[str, str | None]] = []
    for (p,) in top:
        if p in catalog and catalog[p].available and catalog[p].price is not None and len(popular) < k:
            popular.append((p, None))
    return picks, popular


def _recommender(settings: Settings | None) -> Any:
    """H5's recommender when its package and trained model exist; None otherwise (then the fallback is used)."""
    if settings is None:
        return None
    try:
        from retention.recommend import Recommender  # type: ignore[import-not-found,unused-ignore]

        return Recommender.load(settings)
    except Exception:  # no package, no trained model: the SQL fallback serves
        return None


def load_facts(con: duckdb.DuckDBPyConnection, customer_ids: list[str], catalog: dict[str, CatalogEntry],
               settings: Settings | None = None, k: int = 2) -> dict[str, CustomerFacts]:
    """Facts for every customer in `customer_ids` (set-based SQL; one query per kind of fact)."""
    _register_ids(con, customer_ids)
    facts: dict[str, CustomerFacts] = {}
    for row in con.execute(
            """SELECT c.customer_id, c.first_name, c.last_name, c.email, c.phone, c.preferred_language,
                      c.marketing_consent, c.unsubscribed
               FROM customers c JOIN _campaign_ids USING (customer_id)""").fetchall():
        facts[row[0]] = CustomerFacts(row[0], row[1], row[2], row[3], row[4], row[5] or "en", bool(row[6]),
                                      bool(row[7]))
    for cid, name in con.execute(
            """SELECT customer_id, name FROM (
                 SELECT o.customer_id, p.name, max(o.created_at) AS last_at
                 FROM orders o JOIN order_items i USING (order_id) JOIN _campaign_ids USING (customer_id)
                 JOIN products p ON p.product_id = i.product_id
                 WHERE o.kind = 'sale' AND i.is_product GROUP BY 1, 2)
               QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY last_at DESC, name) <= 2
               ORDER BY customer_id, last_at DESC, name""").fetchall():
        if cid in facts:
            facts[cid].bought.append(display_name(name))
    for cid, drivers in con.execute(
            """SELECT s.customer_id, s.drivers FROM churn_scores s JOIN _campaign_ids USING (customer_id)
               QUALIFY row_number() OVER (PARTITION BY s.customer_id ORDER BY s.as_of DESC) = 1""").fetchall():
        if cid in facts and drivers:
            parsed = json.loads(drivers) if isinstance(drivers, str) else drivers
            facts[cid].drivers = [d for d in parsed if isinstance(d, dict)]
    for (cid,) in con.execute(
            """SELECT DISTINCT t.customer_id FROM tickets t JOIN _campaign_ids USING (customer_id)
               WHERE t.category = 'late_delivery'""").fetchall():
        if cid in facts:
            facts[cid].late_delivery = True
    picks, popular = _fallback_featured(con, catalog, k)
    rec = _recommender(settings)
    for cid, f in facts.items():
        chosen: list[FeaturedProduct] = []
        if rec is not None:
            try:
                recs = rec.recommend(cid, k=k + 3)
            except Exception:
                recs = []
            for r in recs:
                c = catalog.get(str(r.product_id))
                if c and c.available and c.price is not None and len(chosen) < k:
                    chosen.append(FeaturedProduct(product_id=str(r.product_id), name=c.name, price=c.price,
                                                  reason=safe_reason(getattr(r, "reason", ""), f.language)))
        for pid, cat in picks.get(cid, []) + popular:
            if len(chosen) >= k:
                break
            if all(pid != q.product_id for q in chosen):
                c = catalog[pid]
                chosen.append(FeaturedProduct(product_id=pid, name=c.name, price=c.price or 0.0,
                                              reason=_reason(cat, f.language)))
        f.featured = chosen
    con.unregister("_campaign_ids")
    return facts
