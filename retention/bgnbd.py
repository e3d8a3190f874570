"""BG/NBD (Fader, Hardie & Lee 2005), fitted by maximum likelihood; used as a baseline: the probability of no
purchase in the next H days = 1 - P(alive) + P(alive) · P(no purchase in H | alive). (Probability-alive alone
ranks one-time buyers as certainly alive, which is why the horizon term matters.)"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln


@dataclass
class BGNBD:
    r: float = 1.0
    alpha: float = 1.0
    a: float = 1.0
    b: float = 1.0

    @staticmethod
    def _ll(params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> float:
        r, alpha, a, b = np.exp(params)
        a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        a3 = -(r + x) * np.log(alpha + T)
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-9)) - (r + x) * np.log(alpha + tx), -np.inf)
        return -float(np.sum(a1 + a2 + np.logaddexp(a3, a4)))

    def fit(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> BGNBD:
        """x: repeat purchases; tx: time of the last purchase since the first; T: time since the first (days)."""
        res = minimize(self._ll, np.zeros(4), args=(x, tx, T), method="Nelder-Mead",
                       options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-6})
        self.r, self.alpha, self.a, self.b = (float(v) for v in np.exp(res.x))
        return self

    def p_alive(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        ratio = (self.a / np.maximum(self.b + x - 1, 1e-9)) * ((self.alpha + T) / (self.alpha + tx)) ** (self.r + x)
        return np.where(x > 0, 1.0 / (1.0 + ratio), 1.0)

    def p_no_purchase(self, horizon: float, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> np.ndarray:
        pa = self.p_alive(x, tx, T)
        quiet = ((self.alpha + T) / (self.alpha + T + horizon)) ** (self.r + x)
        return 1.0 - pa + pa * quiet


def rfm_inputs(frequency: np.ndarray, recency_days: np.ndarray, tenure_days: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, t_x, T) from the feature table: repeat purchases, last-purchase age from first, age of first."""
    x = np.maximum(frequency - 1, 0).astype(float)
    T = np.maximum(tenure_days, 1).astype(float)
    tx = np.clip(T - recency_days, 0, None).astype(float)
    return x, tx, T
