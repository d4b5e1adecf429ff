"""Survey KPIs: NPS, CSAT and CES 2.0, as tidy frames with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.kpi._scores import histogram_moments, score_codes
from cxlib.kpi.frame import as_list, ensure_columns, grouping, kpi_min_n, rows_in_period, tidy
from cxlib.kpi.nps_groups import DETRACTOR_MAX, PASSIVE_MAX
from cxlib.periods import DEFAULT_FREQ
from cxlib.stats.intervals import nps_adjusted_wald, nps_bootstrap, t_interval, wilson

__all__ = ["ces", "ces_finish", "csat", "csat_finish", "nps", "nps_finish"]


def nps(
    responses: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    method: str = "adjusted_wald",
    n_resamples: int = 2000,
    seed: int = 0,
    customers: pd.DataFrame | None = None,
    score_col: str = "nps",
    time_col: str = "submitted_at",
) -> pd.DataFrame:
    """Net Promoter Score per group and period, in points (−100..100); higher is better.

    NPS = 100·(promoters − detractors)/n with the NPS groups of ``cxlib.kpi.nps_groups``
    (promoters 9–10, passives 7–8, detractors 0–6 on the 0–10 scale; Reichheld 2003); n counts
    responses with a score. Interval: adjusted Wald (¾ promoter, ¾ detractor, 1½ passive added;
    Rocks 2016, The American Statistician 70:365–372) or, with ``method="bootstrap"``, a seeded
    percentile bootstrap of the multinomial counts.
    Extras: promoters, passives, detractors (counts) and their shares in percent.

    ``period``: a label ("2026-Q3") computes that period only; None: every period at grain
    ``freq`` ("month", "quarter", "year"; None = one period "all"). ``min_n`` None: the
    catalogue's. ``by`` columns missing from ``responses`` are attached from ``customers``.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load("data/sample")
    >>> row = cx.nps(data.responses, period="2026-Q3").iloc[0]
    >>> print(row["period"], row["n"], f"{row['value']:.1f} [{row['ci_low']:.1f}, {row['ci_high']:.1f}]")
    2026-Q3 2980 31.4 [28.8, 34.0]
    """
    if method not in ("adjusted_wald", "bootstrap"):
        raise ValueError(f"method must be 'adjusted_wald' or 'bootstrap', got {method!r}")
    by = as_list(by)
    min_n = kpi_min_n("nps", min_n)
    responses, grain = rows_in_period(responses, period, freq, time_col)
    responses = ensure_columns(responses, by, customers, "responses")
    g = grouping(responses, by, grain, time_col)
    hist = g.histogram(score_codes(responses, score_col, 0, 10), 12)  # one pass: counts of 0..10 per group
    return nps_finish(g.keys, hist, confidence, min_n, method=method, n_resamples=n_resamples, seed=seed)


def nps_finish(
    keys: pd.DataFrame,
    hist: np.ndarray,
    confidence: float,
    min_n: int,
    *,
    method: str = "adjusted_wald",
    n_resamples: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """The NPS frame from its sufficient statistics: ``hist`` counts per group (rows, as ``keys``)
    of no score (column 0) and the scores 0..10 (columns 1..11). Shared by the in-memory path and
    the engine path (cxlib.kpi.lazy), so both give the same frame."""
    d = hist[:, 1 : DETRACTOR_MAX + 2].sum(axis=1)  # column 0: no score; column 1 + s: score s
    m = hist[:, DETRACTOR_MAX + 2 : PASSIVE_MAX + 2].sum(axis=1)
    p = hist[:, PASSIVE_MAX + 2 : 12].sum(axis=1)
    n = p + m + d
    value, low, high, _ = nps_adjusted_wald(p, m, d, confidence)
    if method == "bootstrap":
        use = n >= min_n  # suppressed groups need no resampling
        low, high = np.full(n.shape, np.nan), np.full(n.shape, np.nan)
        if use.any():
            low[use], high[use] = nps_bootstrap(p[use], m[use], d[use], confidence, n_resamples, seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = {f"{k}_share": 100.0 * c / n for k, c in (("promoter", p), ("passive", m), ("detractor", d))}
    return tidy(keys, "nps", n, value, low, high, min_n, {"promoters": p, "passives": m, "detractors": d, **shares})


def csat(
    responses: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    customers: pd.DataFrame | None = None,
    score_col: str = "csat",
    time_col: str = "submitted_at",
) -> pd.DataFrame:
    """Customer satisfaction: percent answering 4–5 on the 1–5 scale (0..100); higher is better.

    value = 100·(answers 4–5)/n, n = responses with a CSAT score; Wilson score interval
    (Wilson 1927, JASA 22:209–212). Extras: successes (count 4–5), mean and sd of the score.
    ``period``, ``freq``, ``min_n`` and ``by`` as in :func:`nps`.
    """
    by = as_list(by)
    min_n = kpi_min_n("csat", min_n)
    responses, grain = rows_in_period(responses, period, freq, time_col)
    responses = ensure_columns(responses, by, customers, "responses")
    g = grouping(responses, by, grain, time_col)
    hist = g.histogram(score_codes(responses, score_col, 1, 5), 6)  # one pass: counts of 1..5 per group
    return csat_finish(g.keys, hist, confidence, min_n)


def csat_finish(keys: pd.DataFrame, hist: np.ndarray, confidence: float, min_n: int) -> pd.DataFrame:
    """The CSAT frame from counts per group of no score (column 0) and the scores 1..5."""
    n, mean, sd = histogram_moments(hist, 1)
    sat = hist[:, 4:6].sum(axis=1)
    low, high = wilson(sat, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * sat / n
    return tidy(keys, "csat", n, value, 100.0 * low, 100.0 * high, min_n, {"successes": sat, "mean": mean, "sd": sd})


def ces(
    responses: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    customers: pd.DataFrame | None = None,
    score_col: str = "ces",
    time_col: str = "submitted_at",
) -> pd.DataFrame:
    """Customer Effort Score 2.0: mean on 1–7 where 7 = easiest; higher is better.

    CES 2.0 asks agreement (1 strongly disagree … 7 strongly agree) with "the company made it
    easy for me to handle my issue", so a HIGHER score means LESS effort. value = mean score;
    Student t interval (mean ± t(n−1)·sd/√n). Extras: sd and pct_easy = 100·(answers 5–7)/n.
    ``period``, ``freq``, ``min_n`` and ``by`` as in :func:`nps`.
    """
    by = as_list(by)
    min_n = kpi_min_n("ces", min_n)
    responses, grain = rows_in_period(responses, period, freq, time_col)
    responses = ensure_columns(responses, by, customers, "responses")
    g = grouping(responses, by, grain, time_col)
    hist = g.histogram(score_codes(responses, score_col, 1, 7), 8)  # one pass: counts of 1..7 per group
    return ces_finish(g.keys, hist, confidence, min_n)


def ces_finish(keys: pd.DataFrame, hist: np.ndarray, confidence: float, min_n: int) -> pd.DataFrame:
    """The CES frame from counts per group of no score (column 0) and the scores 1..7."""
    n, mean, sd = histogram_moments(hist, 1)
    easy = hist[:, 5:8].sum(axis=1)
    low, high = t_interval(mean, sd, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_easy = 100.0 * easy / n
    return tidy(keys, "ces", n, mean, low, high, min_n, {"sd": sd, "pct_easy": pct_easy})
