"""Shewhart-type charts with limits from each period's own n: the p-chart and the NPS chart.

Both return the tidy chart frame described in docs/monitoring.md: the group columns,
``period`` (and ``kpi`` when the input has it), ``chart``, ``n``, the plotted statistic,
``center``, ``ucl``, ``lcl``, ``sigma`` (of the statistic at that period), ``z``,
``suppressed``, ``baseline``, ``rule_1`` … ``rule_4``, ``signal`` and ``rules``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.monitor._frame import assemble, prepare

__all__ = ["standardise", "p_chart_frame", "nps_chart_frame"]


def standardise(stat: np.ndarray, center: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """z = (stat - center) / sigma; where sigma is 0, z is 0 on the center and ±inf off it."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (stat - center) / sigma
        off = np.sign(stat - center) * np.inf
    return np.where(sigma == 0, np.where(stat == center, 0.0, off), z)


def _check_range(s, low: np.ndarray, value: np.ndarray, high: np.ndarray, valid: np.ndarray, what: str) -> None:
    bad = valid & ((value < low - 1e-9) | (value > high + 1e-9))
    if bad.any():
        rows = s.frame.loc[bad, [*s.keys, s.period_col]].to_dict("records")
        raise ValueError(f"{what} out of range in {rows[:5]}")


def p_chart_frame(
    data: pd.DataFrame,
    period_col: str = "period",
    n_col: str = "n",
    value_col: str = "value",
    scale: float = 100.0,
    *,
    x_col: str | None = None,
    by=None,
    baseline=None,
    rules=(1, 2, 3, 4),
) -> pd.DataFrame:
    """p-chart for a proportion KPI with limits from each period's own n.

    Method: p̄ = Σx / Σn over the baseline periods; limits p̄ ± 3·√(p̄(1 − p̄)/nᵢ), clipped to
    [0, 1]; Western Electric rules on z = (pᵢ − p̄)/σᵢ (see ``western_electric``).
    Reference: NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.3.2; Montgomery,
    Introduction to Statistical Quality Control, the control chart for fraction nonconforming.

    Input: a tidy KPI frame of a proportion KPI (csat, compliance, sla_attainment, …) whose
    ``value`` is a share in units of ``scale`` (percent by default: 100 = all), or raw counts
    with ``x_col=`` naming the successes column. Output ``p``, ``center``, ``ucl``, ``lcl`` and
    ``sigma`` are in the same unit (``scale``; pass ``scale=1`` for fractions).

    Suppressed rows (``suppressed`` true, or no value, or n = 0) stay in the frame with
    ``suppressed=True`` and ``p`` NaN; they are left out of p̄ and skipped by the rules. Their
    limits are still drawn when n is known. ``by`` charts each group on its own (its own p̄);
    ``baseline`` (period labels, or a boolean mask per row) picks the periods that set p̄,
    all charted periods by default.
    """
    s = prepare(data, period_col, by, [n_col, x_col or value_col], baseline)
    nn = s.number(n_col)
    xx = s.number(x_col) if x_col is not None else s.number(value_col) / scale * nn
    valid = ~s.suppressed & np.isfinite(xx) & np.isfinite(nn) & (nn > 0)
    _check_range(s, np.zeros_like(nn), xx, nn, valid, "successes must lie in 0..n;")
    base = valid & s.in_baseline
    pbar = s.group_sum(xx, base) / s.group_sum(nn, base)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.where(nn > 0, np.sqrt(pbar * (1.0 - pbar) / nn), np.nan)
        p = np.where(valid, xx / nn, np.nan)
    columns = {
        "n": s.frame[n_col].array,
        "p": p * scale,
        "center": pbar * scale,
        "ucl": np.clip(pbar + 3.0 * sigma, 0.0, 1.0) * scale,
        "lcl": np.clip(pbar - 3.0 * sigma, 0.0, 1.0) * scale,
        "sigma": sigma * scale,
    }
    return assemble(s, "p", columns, valid, base, standardise(p, pbar, sigma), rules)


def nps_chart_frame(
    data: pd.DataFrame,
    period_col: str = "period",
    promoters_col: str = "promoters",
    passives_col: str = "passives",
    detractors_col: str = "detractors",
    *,
    by=None,
    baseline=None,
    rules=(1, 2, 3, 4),
) -> pd.DataFrame:
    """NPS chart: a Shewhart chart of NPS with trinomial limits from each period's own n.

    NPS = 100·(P − D)/n is a difference of two shares of one sample, not a single proportion,
    so a p-chart is wrong. Under a stable process with pooled shares p̄₊ = ΣP/Σn and
    p̄₋ = ΣD/Σn (baseline periods), the NPS of a period with nᵢ answers has mean
    100·(p̄₊ − p̄₋) and standard error σᵢ = 100·√((p̄₊ + p̄₋ − (p̄₊ − p̄₋)²)/nᵢ) (multinomial
    variance of a difference of two shares). Center = pooled NPS, limits center ± 3σᵢ clipped
    to [−100, 100], Western Electric rules on z = (NPSᵢ − center)/σᵢ. As in the p-chart, σᵢ
    uses the pooled shares, not the period's own, so a deviating period cannot widen its own
    limits. Units: NPS points (−100..100). References: Montgomery, Introduction to Statistical
    Quality Control (standardised Shewhart charts with variable sample size); Rocks (2016),
    "Interval estimation for the Net Promoter Score", The American Statistician 70(4).

    Input: the tidy NPS frame (promoters, passives, detractors as counts per period);
    n = P + passives + D. Suppression, ``by`` and ``baseline`` as in ``p_chart_frame``.
    """
    s = prepare(data, period_col, by, [promoters_col, passives_col, detractors_col], baseline)
    pro, pas, det = s.number(promoters_col), s.number(passives_col), s.number(detractors_col)
    nn = pro + pas + det
    valid = ~s.suppressed & np.isfinite(nn) & (nn > 0)
    low = np.fmin(np.fmin(pro, pas), det)
    _check_range(s, np.zeros_like(nn), low, nn, valid, "promoters, passives and detractors must be counts >= 0;")
    base = valid & s.in_baseline
    total = s.group_sum(nn, base)
    share_p, share_d = s.group_sum(pro, base) / total, s.group_sum(det, base) / total
    center = 100.0 * (share_p - share_d)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.where(nn > 0, 100.0 * np.sqrt((share_p + share_d - (share_p - share_d) ** 2) / nn), np.nan)
        nps = np.where(valid, 100.0 * (pro - det) / nn, np.nan)
    columns = {
        "n": nn,
        "promoters": pro,
        "passives": pas,
        "detractors": det,
        "nps": nps,
        "center": center,
        "ucl": np.clip(center + 3.0 * sigma, -100.0, 100.0),
        "lcl": np.clip(center - 3.0 * sigma, -100.0, 100.0),
        "sigma": sigma,
    }
    return assemble(s, "nps", columns, valid, base, standardise(nps, center, sigma), rules)
