"""Alerts: what needs attention in one period, as a tidy list with a severity and a plain sentence.

Four kinds, each read from the KPI engine and the monitoring building blocks (nothing is
recomputed here):

- ``control_break``: ``judge_period``: a Shewhart chart of the period values (p, NPS, u, or
  the period medians and means; ``kpi_chart_frame`` with λ = 1) with Laney's between-period
  dispersion factor, a phase-I baseline of at least 4 earlier periods that excludes the
  periods that signalled, and one rule: the period itself beyond ±L, with L set by the
  false-alarm budget (``control_limit``: at most ``budget`` false alerts per unit per year on
  stable data; 3σ for quarters and months).
- ``significant_drop``: ``compare()`` of the period against the previous one, per KPI and
  group, with Benjamini–Hochberg over every comparison of the call (all KPIs × groups;
  Benjamini & Hochberg 1995); only significant changes in the bad direction are kept.
- ``target_missed``: ``goal_status`` judged on the interval: missed = the whole interval lies
  on the wrong side of the target (goals.yaml, per group).
- ``action_overdue``: ``action_progress`` per group at the end of the period: actions not done,
  not cancelled and due before then.

Severity (documented in docs/monitoring.md):

| kind | high | medium | low |
|---|---|---|---|
| control_break | beyond the limit on the bad side | – | beyond the limit on the good side |
| significant_drop | the drop is at least 3 standard errors (abs(z or t) ≥ 3) | otherwise | – |
| target_missed | always (the interval excludes the target) | – | – |
| action_overdue | an action due in an earlier period is still open | only actions due in this period | – |
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.business_hours import local_timestamp
from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import LANGUAGES, check_language, fill, label, number, text
from cxlib.io.cxdata import data_end, table
from cxlib.kpi.measure import TOTAL, Unavailable, measure, measure_groups
from cxlib.monitor._goals import resolve_goals, status_by_group
from cxlib.monitor.chart_frames import kpi_chart_frame
from cxlib.periods import parse_period, period_bounds, period_last_day, shift_period
from cxlib.stats import compare

__all__ = [
    "ALERT_COLUMNS",
    "ALERT_KINDS",
    "SEVERITIES",
    "TOTAL",
    "alerts",
    "control_limit",
    "group_label",
    "judge_period",
]

ALERT_KINDS = ("control_break", "significant_drop", "target_missed", "action_overdue")
SEVERITIES = ("high", "medium", "low")
ALERT_COLUMNS = [
    "severity",
    "kind",
    "kpi",
    "group",
    "period",
    "value",
    "reference",
    "message",
    "message_nl",
    "message_en",
]
# KPIs judged by charts, drops and targets; actions_done has its own alert (overdue actions)
_NOT_CHARTED = ("actions_done",)


def _worse(kpi: str, change):
    """True where ``change`` (b − a) is in the bad direction of the KPI."""
    sign = 1.0 if kpi_info(kpi).direction == "higher" else -1.0
    return sign * np.asarray(change, dtype="float64") < 0


def group_label(group: str, lang: str) -> str:
    """A group of the alerts as shown: the whole-data key (TOTAL) in ``lang``, other groups as they are."""
    return label("whole_company", lang) if group == TOTAL else str(group)


def _sentence(kind: str, fields: dict, lang: str) -> str:
    """The ``alert.<kind>`` template in ``lang`` filled with the fields (language-dependent ones called)."""
    shown = {k: (v(lang) if callable(v) else v) for k, v in fields.items()}
    shown["group"] = group_label(fields["group"], lang)
    return fill(label(f"alert.{kind}", lang), shown)


def _kpi_name(key: str, on_mean: bool = False):
    return lambda lang: kpi_info(key).name(lang, on_mean)


def _value(key: str, value):
    return lambda lang: kpi_info(key).value_text(value, lang)


PERIODS_PER_YEAR = {"week": 52, "month": 12, "quarter": 4, "year": 1}
MIN_BASELINE = 4  # phase-I periods needed before a period is judged


def control_limit(grain: str, kpis: int, budget: float = 1.0) -> float:
    """The sigma multiple L of the alerts: at least 3, and wide enough for the false-alarm budget.

    On stable data each judged period of each charted KPI of a unit raises a false alert with
    probability 2·(1 − Φ(L)) (rule 1 only; Bonferroni over the periods of a year and the KPIs).
    With ``budget`` false alerts per unit per year: L = max(3, Φ⁻¹(1 − budget/(2·P·K))), P =
    periods per year, K = charted KPIs. Quarterly with 9 KPIs that is 3 (expected 0.1 false
    alerts per unit per year); weekly 3.07.
    """
    from scipy.stats import norm

    alpha = budget / (PERIODS_PER_YEAR.get(grain, 12) * max(kpis, 1))
    return float(max(3.0, norm.ppf(1.0 - alpha / 2.0)))


def _wobble(chart: pd.DataFrame, base: np.ndarray, groups: list[str]) -> np.ndarray:
    """Factor sqrt(1 + tau²/sigma_i²) per row: the between-period variance component tau².

    tau² is estimated from successive differences d of the period statistic over the baseline
    periods, pooled over all groups of the chart: mean(d²/2 − (sigma_t² + sigma_{t−1}²)/2),
    clipped at 0 (the mean square successive difference of von Neumann et al. 1941, Ann. Math.
    Stat. 12:367, minus the sampling variance). Like Laney's (2002) p′ and u′ charts (Quality
    Engineering 14(4):531–537) this widens binomial, multinomial and Poisson limits by the
    ordinary wobble between periods, so that large-n periods do not alarm on it; pooling over
    the units of a report keeps the estimate stable with a short phase I. Never narrower than
    the sampling variation (factor >= 1).
    """
    stat = chart["statistic"].to_numpy(dtype="float64")
    sigma = chart["sigma"].to_numpy(dtype="float64")
    frame = pd.DataFrame({"s": np.where(base, stat, np.nan), "v": np.where(base, sigma**2, np.nan)})
    keys = [chart[g] for g in groups] if groups else [np.zeros(len(chart))]
    order = np.lexsort([chart["period"].astype(str).to_numpy()] + [pd.factorize(k)[0] for k in keys[::-1]])
    frame = frame.iloc[order]
    gid = pd.factorize(pd.MultiIndex.from_arrays([np.asarray(k)[order] for k in keys]))[0]
    kept = frame[np.isfinite(frame["s"].to_numpy())].assign(g=gid[np.isfinite(frame["s"].to_numpy())])
    d = kept.groupby("g", sort=False)["s"].diff()
    v = (kept["v"] + kept.groupby("g", sort=False)["v"].shift(1)) / 2.0
    terms = (d**2 / 2.0 - v).dropna()
    tau2 = max(float(terms.mean()), 0.0) if len(terms) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sigma > 0, np.sqrt(1.0 + tau2 / sigma**2), 1.0)


def judge_period(frame: pd.DataFrame, period: str, *, L: float = 3.0, min_baseline: int = MIN_BASELINE) -> pd.DataFrame:
    """Judge ``period`` of a tidy KPI frame (one KPI, any groups) against its phase-I history.

    1. Shewhart chart of the period values (``kpi_chart_frame`` with λ = 1: p, NPS, u-chart, or
       the period medians and means), centre from the earlier periods.
    2. The between-period variance component (``_wobble``, pooled over the groups) widens the
       limits by the ordinary wobble between periods, as Laney's p′/u′ charts do.
    3. Phase I: earlier periods beyond ±L are left out of the baseline and the chart is redone
       (Montgomery, Introduction to SQC, phase I control limits), so a snow quarter does not
       make the next quarter look "better than usual".
    4. A group with fewer than ``min_baseline`` clean earlier periods is not judged ("too little
       history to judge").
    Returns the chart rows of ``period`` with z (Laney-adjusted), sigma_z, limit L,
    baseline_periods, judged and signal (|z| > L).
    """
    sub = frame[frame["period"] <= period].reset_index(drop=True)
    cols = list(sub.columns)
    groups = cols[: cols.index("period")]
    base = (sub["period"] < period).to_numpy()
    for _ in range(2):
        chart = kpi_chart_frame(sub, baseline=base, lam=1.0, rules=(1,))
        factor = _wobble(chart, chart["baseline"].to_numpy(dtype=bool), groups)
        z = chart["z"].to_numpy(dtype="float64") / factor
        out = np.abs(z) > L
        new_base = base & ~np.nan_to_num(out, nan=0).astype(bool)
        if (new_base == base).all():
            break
        base = new_base
    chart = chart.assign(z=z, sigma_z=factor, limit=L)
    clean = pd.Series(base & np.isfinite(chart["z"].to_numpy(dtype="float64")))
    counts = clean.groupby(
        [chart[g] for g in groups] if groups else np.zeros(len(chart)), sort=False, observed=True, dropna=False
    ).transform("sum")
    chart["baseline_periods"] = counts.to_numpy()
    chart["judged"] = chart["baseline_periods"] >= min_baseline
    chart["signal"] = chart["judged"] & (np.abs(chart["z"]) > L)
    return chart[chart["period"] == period].reset_index(drop=True)


def _control_alerts(frames, period, grain, budget, min_history, not_judged):
    keys = [k for k in frames if k not in _NOT_CHARTED]
    L = control_limit(grain, len(keys), budget)
    out = []
    for key in keys:
        frame = frames[key]
        sub = frame[frame["period"] <= period]
        if not (sub["period"] < period).any() or not (sub["period"] == period).any():
            continue
        try:
            judged = judge_period(sub, period, L=L, min_baseline=min_history)
        except ValueError:  # no usable baseline for this KPI (all earlier periods suppressed)
            continue
        for row in judged[~judged["judged"] & ~judged["suppressed"]].itertuples(index=False):
            not_judged.append(
                {"kpi": key, "group": row.group, "period": period, "baseline_periods": int(row.baseline_periods)}
            )
        hit = judged[judged["signal"].astype(bool)]
        for row in hit.itertuples(index=False):
            bad = bool(_worse(key, row.z))
            on_mean = kpi_info(key).compare_on != "value"
            out.append(
                {
                    "kind": "control_break",
                    "severity": "high" if bad else "low",
                    "kpi": key,
                    "group": row.group,
                    "period": period,
                    "value": float(row.statistic),
                    "reference": float(row.center),
                    "_template": "control_break_worse" if bad else "control_break_better",
                    "_fields": {
                        "kpi": _kpi_name(key, on_mean),
                        "value": _value(key, row.statistic),
                        "reference": _value(key, row.center),
                        "rules": lambda lang, lim=L: text("control_rule.limit", lang, L=number(lim, lang, 1)),
                        "period": period,
                        "group": row.group,
                    },
                }
            )
    return out


def _drop_alerts(frames, period, confidence, alpha):
    previous = shift_period(period, -1)
    pair = [f[f["period"].isin([previous, period])] for k, f in frames.items() if k not in _NOT_CHARTED]
    pair = [f for f in pair if len(f)]
    if not pair:
        return []
    diffs = compare(pd.concat(pair, ignore_index=True), between="period", confidence=confidence, alpha=alpha)
    diffs = diffs[(diffs["period_a"] == previous) & (diffs["period_b"] == period)]
    out = []
    for row in diffs.itertuples(index=False):
        if not (pd.notna(row.significant) and bool(row.significant) and _worse(row.kpi, row.difference)):
            continue
        key = str(row.kpi)
        on_mean = kpi_info(key).compare_on != "value"
        out.append(
            {
                "kind": "significant_drop",
                "severity": "high" if abs(row.statistic) >= 3.0 else "medium",
                "kpi": key,
                "group": row.group,
                "period": period,
                "value": float(row.value_b),
                "reference": float(row.value_a),
                "_template": "significant_drop",
                "_fields": {
                    "kpi": _kpi_name(key, on_mean),
                    "value": _value(key, row.value_b),
                    "reference": _value(key, row.value_a),
                    "change": lambda lang, k=key, v=row.difference: kpi_info(k).change_text(v, lang),
                    "period": period,
                    "previous": previous,
                    "group": row.group,
                },
            }
        )
    return out


def _target_alerts(data, goals, frames, period, grain, by, total, confidence, min_n, lang):
    if goals is None or goals.empty:
        return []
    start, end = period_bounds(period)
    out = []
    for cadence, these in goals.groupby("cadence", sort=True):
        cadence_frames = (
            frames
            if cadence == grain
            else measure_groups(
                data, list(these["kpi"].unique()), by, freq=cadence, confidence=confidence, min_n=min_n, total=total
            )
        )
        cadence_frames = {k: f[f["period"].notna()] for k, f in cadence_frames.items() if k in set(these["kpi"])}
        cadence_frames = {k: f[[period_bounds(p)[1] <= end for p in f["period"]]] for k, f in cadence_frames.items()}
        status = status_by_group(these, cadence_frames, period_last_day(period), confidence, min_n, lang)
        if status.empty:
            continue
        inside = [pd.notna(p) and period_bounds(p)[0] >= start and period_bounds(p)[1] <= end for p in status["period"]]
        missed = np.asarray(inside, dtype=bool) & (status["status"] == "missed").to_numpy()
        for row in status[missed].itertuples(index=False):
            key = str(row.kpi)
            out.append(
                {
                    "kind": "target_missed",
                    "severity": "high",
                    "kpi": key,
                    "group": row.group,
                    "period": str(row.period),
                    "value": float(row.value),
                    "reference": float(row.target),
                    "_template": "target_missed",
                    "_fields": {
                        "kpi": _kpi_name(key),
                        "value": _value(key, row.value),
                        "reference": _value(key, row.target),
                        "low": lambda lang, k=key, v=row.ci_low: number(v, lang, kpi_info(k).decimals),
                        "high": _value(key, row.ci_high),
                        "confidence": f"{confidence:.0%}",
                        "period": str(row.period),
                        "group": row.group,
                    },
                }
            )
    return out


def _overdue_alerts(data, period, grain, by, total, confidence):
    actions = table(data, "actions")
    if actions is None or actions.empty:
        return []
    end = data_end(data)
    end = None if end is None else local_timestamp(end)
    as_of = period_bounds(period)[1] if end is None else min(period_bounds(period)[1], end)
    frames = []
    if by is not None:
        try:
            frames.append(
                measure(data, "actions_done", by=by, freq=grain, confidence=confidence, min_n=0, as_of=as_of).rename(
                    columns={by: "group"}
                )
            )
        except Unavailable:  # the actions cannot be cut by this column
            pass
    if by is None or total is not None:
        frames.append(
            measure(data, "actions_done", freq=grain, confidence=confidence, min_n=0, as_of=as_of).assign(
                group=total if total is not None else TOTAL
            )
        )
    out = []
    for frame in frames:
        frame = frame.assign(
            group=frame["group"].astype("string"), old=np.where(frame["period"] < period, frame["overdue"], 0)
        )
        per = frame.groupby("group", sort=True, observed=True).agg(
            overdue=("overdue", "sum"), old=("old", "sum"), n=("n", "sum"), done=("successes", "sum")
        )
        for group, row in per[per["overdue"] > 0].iterrows():
            out.append(
                {
                    "kind": "action_overdue",
                    "severity": "high" if row["old"] > 0 else "medium",
                    "kpi": "actions_done",
                    "group": group,
                    "period": period,
                    "value": float(row["overdue"]),
                    "reference": float(row["n"]),
                    "_template": "action_overdue",
                    "_fields": {
                        "value": int(row["overdue"]),
                        "reference": int(row["n"]),
                        "old": int(row["old"]),
                        "done": int(row["done"]),
                        "period": period,
                        "group": group,
                    },
                }
            )
    return out


def alerts(
    data,
    period: str,
    by: str | None = "team",
    lang: str = "en",
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    kpis=None,
    goals=None,
    include_total: bool = True,
    alpha: float = 0.05,
    budget: float = 1.0,
    min_history: int = MIN_BASELINE,
) -> pd.DataFrame:
    """What needs attention in ``period``: a tidy, deterministic list sorted by severity.

    Parameters
    - ``data``: a CXData (or any object with the tables as attributes).
    - ``period``: the period label to review (``2026-Q3``, ``2026-01`` or ``2026``); its
      granularity is the granularity of the charts and comparisons.
    - ``by``: ``"team"`` (or a teams.csv column), or a customer column (segment, region); None
      for the whole company only. KPIs that cannot be cut this way (churn and complaints by
      team) are judged for the whole company only.
    - ``include_total``: also judge the whole company (group = ``TOTAL``, the key "all"; the
      messages name it in their language, ``group_label`` shows it).
    - ``kpis``: catalogue keys to watch (default: all).
    - ``goals``: a goals frame or path; default the data's goals.yaml (``False``: no targets).
    - ``alpha``: false discovery rate of the Benjamini–Hochberg step for the drops.
    - ``budget``: false control alerts allowed per unit per year on stable data (sets the
      limit L, ``control_limit``); ``min_history``: clean phase-I periods needed before a
      period is judged (default 4). Groups with fewer are listed in
      ``attrs["not_judged"]`` (kpi, group, period, baseline_periods, message: "too little
      history to judge" in ``lang``).

    Methods: see the module docstring (control charts: Montgomery; NIST e-Handbook 6.3;
    Western Electric 1956; drops: ``compare`` with Benjamini & Hochberg 1995; targets:
    ``goal_status``; overdue: ``action_progress``).

    Columns: severity (high / medium / low), kind, kpi, group, period, value, reference
    (control_break: the center line; significant_drop: the previous period's value;
    target_missed: the target; action_overdue: value = overdue actions, reference = actions
    counted by ``action_progress``), message (in ``lang``), message_nl, message_en. Values are
    in the KPI's unit (first_response_time: its median, charted and compared as such). Sorted
    by severity, kind, KPI (catalogue order), whole company first, then group.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> found = cx.alerts(data, "2026-Q3", by=None, lang="en")
    >>> print(found[["severity", "kind", "kpi", "group"]].to_string(index=False))
    severity           kind          kpi group
        high  target_missed          nps   all
        high  target_missed          ces   all
        high action_overdue actions_done   all
         low  control_break         csat   all
    >>> found["message"].iloc[0][:58]
    'Whole company: Net Promoter Score was 31.4 points in 2026-'
    """
    check_language(lang)
    grain, _ = parse_period(period)
    if grain is None:
        raise ValueError("alerts need one period label (2026-Q3, 2026-03 or 2026), not 'all'")
    total_key = TOTAL if (include_total or by is None) else None
    keys = [k for k in (kpi_keys() if kpis is None else kpis)]
    frames = measure_groups(data, keys, by, freq=grain, confidence=confidence, min_n=min_n, total=total_key)
    frames = {k: f[f["period"].notna() & (f["period"] <= period)] for k, f in frames.items()}
    goal_frame = resolve_goals(data, goals)
    if goal_frame is not None:
        goal_frame = goal_frame[goal_frame["kpi"].isin(keys)]

    not_judged: list[dict] = []
    found = (
        _control_alerts(frames, period, grain, budget, min_history, not_judged)
        + _drop_alerts(frames, period, confidence, alpha)
        + _target_alerts(data, goal_frame, frames, period, grain, by, total_key, confidence, min_n, lang)
        + (_overdue_alerts(data, period, grain, by, total_key, confidence) if "actions_done" in keys else [])
    )
    rows = []
    for alert in found:
        fields = alert.pop("_fields")
        kind = alert.pop("_template")
        rows.append({**alert, **{f"message_{lg}": _sentence(kind, fields, lg) for lg in LANGUAGES}})
    out = _tidy(rows, lang, total_key)
    waiting = pd.DataFrame(not_judged, columns=["kpi", "group", "period", "baseline_periods"])
    waiting["message"] = [
        text("too_little_history", lang, periods=int(b), needed=min_history) for b in waiting["baseline_periods"]
    ]
    out.attrs["not_judged"] = waiting
    return out


def _tidy(rows: list[dict], lang: str, total_label) -> pd.DataFrame:
    if not rows:
        frame = pd.DataFrame(
            {c: pd.Series(dtype="float64" if c in ("value", "reference") else "string") for c in ALERT_COLUMNS}
        )
    else:
        frame = pd.DataFrame(rows)
        frame["message"] = frame[f"message_{lang}"]
    order = {k: i for i, k in enumerate(kpi_keys())}
    frame = frame.assign(
        _s=frame["severity"].map({s: i for i, s in enumerate(SEVERITIES)}),
        _k=frame["kind"].map({s: i for i, s in enumerate(ALERT_KINDS)}),
        _kpi=frame["kpi"].map(order),
        _total=frame["group"] != total_label,
    ).sort_values(["_s", "_k", "_kpi", "_total", "group"], kind="stable")
    frame = frame[ALERT_COLUMNS].reset_index(drop=True)
    frame["severity"] = pd.Categorical(frame["severity"], categories=list(SEVERITIES), ordered=True)
    frame["kind"] = pd.Categorical(frame["kind"], categories=list(ALERT_KINDS))
    for col in ("kpi", "group", "period", "message", "message_nl", "message_en"):
        frame[col] = frame[col].astype("string")
    return frame
