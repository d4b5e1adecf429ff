"""Goal attainment: each goal's KPIs per period against the target, their trend, and a RAG table.

- Status per period comes from ``goal_status`` (cxlib.goals), judged on the interval: met when
  the whole interval is on the good side of the target, missed when it is wholly on the bad
  side, at risk when it straddles the target, no data when the period is suppressed.
- RAG: met → green, at risk → amber, missed → red, no data → grey.
- Trend over the last ``window`` periods (4 quarters by default):
  - ``slope``: the weighted least-squares slope of the values on the period number (weights
    1/se² from each period's interval), in the KPI's unit per period, with its t interval on
    k − 2 degrees of freedom and a residual dispersion never below 1 (the between-period wobble
    widens it; Draper & Smith, *Applied Regression Analysis*, ch. 2 and 9);
  - ``change``: this period against ``window`` periods earlier (the same quarter a year ago,
    which also removes seasonality) with ``compare()``'s test and interval, Benjamini–Hochberg
    across the goals' KPIs (Benjamini & Hochberg 1995); ``trend`` says "improving" or
    "worsening" only when that change is significant, else "no significant change";
  - ``periods_to_target``: the linear projection (target − value)/slope, with the interval from
    the slope's interval, only when the slope is significant (its interval excludes 0), the
    target is not met yet and the slope points towards it; ``projection`` says which case
    holds (target_met: status met; no_trend; towards_target; improving: a significant good slope
    while the value is already past the target but its interval is not; away_from_target).
    A flat KPI gets "no trend",
    never a number of periods. A projection, not a forecast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.business_hours import local_timestamp
from cxlib.goals import goal_status
from cxlib.i18n import check_language, label, number, status_label, text
from cxlib.io.cxdata import data_end
from cxlib.kpi.measure import measure_many
from cxlib.monitor._goals import resolve_goals
from cxlib.periods import parse_period, period_last_day, shift_period
from cxlib.stats import compare

__all__ = ["goal_history", "goal_attainment", "RAG"]

RAG = {"met": "green", "at_risk": "amber", "missed": "red", "no_data": "grey"}
"""Goal status key → traffic-light colour name."""


def _goals(data, goals) -> pd.DataFrame:
    frame = resolve_goals(data, goals)
    if frame is None:
        raise ValueError("no goals: pass goals= (a frame or a goals.yaml path) or data with a goals.yaml")
    return frame


def _frames(data, goals, confidence, min_n) -> dict[str, dict[str, pd.DataFrame]]:
    """cadence → KPI key → tidy KPI frame (whole data, no groups)."""
    return {
        cadence: measure_many(
            data, list(g["kpi"].unique()), freq=cadence, confidence=confidence, min_n=min_n, skip_unavailable=True
        )
        for cadence, g in goals.groupby("cadence", sort=True)
    }


def _full_periods(frame: pd.DataFrame, until, end) -> list[str]:
    periods = sorted(p for p in frame["period"].dropna().unique())
    if until is not None:
        periods = [p for p in periods if p <= until]
    if end is not None:  # full periods only, as goal_status
        periods = [p for p in periods if period_last_day(p) <= end.normalize()]
    return periods


def goal_history(
    data, goals=None, *, period: str | None = None, confidence: float = 0.95, min_n: int | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Every goal × KPI × full period (up to ``period``): value, interval, target, status, RAG.

    One ``goal_status`` call per period (status judged on the interval, see module doc).
    ``period`` caps the history at a period label of the goals' cadence (default: all full
    periods in the data). Columns: goal_status's columns (goal, kpi, label, unit, direction,
    target, cadence, period, n, value, ci_low, ci_high, suppressed, status, gap) plus rag and
    status_label.
    """
    check_language(lang)
    goals = _goals(data, goals)
    end = data_end(data)
    end = None if end is None else local_timestamp(end)
    parts = []
    for cadence, frames in _frames(data, goals, confidence, min_n).items():
        these = goals[(goals["cadence"] == cadence) & goals["kpi"].isin(list(frames))]
        periods = sorted({p for f in frames.values() for p in _full_periods(f, period, end)})
        for p in periods:  # one status call per period (eight quarters in the sample)
            upto = {k: f[f["period"].notna() & (f["period"] <= p)] for k, f in frames.items()}
            status = goal_status(
                these, frames=upto, as_of=period_last_day(p), confidence=confidence, min_n=min_n, lang=lang
            )
            parts.append(status[status["period"] == p])
    if not parts:
        raise ValueError("no full period with data for the goals' KPIs")
    out = pd.concat(parts, ignore_index=True)
    order = {(g, k): i for i, (g, k) in enumerate(zip(goals["goal"], goals["kpi"]))}
    out = out.assign(_o=[order[(g, k)] for g, k in zip(out["goal"], out["kpi"])])
    out = out.sort_values(["_o", "period"], kind="stable").drop(columns="_o").reset_index(drop=True)
    out["rag"] = pd.Categorical([RAG[str(s)] for s in out["status"]], categories=list(RAG.values()))
    out["status_label"] = pd.array([status_label(s, lang) for s in out["status"]], dtype="string")
    return out


