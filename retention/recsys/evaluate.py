"""`retain eval recommender`: any transaction or rating log in the store, models side by side at k, under two
protocols (all: every item the user took in the test part counts; new: only items the user never had, which are
also left out of the lists).

Splits (`--split`):
- temporal: the test part is the last `test_days` whole days of the log (the last, partial day is left out), the
  model sees everything before it. On Online Retail: train before 2011-11-09, test 2011-11-09..2011-12-09.
- per-user: each user with at least two baskets keeps the last fifth of their lines (whole baskets, at least
  one) for the test; everything else trains.

Nothing is tuned on the test part. The training part is split again the same way (temporal: the `test_days`
before the test part, a day apart; per-user: each user's last fifth of their training lines); on that inner split
the hyperparameters of item-kNN, ALS and BPR are chosen from small grids (per protocol, by NDCG@k), then the blend
weights. The chosen models are refitted on the whole training part and scored once on the test part. Every
grid keeps the settings used before tuning existed, so tuning can only pick something that did better on the
inner split.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from core.errors import NotEnoughDataError
from retention.recsys.metrics import evaluate as rank_metrics
from retention.recsys.metrics import topk
from retention.recsys.models import Factors, ItemKNN, blend, content, popularity, repeat

K = 10
TEST_DAYS = 30
HOLDOUT_SHARE = 0.2
POPS = (7, 30, 90)
BLEND_GRID = {
    "all": [dict(zip(("repeat", "itemknn", "als", "pop30"), w, strict=True))  # repeat 0: a rating log has none
            for w in itertools.product((1.0, 0.0), (0.0, 0.25, 0.5), (0.0, 0.25, 0.5), (0.0, 0.1, 0.25)) if any(w)],
    "new": [dict(zip(("itemknn", "als", "bpr", "content", "pop7"), w, strict=True))
            for w in itertools.product((0.0, 0.5, 1.0), (0.0, 0.5, 1.0), (0.0, 0.5), (0.0, 0.25), (0.5, 1.0, 2.0))]}
# model hyperparameter grids; the first entry of each is the setting used before tuning
MODEL_GRID: dict[str, list[dict[str, Any]]] = {
    "itemknn": [{"neighbours": n} for n in (100, 50, 200)],
    "als": [{"factors": f, "regularization": r} for f, r in itertools.product((64, 32, 128), (0.05, 0.01, 0.5))],
    "bpr": [{"factors": f, "learning_rate": lr, "iterations": it}
            for f, lr, it in itertools.product((64, 32), (0.05, 0.01), (100, 300))],
}


def purchase_lines(con: Any) -> pd.DataFrame:
    return con.execute("""
        SELECT o.customer_id, i.product_id, o.created_at, i.quantity, p.name
        FROM orders o JOIN order_items i USING (order_id) JOIN products p USING (product_id)
        WHERE o.customer_id IS NOT NULL AND o.kind = 'sale' AND i.is_product AND i.quantity > 0""").df()


class Split:
    """A train/test division of the lines, as matrices over the training users and items."""

    def __init__(self, train: pd.DataFrame, test: pd.DataFrame, ref: pd.Timestamp, dates: dict[str, Any]):
        self.items = np.array(sorted(train["product_id"].unique()))
        self.users = np.array(sorted(train["customer_id"].unique()))
        iidx = {p: i for i, p in enumerate(self.items)}
        uidx = {u: i for i, u in enumerate(self.users)}
        names = train.groupby("product_id")["name"].last().reindex(self.items).fillna("")
        # a log without product names (ids only) has nothing for the content model to read
        self.names = names.tolist() if (names.to_numpy() != self.items).any() else None
        age = (ref - train["created_at"]).dt.days.to_numpy()
        u, it = train["customer_id"].map(uidx).to_numpy(), train["product_id"].map(iidx).to_numpy()
        shape = (len(self.users), len(self.items))
        self.X = sp.csr_matrix((np.ones(len(train)), (u, it)), shape=shape)
        self.Xrecent = sp.csr_matrix((np.exp(-age / 60.0), (u, it)), shape=shape)
        self.recent = {d: sp.csr_matrix((np.ones(int((age < d).sum())), (u[age < d], it[age < d])), shape=shape)
                       for d in POPS}
        test = test[test["customer_id"].isin(uidx)]
        eval_users = sorted(test["customer_id"].unique())
        self.eval_rows = np.array([uidx[c] for c in eval_users], dtype=int)
        owned = [set(self.X[r].indices) for r in self.eval_rows]
        bought = test.groupby("customer_id")["product_id"].apply(set)
        # a test item missing from the training catalogue cannot be recommended; it still counts as relevant
        self.relevant_all = [{iidx.get(p, -1 - k) for k, p in enumerate(bought[c])} for c in eval_users]
        self.relevant_new = [{i for i in rel if i not in own} for rel, own in zip(self.relevant_all, owned,
                                                                                    strict=True)]
        self.owned = owned
        self.dates = dates

    def protocol(self, name: str) -> tuple[list[set[int]], list[set[int]] | None]:
        """(relevant items, items to leave out of the lists) per evaluated user."""
        return (self.relevant_all, None) if name == "all" else (self.relevant_new, self.owned)


def temporal_split(lines: pd.DataFrame, test_days: int = TEST_DAYS) -> tuple[Split, Split]:
    """(inner, outer): the outer test part is the last `test_days` whole days; the inner one the `test_days`
    before it, a day apart, with its training part ending where it starts."""
    end = pd.Timestamp(lines["created_at"].max()).normalize()
    start = end - pd.Timedelta(days=test_days)
    inner_end = start - pd.Timedelta(days=1)
    inner_start = inner_end - pd.Timedelta(days=test_days)

    def cut(t0: pd.Timestamp, t1: pd.Timestamp) -> Split:
        train = lines[lines["created_at"] < t0]
        test = lines[(lines["created_at"] >= t0) & (lines["created_at"] < t1)]
        return Split(train, test, t0, {"kind": "temporal", "train_before": str(t0.date()),
                                       "test_from": str(t0.date()), "test_to": str(t1.date())})

    return cut(inner_start, inner_end), cut(start, end)


def per_user_holdout(lines: pd.DataFrame, share: float = HOLDOUT_SHARE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, test): each user's last `share` of lines (whole baskets: lines at one timestamp stay together, at
    least one basket) is test, when the user has at least two baskets."""
    lines = lines.sort_values(["customer_id", "created_at"], kind="stable")
    n = lines.groupby("customer_id")["created_at"].transform("size").to_numpy()
    pos = lines.groupby("customer_id").cumcount().to_numpy()
    first_test = np.maximum(n - np.maximum(np.round(n * share), 1), 0).astype(int)
    boundary = lines["created_at"].where(pos == first_test)
    boundary = boundary.groupby(lines["customer_id"]).transform("max")
    first_seen = lines.groupby("customer_id")["created_at"].transform("min")
    test = (lines["created_at"] >= boundary) & (boundary > first_seen)
    return lines[~test], lines[test]


