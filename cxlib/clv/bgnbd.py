"""BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005), fitted by maximum likelihood.

Reference: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
way: an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284. Equation numbers
below refer to that paper; P(alive) follows Fader, Hardie & Lee (2008), "Computing P(alive) using
the BG/NBD model", brucehardie.com/notes/021.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from cxlib.clv._common import check_rft, fit_log_params, like

__all__ = ["PARAMS", "log_likelihood", "BetaGeoModel"]

PARAMS = ("r", "alpha", "a", "b")


def _log_parts(params, x, tx, t_obs):
    """log C, log E1 (alive at T) and log E2 (dropped out at t_x; -inf where x = 0) of eq. (6)."""
    r, alpha, a, b = params
    log_c = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    log_e1 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + t_obs)
    repeat = x > 0
    x_rep = np.where(repeat, x, 1.0)  # keeps b + x - 1 > 0 where the term is masked out
    log_e2 = betaln(a + 1, b + x_rep - 1) - betaln(a, b) - (r + x) * np.log(alpha + tx)
    return log_c, log_e1, np.where(repeat, log_e2, -np.inf)


def log_likelihood(params, frequency, recency, T, weights=None) -> float:
    """BG/NBD log-likelihood (FHL 2005, eq. 6) of a customer summary; time in the summary's unit."""
    x, tx, t_obs = check_rft(frequency, recency, T)
    log_c, log_e1, log_e2 = _log_parts(params, x, tx, t_obs)
    ll = log_c + np.logaddexp(log_e1, log_e2)
    w = np.ones_like(ll) if weights is None else np.asarray(weights, dtype=float)
    return float(np.sum(w * ll))


def _neg_ll_and_grad(theta, x, tx, t_obs, w):
    """Mean negative log-likelihood and its gradient in log-parameters."""
    r, alpha, a, b = params = np.exp(theta)
    log_c, log_e1, log_e2 = _log_parts(params, x, tx, t_obs)
    log_sum = np.logaddexp(log_e1, log_e2)
    w1 = np.exp(log_e1 - log_sum)  # posterior weight of "alive at T"
    w2 = 1.0 - w1
    x_rep = np.where(x > 0, x, 1.0)
    ab, abx = digamma(a + b), digamma(a + b + x)
    d_r = digamma(r + x) - digamma(r) + np.log(alpha) - w1 * np.log(alpha + t_obs) - w2 * np.log(alpha + tx)
    d_alpha = r / alpha - (r + x) * (w1 / (alpha + t_obs) + w2 / (alpha + tx))
    d_a = w1 * (ab - abx) + w2 * (digamma(a + 1) - digamma(a) + ab - abx)
    d_b = w1 * (digamma(b + x) - abx - digamma(b) + ab) + w2 * (digamma(b + x_rep - 1) - abx - digamma(b) + ab)
    total = w.sum()
    value = -np.sum(w * (log_c + log_sum)) / total
    grad = -np.array([np.sum(w * d) for d in (d_r, d_alpha, d_a, d_b)]) / total * params
    return value, grad


class BetaGeoModel:
    """BG/NBD model (Fader, Hardie & Lee 2005) with a lifetimes-style API.

    Purchases follow a Poisson process with rate lambda ~ Gamma(r, alpha); after every repeat
    purchase a customer drops out with probability p ~ Beta(a, b). Time is in the unit of the
    summary (e.g. weeks for ``summary_from_orders(..., freq="W")``); ``alpha`` is in that unit.

    After ``fit``: ``params_`` {r, alpha, a, b}, ``log_likelihood_`` (eq. 6, summed over
    customers), ``n_`` (customers).
    """

    def __init__(self):
        self.params_: dict[str, float] | None = None
        self.log_likelihood_: float | None = None
        self.n_: int | None = None

    def fit(self, frequency, recency, T, weights=None) -> BetaGeoModel:
        """Maximum-likelihood fit (FHL 2005, eq. 6) on log-parameters with scipy L-BFGS-B.

        ``weights`` optionally counts customers per (frequency, recency, T) row.
        """
        x, tx, t_obs = check_rft(frequency, recency, T)
        w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
        scale = 10.0 / t_obs.max()  # work on a time scale where T <= 10, for conditioning
        fitted, _ = fit_log_params(lambda th: _neg_ll_and_grad(th, x, tx * scale, t_obs * scale, w), np.zeros(4))
        fitted[1] /= scale
        self.params_ = dict(zip(PARAMS, (float(v) for v in fitted)))
        self.log_likelihood_ = log_likelihood(fitted, x, tx, t_obs, w)
        self.n_ = int(w.sum())
        return self

    def _params(self):
        if self.params_ is None:
            raise RuntimeError("BetaGeoModel is not fitted; call fit() first")
        return tuple(self.params_[k] for k in PARAMS)

    def p_alive(self, frequency, recency, T):
        """P(alive at T | x, t_x, T) (Fader, Hardie & Lee 2008, note 021); 1 where x = 0."""
        r, alpha, a, b = self._params()
        x, tx, t_obs = check_rft(frequency, recency, T)
        x_rep = np.where(x > 0, x, 1.0)
        log_odds_dead = np.log(a / (b + x_rep - 1)) + (r + x) * np.log((alpha + t_obs) / (alpha + tx))
        result = np.where(x > 0, expit(-log_odds_dead), 1.0)
        return like(result, frequency, recency, T, name="p_alive")

    def expected_purchases(self, t, frequency, recency, T):
        """E[Y(t) | x, t_x, T]: expected repeat purchases in (T, T + t] (FHL 2005, eq. 10).

        The Gaussian hypergeometric term is evaluated after Euler's transformation,
        (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z),
        whose first two arguments do not grow with x, so heavy buyers do not overflow.
        ``t`` (in the summary's time unit) broadcasts against the customer arrays (e.g. shape
        (1, m) against (n, 1)). Needs a != 1 (the formula divides by a - 1).
        """
        r, alpha, a, b = self._params()
        x, tx, t_obs = check_rft(frequency, recency, T)
        t = np.asarray(t, dtype=float)
        z = t / (alpha + t_obs + t)
        c = a + b + x - 1
        tail = (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
        p_alive = np.asarray(self.p_alive(x, tx, t_obs))
        result = p_alive * c / (a - 1) * (1 - tail)
        return like(result, frequency, recency, T, name="expected_purchases")