def goal_attainment(
    data,
    period: str | None = None,
    goals=None,
    *,
    window: int = 4,
    confidence: float = 0.95,
    min_n: int | None = None,
    alpha: float = 0.05,
    lang: str = "en",
) -> pd.DataFrame:
    """The red / amber / green goal table: one row per goal × KPI with status and trend.

    ``period``: the period to judge (default: the latest full period of each goal's cadence).
    Columns: goal, kpi, label, unit, direction, target, cadence, period, n, value, ci_low,
    ci_high, suppressed, status, status_label, rag, gap (value − target), slope (OLS over the
    last ``window`` periods, unit per period), change_from (the period ``window`` periods
    earlier), change, change_low, change_high, p_value, p_adjusted, significant, trend
    ("improving" / "worsening" / "no significant change"), trend_label (``lang``),
    slope_low, slope_high, slope_p, periods_to_target with periods_to_target_low/high,
    projection and projection_label (``lang``). Methods and references: see the module docstring.
    """
    history = goal_history(data, goals, period=period, confidence=confidence, min_n=min_n, lang=lang)
    goals = _goals(data, goals)
    frames = _frames(data, goals, confidence, min_n)
    latest = history.groupby(["goal", "kpi"], sort=False, observed=True)["period"].transform("max")
    current = history[history["period"] == latest].reset_index(drop=True)

    # slope: weighted least squares of value on the period number over the last `window` periods,
    # weights 1/se² from each period's interval; its t-test decides whether there is a trend.
    z = stats.norm.ppf(0.5 + confidence / 2.0)
    hist = history.assign(
        _code=[parse_period(p)[1] for p in history["period"]],
        _last=[parse_period(p)[1] for p in latest],
        _w=((2.0 * z) / (history["ci_high"] - history["ci_low"])) ** 2,
    )
    recent = hist[(hist["_code"] > hist["_last"] - window) & hist["value"].notna() & (hist["_w"] < np.inf)]
    keys = ["goal", "kpi"]
    grouped = recent.groupby(keys, sort=False, observed=True)
    sw = grouped["_w"].transform("sum")
    x = (
        recent["_code"]
        - (recent["_w"] * recent["_code"])
        .groupby([recent[k] for k in keys], sort=False, observed=True)
        .transform("sum")
        / sw
    )
    y = (
        recent["value"]
        - (recent["_w"] * recent["value"])
        .groupby([recent[k] for k in keys], sort=False, observed=True)
        .transform("sum")
        / sw
    )
    sums = (
        recent.assign(_xy=recent["_w"] * x * y, _xx=recent["_w"] * x * x)
        .groupby(keys, sort=False, observed=True)[["_xy", "_xx"]]
        .sum()
    )
    sums["slope"] = sums["_xy"] / sums["_xx"].where(sums["_xx"] > 0)
    resid = recent.assign(_r=y - sums["slope"].reindex(pd.MultiIndex.from_frame(recent[keys])).to_numpy() * x)
    sums["_k"] = grouped.size()
    sums["_ss"] = (resid["_w"] * resid["_r"] ** 2).groupby([resid[k] for k in keys], sort=False, observed=True).sum()
    df = (sums["_k"] - 2).where(sums["_k"] > 2)
    scale = np.maximum(sums["_ss"] / df, 1.0)  # never below the sampling variance (dispersion >= 1)
    slope_se = np.sqrt(scale / sums["_xx"])
    crit = stats.t.ppf(0.5 + confidence / 2.0, df)
    sums["slope_low"], sums["slope_high"] = sums["slope"] - crit * slope_se, sums["slope"] + crit * slope_se
    sums["slope_p"] = 2.0 * stats.t.sf(np.abs(sums["slope"] / slope_se), df)
    current = current.merge(sums[["slope", "slope_low", "slope_high", "slope_p"]].reset_index(), on=keys, how="left")

    # change against `window` periods earlier, with compare() and BH across the goal KPIs
    current["change_from"] = pd.array([shift_period(p, -window) for p in current["period"]], dtype="string")
    pairs = []
    for row in current.drop_duplicates("kpi").itertuples(index=False):
        frame = frames[row.cadence][row.kpi]
        pairs.append(frame[frame["period"].isin([row.change_from, row.period])])
    diffs = compare(pd.concat(pairs, ignore_index=True), between="period", confidence=confidence, alpha=alpha)
    diffs = diffs.rename(
        columns={
            "period_a": "change_from",
            "period_b": "period",
            "difference": "change",
            "ci_low": "change_low",
            "ci_high": "change_high",
        }
    )
    keep = [
        "kpi",
        "change_from",
        "period",
        "change",
        "change_low",
        "change_high",
        "p_value",
        "p_adjusted",
        "significant",
    ]
    current = current.merge(
        diffs[keep].astype({"kpi": "string", "change_from": "string", "period": "string"}),
        on=["kpi", "change_from", "period"],
        how="left",
    )

    sign = np.where(current["direction"] == "higher", 1.0, -1.0)
    significant = current["significant"].fillna(False).to_numpy(dtype=bool)
    good = sign * current["change"].to_numpy(dtype="float64") > 0
    current["trend"] = pd.array(
        np.where(significant & good, "improving", np.where(significant, "worsening", "no significant change")),
        dtype="string",
    )
    current["trend_label"] = pd.array(
        [
            label("no_significant_change", lang) if t == "no significant change" else label(f"monitor.{t}", lang)
            for t in current["trend"]
        ],
        dtype="string",
    )
    gap = current["target"] - current["value"]
    trend = (current["slope_low"] > 0) | (current["slope_high"] < 0)
    towards = trend & (sign * current["slope"] > 0) & (sign * gap > 0)
    current["periods_to_target"] = np.where(towards, gap / current["slope"], np.nan)
    # the slope's interval, turned into periods: a slower slope takes longer
    bound_far = np.where(sign > 0, current["slope_low"], current["slope_high"])
    bound_near = np.where(sign > 0, current["slope_high"], current["slope_low"])
    current["periods_to_target_low"] = np.where(towards, gap / bound_near, np.nan)
    current["periods_to_target_high"] = np.where(towards, gap / bound_far, np.nan)
    has_trend = trend.fillna(False).to_numpy(dtype=bool)
    good_slope = (sign * current["slope"] > 0).to_numpy(dtype=bool)
    projection = np.select(
        [(current["status"].astype(str) == "met").to_numpy(), ~has_trend, towards.to_numpy(dtype=bool), good_slope],
        ["target_met", "no_trend", "towards_target", "improving"],
        "away_from_target",
    )
    current["projection"] = pd.array(projection, dtype="string")
    current["projection_label"] = pd.array(
        [
            text(f"projection.{p}", lang, periods=number(v, lang), low=number(lo, lang), high=number(hi, lang))
            for p, v, lo, hi in zip(
                projection,
                current["periods_to_target"],
                current["periods_to_target_low"],
                current["periods_to_target_high"],
            )
        ],
        dtype="string",
    )
    first = [
        "goal",
        "kpi",
        "label",
        "unit",
        "direction",
        "target",
        "cadence",
        "period",
        "n",
        "value",
        "ci_low",
        "ci_high",
        "suppressed",
        "status",
        "status_label",
        "rag",
        "gap",
        "slope",
    ]
    return current[first + [c for c in current.columns if c not in first]]
