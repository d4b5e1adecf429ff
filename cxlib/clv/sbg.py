"""Shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007), fitted by ML.

Each customer has a constant churn probability theta per period; theta ~ Beta(alpha, beta) across
customers. The lifetime T (the period in which the customer leaves, 1, 2, ...) then has

    P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)          (FH 2007, eq. 7)
    S(t)     = B(alpha, beta + t) / B(alpha, beta)                 (FH 2007, eq. 8)

and the retention rate r(t) = S(t)/S(t - 1) = (beta + t - 1)/(alpha + beta + t - 1) rises with
tenure: the "perils of ignoring heterogeneity" (Fader & Hardie 2010, Marketing Science 29(1)).

References
- Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. Journal of Interactive
  Marketing 21(1), 76-90 (the model, its likelihood for one cohort, the "regular" and "high end"
  data of its Table 1 and the fitted alpha, beta that tests/test_clv_contractual.py reproduces).
- Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a contractual setting: the
  perils of ignoring heterogeneity. Marketing Science 29(1), 85-93 (discounted expected residual
  lifetime of a customer who has survived n periods).
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, digamma
from scipy.stats import chi2

from cxlib.clv._common import DegenerateFitError, as_array, fit_log_params

__all__ = ["ShiftedBetaGeometricModel", "counts_from_survival"]

PARAMS = ("alpha", "beta")
BOUNDS = (1e-4, 1e4)  # log-parameter box; a fit that ends on it is degenerate


def counts_from_survival(percent_alive, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-customer (lifetime, churned, entry) arrays of one cohort from its survival curve.

    ``percent_alive`` starts with 100 at period 0; ``n`` customers start. Customers lost between
    periods t - 1 and t churned in period t; those alive at the last period are censored there.
    This is how Fader & Hardie (2007) turn their Table 1 into the likelihood of eq. (9).
    """
    alive = np.rint(np.asarray(percent_alive, dtype=float) / 100.0 * n).astype(int)
    if alive[0] != n or np.any(np.diff(alive) > 0):
        raise ValueError("percent_alive must start at 100 and never rise")
    lost = -np.diff(alive)
    periods = np.arange(1, len(alive))
    lifetime = np.concatenate([np.repeat(periods, lost), np.full(alive[-1], len(alive) - 1)])
    churned = np.concatenate([np.ones(lost.sum(), bool), np.zeros(alive[-1], bool)])
    return lifetime.astype(float), churned, np.zeros(len(lifetime))


def _check(lifetime, churned, entry):
    t = as_array(lifetime, "lifetime")
    c = np.asarray(churned, dtype=bool)
    e = np.zeros_like(t) if entry is None else as_array(entry, "entry")
    problems = {
        "lifetime must be a whole number of periods": t != np.round(t),
        "entry must be a whole number of periods >= 0": (e < 0) | (e != np.round(e)),
        "a churned customer's lifetime must be >= 1 and > entry": c & ((t < 1) | (t <= e)),
        "an active customer's lifetime must be >= entry": ~c & (t < e),
    }
    for message, bad in problems.items():
        if np.any(bad):
            raise ValueError(
                f"{message}: {int(np.sum(bad))} customer(s), first at position {int(np.flatnonzero(bad)[0])}"
            )
    return t, c, e


def _grouped(t, c, e, w):
    """Unique (lifetime, churned, entry) rows with summed weights: the likelihood is a sum over few cells."""
    keys = np.column_stack([t, c.astype(float), e])
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    weights = np.bincount(inverse.ravel(), weights=w, minlength=len(unique))
    return unique[:, 0], unique[:, 1].astype(bool), unique[:, 2], weights


def _log_terms(a, b, t, c, e):
    """Per-row log-likelihood: ln P(T = t) or ln S(t), minus ln S(entry) (left truncation)."""
    base = betaln(a, b)
    ll = np.where(c, betaln(a + 1, b + np.maximum(t, 1) - 1), betaln(a, b + t)) - base
    return ll - (betaln(a, b + e) - base)


def log_likelihood(params, lifetime, churned, entry=None, weights=None) -> float:
    """sBG log-likelihood (FH 2007, eq. 9), with left truncation at ``entry`` periods survived."""
    t, c, e = _check(lifetime, churned, entry)
    w = np.ones_like(t) if weights is None else np.asarray(weights, dtype=float)
    return float(np.sum(w * _log_terms(*params, t, c, e)))


def _neg_ll_and_grad(theta, t, c, e, w):
    a, b = params = np.exp(theta)
    ll = _log_terms(a, b, t, c, e)
    ab = digamma(a + b)
    tt = np.maximum(t, 1)
    # d/da and d/db of ln P(T=t) = betaln(a+1, b+t-1) - betaln(a, b), and of ln S(t).
    da = np.where(c, digamma(a + 1) - digamma(a + b + tt) - digamma(a) + ab, ab - digamma(a + b + t))
    db = np.where(c, digamma(b + tt - 1) - digamma(a + b + tt), digamma(b + t) - digamma(a + b + t)) - digamma(b) + ab
    # minus d/da, d/db of ln S(entry)
    da -= ab - digamma(a + b + e)
    db -= digamma(b + e) - digamma(a + b + e) - digamma(b) + ab
    total = w.sum()
    grad = -np.array([np.sum(w * da), np.sum(w * db)]) / total * params
    return -np.sum(w * ll) / total, grad


