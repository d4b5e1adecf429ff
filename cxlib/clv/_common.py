"""Shared helpers for the CLV models: input checks, output shaping, log-parameter fitting."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize


def as_array(values, name: str) -> np.ndarray:
    """Float array of ``values``; NaN is an error, never dropped silently."""
    arr = np.asarray(values, dtype=float)
    if np.isnan(arr).any():
        raise ValueError(f"{name}: {int(np.isnan(arr).sum())} missing value(s); expected numbers")
    return arr


def check_rft(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a (frequency, recency, T) summary and return float arrays."""
    x, tx, t_obs = as_array(frequency, "frequency"), as_array(recency, "recency"), as_array(T, "T")
    problems = {
        "frequency must be a whole number >= 0": (x < 0) | (x != np.round(x)),
        "recency must be >= 0": tx < 0,
        "recency must be <= T": tx > t_obs,
        "recency must be 0 where frequency is 0": (x == 0) & (tx != 0),
    }
    for message, bad in problems.items():
        if np.any(bad):
            first = int(np.flatnonzero(np.broadcast_to(bad, np.broadcast(x, tx, t_obs).shape))[0])
            raise ValueError(f"{message}: {int(np.sum(bad))} customer(s), first at position {first}")
    return x, tx, t_obs


def like(result: np.ndarray, *templates, name: str):
    """Return ``result`` as a Series if the first Series among ``templates`` fits its shape."""
    for template in templates:
        if isinstance(template, pd.Series) and np.shape(result) == (len(template),):
            return pd.Series(result, index=template.index, name=name)
    return result


class DegenerateFitError(ValueError):
    """A model fit that the data do not support (parameters on a bound, an undefined mean, ...).

    The message says which parameter and why; ``cxlib.clv.customer_lifetime_value`` catches it
    and falls back to a simpler model, reporting the reason. ``params`` holds the fitted values.
    """

    def __init__(self, message: str, params: dict | None = None):
        super().__init__(message)
        self.params = dict(params or {})


def fit_log_params(neg_ll_and_grad, start: np.ndarray, tol: float = 1e-10, bounds=None):
    """Minimise a negative log-likelihood over log-parameters with L-BFGS-B (analytic gradient).

    ``neg_ll_and_grad(theta)`` returns (value, gradient) for ``theta = log(params)``; ``bounds``
    optionally boxes theta (pairs of log-bounds).
    """
    result = minimize(
        neg_ll_and_grad,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": tol, "gtol": 1e-8},
    )
    if not result.success and not np.all(np.abs(result.jac) < 1e-4):
        raise RuntimeError(f"maximum likelihood fit did not converge: {result.message}")
    return np.exp(result.x), result