def per_user_split(lines: pd.DataFrame, share: float = HOLDOUT_SHARE) -> tuple[Split, Split]:
    train, test = per_user_holdout(lines, share)
    inner_train, inner_test = per_user_holdout(train, share)

    def make(tr: pd.DataFrame, te: pd.DataFrame) -> Split:
        ref = pd.Timestamp(tr["created_at"].max()) + pd.Timedelta(seconds=1)
        return Split(tr, te, ref, {"kind": "per-user", "holdout": f"each user's last {share:.0%} of lines",
                                   "train_lines": int(len(tr)), "test_lines": int(len(te))})

    return make(inner_train, inner_test), make(train, test)


@dataclass
class Chosen:
    """Hyperparameters per model and protocol, and blend weights per protocol, all chosen on the inner split."""
    models: dict[str, dict[str, dict[str, Any]]]
    weights: dict[str, dict[str, float]]


def _fit(name: str, params: dict[str, Any], split: Split, seed: int) -> np.ndarray:
    rows = split.eval_rows
    if name == "itemknn":
        return ItemKNN(**params).fit(split.X).score(split.X[rows])
    # one thread: BPR's parallel updates race (results would vary run to run), and on a busy machine OpenMP's
    # threads wait on each other (a 300-user fit took 2.5 s with all threads, 0.1 s with one)
    return Factors(name, seed=seed, threads=1, **params).fit(split.X).score(rows)


