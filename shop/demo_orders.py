"""Recent orders in every status for active customers, with items drawn from the τ-bench catalogue's variants
(real options such as size and colour), dated in the ~60 days before the shop's frozen today."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from shop.demo_base import DemoContext, day_time, rng
from shop.demo_personas import DEMO_PERSONAS, EXTRA_ORDERS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

STATUSES = ("pending", "processed", "delivered", "cancelled", "return requested", "exchange requested")
STATUS_P = (0.22, 0.14, 0.38, 0.10, 0.09, 0.07)
# (min, max) age in days before today, by status: a pending order is a few days old, a return request follows
# a delivery, and so on.
AGE_DAYS = {"pending": (1, 4), "processed": (1, 8), "delivered": (5, 60), "cancelled": (1, 60),
            "return requested": (10, 45), "exchange requested": (10, 45)}
SHARE_WITH_ORDER = 0.55  # of the active customers
SECOND_ORDER_P = 0.20
PERSONA_ITEMS = {"pending": ("T-Shirt", "Water Bottle"), "returnable": ("T-Shirt", "Sneakers"),
                 "chinese": ("Electric Kettle", "Backpack"), "vip": ("Coffee Maker",)}


def make_orders(ctx: DemoContext) -> dict[str, int]:
    import numpy as np
    import pandas as pd

    g = rng(ctx.seed, "orders")
    variants = ctx.df("""SELECT v.item_id, v.product_id, p.name, v.price FROM product_variants v
                         JOIN products p USING (product_id)
                         WHERE p.source = 'tau_retail' AND v.available ORDER BY v.item_id""")
    t = ctx.customers
    personas = {p.customer_id: p for p in DEMO_PERSONAS.values()}
    active = t[(t["source"] == "online_retail") & ~t["churned"] & ~t["customer_id"].isin(personas)]
    cids = active["customer_id"].to_numpy()
    cids = cids[g.random(len(cids)) < SHARE_WITH_ORDER]
    cids = np.concatenate([cids, cids[g.random(len(cids)) < SECOND_ORDER_P]])
    status = g.choice(STATUSES, len(cids), p=STATUS_P)
    lo = np.array([AGE_DAYS[s][0] for s in status])
    hi = np.array([AGE_DAYS[s][1] for s in status])
    age = lo + np.floor(g.random(len(cids)) * (hi - lo + 1)).astype(int)
    taken = set(ctx.df("SELECT order_id FROM orders")["order_id"])
    nums = g.choice(1_000_000, size=len(cids) + 64, replace=False)
    oids = [o for o in (f"#W8{k:06d}" for k in nums) if o not in taken][: len(cids)]
    orders = pd.DataFrame({"order_id": oids, "customer_id": cids, "status": status, "age": age})
    n_items = 1 + g.binomial(3, 0.3, len(orders))
    pick = np.floor(g.random(int(n_items.sum())) * len(variants)).astype(int)
    items = variants.iloc[pick].reset_index(drop=True)
    items.insert(0, "order_id", np.repeat(orders["order_id"].to_numpy(), n_items))

    p_orders, p_items = _persona_orders(variants)
    orders = pd.concat([orders, p_orders], ignore_index=True)
    items = pd.concat([items, p_items], ignore_index=True)
    orders["created_at"] = (ctx.today_ts - pd.to_timedelta(orders["age"], unit="D")
                            + pd.to_timedelta(day_time(g, len(orders)), unit="s"))
    x_orders, x_items = _extra_orders(ctx)
    orders = pd.concat([orders.assign(extra=False), x_orders.assign(extra=True)], ignore_index=True)
    items = pd.concat([items, x_items], ignore_index=True)
    return _write(ctx, g, orders, items, variants)


def _persona_orders(variants: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    import pandas as pd

    first = variants.groupby("name", sort=True).first()
    rows, items = [], []
    for key, names in PERSONA_ITEMS.items():
        p = DEMO_PERSONAS[key]
        rows.append({"order_id": p.order_id, "customer_id": p.customer_id, "status": p.order_status,
                     "age": p.order_age_days})
        for nm in names:
            v = first.loc[nm]
            items.append({"order_id": p.order_id, "item_id": v["item_id"], "product_id": v["product_id"],
                          "name": nm, "price": v["price"]})
    return pd.DataFrame(rows), pd.DataFrame(items)


def _extra_orders(ctx: DemoContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The personas' further orders (EXTRA_ORDERS), placed at 10:30 on their day and drawing nothing from the
    random stream, so every other order is the same as without them."""
    import pandas as pd

    variants = ctx.df("""SELECT v.item_id, v.product_id, p.name, v.price, v.options->>'color' AS color
                         FROM product_variants v JOIN products p USING (product_id)
                         WHERE p.source = 'tau_retail' AND v.available ORDER BY v.item_id""")
    rows, items = [], []
    for o in EXTRA_ORDERS:
        created = ctx.today_ts - pd.Timedelta(days=o.age_days) + pd.Timedelta(hours=10, minutes=30)
        rows.append({"order_id": o.order_id, "customer_id": DEMO_PERSONAS[o.key].customer_id, "status": o.status,
                     "age": o.age_days, "created_at": created})
        for name, color in o.items:
            pick = variants[(variants["name"] == name) & ((variants["color"] == color) if color else True)]
            v = pick.iloc[0]
            items.append({"order_id": o.order_id, "item_id": v["item_id"], "product_id": v["product_id"],
                          "name": name, "price": v["price"]})
    return pd.DataFrame(rows), pd.DataFrame(items)


