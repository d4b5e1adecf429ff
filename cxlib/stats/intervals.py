"""Confidence intervals, vectorised over numpy arrays (one element per group).

Every function takes scalars or arrays (broadcast against each other) and returns floats for
scalar input, numpy arrays otherwise. Proportions go in and come out in 0..1; the NPS functions
work in points (-100..100). Groups without data (n = 0, or n < 2 where a variance is needed)
give NaN, never an error.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats

__all__ = [
    "z_value",
    "wilson",
    "nps_adjusted_wald",
    "nps_bootstrap",
    "quantile_bootstrap_sorted",
    "t_interval",
    "poisson_exact",
    "bootstrap_interval",
    "quantile_bootstrap",
]


def _check_confidence(confidence: float) -> float:
    confidence = float(confidence)
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    return confidence


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard-normal critical value: Φ⁻¹(1 − (1 − confidence)/2); 1.95996 at 95%."""
    return float(stats.norm.ppf(0.5 + _check_confidence(confidence) / 2.0))


def _as_float(*arrays):
    return [np.asarray(a, dtype="float64") for a in arrays]


def _ret(scalar: bool, *arrays):
    out = tuple(float(a) if scalar else a for a in arrays)
    return out


def _is_scalar(*values) -> bool:
    return all(np.ndim(v) == 0 for v in values)


def wilson(successes, n, confidence: float = 0.95):
    """Wilson score interval for a proportion, in 0..1.

    centre = (p̂ + z²/2n) / (1 + z²/n); half-width = z·√(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n),
    with p̂ = successes/n and z the two-sided normal quantile. n = 0 gives NaN.
    Reference: Wilson (1927), JASA 22:209–212; Newcombe (1998), Stat Med 17:857–872 (method 3).
    Returns ``(low, high)``.
    """
    scalar = _is_scalar(successes, n)
    x, n = _as_float(successes, n)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2.0 * n)) / denom
        half = z * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denom
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return _ret(scalar, low, high)


def _nps_adjusted(promoters, passives, detractors):
    """Adjusted proportions: add ¾ promoter, ¾ detractor, 1½ passive (n + 3)."""
    p, m, d = _as_float(promoters, passives, detractors)
    n = p + m + d
    n_adj = n + 3.0
    p_adj = (p + 0.75) / n_adj
    d_adj = (d + 0.75) / n_adj
    return n, n_adj, p_adj, d_adj


def nps_adjusted_wald(promoters, passives, detractors, confidence: float = 0.95):
    """NPS with its adjusted-Wald interval, all in points (−100..100).

    value = 100·(P − D)/n (unadjusted). Interval: add ¾ promoter, ¾ detractor and 1½ passive
    (n + 3); with p, d the adjusted shares, NPS_adj = p − d, var = p + d − (p − d)²,
    se = √(var/(n + 3)); interval = 100·(NPS_adj ± z·se). n = 0 gives NaN.
    Reference: Rocks (2016), "Interval estimation for the Net Promoter Score", The American
    Statistician 70(4):365–372; Lewis & Sauro, MeasuringU, "Confidence intervals for Net Promoter
    Scores" (2020). 50/30/20 → 30.0 (14.05 to 44.20).
    Returns ``(value, low, high, se)``; se in points.
    """
    scalar = _is_scalar(promoters, passives, detractors)
    z = z_value(confidence)
    n, n_adj, p_adj, d_adj = _nps_adjusted(promoters, passives, detractors)
    p_raw, _, d_raw = _as_float(promoters, passives, detractors)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n > 0, 100.0 * (p_raw - d_raw) / n, np.nan)
        centre = p_adj - d_adj
        var = p_adj + d_adj - centre**2
        se = np.sqrt(var / n_adj)
        se = np.where(n > 0, se, np.nan)
        low = np.clip(100.0 * (centre - z * se), -100.0, 100.0)
        high = np.clip(100.0 * (centre + z * se), -100.0, 100.0)
    return _ret(scalar, value, low, high, 100.0 * se)