def score_all(split: Split, embed: Callable[[list[str]], np.ndarray] | None, chosen: Chosen | None,
              protocol: str, seed: int = 42, cache: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Every model's scores for the split's evaluated users, with `chosen` hyperparameters (defaults if None)."""
    rows = split.eval_rows
    cache = {} if cache is None else cache
    parts = {f"pop{d}": popularity(split.recent[d], len(rows)) for d in POPS}
    parts["pop"] = popularity(split.X, len(rows))
    parts["repeat"] = repeat(split.Xrecent[rows])
    for name, grid in MODEL_GRID.items():
        params = chosen.models[protocol][name] if chosen else grid[0]
        key = f"{name}:{sorted(params.items())}"
        if key not in cache:
            cache[key] = _fit(name, params, split, seed)
        parts[name] = cache[key]
    if embed is not None and split.names is not None:
        if "content" not in cache:
            cache["content"] = content(embed(split.names), split.X[rows])
        parts["content"] = cache["content"]
    return parts


def _ndcg(split: Split, scores: np.ndarray, protocol: str, k: int) -> float:
    relevant, exclude = split.protocol(protocol)
    return rank_metrics(topk(scores, k, exclude), relevant, len(split.items), k=k)[f"ndcg@{k}"]


def choose(inner: Split, embed: Any, k: int, seed: int = 42, tune_models: bool = True,
           progress: Callable[[str], None] | None = None) -> Chosen:
    """Hyperparameters (per protocol, by NDCG@k) and then blend weights, all on the inner split only."""
    if not len(inner.eval_rows):
        raise NotEnoughDataError("the inner validation split has no users to evaluate: the log is too short for "
                                 "this split (a longer log, or a shorter --test-days)")
    models: dict[str, dict[str, dict[str, Any]]] = {"all": {}, "new": {}}
    for name, grid in MODEL_GRID.items():
        if progress:
            progress(f"recommender: tuning {name}")
        candidates = grid if tune_models else grid[:1]
        scores = [(_fit(name, params, inner, seed), params) for params in candidates]
        for protocol in ("all", "new"):
            best = max(range(len(scores)), key=lambda i: (_ndcg(inner, scores[i][0], protocol, k), -i))
            models[protocol][name] = scores[best][1]
    chosen = Chosen(models, {})
    cache: dict[str, np.ndarray] = {}
    for protocol, grid in BLEND_GRID.items():
        parts = score_all(inner, embed, chosen, protocol, seed, cache)
        usable = [w for w in grid if all(m in parts or not v for m, v in w.items())]
        best = max(range(len(usable)), key=lambda i: (_ndcg(inner, blend(parts, usable[i]), protocol, k), -i))
        chosen.weights[protocol] = usable[best]
    return chosen


def run_protocols(split: Split, embed: Any, chosen: Chosen, k: int, seed: int = 42) -> dict[str, Any]:
    out: dict[str, Any] = {}
    n = len(split.items)
    cache: dict[str, np.ndarray] = {}
    for protocol in ("all", "new"):
        parts = score_all(split, embed, chosen, protocol, seed, cache)
        relevant, exclude = split.protocol(protocol)
        models: dict[str, dict[str, Any]] = {}
        for name in ["pop", *(f"pop{d}" for d in POPS), "repeat", "itemknn", "als", "bpr", "content"]:
            if (protocol == "new" and name == "repeat") or name not in parts:
                continue
            models[name] = rank_metrics(topk(parts[name], k, exclude), relevant, n, k=k)
            if name in MODEL_GRID:
                models[name]["params"] = chosen.models[protocol][name]
        models["blend"] = {**rank_metrics(topk(blend(parts, chosen.weights[protocol]), k, exclude), relevant, n,
                                          k=k), "weights": chosen.weights[protocol]}
        out[protocol] = {"models": models}
    return out


def evaluate_log(con: Any, embed: Any, split: str = "temporal", k: int = K, test_days: int = TEST_DAYS,
                 tune_models: bool = True, seed: int = 42, progress: Any = None) -> dict[str, Any]:
    """The whole evaluation on the store's purchase (or rating) lines; see the module docstring."""
    lines = purchase_lines(con)
    if lines.empty:
        raise NotEnoughDataError("the store holds no purchase lines with a customer and a product to evaluate on")
    task = progress.add_task("recommender: splitting", total=len(MODEL_GRID) + 3) if progress is not None else None

    def step(msg: str) -> None:
        if progress is not None:
            progress.update(task, advance=1, description=msg)

    if split == "temporal":
        inner, outer = temporal_split(lines, test_days)
    elif split == "per-user":
        inner, outer = per_user_split(lines)
    else:
        raise NotEnoughDataError(f"unknown split {split!r}: temporal or per-user")
    if not len(outer.eval_rows):
        raise NotEnoughDataError(f"the test part of the {split} split has no user seen in training")
    chosen = choose(inner, embed, k, seed, tune_models, step)
    step("recommender: scoring the test part")
    report = {"split": {**outer.dates, "tuned_on": inner.dates, "users": int(len(outer.eval_rows)),
                        "catalogue": int(len(outer.items)), "k": k,
                        "tuning": "hyperparameters and blend weights chosen on the inner split only"},
              "protocols": run_protocols(outer, embed, chosen, k, seed)}
    step("recommender: done")
    return report


def evaluate_online_retail(con: Any, embed: Any, progress: Any = None) -> dict[str, Any]:
    """Kept for callers of the earlier API: the temporal split at k = 10."""
    return evaluate_log(con, embed, progress=progress)
