"""Reviews (real review texts with their real star ratings, CC0) and support tickets.

Reviews go on products the customer received, dated after the purchase; customers who churn give low ratings more
often. Tickets (late_delivery, damaged, refund, payment, account, complaint) are about the customer's own orders,
more frequent among churners and clustered around the time they stopped; recent ones are often still open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shop.demo_base import DemoContext, id_strings, rng
from shop.demo_personas import DEMO_PERSONAS
from shop.demo_subset import REVIEWS_SUBSET, read_text_csv

if TYPE_CHECKING:
    import pandas as pd

REVIEW_P = 0.035                       # of received (customer, product) pairs
CHURN_RATING_WEIGHT = (3.0, 2.5, 1.5, 1.0, 0.7)  # x the real rating mix, for stars 1..5
TICKETS_PER_CUSTOMER = {"active": 0.25, "churned": 0.9}
CATEGORIES = ("late_delivery", "damaged", "refund", "payment", "account", "complaint")
CAT_P = {"active": (0.20, 0.15, 0.15, 0.15, 0.25, 0.10), "churned": (0.30, 0.20, 0.15, 0.08, 0.05, 0.22)}
SUBJECTS = {
    "en": {"late_delivery": ("Where is my order {o}?", "My order {o} has not arrived yet and the delivery date "
                             "has passed. Can you tell me where it is?"),
           "damaged": ("Item arrived damaged ({o})", "One of the items in order {o} arrived broken. What can you do?"),
           "refund": ("Refund not received for {o}", "I returned items from order {o} but have not seen the refund."),
           "payment": ("Charged twice for {o}", "My card seems to have been charged twice for order {o}."),
           "account": ("Cannot log in", "I cannot log in to my account; the password reset email never arrives."),
           "complaint": ("Disappointed with order {o}", "The quality of the items in order {o} was not what I "
                         "expected from your shop.")},
    "zh": {"late_delivery": ("我的订单 {o} 在哪里？", "订单 {o} 还没有送到，已经过了预计送达日期。"),
           "damaged": ("商品损坏（{o}）", "订单 {o} 中有一件商品到货时已经损坏。"),
           "refund": ("{o} 的退款还没收到", "我退回了订单 {o} 的商品，但还没有收到退款。"),
           "payment": ("{o} 被重复扣款", "订单 {o} 好像被扣了两次款。"),
           "account": ("无法登录", "我无法登录账户，重置密码的邮件一直收不到。"),
           "complaint": ("对订单 {o} 不满意", "订单 {o} 的商品质量不如预期。")},
}


def make_reviews(ctx: DemoContext) -> dict[str, int]:
    import numpy as np
    import pandas as pd

    g = rng(ctx.seed, "reviews")
    pool = read_text_csv(REVIEWS_SUBSET, index_col=0)
    pool["rating"] = pool["Rating"].astype(int)
    pairs = ctx.df("""SELECT o.customer_id, i.product_id, min(o.created_at) AS bought FROM orders o
                      JOIN order_items i USING (order_id)
                      WHERE o.kind = 'sale' AND o.status IN ('delivered', 'return requested', 'exchange requested')
                        AND o.customer_id IS NOT NULL AND i.is_product AND i.quantity > 0
                      GROUP BY ALL ORDER BY 1, 2""")
    pairs = pairs[g.random(len(pairs)) < REVIEW_P].reset_index(drop=True)
    churned = pairs["customer_id"].map(ctx.customers.set_index("customer_id")["churned"]).fillna(False).to_numpy()
    mix = pool["rating"].value_counts().reindex(range(1, 6), fill_value=0).to_numpy(dtype=float)
    p_act = mix / mix.sum()
    p_churn = mix * np.array(CHURN_RATING_WEIGHT)
    p_churn /= p_churn.sum()
    u = g.random(len(pairs))
    rating = np.where(churned, np.searchsorted(np.cumsum(p_churn), u), np.searchsorted(np.cumsum(p_act), u)) + 1
    rating = np.minimum(rating, 5)
    # Each real review is used once while its star pool lasts.
    text_idx = np.empty(len(pairs), dtype=int)
    for r in range(1, 6):
        want = np.flatnonzero(rating == r)
        have = np.flatnonzero(pool["rating"].to_numpy() == r)
        perm = g.permutation(have)
        text_idx[want] = perm[np.arange(len(want)) % len(perm)]
    delay = pd.to_timedelta(np.round((3 + g.exponential(10, len(pairs))) * 86400), unit="s")
    created = pairs["bought"] + delay
    keep = (created < ctx.today_ts).to_numpy()
    chosen = pool.iloc[text_idx[keep]]
    out = pd.DataFrame({"customer_id": pairs["customer_id"][keep].to_numpy(),
                        "product_id": pairs["product_id"][keep].to_numpy(), "rating": rating[keep],
                        "title": chosen["Title"].replace("", None).to_numpy(),
                        "body": chosen["Review Text"].to_numpy(), "created_at": created[keep].to_numpy(),
                        "source": "demo"}).sort_values(["created_at", "customer_id", "product_id"], kind="stable")
    out.insert(0, "review_id", id_strings("R", 1, len(out)))
    return {"reviews": ctx.insert("reviews", out)}


def make_tickets(ctx: DemoContext) -> dict[str, int]:
    import numpy as np
    import pandas as pd

    g = rng(ctx.seed, "tickets")
    t = ctx.customers
    state = np.where(t["churned"], "churned", "active")
    n = g.poisson([TICKETS_PER_CUSTOMER[s] for s in state])
    ci = np.repeat(np.arange(len(t)), n)
    today = ctx.today_ts
    first, last = t["first"].to_numpy()[ci], t["last"].to_numpy()[ci]
    churned = t["churned"].to_numpy()[ci]
    lo = np.where(churned, np.maximum(first, last - np.timedelta64(60, "D")),
                  np.maximum(first, np.datetime64(today - pd.Timedelta(days=365))))
    hi = np.where(churned, last + np.timedelta64(20, "D"), np.datetime64(today))
    hi = np.minimum(hi, np.datetime64(today - pd.Timedelta(hours=1)))
    span = np.maximum((hi - lo).astype("timedelta64[s]").astype("int64"), 0)
    created = lo + (g.random(len(ci)) * span).astype("int64").astype("timedelta64[s]")
    cat = np.array([g.choice(CATEGORIES, p=CAT_P[s]) for s in np.where(churned, "churned", "active")], dtype=object)
    tk = pd.DataFrame({"customer_id": t["customer_id"].to_numpy()[ci], "created_at": created, "category": cat,
                       "language": t["language"].to_numpy()[ci]}).sort_values("created_at", kind="stable")
    orders = ctx.df("""SELECT order_id, customer_id, created_at AS order_at FROM orders
                       WHERE kind = 'sale' AND customer_id IS NOT NULL ORDER BY created_at, order_id""")
    tk = pd.merge_asof(tk, orders, left_on="created_at", right_on="order_at", by="customer_id")
    tk.loc[tk["category"] == "account", "order_id"] = None
    tk = tk[tk["order_id"].notna() | (tk["category"] == "account")].copy()
    age = (today - tk["created_at"]).dt.days.to_numpy()
    is_open = np.where(age < 14, g.random(len(tk)) < 0.7, g.random(len(tk)) < 0.04)
    resolved = tk["created_at"] + pd.to_timedelta(np.round(g.uniform(0.2, 10, len(tk)) * 86400), unit="s")
    is_open |= (resolved >= today).to_numpy()
    tk["status"] = np.where(is_open, "open", "resolved")
    tk["resolved_at"] = resolved.where(~is_open, pd.NaT)
    tk = pd.concat([tk, _persona_ticket(ctx, orders)], ignore_index=True)
    tk = tk.sort_values(["created_at", "customer_id"], kind="stable").reset_index(drop=True)
    subj = [SUBJECTS["zh" if lang == "zh" else "en"][c] for lang, c in zip(tk["language"], tk["category"],
                                                                            strict=True)]
    tk["subject"] = [s[0].format(o=o) for s, o in zip(subj, tk["order_id"], strict=True)]
    tk["body"] = [s[1].format(o=o) for s, o in zip(subj, tk["order_id"], strict=True)]
    ids = pd.Series(id_strings("T", 1, len(tk)), index=tk.index)
    tk["ticket_id"] = tk["ticket_id"].where(tk["ticket_id"].notna(), ids) if "ticket_id" in tk else ids
    cols = ["ticket_id", "customer_id", "order_id", "created_at", "category", "subject", "body", "status",
            "resolved_at"]
    counts = tk["status"].value_counts()
    return {"tickets": ctx.insert("tickets", tk[cols]), "open_tickets": int(counts.get("open", 0))}


def _persona_ticket(ctx: DemoContext, orders: pd.DataFrame) -> pd.DataFrame:
    """The at-risk persona's open late-delivery ticket on her last order."""
    import pandas as pd

    p = DEMO_PERSONAS["at_risk"]
    mine = orders[orders["customer_id"] == p.customer_id]
    if mine.empty:
        return pd.DataFrame()
    last = mine.iloc[-1]
    return pd.DataFrame([{"ticket_id": p.ticket_id, "customer_id": p.customer_id, "order_id": last["order_id"],
                          "created_at": last["order_at"] + pd.Timedelta(days=6, hours=3),
                          "category": "late_delivery", "language": p.language, "status": "open",
                          "resolved_at": pd.NaT}])
