"""Goal attainment: each goal's KPIs per period against the target, their trend, and a RAG table.

- Status per period comes from ``goal_status`` (cxlib.goals), judged on the interval: met when
  the whole interval is on the good side of the target, missed when it is wholly on the bad
  side, at risk when it straddles the target, no data when the period is suppressed.
- RAG: met → green, at risk → amber, missed → red, no data → grey.
- Trend over the last ``window`` periods (4 quarters by default):
  - ``slope``: the ordinary least-squares slope of the values on the period number, in the
    KPI's unit per period (Draper & Smith, *Applied Regression Analysis*, ch. 1);
  - ``change``: this period against ``window`` periods earlier (the same quarter a year ago,
    which also removes seasonality) with ``compare()``'s test and interval, Benjamini–Hochberg
    across the goals' KPIs (Benjamini & Hochberg 1995); ``trend`` says "improving" or
    "worsening" only when that change is significant, else "no significant change";
  - ``periods_to_target``: the linear projection (target − value)/slope when the KPI has not met
    its target yet and the slope points towards it; a projection, not a forecast.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.business_hours import local_timestamp
from cxlib.goals import goal_status
from cxlib.i18n import check_language, label, status_label
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
    return {cadence: measure_many(data, list(g["kpi"].unique()), freq=cadence, confidence=confidence, min_n=min_n,
                                  skip_unavailable=True)
            for cadence, g in goals.groupby("cadence", sort=True)}


def _full_periods(frame: pd.DataFrame, until, end) -> list[str]:
    periods = sorted(p for p in frame["period"].dropna().unique())
    if until is not None:
        periods = [p for p in periods if p <= until]
    if end is not None:  # full periods only, as goal_status
        periods = [p for p in periods if period_last_day(p) <= end.normalize()]
    return periods


def goal_history(data, goals=None, *, period: str | None = None, confidence: float = 0.95,
                 min_n: int | None = None, lang: str = "en") -> pd.DataFrame:
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
            status = goal_status(these, frames=upto, as_of=period_last_day(p), confidence=confidence, min_n=min_n,
                                 lang=lang)
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


def goal_attainment(data, period: str | None = None, goals=None, *, window: int = 4, confidence: float = 0.95,
                    min_n: int | None = None, alpha: float = 0.05, lang: str = "en") -> pd.DataFrame:
    """The red / amber / green goal table: one row per goal × KPI with status and trend.

    ``period``: the period to judge (default: the latest full period of each goal's cadence).
    Columns: goal, kpi, label, unit, direction, target, cadence, period, n, value, ci_low,
    ci_high, suppressed, status, status_label, rag, gap (value − target), slope (OLS over the
    last ``window`` periods, unit per period), change_from (the period ``window`` periods
    earlier), change, change_low, change_high, p_value, p_adjusted, significant, trend
    ("improving" / "worsening" / "no significant change"), trend_label (``lang``),
    periods_to_target. Methods and references: see the module docstring.
    """
    history = goal_history(data, goals, period=period, confidence=confidence, min_n=min_n, lang=lang)
    goals = _goals(data, goals)
    frames = _frames(data, goals, confidence, min_n)
    latest = history.groupby(["goal", "kpi"], sort=False, observed=True)["period"].transform("max")
    current = history[history["period"] == latest].reset_index(drop=True)

    # slope: OLS of value on the period number over the last `window` periods
    hist = history.assign(_code=[parse_period(p)[1] for p in history["period"]],
                          _last=[parse_period(p)[1] for p in latest])
    recent = hist[(hist["_code"] > hist["_last"] - window) & hist["value"].notna()]
    grouped = recent.groupby(["goal", "kpi"], sort=False, observed=True)
    x = recent["_code"] - grouped["_code"].transform("mean")
    y = recent["value"] - grouped["value"].transform("mean")
    sums = recent.assign(_xy=x * y, _xx=x * x).groupby(["goal", "kpi"], sort=False, observed=True)[["_xy", "_xx"]].sum()
    slope = (sums["_xy"] / sums["_xx"].where(sums["_xx"] > 0)).rename("slope")
    current = current.merge(slope.reset_index(), on=["goal", "kpi"], how="left")

    # change against `window` periods earlier, with compare() and BH across the goal KPIs
    current["change_from"] = pd.array([shift_period(p, -window) for p in current["period"]], dtype="string")
    pairs = []
    for row in current.drop_duplicates("kpi").itertuples(index=False):
        frame = frames[row.cadence][row.kpi]
        pairs.append(frame[frame["period"].isin([row.change_from, row.period])])
    diffs = compare(pd.concat(pairs, ignore_index=True), between="period", confidence=confidence, alpha=alpha)
    diffs = diffs.rename(columns={"period_a": "change_from", "period_b": "period", "difference": "change",
                                  "ci_low": "change_low", "ci_high": "change_high"})
    keep = ["kpi", "change_from", "period", "change", "change_low", "change_high", "p_value", "p_adjusted",
            "significant"]
    current = current.merge(diffs[keep].astype({"kpi": "string", "change_from": "string", "period": "string"}),
                            on=["kpi", "change_from", "period"], how="left")

    sign = np.where(current["direction"] == "higher", 1.0, -1.0)
    significant = current["significant"].fillna(False).to_numpy(dtype=bool)
    good = sign * current["change"].to_numpy(dtype="float64") > 0
    current["trend"] = pd.array(np.where(significant & good, "improving",
                                         np.where(significant, "worsening", "no significant change")), dtype="string")
    current["trend_label"] = pd.array(
        [label("no_significant_change", lang) if t == "no significant change" else label(f"monitor.{t}", lang)
         for t in current["trend"]], dtype="string")
    gap = current["target"] - current["value"]
    towards = (sign * current["slope"] > 0) & (sign * gap > 0)
    current["periods_to_target"] = np.where(towards, gap / current["slope"], np.nan)
    first = ["goal", "kpi", "label", "unit", "direction", "target", "cadence", "period", "n", "value", "ci_low",
             "ci_high", "suppressed", "status", "status_label", "rag", "gap", "slope"]
    return current[first + [c for c in current.columns if c not in first]]
