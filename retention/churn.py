"""Churn models: LightGBM (the default), logistic regression, a small torch MLP, and the recency and BG/NBD
baselines; probability calibration chosen on a validation cutoff and kept only where it does not worsen it."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
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
        with warnings.catch_warnings():  # a feature the source never has (e.g. dwell time) is all NaN: median 0
            warnings.simplefilter("ignore", RuntimeWarning)
            self.median_ = np.nan_to_num(np.nanmedian(X, axis=0))
        Z = self._pre(X)
        self.mean_, self.std_ = Z.mean(axis=0), Z.std(axis=0) + 1e-9
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (self._pre(X) - self.mean_) / self.std_

    def to_dict(self) -> dict[str, list[float]]:
        return {"median": self.median_.tolist(), "mean": self.mean_.tolist(), "std": self.std_.tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, list[float]]) -> Standardiser:
        return cls(np.asarray(d["median"]), np.asarray(d["mean"]), np.asarray(d["std"]))


LGB_PARAMS = {"objective": "binary", "learning_rate": 0.03, "num_leaves": 4, "min_data_in_leaf": 100,
              "feature_fraction": 0.5, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 10.0,
              "verbose": -1, "num_threads": 2, "deterministic": True}

# Small, strongly regularised trees: the same customers recur at every training cutoff, so a leaf of 100 rows
# may hold only a few dozen shoppers; larger trees learn them rather than churn.
GRID = [{"num_leaves": nl, "min_data_in_leaf": md} for nl in (3, 4, 7, 15) for md in (100, 300)]


def train_lightgbm(Xtr: np.ndarray, ytr: np.ndarray, Xva: np.ndarray, yva: np.ndarray, seed: int = 42,
                   grid: bool = True) -> Any:
    """Early stopping on the validation rows; with grid=True, tree size is also chosen there (by AUC)."""
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
    return lgb.train(params, dtr, num_boost_round=3000, valid_sets=[dva],
                     callbacks=[lgb.early_stopping(100, verbose=False)])


def train_logreg(Xtr: np.ndarray, ytr: np.ndarray) -> tuple[Standardiser, Any]:
    from sklearn.linear_model import LogisticRegression

    st = Standardiser().fit(Xtr)
    return st, LogisticRegression(C=0.5, max_iter=2000).fit(st.transform(Xtr), ytr)


@dataclass
class LogReg:
    """The logistic-regression baseline as data: standardiser and coefficients (saved as JSON, never pickled)."""

    st: Standardiser
    coef: np.ndarray
    intercept: float

    @classmethod
    def train(cls, Xtr: np.ndarray, ytr: np.ndarray) -> LogReg:
        st, lr = train_logreg(Xtr, ytr)
        return cls(st, lr.coef_[0].copy(), float(lr.intercept_[0]))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(self.st.transform(X) @ self.coef + self.intercept)))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"model": "logreg", "features": FEATURES, "standardiser": self.st.to_dict(),
                                    "coef": self.coef.tolist(), "intercept": self.intercept}, indent=1))

    @classmethod
    def load(cls, path: Path) -> LogReg:
        d = json.loads(path.read_text())
        return cls(Standardiser.from_dict(d["standardiser"]), np.asarray(d["coef"]), float(d["intercept"]))


class MLP:
    """Two hidden layers of 32 with dropout, trained with Adam and early stopping on the validation loss."""

    def __init__(self, seed: int = 42, epochs: int = 100):
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
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # a net this small runs faster on one thread than it pays to split
        try:
            return self._fit(torch, Xtr, ytr, Xva, yva)
        finally:
            torch.set_num_threads(threads)

    def _fit(self, torch: Any, Xtr: np.ndarray, ytr: np.ndarray, Xva: np.ndarray, yva: np.ndarray) -> MLP:
        self.st_.fit(Xtr)
        xt, yt = torch.tensor(self.st_.transform(Xtr), dtype=torch.float32), torch.tensor(ytr, dtype=torch.float32)
        xv, yv = torch.tensor(self.st_.transform(Xva), dtype=torch.float32), torch.tensor(yva, dtype=torch.float32)
        net = self._net(xt.shape[1])
        opt = torch.optim.Adam(net.parameters(), lr=2e-3, weight_decay=1e-4)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        best, best_state, patience = float("inf"), None, 0
        for _ in range(self.epochs):
            net.train()
            perm = torch.randperm(len(xt))
            for i in range(0, len(xt), 512):
                b = perm[i:i + 512]
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
                if patience >= 10:
                    break
        net.load_state_dict(best_state)  # type: ignore[arg-type]
        self.net_ = net.eval()
        return self

    def save(self, directory: Path) -> None:
        """Weights as a safetensors state dict, the standardiser and shape as JSON."""
        from safetensors.torch import save_file

        save_file({k: v.contiguous() for k, v in self.net_.state_dict().items()}, str(directory / "mlp.safetensors"))
        (directory / "mlp.json").write_text(json.dumps({"model": "mlp", "features": FEATURES, "hidden": [32, 32],
                                                        "standardiser": self.st_.to_dict()}, indent=1))

    @classmethod
    def load(cls, directory: Path) -> MLP:
        from safetensors.torch import load_file

        meta = json.loads((directory / "mlp.json").read_text())
        m = cls()
        m.st_ = Standardiser.from_dict(meta["standardiser"])
        m.net_ = m._net(len(meta["features"]))
        m.net_.load_state_dict(load_file(str(directory / "mlp.safetensors")))
        m.net_.eval()
        return m

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
    def choose_holdout(cls, p_val: np.ndarray, y_val: np.ndarray,
                       earlier: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[Calibrator, dict[str, Any]]:
        """Keep a calibrator only where it earns its place on held-out rows: fitted on one half of the validation
        rows it must lower ECE on the other half (both ways round) without raising Brier, and, when `earlier`
        (held-out customers at an earlier cutoff) is given, fitted there it must also help at the validation
        cutoff, since a calibrator that does not survive a shift in time will not survive the next window either.
        The one kept is refitted on all validation rows."""
        half = np.arange(len(p_val)) % 2 == 0
        scores: dict[str, dict[str, float]] = {}
        for method in ("none", "platt", "isotonic"):
            q = np.empty_like(p_val, dtype=float)
            for a in (half, ~half):
                q[~a] = cls.fit(method, p_val[a], y_val[a]).apply(p_val[~a])
            row = {"ece": round(ece(y_val, q), 4), "brier": round(float(np.mean((q - y_val) ** 2)), 4)}
            if earlier is not None and len(earlier[0]) >= 50:
                t = cls.fit(method, *earlier).apply(p_val)
                row |= {"ece_shifted": round(ece(y_val, t), 4), "brier_shifted": round(float(np.mean((t - y_val) ** 2)), 4)}
            scores[method] = row
        best = "none"
        for name in ("platt", "isotonic"):
            s, n = scores[name], scores["none"]
            ok = s["ece"] < scores[best]["ece"] and s["brier"] <= n["brier"]
            if "ece_shifted" in s:
                ok = ok and s["ece_shifted"] < n["ece_shifted"] and s["brier_shifted"] <= n["brier_shifted"]
            if ok:
                best = name
        chosen = cls.fit(best, p_val, y_val) if best != "none" else cls()
        return chosen, {"chosen": best, "validation": scores,
                        "rule": "cross-fitted on validation halves" + (" and fitted on an earlier cutoff"
                                                                       if "ece_shifted" in scores["none"] else "")}
