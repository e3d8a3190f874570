"""Sessions and page events (login, search, view, cart_add, cart_remove, checkout) that follow each customer's
real purchase timeline.

- Every sale becomes a purchase session: login, views and cart adds of (some of) the order's products, then a
  checkout at the order's own timestamp.
- Browsing sessions between purchases arrive as a Poisson process whose rate follows the customer's purchase
  frequency. For customers who churn (no sale in the horizon before today) the rate fades over the months before
  their last purchase (fewer visits, longer gaps), views get shorter and carts are abandoned more often; after the
  last purchase a few stray visits die out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shop.demo_base import DemoContext, day_time, rng

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

LEAD_IN_DAYS = 30       # browsing before the first purchase
AFTERGLOW_DAYS = 60     # stray visits after a churner's last purchase
BROWSE_PER_PURCHASE = 3.0
FADE_FLOOR = 0.2        # a churner's visit rate just before the last purchase, relative to earlier
CART_P, CART_P_FADING = 0.30, 0.55
OWN_PRODUCT_P = 0.6     # a view shows something the customer has bought before (else: popular items)
CHECKOUT = 1000         # position of the checkout event in its session


def make_events(ctx: DemoContext) -> dict[str, int]:
    import numpy as np
    import pandas as pd

    g = rng(ctx.seed, "activity")
    orders = ctx.df("""SELECT order_id, customer_id, created_at FROM orders
                       WHERE kind = 'sale' AND customer_id IS NOT NULL ORDER BY order_id""")
    items = ctx.df("""SELECT i.order_id, o.customer_id, i.product_id FROM order_items i JOIN orders o USING (order_id)
                      WHERE o.kind = 'sale' AND o.customer_id IS NOT NULL AND i.is_product AND i.quantity > 0
                      ORDER BY o.customer_id, i.order_id, i.line_no""")
    t = ctx.customers.reset_index(drop=True)
    cindex = pd.Series(np.arange(len(t)), index=t["customer_id"])

    p_sess, p_ev = _purchase_sessions(g, orders, items)
    b_sess = _browse_times(g, t, ctx.today_ts)
    b_ev = _browse_events(g, b_sess, t, items, cindex)
    browse = b_sess[["customer_id", "start", "fading"]].assign(order_ts=pd.Series(pd.NaT, index=b_sess.index))
    sessions: pd.DataFrame = pd.concat([p_sess, browse], ignore_index=True)
    b_ev["sess"] += len(p_sess)
    ev = pd.concat([p_ev, b_ev], ignore_index=True)
    ev = ev.iloc[np.lexsort((ev["pos"].to_numpy(), ev["sess"].to_numpy()))].reset_index(drop=True)
    ev["dwell_seconds"] = _dwell(g, ev["event_type"].to_numpy(), sessions["fading"].to_numpy()[ev["sess"]])

    # Purchase sessions end at the order's timestamp: start = order time minus what came before checkout.
    before = ev["dwell_seconds"].where(ev["pos"] < CHECKOUT, 0.0).groupby(ev["sess"]).sum()
    purchase = sessions["order_ts"].notna()
    sessions.loc[purchase, "start"] = (sessions.loc[purchase, "order_ts"]
                                       - pd.to_timedelta(before.reindex(sessions.index[purchase]).round(), unit="s"))
    offset = ev.groupby("sess")["dwell_seconds"].cumsum() - ev["dwell_seconds"]
    ev["ts"] = sessions["start"].to_numpy()[ev["sess"]] + pd.to_timedelta(offset.round(), unit="s").to_numpy()
    late = ev.loc[ev["ts"] >= ctx.today_ts, "sess"].unique()  # a late-evening visit that would run into today
    ev = ev[~ev["sess"].isin(late)]

    first_ts = ev.groupby("sess")["ts"].min()
    order = first_ts.sort_values(kind="stable").index
    sid = pd.Series([f"S{i:07d}" for i in range(1, len(order) + 1)], index=order)
    ev = ev.assign(_start=ev["sess"].map(first_ts)).sort_values(["_start", "sess", "pos"], kind="stable")
    out = pd.DataFrame({
        "event_id": [f"E{i:08d}" for i in range(1, len(ev) + 1)],
        "customer_id": sessions["customer_id"].to_numpy()[ev["sess"]],
        "session_id": ev["sess"].map(sid).to_numpy(), "event_type": ev["event_type"].to_numpy(),
        "product_id": ev["product_id"].to_numpy(), "ts": ev["ts"].to_numpy(),
        "dwell_seconds": ev["dwell_seconds"].round(1).to_numpy()})
    n = ctx.insert("events", out)
    # An account exists from its first login.
    ctx.con.execute("""UPDATE customers c SET created_at = e.first FROM
                       (SELECT customer_id, min(ts) AS first FROM events GROUP BY 1) e
                       WHERE c.customer_id = e.customer_id AND (c.created_at IS NULL OR e.first < c.created_at)""")
    kinds = out["event_type"].value_counts()
    return {"events": n, "sessions": int(out["session_id"].nunique()),
            **{f"type:{k}": int(v) for k, v in kinds.sort_index().items()}}


def _purchase_sessions(g: np.random.Generator, orders: pd.DataFrame, items: pd.DataFrame
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    import numpy as np
    import pandas as pd

    sess = pd.DataFrame({"customer_id": orders["customer_id"], "start": orders["created_at"], "fading": False,
                         "order_ts": orders["created_at"]})
    sidx = pd.Series(np.arange(len(orders)), index=orders["order_id"])
    k = pd.Series(1 + g.poisson(1.5, len(orders)), index=orders["order_id"])
    it = items[["order_id", "product_id"]].copy()
    it["r"] = pd.Series(g.random(len(it))).groupby(it["order_id"].to_numpy()).rank(method="first").to_numpy()
    it = it[it["r"] <= it["order_id"].map(k)]
    s = it["order_id"].map(sidx).to_numpy()
    pos = 2 * it["r"].to_numpy().astype(int)
    frames = [
        pd.DataFrame({"sess": np.arange(len(orders)), "pos": 0, "event_type": "login", "product_id": None}),
        pd.DataFrame({"sess": s, "pos": pos, "event_type": "view", "product_id": it["product_id"].to_numpy()}),
        pd.DataFrame({"sess": s, "pos": pos + 1, "event_type": "cart_add", "product_id": it["product_id"].to_numpy()}),
        pd.DataFrame({"sess": np.arange(len(orders)), "pos": CHECKOUT, "event_type": "checkout", "product_id": None}),
    ]
    return sess, pd.concat(frames, ignore_index=True)


def _intensity(days: np.ndarray, first: np.ndarray, last: np.ndarray, churned: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Relative visit rate at `days` (and whether the customer is fading then); all in days since epoch."""
    import numpy as np

    fade_len = np.clip(0.5 * (last - first), 30, 120)
    start = last - fade_len
    ramp = 1 - (1 - FADE_FLOOR) * np.clip((days - start) / fade_len, 0, 1)
    after = FADE_FLOOR * np.exp(-np.clip(days - last, 0, None) / 15)
    m = np.where(days > last, after, ramp)
    return np.where(churned, m, 1.0), churned & (days > start)