class ShiftedBetaGeometricModel:
    """sBG retention model (Fader & Hardie 2007) for customers observed in discrete periods.

    ``fit(lifetime, churned, entry=None)`` per customer: ``lifetime`` is the period in which a
    churned customer left (1 = in the first period) or the number of whole periods an active
    customer has completed; ``entry`` the periods already completed when observation began
    (customers who joined before the data start: the likelihood conditions on surviving them).

    After ``fit``: ``params_`` {alpha, beta}, ``log_likelihood_``, ``n_``, ``cov_`` (covariance
    of (ln alpha, ln beta) from the observed information, statsmodels' numerical Hessian),
    ``geometric_theta_`` (the one churn probability of the homogeneous model) and
    ``heterogeneity_lr_`` / ``heterogeneity_p_`` (likelihood-ratio test against it, boundary
    corrected: Self & Liang 1987). A fit on the bounds of (1e-4, 1e4), or one that runs off
    along the ridge alpha, beta -> infinity (no gain over the geometric model), raises
    ``DegenerateFitError``: churn is the same for everyone; use one retention rate.
    """

    def __init__(self):
        self.params_: dict[str, float] | None = None
        self.log_likelihood_: float | None = None
        self.n_: int | None = None
        self.cov_: np.ndarray | None = None

    def fit(self, lifetime, churned, entry=None, weights=None) -> ShiftedBetaGeometricModel:
        """Maximum likelihood on log-parameters (scipy L-BFGS-B, analytic gradient)."""
        from statsmodels.tools.numdiff import approx_hess

        t, c, e = _check(lifetime, churned, entry)
        w = np.ones_like(t) if weights is None else as_array(weights, "weights")
        if not c.any():
            raise DegenerateFitError("sBG: no customer churned in the data; retention cannot be estimated")
        if c.all():
            raise DegenerateFitError("sBG: every customer churned; there is no one to project")
        t, c, e, w = _grouped(t, c, e, w)
        lo, hi = np.log(BOUNDS)
        fitted, _ = fit_log_params(lambda th: _neg_ll_and_grad(th, t, c, e, w), np.zeros(2), bounds=[(lo, hi)] * 2)
        at_bound = [name for name, v in zip(PARAMS, np.log(fitted)) if min(v - lo, hi - v) < 1e-3]
        if at_bound:
            raise DegenerateFitError(
                f"sBG: the fit ends on the bound of {', '.join(at_bound)} (alpha = {fitted[0]:.4g}, "
                f"beta = {fitted[1]:.4g}); the data do not support a heterogeneous retention model",
                params=dict(zip(PARAMS, map(float, fitted))),
            )
        ll = float(np.sum(w * _log_terms(*fitted, t, c, e)))
        theta = np.sum(w * c) / np.sum(w * (t - e))  # the homogeneous (geometric) fit
        ll_geo = float(np.sum(w * (c * np.log(theta) + (t - e - c) * np.log1p(-theta))))
        lr = max(2.0 * (ll - ll_geo), 0.0)
        if fitted.sum() > 1e3 and lr < 1e-2:
            raise DegenerateFitError(
                f"sBG: the fit runs off towards alpha, beta -> infinity (alpha = {fitted[0]:.4g}, "
                f"beta = {fitted[1]:.4g}): every customer churns alike; use one retention rate",
                params=dict(zip(PARAMS, map(float, fitted))),
            )
        self.params_ = dict(zip(PARAMS, (float(v) for v in fitted)))
        self.log_likelihood_ = ll
        self.geometric_theta_ = float(theta)
        # Likelihood-ratio test of heterogeneity against the geometric model; the null lies on
        # the boundary, so the p-value is half that of chi2(1) (Self & Liang 1987, JASA 82:605).
        self.heterogeneity_lr_ = lr
        self.heterogeneity_p_ = float(0.5 * chi2.sf(lr, 1)) if lr > 0 else 0.5
        self.n_ = round(float(w.sum()))
        hess = approx_hess(np.log(fitted), lambda th: -np.sum(w * _log_terms(*np.exp(th), t, c, e)))
        self.cov_ = np.linalg.inv(hess)
        return self

    def _params(self, params=None):
        if params is not None:
            return params
        if self.params_ is None:
            raise RuntimeError("ShiftedBetaGeometricModel is not fitted; call fit() first")
        return self.params_["alpha"], self.params_["beta"]

    def survival(self, t, params=None):
        """S(t) = B(alpha, beta + t)/B(alpha, beta): share of a new cohort still active after t periods."""
        a, b = self._params(params)
        t = np.asarray(t, dtype=float)
        return np.exp(betaln(a, b + t) - betaln(a, b))

    def retention(self, t, params=None):
        """r(t) = (beta + t - 1)/(alpha + beta + t - 1): retention in period t of those alive at t - 1."""
        a, b = self._params(params)
        t = np.asarray(t, dtype=float)
        return (b + t - 1) / (a + b + t - 1)

    def expected_value(self, periods_survived, horizon: int, discount: float, params=None):
        """Discounted expected number of future periods paid, per unit of margin per period.

        sum_{k=1..horizon} S(n + k)/S(n) / (1 + d)^k for a customer active after ``n =
        periods_survived`` periods: the margin of period n + k is received at its end if the
        customer renews k times (Fader & Hardie 2010, eq. 5, truncated at ``horizon`` periods;
        ``horizon=None`` would be their DERL). ``params`` may be arrays (draws) broadcasting
        against ``periods_survived``.
        """
        a, b = self._params(params)
        n = np.asarray(periods_survived, dtype=float)
        a, b = np.asarray(a, dtype=float)[..., None], np.asarray(b, dtype=float)[..., None]
        k = np.arange(1, int(horizon) + 1, dtype=float)
        n_ = n[..., None]
        cond = np.exp(betaln(a, b + n_ + k) - betaln(a, b + n_))
        return np.sum(cond / (1.0 + discount) ** k, axis=-1)
