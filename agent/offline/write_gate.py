"""The learned write gate: a binary logistic regression, 'is this write-routed message about this shop or another
business?', over the router's own features (use-m sentence vector + its character n-gram tf-idf,
IntentClassifier.features). It is asked only about messages the router sends to a write and that carry no order id
(#W1234567); at or above its threshold the route becomes a question (`clarify`), never a write.

Training data is dev data in agent/offline/routing: other businesses' messages (gate_other_dev.csv,
other_domains_dev*.csv) against shoppers' write requests (gate_shop_dev.csv, shop_writes_dev*.csv and the write rows
of intents_<lang>.csv). The threshold is chosen on out-of-fold probabilities of the training data only: the
SHOP_KEEP quantile of the shop rows' 'other' probability, so about 1 % of shop writes are gated.
The model is data (routing/gate.npz: coef, intercept; routing/gate.json: the card), never a pickle.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).parent / "routing"
WEIGHTS, CARD = DATA / "gate.npz", DATA / "gate.json"
SHOP_KEEP = 0.99  # share of out-of-fold shop writes left under the threshold
ORDER_ID = re.compile(r"#?\bw\d{7}\b", re.I)
WRITE_INTENTS = ("cancel_order", "return_items", "change_address")


def other_texts(paths: list[Path] | None = None) -> list[str]:
    """Other businesses' messages (dev data)."""
    paths = paths or [DATA / "gate_other_dev.csv", *sorted(DATA.glob("other_domains_dev*.csv"))]
    return [r["text"] for p in paths for r in csv.DictReader(p.open(encoding="utf-8"))]


def shop_texts(paths: list[Path] | None = None, corpus: bool = True) -> list[str]:
    """Shoppers' write requests to this shop (dev data, and the router corpus's write rows)."""
    paths = paths or [DATA / "gate_shop_dev.csv", *sorted(DATA.glob("shop_writes_dev*.csv"))]
    if corpus:
        paths = [*paths, DATA / "intents_en.csv", DATA / "intents_zh.csv"]
    return [r["text"] for p in paths for r in csv.DictReader(p.open(encoding="utf-8"))
            if r.get("intent", "cancel_order") in WRITE_INTENTS]


def _features(texts: list[str]) -> np.ndarray:
    from agent.offline.classifier import shipped

    clf = shipped()
    if clf is None:
        raise RuntimeError("the write gate needs the router model (retain train router)")
    return clf.features(list(texts))


def fit(x: np.ndarray, y: np.ndarray, c: float = 10.0) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        lr = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(x, y)
    return lr.coef_[0].astype(np.float32), float(lr.intercept_[0])


def cv_threshold(x: np.ndarray, y: np.ndarray, c: float = 10.0, folds: int = 5, seed: int = 0) -> tuple[float, dict]:
    """The threshold from out-of-fold probabilities: the SHOP_KEEP quantile over the shop rows (y == 0)."""
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(len(y))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        w, b = fit(x[tr], y[tr], c)
        oof[te] = _sigmoid(x[te] @ w + b)
    t = float(np.quantile(oof[y == 0], SHOP_KEEP))
    return t, {"cv_shop_gated": round(float((oof[y == 0] >= t).mean()), 4),
               "cv_other_gated": round(float((oof[y == 1] >= t).mean()), 4)}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


@dataclass
class WriteGate:
    coef: np.ndarray
    intercept: float
    threshold: float

    def other(self, texts: list[str]) -> np.ndarray:
        """P(another business's message) per text."""
        return _sigmoid(_features(texts) @ self.coef + self.intercept)

    def gates(self, text: str) -> bool:
        """A write-routed message to be asked about rather than written: no order id and 'other' at the threshold."""
        if ORDER_ID.search(text):
            return False
        x = _features([text])
        if x.shape[1] != len(self.coef):  # fitted on another router model's features: no gate
            return False
        return float(_sigmoid(x @ self.coef + self.intercept)[0]) >= self.threshold

    def save(self, card: dict[str, Any], weights: Path = WEIGHTS, card_path: Path = CARD) -> None:
        np.savez_compressed(weights, coef=self.coef.astype(np.float32), intercept=np.array([self.intercept]))
        card_path.write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, weights: Path = WEIGHTS, card_path: Path = CARD) -> WriteGate:
        card = json.loads(card_path.read_text(encoding="utf-8"))
        with np.load(weights, allow_pickle=False) as z:
            return cls(z["coef"], float(z["intercept"][0]), float(card["threshold"]))


def train(c: float = 10.0) -> tuple[WriteGate, dict[str, Any]]:
    other, shop = other_texts(), shop_texts()
    x = _features(other + shop)
    y = np.array([1] * len(other) + [0] * len(shop))
    t, cv = cv_threshold(x, y, c)
    w, b = fit(x, y, c)
    from agent.offline.classifier import CARD as ROUTER_CARD

    card = {"model": "LogisticRegression", "C": c, "class_weight": "balanced",
            "features": "router (use-m + char n-grams)", "router_corpus_hash":
                json.loads(ROUTER_CARD.read_text(encoding="utf-8"))["corpus_hash"],
            "threshold": round(t, 4), "shop_keep": SHOP_KEEP, "rows_other": len(other), "rows_shop": len(shop), **cv}
    return WriteGate(w, b, round(t, 4)), card


@lru_cache(maxsize=1)
def shipped() -> WriteGate | None:
    """The gate in this package, loaded once (None when none has been trained)."""
    return WriteGate.load() if WEIGHTS.exists() and CARD.exists() else None
