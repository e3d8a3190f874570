"""Product suggestions with a reason each: the public API (`Recommender`), trained on the store and saved as data
(npz + JSON, loaded without pickle).

recommend(customer_id, k): a blend of ALS, item-item co-occurrence and recent popularity (the weights that won on
the October split of Online Retail), minus what the customer already bought and unavailable products, with at most
three items per category; a new customer gets what is popular now. similar_items(product_id, k): co-purchase
neighbours, falling back to product-text similarity for a product nobody has bought yet.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from core.config import Settings
from core.errors import NotFoundError, RetainError
from retention.recsys.models import Factors, ItemKNN, normalise_rows

WEIGHTS = {"als": 0.5, "itemknn": 0.5, "pop": 0.5}
PER_CATEGORY = 3


@dataclass
class Recommendation:
    product_id: str
    name: str
    category: str | None
    price: float | None
    score: float
    reason: str


def _load_catalogue(con: Any) -> Any:
    return con.execute("""
        SELECT p.product_id, p.name, p.category, min(v.price) AS price, bool_or(v.available) AS available
        FROM products p JOIN product_variants v USING (product_id) GROUP BY ALL ORDER BY p.product_id""").df()


def train_recommender(settings: Settings, progress: Any = None) -> dict[str, Any]:
    from shop.clock import shop_today
    from shop.db import connect
    from vectorstore.embeddings import embedder_for

    con = connect(settings.db_path, read_only=True)
    try:
        cat = _load_catalogue(con)
        lines = con.execute("""
            SELECT o.customer_id, i.product_id, o.created_at FROM orders o JOIN order_items i USING (order_id)
            WHERE o.customer_id IS NOT NULL AND o.kind = 'sale' AND i.is_product AND i.quantity > 0""").df()
        views = con.execute("""SELECT customer_id, product_id, event_type FROM events WHERE customer_id IS NOT NULL
                               AND product_id IS NOT NULL AND event_type IN ('view', 'cart_add')""").df()
        today = shop_today(con)
    finally:
        con.close()
    if cat.empty:
        raise RetainError("the catalogue is empty: import products before training the recommender")
    items = cat["product_id"].tolist()
    iidx = {p: i for i, p in enumerate(items)}
    users = sorted(set(lines["customer_id"]) | set(views["customer_id"]))
    uidx = {u: i for i, u in enumerate(users)}
    w = np.concatenate([np.ones(len(lines)), np.where(views["event_type"] == "cart_add", 0.5, 0.1)])
    u = np.concatenate([lines["customer_id"].map(uidx), views["customer_id"].map(uidx)]).astype(int)
    it = np.concatenate([lines["product_id"].map(iidx), views["product_id"].map(iidx)])
    ok = ~np.isnan(it.astype(float))
    X = sp.csr_matrix((w[ok], (u[ok], it[ok].astype(int))), shape=(len(users), len(items)))
    bought = sp.csr_matrix((np.ones(len(lines)), (lines["customer_id"].map(uidx), lines["product_id"].map(iidx))),
                           shape=X.shape)
    knn = ItemKNN(neighbours=50).fit(X)
    als = Factors("als", factors=32, iterations=15, seed=settings.seed).fit(X)
    recent = lines[lines["created_at"] >= np.datetime64(today - dt.timedelta(days=30))]
    pop = np.bincount(recent["product_id"].map(iidx), minlength=len(items)).astype(float)
    texts = (cat["name"] + ". " + cat["category"].fillna("")).tolist()
    vectors = embedder_for(settings).embed(texts)
    out = settings.models_dir / "recommender"
    out.mkdir(parents=True, exist_ok=True)
    sim = knn.sim_.tocsr()  # type: ignore[union-attr]
    np.savez_compressed(out / "model.npz", sim_data=sim.data, sim_indices=sim.indices, sim_indptr=sim.indptr,
                        user_factors=np.asarray(als.user_), item_factors=np.asarray(als.item_), pop=pop, vectors=vectors,
                        bought_data=bought.data, bought_indices=bought.indices, bought_indptr=bought.indptr)
    (out / "model.json").write_text(json.dumps({
        "items": items, "users": users, "names": cat["name"].tolist(), "categories": cat["category"].tolist(),
        "prices": [None if p != p else float(p) for p in cat["price"]], "available": cat["available"].tolist(),
        "weights": WEIGHTS, "as_of": str(today), "n_purchases": int(len(lines)), "n_events": int(len(views))}))
    return {"customers": len(users), "items": len(items), "purchases": int(len(lines))}


class Recommender:
    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]):
        self.meta = meta
        self.items: list[str] = meta["items"]
        self.iidx = {p: i for i, p in enumerate(self.items)}
        self.uidx = {u: i for i, u in enumerate(meta["users"])}
        n = len(self.items)
        self.sim = sp.csr_matrix((arrays["sim_data"], arrays["sim_indices"], arrays["sim_indptr"]), shape=(n, n))
        self.bought = sp.csr_matrix((arrays["bought_data"], arrays["bought_indices"], arrays["bought_indptr"]),
                                    shape=(len(self.uidx), n))
        self.user_f, self.item_f = arrays["user_factors"], arrays["item_factors"]
        self.pop, self.vectors = arrays["pop"], arrays["vectors"]
        self.available = np.array(meta["available"], dtype=bool)

    @classmethod
    def load(cls, settings: Settings) -> Recommender:
        d = settings.models_dir / "recommender"
        if not (d / "model.npz").exists():
            raise RetainError(f"{d}: no recommender model yet; run `retain train recommender` or `retain demo`")
        with np.load(d / "model.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        return cls(arrays, json.loads((d / "model.json").read_text()))

    def _rec(self, i: int, score: float, reason: str) -> Recommendation:
        m = self.meta
        return Recommendation(self.items[i], m["names"][i], m["categories"][i], m["prices"][i], round(score, 4),
                              reason)

    def _pick(self, scores: np.ndarray, k: int, exclude: set[int]) -> list[int]:
        order = np.argsort(-scores, kind="stable")
        picked: list[int] = []
        per_cat: dict[Any, int] = {}
        for i in order:
            if len(picked) == k or scores[i] <= -1e9:
                break
            cat = self.meta["categories"][i]
            if i in exclude or not self.available[i] or per_cat.get(cat, 0) >= PER_CATEGORY:
                continue
            per_cat[cat] = per_cat.get(cat, 0) + 1
            picked.append(int(i))
        return picked

    def recommend(self, customer_id: str | None, k: int = 10, context: dict[str, Any] | None = None
                  ) -> list[Recommendation]:
        if not 1 <= k <= 100:
            raise RetainError(f"k must be between 1 and 100 (got {k})")
        pop = normalise_rows(self.pop[None, :])[0]
        u = self.uidx.get(str(customer_id)) if customer_id is not None else None
        if u is None:  # a new customer: what is popular now
            return [self._rec(i, float(pop[i]), f"popular in {self.meta['categories'][i]} this month")
                    for i in self._pick(pop, k, set())]
        owned = set(self.bought[u].indices)
        own_vec = np.zeros(len(self.items))
        own_vec[list(owned)] = 1
        knn = np.asarray(self.sim.T @ own_vec).ravel()
        als = self.user_f[u] @ self.item_f.T
        parts = {"itemknn": knn, "als": als, "pop": self.pop}
        score = sum(w * normalise_rows(parts[n][None, :])[0] for n, w in WEIGHTS.items())
        out = []
        for i in self._pick(score, k, owned):
            contrib = self.sim[list(owned), i].toarray().ravel() if owned else np.zeros(0)
            if contrib.size and contrib.max() > 0:
                j = list(owned)[int(np.argmax(contrib))]
                reason = f"often bought with {self.meta['names'][j]}"
            elif pop[i] > 0.5:
                reason = f"popular in {self.meta['categories'][i]} this month"
            else:
                reason = "customers with similar purchases liked it"
            out.append(self._rec(i, float(score[i]), reason))
        return out

    def similar_items(self, product_id: str, k: int = 10) -> list[Recommendation]:
        if not 1 <= k <= 100:
            raise RetainError(f"k must be between 1 and 100 (got {k})")
        i = self.iidx.get(product_id)
        if i is None:
            raise NotFoundError(f"no product {product_id!r} in the recommender's catalogue")
        row = self.sim[i].toarray().ravel()
        name = self.meta["names"][i]
        if row.max() > 0:
            return [self._rec(j, float(row[j]), f"often bought with {name}") for j in self._pick(row, k, {i})]
        text = self.vectors @ self.vectors[i]  # cold-start product: nobody bought it yet, use its description
        return [self._rec(j, float(text[j]), f"similar to {name}") for j in self._pick(text, k, {i})]
