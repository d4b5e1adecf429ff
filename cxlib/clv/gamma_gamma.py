"""Gamma-Gamma model of spend per transaction, fitted by maximum likelihood.

References: Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: using iso-value curves
for customer base analysis. Journal of Marketing Research 42(4), 415-430; Fader, P. S. & Hardie,
B. G. S. (2013). The Gamma-Gamma model of monetary value, brucehardie.com/notes/025.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, gammaln

from cxlib.clv._common import DegenerateFitError, as_array, fit_log_params, like

__all__ = ["PARAMS", "log_likelihood", "GammaGammaModel"]

PARAMS = ("p", "q", "v")
BOUNDS = (1e-4, 1e5)  # box for p and q (v is scaled to the mean spend); a fit on it is degenerate


def _repeat_buyers(frequency, monetary_value):
    """Frequency and mean spend of repeat buyers (x > 0); their spend must be positive."""
    x, m = as_array(frequency, "frequency"), as_array(monetary_value, "monetary_value")
    repeat = x > 0
    bad = repeat & (m <= 0)
    if bad.any():
        raise ValueError(
            f"monetary_value must be > 0 for repeat buyers: {int(bad.sum())} customer(s), "
            f"first at position {int(np.flatnonzero(bad)[0])}"
        )
    return x[repeat], m[repeat]


def log_likelihood(params, frequency, monetary_value) -> float:
    """Gamma-Gamma log-likelihood of the repeat buyers' mean spend (Fader & Hardie 2013)."""
    p, q, v = params
    x, m = _repeat_buyers(frequency, monetary_value)
    ll = (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(v + x * m)
    )
    return float(ll.sum())


def _neg_ll_and_grad(theta, x, m, log_m, log_x):
    p, q, v = params = np.exp(theta)
    px = p * x
    log_vxm = np.log(v + x * m)
    ll = gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * log_m + px * log_x - (px + q) * log_vxm
    psi = digamma(px + q)
    d_p = x * (psi - digamma(px) + log_m + log_x - log_vxm)
    d_q = psi - digamma(q) + np.log(v) - log_vxm
    d_v = q / v - (px + q) / (v + x * m)
    n = len(x)
    grad = -np.array([d_p.sum(), d_q.sum(), d_v.sum()]) / n * params
    return -ll.sum() / n, grad


class GammaGammaModel:
    """Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Fader & Hardie 2013), lifetimes-style.

    Each transaction of a customer is Gamma(p, nu); nu ~ Gamma(q, v) across customers, so the
    mean spend per transaction is p / nu. Assumes spend is independent of purchase frequency.
    Money in the unit of ``monetary_value`` (EUR in cxlib). ``v`` is in that unit.

    After ``fit``: ``params_`` {p, q, v}, ``log_likelihood_``, ``n_`` (repeat buyers used).
    """

    def __init__(self):
        self.params_: dict[str, float] | None = None
        self.log_likelihood_: float | None = None
        self.n_: int | None = None

    def fit(self, frequency, monetary_value) -> GammaGammaModel:
        """Maximum-likelihood fit on repeat buyers only (frequency > 0), as in Fader & Hardie.

        Raises ``DegenerateFitError`` when p or q ends on the bound (1e-4, 1e5) or q <= 1: then
        the population mean spend p v/(q - 1) is undefined or the model does not describe spend.

        ``monetary_value`` is the mean spend of the repeat purchases (``summary_from_orders``).
        Customers with frequency 0 carry no spend information and are not used (see ``n_``).
        """
        x, m = _repeat_buyers(frequency, monetary_value)
        if len(x) < 3:
            raise ValueError(f"need at least 3 repeat buyers to fit, got {len(x)}")
        scale = 1.0 / np.mean(m)  # fit on spend relative to its mean, for conditioning
        ms = m * scale
        lo, hi = np.log(BOUNDS)
        fitted, _ = fit_log_params(
            lambda th: _neg_ll_and_grad(th, x, ms, np.log(ms), np.log(x)),
            np.zeros(3),
            bounds=[(lo, hi), (lo, hi), (lo - 10, hi + 10)],
        )
        at_bound = [n for n, v in zip(PARAMS[:2], np.log(fitted[:2])) if min(v - lo, hi - v) < 1e-3]
        fitted[2] /= scale
        if at_bound or fitted[1] <= 1:
            found = ", ".join(f"{n} = {v:.4g}" for n, v in zip(PARAMS, fitted))
            why = f"{' and '.join(at_bound)} on the bound" if at_bound else "q <= 1 (mean spend undefined)"
            raise DegenerateFitError(
                f"Gamma-Gamma: degenerate fit ({why}; {found}); spend per transaction does not follow the model",
                params=dict(zip(PARAMS, map(float, fitted))),
            )
        self.params_ = dict(zip(PARAMS, (float(v) for v in fitted)))
        self.log_likelihood_ = log_likelihood(fitted, x, m)
        self.n_ = len(x)
        return self

    def expected_spend(self, frequency, monetary_value):
        """E[M | p, q, v, m_x, x] = p (v + x m_x) / (p x + q - 1) (FHL 2005 JMR, eq. 4).

        A weighted mean of the population mean p v / (q - 1) and the customer's own mean m_x;
        customers with x = 0 get the population mean. Requires q > 1.
        """
        if self.params_ is None:
            raise RuntimeError("GammaGammaModel is not fitted; call fit() first")
        p, q, v = (self.params_[k] for k in PARAMS)
        if q <= 1:
            raise ValueError(f"expected spend needs q > 1, the fit gave q = {q:.4g}")
        x, m = as_array(frequency, "frequency"), as_array(monetary_value, "monetary_value")
        m = np.where(x > 0, m, 0.0)
        return like(p * (v + x * m) / (p * x + q - 1), frequency, monetary_value, name="expected_spend")