def nps_bootstrap(promoters, passives, detractors, confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0):
    """Percentile-bootstrap interval for NPS in points, from the counts alone.

    Resampling n responses with replacement is the same as drawing multinomial counts
    (n; P/n, M/n, D/n), so every group is resampled at once without going back to the rows.
    Seeded (``seed``). n = 0 gives NaN. Reference: Efron & Tibshirani (1993), An Introduction to
    the Bootstrap, ch. 13 (percentile interval); Lewis & Sauro, MeasuringU (2020) on NPS.
    Returns ``(low, high)``.
    """
    scalar = _is_scalar(promoters, passives, detractors)
    alpha = 1.0 - _check_confidence(confidence)
    p, m, d = (np.atleast_1d(a).astype("int64") for a in (promoters, passives, detractors))
    p, m, d = np.broadcast_arrays(p, m, d)
    n = p + m + d
    low = np.full(n.shape, np.nan)
    high = np.full(n.shape, np.nan)
    ok = n > 0
    if ok.any():
        counts = np.stack([p[ok], m[ok], d[ok]], axis=-1).astype("float64")
        pvals = counts / n[ok][:, None]
        rng = np.random.default_rng(seed)
        n_ok = n[ok]
        chunk = max(1, 2_000_000 // int(n_resamples))  # bound memory: B × groups per batch
        lows, highs = [], []
        for start in range(0, n_ok.size, chunk):  # loop over batches of groups, not rows
            sl = slice(start, start + chunk)
            draws = rng.multinomial(n_ok[sl], pvals[sl], size=(int(n_resamples), n_ok[sl].size))
            nps = 100.0 * (draws[..., 0] - draws[..., 2]) / n_ok[sl]
            q = np.quantile(nps, [alpha / 2.0, 1.0 - alpha / 2.0], axis=0)
            lows.append(q[0])
            highs.append(q[1])
        low[ok], high[ok] = np.concatenate(lows), np.concatenate(highs)
    if scalar:
        return float(low[0]), float(high[0])
    return low.reshape(np.shape(n)), high.reshape(np.shape(n))


def t_interval(mean, sd, n, confidence: float = 0.95):
    """Student t interval for a mean: mean ± t(1 − α/2; n − 1)·sd/√n, in the mean's units.

    sd is the sample standard deviation (ddof = 1). n < 2 gives NaN.
    Reference: Student (1908), Biometrika 6:1–25; any introductory text.
    Returns ``(low, high)``.
    """
    scalar = _is_scalar(mean, sd, n)
    confidence = _check_confidence(confidence)
    mean, sd, n = _as_float(mean, sd, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.where(n >= 2, n - 1.0, np.nan)
        t = stats.t.ppf(0.5 + confidence / 2.0, df)
        half = t * sd / np.sqrt(n)
    return _ret(scalar, mean - half, mean + half)


def poisson_exact(count, exposure=1.0, confidence: float = 0.95):
    """Exact (Garwood) interval for a Poisson rate count/exposure, in the rate's units.

    low = χ²(α/2; 2k)/2 / exposure (0 when k = 0); high = χ²(1 − α/2; 2k + 2)/2 / exposure.
    exposure ≤ 0 gives NaN. Reference: Garwood (1936), Biometrika 28:437–442; Ulm (1990),
    Am J Epidemiol 131:373–375 (k = 10 → 4.795 to 18.39).
    Returns ``(low, high)``.
    """
    scalar = _is_scalar(count, exposure)
    alpha = 1.0 - _check_confidence(confidence)
    k, e = _as_float(count, exposure)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k > 0, stats.chi2.ppf(alpha / 2.0, 2.0 * k) / 2.0, 0.0) / e
        high = stats.chi2.ppf(1.0 - alpha / 2.0, 2.0 * k + 2.0) / 2.0 / e
        bad = ~(e > 0)
        low = np.where(bad, np.nan, low)
        high = np.where(bad, np.nan, high)
    return _ret(scalar, low, high)


def bootstrap_interval(
    values,
    statistic: Callable,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
    method: str = "percentile",
):
    """Seeded bootstrap interval of ``statistic`` over one sample, in the statistic's units.

    ``statistic(x, axis=-1)`` must reduce along ``axis`` (``np.median``, ``np.mean``, or
    ``lambda x, axis: np.quantile(x, [0.5, 0.9], axis=axis)`` for several at once); all
    resamples are then evaluated in one vectorised call (in batches to bound memory). A
    statistic without ``axis`` is applied resample by resample. Missing values are dropped;
    fewer than two values give NaN. ``method`` is passed to ``scipy.stats.bootstrap``
    (``"percentile"``, ``"basic"`` or ``"BCa"``).
    Reference: Efron & Tibshirani (1993), An Introduction to the Bootstrap, ch. 13–14.
    Returns ``(low, high)``: floats, or arrays if the statistic returns several values.
    """
    confidence = _check_confidence(confidence)
    x = np.asarray(values, dtype="float64").ravel()
    x = x[~np.isnan(x)]
    vectorized = _takes_axis(statistic)
    if x.size < 2:
        probe = statistic(np.zeros(2), axis=-1) if vectorized else statistic(np.zeros(2))
        nan = np.full(np.shape(probe), np.nan)
        return (float("nan"), float("nan")) if nan.ndim == 0 else (nan, nan.copy())
    batch = max(1, int(4_000_000 // x.size)) if vectorized else None
    res = stats.bootstrap(
        (x,),
        statistic,
        n_resamples=int(n_resamples),
        batch=batch,
        vectorized=vectorized,
        confidence_level=confidence,
        method=method,
        rng=np.random.default_rng(seed),
    )
    low, high = res.confidence_interval
    if np.ndim(low) == 0:
        return float(low), float(high)
    return np.asarray(low), np.asarray(high)


def _takes_axis(func: Callable) -> bool:
    try:
        func(np.zeros((2, 3)), axis=-1)
    except TypeError:
        return False
    return True


def quantile_bootstrap(values, q: float, confidence: float = 0.95, n_resamples: int = 2000, seed: int = 0, groups=None):
    """Seeded percentile-bootstrap interval of the q-quantile, for many groups at once.

    The statistic is numpy's default (linear, Hyndman & Fan type 7) quantile
    (1 − γ)·x₍ₖ₎ + γ·x₍ₖ₊₁₎ with h = (n − 1)q, k = ⌊h⌋ + 1, γ = h − ⌊h⌋. A bootstrap resample
    draws indices ⌊n·U⌋ of the sorted sample, so its k-th order statistic is x[⌊n·U₍ₖ₎⌋] with
    U₍ₖ₎ ~ Beta(k, n − k + 1), and U₍ₖ₊₁₎ = U₍ₖ₎ + (1 − U₍ₖ₎)·Beta(1, n − k) (order statistics of
    uniforms; David & Nagaraja 2003, Order Statistics, §2.1–2.5). Each resample therefore costs
    two draws instead of n, and all groups are resampled together: exactly the same bootstrap
    distribution as resampling the rows (Efron & Tibshirani 1993, ch. 13), far faster.
    ``groups``: integer group codes 0..G−1 per value (default: one group). Missing values are
    dropped; groups with no values give NaN. Returns ``(low, high)`` arrays of length G
    (floats without ``groups``).
    """
    alpha = 1.0 - _check_confidence(confidence)
    x = np.asarray(values, dtype="float64").ravel()
    g = np.zeros(x.size, dtype="int64") if groups is None else np.asarray(groups, dtype="int64").ravel()
    keep = ~np.isnan(x)
    x, g = x[keep], g[keep]
    ngroups = 1 if groups is None else int(np.max(groups, initial=-1)) + 1
    order = np.lexsort((x, g))
    n = np.bincount(g, minlength=ngroups)
    offsets = np.concatenate([[0], np.cumsum(n)[:-1]])
    low, high = quantile_bootstrap_sorted(x[order], offsets, n, q, alpha, n_resamples, np.random.default_rng(seed))
    if groups is None:
        return float(low[0]), float(high[0])
    return low, high


def quantile_bootstrap_sorted(x, offsets, n, q, alpha, n_resamples, rng, use=None, streams=None):
    """Percentile limits per group of the bootstrapped type-7 q-quantile (x sorted within groups).

    The engine of :func:`quantile_bootstrap`: ``x`` holds the values sorted within groups, group
    g at ``x[offsets[g]:offsets[g] + n[g]]``; ``rng`` a numpy Generator. The draws are made for
    every group with n > 0, in group order; ``use`` (bool per group) limits the limits that are
    computed, and ``x``/``offsets`` need to hold only those groups, so a subset of the groups
    gets exactly the numbers it gets in the full computation.
    ``streams``: a stream id per group; then ``rng`` maps each id to its own Generator and each
    stream's groups draw from it in group order, exactly as when that stream's groups are
    computed alone (a unit's groups within all units, the report batch's one pass).
    """
    n = np.asarray(n, dtype="int64")
    low = np.full(n.shape, np.nan)
    high = np.full(n.shape, np.nan)
    ok = n > 0
    if not ok.any():
        return low, high
    m = n[ok].astype("float64")
    h = (m - 1.0) * q
    k = np.floor(h) + 1.0  # 1-based rank of the lower order statistic
    gamma = h - (k - 1.0)
    size = (int(n_resamples), m.size)
    if streams is None:
        u_k = rng.beta(k, m - k + 1.0, size=size)
        w = rng.beta(1.0, np.maximum(m - k, 1.0), size=size)
    else:  # per stream, the draws a computation of its groups alone makes (both, in the same order)
        ids = np.asarray(streams)[ok]
        u_k, w = np.empty(size), np.empty(size)
        _, first = np.unique(ids, return_index=True)
        for stream in ids[np.sort(first)]:  # a loop over streams (units), each draw vectorised
            cols = np.flatnonzero(ids == stream)
            gen = rng[stream]
            u_k[:, cols] = gen.beta(k[cols], m[cols] - k[cols] + 1.0, size=(size[0], cols.size))
            w[:, cols] = gen.beta(1.0, np.maximum(m[cols] - k[cols], 1.0), size=(size[0], cols.size))
    u_next = np.where(m - k >= 1.0, u_k + (1.0 - u_k) * w, u_k)
    if use is not None:  # the draws above are those of every group; keep the columns asked for
        keep = np.asarray(use, dtype=bool)[ok]
        ok = ok & np.asarray(use, dtype=bool)
        m, gamma, u_k, u_next = m[keep], gamma[keep], u_k[:, keep], u_next[:, keep]
        if not ok.any():
            return low, high
    base = np.asarray(offsets, dtype="int64")[ok]
    last = (m - 1.0).astype("int64")
    i_k = base + np.minimum(np.floor(m * u_k).astype("int64"), last)
    i_next = base + np.minimum(np.floor(m * u_next).astype("int64"), last)
    stat = (1.0 - gamma) * x[i_k] + gamma * x[i_next]
    limits = np.quantile(stat, [alpha / 2.0, 1.0 - alpha / 2.0], axis=0)
    low[ok], high[ok] = limits[0], limits[1]
    return low, high
