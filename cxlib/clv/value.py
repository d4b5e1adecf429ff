"""Customer lifetime value: predictive (BG/NBD x Gamma-Gamma) and the simple retention formula."""

from __future__ import annotations

import numpy as np

from cxlib.clv._common import as_array, check_rft, like

__all__ = ["DAYS_PER_MONTH", "PERIODS_PER_MONTH", "clv", "retention_clv"]

DAYS_PER_MONTH = 365.2425 / 12  # mean Gregorian month
PERIODS_PER_MONTH = {"D": DAYS_PER_MONTH, "W": DAYS_PER_MONTH / 7, "M": 1.0, "h": DAYS_PER_MONTH * 24}


def clv(
    bgnbd,
    gamma_gamma,
    frequency,
    recency,
    T,
    monetary_value,
    horizon: int = 12,
    freq: str = "W",
    discount_rate: float = 0.01,
    margin: float = 1.0,
):
    """Discounted expected value of each customer over the next ``horizon`` months (EUR).

    Method (as lifetimes' customer_lifetime_value; Fader, Hardie & Lee 2005, JMR 42(4)):
    CLV = margin x E[spend] x sum_{m=1..horizon} (E[Y(m)] - E[Y(m-1)]) / (1 + d)^m, with E[Y(m)]
    the BG/NBD conditional expected purchases (eq. 10) in the first m months after T, E[spend]
    the Gamma-Gamma conditional mean spend, and d the monthly ``discount_rate``. Purchases in a
    month are discounted as if received at its end. ``freq`` is the time unit of the summary
    ("D", "W", "M" or "h"); a month is 365.2425 / 12 days (lifetimes rounds to 30 days / 4.345
    weeks). ``margin`` is the share of spend that is profit (1.0 = revenue).
    """
    if freq not in PERIODS_PER_MONTH:
        raise ValueError(f"freq must be one of {sorted(PERIODS_PER_MONTH)}, got {freq!r}")
    if int(horizon) != horizon or horizon < 1:
        raise ValueError(f"horizon must be a whole number of months >= 1, got {horizon!r}")
    x, tx, t_obs = check_rft(frequency, recency, T)
    months = np.arange(int(horizon) + 1)
    cumulative = np.asarray(
        bgnbd.expected_purchases(months[None, :] * PERIODS_PER_MONTH[freq], x[:, None], tx[:, None], t_obs[:, None])
    )
    per_month = np.diff(cumulative, axis=1)
    discount = (1.0 + discount_rate) ** -months[1:].astype(float)
    spend = np.asarray(gamma_gamma.expected_spend(x, as_array(monetary_value, "monetary_value")))
    return like(margin * spend * (per_month @ discount), frequency, monetary_value, name="clv")


def retention_clv(margin, retention, discount):
    """Simple retention CLV: margin x r / (1 + d - r) (Gupta & Lehmann 2003, "Customers as assets").

    Timing convention: ``margin`` is the margin per period (EUR); it is received at the end of
    every period the customer is retained, the first one after one period (so the customer must
    survive the first period, probability r); constant retention ``retention`` (r, 0..1) and
    discount rate ``discount`` (d) per period; infinite horizon. Then
    CLV = sum_{t>=1} margin r^t / (1 + d)^t = margin r / (1 + d - r).
    Vectorised over numpy-broadcastable inputs.
    """
    m, r, d = (np.asarray(v, dtype=float) for v in (margin, retention, discount))
    if np.any((r < 0) | (r > 1)):
        raise ValueError("retention must be a probability in [0, 1]")
    if np.any(1.0 + d - r <= 0):
        raise ValueError("retention must be below 1 + discount, else the infinite sum diverges")
    value = m * r / (1.0 + d - r)
    return float(value) if value.ndim == 0 else value