def _browse_times(g: np.random.Generator, t: pd.DataFrame, today: pd.Timestamp) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    day = np.timedelta64(1, "D")
    epoch = np.datetime64("1970-01-01")
    first = (t["first"].to_numpy().astype("datetime64[s]") - epoch) / day
    last = (t["last"].to_numpy().astype("datetime64[s]") - epoch) / day
    end_today = (np.datetime64(today.date()) - epoch) / day
    churned = t["churned"].to_numpy()
    w0 = first - LEAD_IN_DAYS
    w1 = np.where(churned, np.minimum(last + AFTERGLOW_DAYS, end_today), end_today)
    span = np.maximum(last - first, 30)
    rate = np.clip(BROWSE_PER_PURCHASE * np.maximum(t["n_orders"].to_numpy(), 1) / span, 0.02, 0.5)
    n = g.poisson(rate * np.maximum(w1 - w0, 0))
    ci = np.repeat(np.arange(len(t)), n)
    when = w0[ci] + g.random(len(ci)) * (w1 - w0)[ci]
    m, fading = _intensity(when, first[ci], last[ci], churned[ci])
    keep = g.random(len(ci)) < m
    ci, when, fading = ci[keep], when[keep], fading[keep]
    start = (epoch + np.floor(when).astype("int64") * day).astype("datetime64[ns]") + \
        day_time(g, len(ci)).astype("timedelta64[s]")
    return pd.DataFrame({"ci": ci, "customer_id": t["customer_id"].to_numpy()[ci], "start": start,
                         "fading": fading})


def _browse_events(g: np.random.Generator, b: pd.DataFrame, t: pd.DataFrame, items: pd.DataFrame,
                   cindex: pd.Series) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    n = len(b)
    fading = b["fading"].to_numpy()
    views = 1 + g.poisson(np.where(fading, 1.5, 2.5))
    search = g.random(n) < 0.4
    cart = g.random(n) < np.where(fading, CART_P_FADING, CART_P)
    remove = cart & (g.random(n) < 0.35)

    # Products: own purchase history (frequency-weighted) or the shop's popular items.
    own_ci = items["customer_id"].map(cindex).to_numpy()
    starts = np.searchsorted(own_ci, np.arange(len(t)))
    lens = np.searchsorted(own_ci, np.arange(len(t)), side="right") - starts
    vs = np.repeat(np.arange(n), views)
    vci = b["ci"].to_numpy()[vs]
    u = g.random(len(vs))
    own = (g.random(len(vs)) < OWN_PRODUCT_P) & (lens[vci] > 0)
    idx = np.where(own, starts[vci] + np.floor(u * lens[vci]).astype(int), np.floor(u * len(items)).astype(int))
    vprod = items["product_id"].to_numpy()[idx]
    vpos = 2 + (np.arange(len(vs)) - np.repeat(np.cumsum(views) - views, views))
    last_view = vprod[np.cumsum(views) - 1]
    s = np.arange(n)
    frames = [
        pd.DataFrame({"sess": s, "pos": 0, "event_type": "login", "product_id": None}),
        pd.DataFrame({"sess": s[search], "pos": 1, "event_type": "search", "product_id": None}),
        pd.DataFrame({"sess": vs, "pos": vpos, "event_type": "view", "product_id": vprod}),
        pd.DataFrame({"sess": s[cart], "pos": 500, "event_type": "cart_add", "product_id": last_view[cart]}),
        pd.DataFrame({"sess": s[remove], "pos": 501, "event_type": "cart_remove", "product_id": last_view[remove]}),
    ]
    return pd.concat(frames, ignore_index=True)


def _dwell(g: np.random.Generator, kind: np.ndarray, fading: np.ndarray) -> Any:
    import numpy as np

    n = len(kind)
    d = np.select(
        [kind == "view", kind == "login", kind == "search", kind == "checkout"],
        [np.exp(g.normal(np.log(35), 0.8, n)), g.uniform(3, 15, n), g.uniform(8, 40, n), g.uniform(40, 180, n)],
        default=g.uniform(3, 12, n))
    return np.round(np.where(fading & (kind == "view"), 0.7 * d, d), 1)
