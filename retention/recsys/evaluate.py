"""`retain eval recommender`: Online Retail, temporal split, two protocols (all, new), models side by side.
Blend weights are tuned on the October split (train before 2011-10-09, test 2011-10-09..2011-11-08) and then
used once on the test month (train before 2011-11-09, test 2011-11-09..2011-12-09)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from retention.recsys.metrics import evaluate as rank_metrics
from retention.recsys.metrics import topk
from retention.recsys.models import Factors, ItemKNN, blend, content, popularity, repeat

K = 10
TEST = (dt.date(2011, 11, 9), dt.date(2011, 12, 9))
TUNE = (dt.date(2011, 10, 9), dt.date(2011, 11, 8))
GRID = {"all": [dict(zip(("repeat", "itemknn", "als", "pop30"), w, strict=True))
                for w in itertools.product((1.0,), (0.0, 0.25, 0.5), (0.0, 0.25, 0.5), (0.0, 0.1, 0.25))],
        "new": [dict(zip(("itemknn", "als", "bpr", "content", "pop7"), w, strict=True))
                for w in itertools.product((0.0, 0.5, 1.0), (0.0, 0.5, 1.0), (0.0, 0.5), (0.0, 0.25), (0.5, 1.0, 2.0))]}


def purchase_lines(con: Any) -> pd.DataFrame:
    return con.execute("""
        SELECT o.customer_id, i.product_id, o.created_at, i.quantity, p.name
        FROM orders o JOIN order_items i USING (order_id) JOIN products p USING (product_id)
        WHERE o.customer_id IS NOT NULL AND o.kind = 'sale' AND i.is_product AND i.quantity > 0""").df()


class Split:
    def __init__(self, lines: pd.DataFrame, start: dt.date, end: dt.date):
        t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
        train = lines[lines["created_at"] < t0]
        test = lines[(lines["created_at"] >= t0) & (lines["created_at"] < t1)]
        self.items = np.array(sorted(train["product_id"].unique()))
        self.users = np.array(sorted(train["customer_id"].unique()))
        iidx = {p: i for i, p in enumerate(self.items)}
        uidx = {u: i for i, u in enumerate(self.users)}
        self.names = train.groupby("product_id")["name"].last().reindex(self.items).fillna("").tolist()
        age = (t0 - train["created_at"]).dt.days.to_numpy()
        u, it = train["customer_id"].map(uidx).to_numpy(), train["product_id"].map(iidx).to_numpy()
        shape = (len(self.users), len(self.items))
        self.X = sp.csr_matrix((np.ones(len(train)), (u, it)), shape=shape)
        self.Xrecent = sp.csr_matrix((np.exp(-age / 60.0), (u, it)), shape=shape)
        self.recent = {d: sp.csr_matrix((np.ones(int((age < d).sum())), (u[age < d], it[age < d])), shape=shape)
                       for d in (7, 30, 90)}
        test = test[test["customer_id"].isin(uidx)]
        eval_users = sorted(test["customer_id"].unique())
        self.eval_rows = np.array([uidx[c] for c in eval_users])
        owned = [set(self.X[r].indices) for r in self.eval_rows]
        bought = test.groupby("customer_id")["product_id"].apply(set)
        # a test item missing from the training catalogue cannot be recommended; it still counts as relevant
        self.relevant_all = [{iidx.get(p, -1 - k) for k, p in enumerate(bought[c])} for c in eval_users]
        self.relevant_new = [{i for i in rel if i not in own} for rel, own in zip(self.relevant_all, owned,
                                                                                    strict=True)]
        self.owned = owned
        self.dates = {"train_before": str(start), "test_from": str(start), "test_to": str(end)}


def score_all(split: Split, embed: Any, seed: int = 42) -> dict[str, np.ndarray]:
    rows = split.eval_rows
    Xr = split.X[rows]
    parts = {f"pop{d}": popularity(split.recent[d], len(rows)) for d in (7, 30, 90)}
    parts["repeat"] = repeat(split.Xrecent[rows])
    parts["itemknn"] = ItemKNN().fit(split.X).score(Xr)
    parts["als"] = Factors("als", seed=seed).fit(split.X).score(rows)
    parts["bpr"] = Factors("bpr", seed=seed).fit(split.X).score(rows)
    parts["content"] = content(embed(split.names), Xr)
    return parts


def run_protocols(split: Split, parts: dict[str, np.ndarray], weights: dict[str, dict[str, float]]
                  ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    n = len(split.items)
    for protocol in ("all", "new"):
        relevant = split.relevant_all if protocol == "all" else split.relevant_new
        exclude = None if protocol == "all" else split.owned
        models: dict[str, dict[str, Any]] = {}
        names = ["pop7", "pop30", "pop90", "repeat", "itemknn", "als", "bpr", "content"]
        for name in names:
            if protocol == "new" and name == "repeat":
                continue
            models[name] = rank_metrics(topk(parts[name], K, exclude), relevant, n)
        models["blend"] = rank_metrics(topk(blend(parts, weights[protocol]), K, exclude), relevant, n)
        models["blend"] = {**models["blend"], "weights": weights[protocol]}
        out[protocol] = {"models": models}
    return out


def tune(split: Split, parts: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    best: dict[str, dict[str, float]] = {}
    for protocol, grid in GRID.items():
        relevant = split.relevant_all if protocol == "all" else split.relevant_new
        exclude = None if protocol == "all" else split.owned
        scored = [(rank_metrics(topk(blend(parts, w), K, exclude), relevant, len(split.items))["ndcg@10"], i)
                  for i, w in enumerate(grid)]
        best[protocol] = grid[max(scored)[1]]
    return best


def evaluate_online_retail(con: Any, embed: Any, progress: Any = None) -> dict[str, Any]:
    lines = purchase_lines(con)
    task = progress.add_task("recommender: October tuning split", total=4) if progress is not None else None

    def step(msg: str) -> None:
        if progress is not None:
            progress.update(task, advance=1, description=msg)

    tune_split = Split(lines, *TUNE)
    weights = tune(tune_split, score_all(tune_split, embed))
    step("recommender: test month")
    test = Split(lines, *TEST)
    parts = score_all(test, embed)
    step("recommender: scoring")
    report = {"split": {**test.dates, "tuned_on": tune_split.dates, "users": int(len(test.eval_rows)),
                        "catalogue": int(len(test.items))},
              "protocols": run_protocols(test, parts, weights)}
    step("recommender: done")
    return report
