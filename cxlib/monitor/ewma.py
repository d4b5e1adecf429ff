"""EWMA chart for mean-type KPIs (CES, mean response time) with time-varying limits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.monitor._frame import assemble, prepare
from cxlib.monitor.shewhart import standardise
from cxlib.monitor.western_electric import _group_positions

__all__ = ["D2_TWO", "ewma_chart_frame"]

D2_TWO = 1.128  # d2 for moving ranges of 2 (Montgomery, Appendix VI; NIST e-Handbook 6.3.2.2)


def _recursion(u: np.ndarray, codes: np.ndarray, alpha: float, start: np.ndarray) -> np.ndarray:
    """r_k = (1 − alpha)·r_{k−1} + alpha·u_k per group, with r_{−1} = start (vectorised).

    pandas' ``ewm(adjust=False)`` starts at r_0 = u_0; the closed form
    r_k = y_k + (1 − alpha)^(k+1)·(start − u_0) moves that start to ``start``.
    """
    y = pd.Series(u).groupby(codes).ewm(alpha=alpha, adjust=False).mean()
    y = y.droplevel(0).sort_index().to_numpy()
    first = _group_positions(codes)
    k = np.arange(len(u)) - first
    return y + (1.0 - alpha) ** (k + 1) * (start - u[first])


def _optional(data: pd.DataFrame, column: str | None, default: str) -> str | None:
    """A column that may be absent: the default name may be missing, a name you pass may not."""
    if column is None or column in data.columns:
        return column
    if column == default:
        return None
    raise KeyError(f"column {column!r} not in the frame; it has {list(data.columns)}")


def ewma_chart_frame(
    data: pd.DataFrame,
    period_col: str = "period",
    value_col: str = "value",
    n_col: str | None = "n",
    sd_col: str | None = "sd",
    lam: float = 0.2,
    L: float = 3.0,
    target: float | None = None,
    sigma: float | None = None,
    *,
    by=None,
    baseline=None,
    rules=(1,),
) -> pd.DataFrame:
    """EWMA chart of period means: zᵢ = λ·x̄ᵢ + (1 − λ)·zᵢ₋₁, z₀ = target.

    Limits: target ± L·σ_zᵢ with Var(zᵢ) = λ²·Σⱼ (1 − λ)^(2(i−j))·σ²/nⱼ, which for a constant n
    is the textbook σ/√n·√(λ/(2 − λ)·[1 − (1 − λ)^(2i)]); the limits widen from λσ/√n₁
    towards the steady state. Units: those of ``value_col``.
    References: NIST/SEMATECH e-Handbook 6.3.2.4; Montgomery, Introduction to Statistical
    Quality Control, the EWMA control chart; SAS/QC MACONTROL "Constructing EWMA Charts"
    (the weighted sum for unequal subgroup sizes).

    - ``target``: the in-control mean. Default: the n-weighted mean of the baseline periods
      (all charted periods when ``baseline`` is None), per group.
    - ``sigma``: the process standard deviation of one observation. Default: the pooled
      within-period sd √(Σ(nᵢ − 1)sᵢ²/Σ(nᵢ − 1)) from the ``sd_col`` column (the mean KPIs carry
      it) over the baseline periods; without ``n_col`` (individual values) the moving range of the
      baseline, MR̄/1.128.
    - ``n_col``: per-period count column, so that σ_x̄ᵢ = σ/√nᵢ; ``None`` (or no ``n`` column) charts
      individual values with σ_x̄ = σ.
    - ``rules``: rule 1 (beyond the L·σ limits) only by default; EWMA values are strongly
      autocorrelated, so the zone rules 2–4 are not meant for them (Montgomery).

    Suppressed rows stay in the frame with ``suppressed=True`` and NaN statistics; the
    recursion skips them. ``by`` charts each group on its own.
    """
    if not 0.0 < lam <= 1.0:
        raise ValueError(f"lam must be in (0, 1]; got {lam}")
    n, sd = _optional(data, n_col, "n"), _optional(data, sd_col, "sd")
    s = prepare(data, period_col, by, [value_col] + [c for c in (n, sd) if c], baseline)
    size = len(s.frame)
    xbar = s.number(value_col)
    nn = s.number(n) if n else np.ones(size)
    valid = ~s.suppressed & np.isfinite(xbar) & np.isfinite(nn) & (nn > 0)
    base = valid & s.in_baseline

    center = s.group_sum(nn * xbar, base) / s.group_sum(nn, base) if target is None else np.full(size, float(target))
    if sigma is not None:
        sig = np.full(size, float(sigma))
    elif sd:
        sdv = s.number(sd)
        ok = base & np.isfinite(sdv) & (nn > 1)
        sig = np.sqrt(s.group_sum((nn - 1) * sdv**2, ok) / s.group_sum(nn - 1, ok))
    elif not n:
        sig = _moving_range_sigma(xbar, s.group, base)
    else:
        raise ValueError("ewma_chart_frame needs sigma= or an sd column when n is given")

    iv = np.flatnonzero(valid)
    codes = s.group[iv]
    ewma, sig_z = np.full(size, np.nan), np.full(size, np.nan)
    if len(iv):
        ewma[iv] = _recursion(xbar[iv], codes, lam, center[iv])
        var_mean = sig[iv] ** 2 / nn[iv]
        a = lam * (2.0 - lam)
        sig_z[iv] = np.sqrt(lam / (2.0 - lam) * _recursion(var_mean, codes, a, np.zeros(len(iv))))
    columns = {
        **({"n": s.frame[n].array} if n else {}),
        "value": np.where(valid, xbar, np.nan),
        "ewma": ewma,
        "center": center,
        "ucl": center + L * sig_z,
        "lcl": center - L * sig_z,
        "sigma": sig_z,
    }
    return assemble(s, "ewma", columns, valid, base, standardise(ewma, center, sig_z), rules, L=L)


def _moving_range_sigma(x: np.ndarray, group: np.ndarray, base: np.ndarray) -> np.ndarray:
    """σ = MR̄/d₂ per group from consecutive baseline points (NIST e-Handbook 6.3.2.2)."""
    idx = np.flatnonzero(base)
    g = group[idx]
    same = g[1:] == g[:-1]
    mr = np.abs(np.diff(x[idx]))[same]
    size = group.max() + 1
    mean_mr = np.bincount(g[1:][same], weights=mr, minlength=size) / np.bincount(g[1:][same], minlength=size)
    return (mean_mr / D2_TWO)[group]