def _write(ctx: DemoContext, g: np.random.Generator, orders: pd.DataFrame, items: pd.DataFrame,
           variants: pd.DataFrame) -> dict[str, int]:
    import pandas as pd

    addr = ctx.df("SELECT * FROM addresses WHERE is_default ORDER BY customer_id")
    addr["ship"] = [json.dumps({k: r[k] if isinstance(r[k], str) else None
                                for k in ("address1", "address2", "city", "country", "state", "zip")})
                    for r in addr.to_dict("records")]
    pms = ctx.df("SELECT customer_id, payment_method_id FROM payment_methods WHERE kind <> 'gift_card' "
                 "ORDER BY customer_id, kind <> 'credit_card', payment_method_id")
    pm_first = pms.groupby("customer_id").first()["payment_method_id"]
    orders = orders.merge(addr[["customer_id", "ship", "country"]], on="customer_id", how="left")
    orders["ship_address"] = orders.pop("ship")
    orders["payment_method_id"] = orders["customer_id"].map(pm_first)
    shipped = orders["status"].isin(["processed", "delivered", "return requested", "exchange requested"])
    drawn = g.integers(10**11, 10**12 - 1, int((~orders["extra"]).sum()))  # the extra orders' are fixed
    numbers = list(drawn) + [900000000000 + k for k in range(int(orders["extra"].sum()))]
    orders["tracking_ids"] = [json.dumps([f"{k:012d}"]) if s else "[]" for k, s in
                              zip(numbers, shipped, strict=True)]
    step = {"pending": 0, "processed": 1, "delivered": 4, "cancelled": 1, "return requested": 8,
            "exchange requested": 8}
    orders["updated_at"] = orders["created_at"] + pd.to_timedelta(orders["status"].map(step), unit="D")
    orders["updated_at"] = orders["updated_at"].where(orders["updated_at"] < ctx.today_ts,
                                                      ctx.today_ts - pd.Timedelta(minutes=5))
    orders["kind"], orders["source"] = "sale", "demo"

    items = items.merge(orders[["order_id", "status"]], on="order_id")
    items["line_no"] = items.groupby("order_id", sort=False).cumcount() + 1
    items["quantity"], items["is_product"] = 1, True
    items["unit_price"], items["description"] = items.pop("price"), items.pop("name")
    req = items["status"].isin(["return requested", "exchange requested"]) & (items["line_no"] == 1)
    items["status"] = items["status"].where(req, None)
    alt = variants.groupby("product_id")["item_id"].agg(list)
    items["exchange_item_id"] = [_other(alt.get(p, [i]), i, g) if s == "exchange requested" else None
                                 for p, i, s in zip(items["product_id"], items["item_id"], items["status"],
                                                    strict=True)]
    total = items.groupby("order_id")["unit_price"].sum().round(2)
    pay = orders[["order_id", "payment_method_id", "created_at"]].assign(
        seq=1, transaction_type="payment", amount=orders["order_id"].map(total))
    refund = pay[orders["status"].eq("cancelled").to_numpy()].assign(seq=2, transaction_type="refund")
    payments = pd.concat([pay, refund], ignore_index=True)
    cols = ["order_id", "customer_id", "status", "kind", "created_at", "country", "ship_address",
            "payment_method_id", "tracking_ids", "source", "updated_at"]
    n_o = ctx.insert("orders", orders[cols])
    n_i = ctx.insert("order_items", items[["order_id", "line_no", "item_id", "product_id", "description",
                                           "quantity", "unit_price", "is_product", "status", "exchange_item_id"]])
    n_p = ctx.insert("payments", payments[["order_id", "seq", "transaction_type", "amount", "payment_method_id",
                                           "created_at"]])
    counts = orders["status"].value_counts()
    return {"orders": n_o, "order_items": n_i, "payments": n_p,
            **{f"status:{s}": int(counts.get(s, 0)) for s in STATUSES}}


def _other(options: list[str], current: str, g: Any) -> str:
    others = [o for o in options if o != current]
    return str(others[int(g.integers(0, len(others)))]) if others else current
