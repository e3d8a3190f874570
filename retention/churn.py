"""Churn models: LightGBM (the default), logistic regression, a small torch MLP, and the recency and BG/NBD
baselines; probability calibration chosen on a validation cutoff and kept only where it does not worsen it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from retention.features import FEATURES
from retention.metrics import ece


def matrix(df: pd.DataFrame) -> np.ndarray:
    return df[FEATURES].astype("float64").to_numpy()


@dataclass
class Standardiser:
    """Median imputation, log1p of heavy-tailed counts and money, then z-scores (for logreg and the MLP)."""

    median_: np.ndarray = field(default_factory=lambda: np.zeros(0))
    mean_: np.ndarray = field(default_factory=lambda: np.zeros(0))
    std_: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def _pre(self, X: np.ndarray) -> np.ndarray:
        X = np.where(np.isnan(X), self.median_, X)
        return np.sign(X) * np.log1p(np.abs(X))

    def fit(self, X: np.ndarray) -> Standardiser:
        self.median_ = np.nan_to_num(np.nanmedian(X, axis=0))
        Z = self._pre(X)
        self.mean_, self.std_ = Z.mean(axis=0), Z.std(axis=0) + 1e-9
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (self._pre(X) - self.mean_) / self.std_


LGB_PARAMS = {"objective": "binary", "learning_rate": 0.03, "num_leaves": 15, "min_data_in_leaf": 40,
              "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
              "verbose": -1, "num_threads": 2, "deterministic": True}


GRID = [{"num_leaves": nl, "min_data_in_leaf": md} for nl in (4, 7, 15) for md in (40, 100)]


def train_lightgbm(Xtr: np.ndarray, ytr: np.ndarray, Xva: np.ndarray, yva: np.ndarray, seed: int = 42,
                   grid: bool = True) -> Any:
    """Early stopping on the validation cutoff; with grid=True, tree size is also chosen there (by AUC)."""
    from sklearn.metrics import roc_auc_score

    best, best_auc = None, -1.0
    for extra in GRID if grid else [{}]:
        b = _fit_lgb(Xtr, ytr, Xva, yva, {**extra, "seed": seed})
        auc = roc_auc_score(yva, b.predict(Xva))
        if auc > best_auc:
            best, best_auc = b, auc
    return best


def _fit_lgb(Xtr: np.ndarray, ytr: np.ndarray, Xva: np.ndarray, yva: np.ndarray, extra: dict[str, Any]) -> Any:
    import lightgbm as lgb

    params = {**LGB_PARAMS, **extra}
    dtr = lgb.Dataset(Xtr, ytr, feature_name=FEATURES)
    dva = lgb.Dataset(Xva, yva, reference=dtr)
    return lgb.train(params, dtr, num_boost_round=1000, valid_sets=[dva],
                     callbacks=[lgb.early_stopping(50, verbose=False)])


def train_logreg(Xtr: np.ndarray, ytr: np.ndarray) -> tuple[Standardiser, Any]:
    from sklearn.linear_model import LogisticRegression

    st = Standardiser().fit(Xtr)
    return st, LogisticRegression(C=0.5, max_iter=2000).fit(st.transform(Xtr), ytr)


class MLP:
    """Two hidden layers of 32 with dropout, trained with Adam and early stopping on the validation loss."""

    def __init__(self, seed: int = 42, epochs: int = 200):
        self.seed, self.epochs = seed, epochs
        self.st_ = Standardiser()
        self.net_: Any = None

    def _net(self, d: int) -> Any:
        import torch.nn as nn

        return nn.Sequential(nn.Linear(d, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 32), nn.ReLU(),
                             nn.Linear(32, 1))

    def fit(self, Xtr: np.ndarray, ytr: np.ndarray, Xva: np.ndarray, yva: np.ndarray) -> MLP:
        import torch

        torch.manual_seed(self.seed)
        self.st_.fit(Xtr)
        xt, yt = torch.tensor(self.st_.transform(Xtr), dtype=torch.float32), torch.tensor(ytr, dtype=torch.float32)
        xv, yv = torch.tensor(self.st_.transform(Xva), dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
        net = self._net(xt.shape[1])
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        best, best_state, patience = float("inf"), None, 0
        for _ in range(self.epochs):
            net.train()
            perm = torch.randperm(len(xt))
            for i in range(0, len(xt), 256):
                b = perm[i:i + 256]
                opt.zero_grad()
                loss_fn(net(xt[b]).squeeze(1), yt[b]).backward()
                opt.step()
            net.eval()
            with torch.no_grad():
                v = float(loss_fn(net(xv).squeeze(1), yv))
            if v < best - 1e-4:
                best, best_state, patience = v, {k: t.clone() for k, t in net.state_dict().items()}, 0
            else:
                patience += 1
                if patience >= 15:
                    break
        net.load_state_dict(best_state)  # type: ignore[arg-type]
        self.net_ = net.eval()
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        import torch

        with torch.no_grad():
            out = self.net_(torch.tensor(self.st_.transform(X), dtype=torch.float32)).squeeze(1)
        return torch.sigmoid(out).numpy()


@dataclass
class Calibrator:
    """none | platt | isotonic, chosen on the validation cutoff: kept only if it lowers validation ECE without
    raising Brier."""

    method: str = "none"
    a_: float = 1.0
    b_: float = 0.0
    x_: list[float] = field(default_factory=list)
    y_: list[float] = field(default_factory=list)

    def apply(self, p: np.ndarray) -> np.ndarray:
        if self.method == "platt":
            z = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6)))
            return 1 / (1 + np.exp(-(self.a_ * z + self.b_)))
        if self.method == "isotonic":
            return np.interp(p, self.x_, self.y_)
        return p

    @classmethod
    def fit(cls, method: str, p: np.ndarray, y: np.ndarray) -> Calibrator:
        from sklearn.isotonic import IsotonicRegression
        from sklearn.linear_model import LogisticRegression

        if method == "platt":
            z = np.log(np.clip(p, 1e-6, 1 - 1e-6) / (1 - np.clip(p, 1e-6, 1 - 1e-6))).reshape(-1, 1)
            lr = LogisticRegression().fit(z, y)
            return cls("platt", float(lr.coef_[0, 0]), float(lr.intercept_[0]))
        if method == "isotonic":
            iso = IsotonicRegression(out_of_bounds="clip", y_min=0.001, y_max=0.999).fit(p, y)
            return cls("isotonic", x_=list(map(float, iso.X_thresholds_)), y_=list(map(float, iso.y_thresholds_)))
        return cls()

    @classmethod
    def choose_temporal(cls, p_fit: np.ndarray, y_fit: np.ndarray, p_val: np.ndarray, y_val: np.ndarray
                        ) -> tuple[Calibrator, dict[str, Any]]:
        """Fit each calibrator on an earlier cutoff (p_fit, y_fit) and keep it only if it improves ECE on the
        later validation cutoff without raising Brier there: a calibrator must survive a shift in time, since the
        test window's churn rate may differ from the one it was fitted on."""
        scores = {}
        for method in ("none", "platt", "isotonic"):
            q = cls.fit(method, p_fit, y_fit).apply(p_val)
            scores[method] = {"ece": round(ece(y_val, q), 4), "brier": round(float(np.mean((q - y_val) ** 2)), 4)}
        best = "none"
        for name in ("platt", "isotonic"):
            if scores[name]["ece"] < scores[best]["ece"] and scores[name]["brier"] <= scores["none"]["brier"]:
                best = name
        return cls.fit(best, p_val, y_val) if best != "none" else cls(), {"chosen": best, "validation": scores,
                                                                          "rule": "temporal"}

    @classmethod
    def choose(cls, p_val: np.ndarray, y_val: np.ndarray) -> tuple[Calibrator, dict[str, Any]]:
        from sklearn.isotonic import IsotonicRegression
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import cross_val_predict

        half = np.arange(len(p_val)) % 2 == 0  # fit on one half, judge on the other, so the choice is honest
        z = np.log(np.clip(p_val, 1e-6, 1 - 1e-6) / (1 - np.clip(p_val, 1e-6, 1 - 1e-6))).reshape(-1, 1)
        del cross_val_predict
        cands: dict[str, Calibrator] = {"none": cls()}
        lr = LogisticRegression().fit(z[half], y_val[half])
        cands["platt"] = cls("platt", float(lr.coef_[0, 0]), float(lr.intercept_[0]))
        iso = IsotonicRegression(out_of_bounds="clip", y_min=0.001, y_max=0.999).fit(p_val[half], y_val[half])
        cands["isotonic"] = cls("isotonic", x_=list(map(float, iso.X_thresholds_)),
                                y_=list(map(float, iso.y_thresholds_)))
        scores = {}
        for name, c in cands.items():
            q = c.apply(p_val[~half])
            scores[name] = {"ece": round(ece(y_val[~half], q), 4),
                            "brier": round(float(np.mean((q - y_val[~half]) ** 2)), 4)}
        best = "none"
        for name in ("platt", "isotonic"):
            if scores[name]["ece"] < scores[best]["ece"] and scores[name]["brier"] <= scores["none"]["brier"]:
                best = name
        chosen = cands[best]
        if best == "platt":  # refit on the whole validation set
            lr = LogisticRegression().fit(z, y_val)
            chosen = cls("platt", float(lr.coef_[0, 0]), float(lr.intercept_[0]))
        elif best == "isotonic":
            iso = IsotonicRegression(out_of_bounds="clip", y_min=0.001, y_max=0.999).fit(p_val, y_val)
            chosen = cls("isotonic", x_=list(map(float, iso.X_thresholds_)), y_=list(map(float, iso.y_thresholds_)))
        return chosen, {"chosen": best, "validation": scores}
