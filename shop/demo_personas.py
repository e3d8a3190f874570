"""Named demo customers that other parts (agent conversations, browser tests, docs) can rely on.

Each persona is a real Online Retail customer (its purchase history is real) whose synthetic profile and
recent situation the demo sets explicitly, so ids, emails and order ids are the same for every seed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Persona:
    """A demo customer with a known situation."""

    key: str
    customer_id: str
    first_name: str
    last_name: str
    email: str
    language: str
    description: str
    order_id: str | None = None       # the demo order the persona's story is about (None: none made)
    order_status: str | None = None
    order_age_days: int | None = None  # days before the shop's frozen today
    ticket_id: str | None = None


DEMO_PERSONAS: dict[str, Persona] = {p.key: p for p in (
    Persona("pending", "15854", "Olivia", "Bennett", "olivia.bennett@example.com", "en",
            "Regular UK buyer (12 real invoices) with a PENDING order she can still cancel or modify; pays by "
            "card, and also holds PayPal and a gift card with 20.00 on it.",
            order_id="#W9000001", order_status="pending", order_age_days=1),
    Persona("returnable", "16985", "Harry", "Fletcher", "harry.fletcher@example.org", "en",
            "Repeat buyer with a DELIVERED order from 8 days ago: inside the return/exchange window; the items are "
            "catalogue variants with options (size, colour).",
            order_id="#W9000002", order_status="delivered", order_age_days=8),
    Persona("at_risk", "15581", "Grace", "Holloway", "grace.holloway@example.net", "en",
            "Once-frequent buyer (13 invoices) who stopped in August 2011: high churn risk, visits faded before "
            "she stopped, and an OPEN late-delivery ticket on her last order.",
            ticket_id="T9000001"),
    Persona("chinese", "14673", "Fang", "Wang", "wang.fang@example.com", "zh",
            "Chinese-speaking customer (preferred_language 'zh') with a DELIVERED order from 12 days ago.",
            order_id="#W9000003", order_status="delivered", order_age_days=12),
    Persona("vip", "12583", "Camille", "Durand", "camille.durand@example.fr", "en",
            "High-value French customer (15 invoices, the last on 2011-12-07): a champion, low risk; also has "
            "a PROCESSED (shipped, not yet delivered) order.",
            order_id="#W9000004", order_status="processed", order_age_days=3),
)}


@dataclass(frozen=True)
class PersonaOrder:
    """A further demo order of a persona, for multi-turn conversations about single items: items are
    (product name, colour or None), the colour picking that product's first available variant in it."""

    order_id: str
    key: str
    status: str
    age_days: int
    items: tuple[tuple[str, str | None], ...]


EXTRA_ORDERS: tuple[PersonaOrder, ...] = (
    PersonaOrder("#W9000005", "returnable", "delivered", 5,
                 (("Bicycle", None), ("T-Shirt", "blue"), ("T-Shirt", "red"))),
    PersonaOrder("#W9000006", "returnable", "pending", 2, (("Backpack", None), ("Desk Lamp", None), ("Yoga Mat", None))),
    PersonaOrder("#W9000007", "vip", "pending", 1, (("Perfume", None), ("Notebook", None))),
    PersonaOrder("#W9000008", "chinese", "pending", 2, (("Electric Toothbrush", None), ("T-Shirt", "blue"),
                                                        ("T-Shirt", "red"))),
)


def persona_ids() -> list[str]:
    return [p.customer_id for p in DEMO_PERSONAS.values()]
