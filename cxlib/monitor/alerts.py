"""Alerts: what needs attention in one period, as a tidy list with a severity and a plain sentence.

Four kinds, each read from the KPI engine and the monitoring building blocks (nothing is
recomputed here):

- ``control_break``: a control chart over the history up to the period (``kpi_chart_frame``: p-chart,
  NPS chart, EWMA or u-chart per KPI) flags the period itself with a Western Electric rule. The
  center (and σ for EWMA) comes from the periods *before* it (phase I), so the period is
  judged against its own history.
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
| control_break | rule 1 (beyond 3σ) on the bad side | only rules 2–4, bad side | any rule on the good side |
| significant_drop | the drop is at least 3 standard errors (abs(z or t) ≥ 3) | otherwise | – |
| target_missed | always (the interval excludes the target) | – | – |
| action_overdue | an action due in an earlier period is still open | only actions due in this period | – |
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.business_hours import local_timestamp
from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import LANGUAGES, check_language, fill, label, number, rules_text
from cxlib.io.cxdata import data_end, table
from cxlib.kpi.measure import TOTAL, Unavailable, measure, measure_groups
from cxlib.monitor._goals import resolve_goals, status_by_group
from cxlib.monitor.chart_frames import kpi_chart_frame
from cxlib.periods import parse_period, period_bounds, period_last_day, shift_period
from cxlib.stats import compare

__all__ = ["alerts", "group_label", "ALERT_KINDS", "SEVERITIES", "ALERT_COLUMNS", "TOTAL"]

ALERT_KINDS = ("control_break", "significant_drop", "target_missed", "action_overdue")
SEVERITIES = ("high", "medium", "low")
ALERT_COLUMNS = ["severity", "kind", "kpi", "group", "period", "value", "reference", "message",
                 "message_nl", "message_en"]
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


def _control_alerts(frames, period, lam, min_history):
    history = sorted({p for f in frames.values() for p in f["period"].dropna()})
    earlier = [p for p in history if p < period]
    if len(earlier) < min_history or period not in history:
        return []
    out = []
    for key, frame in frames.items():
        if key in _NOT_CHARTED:
            continue
        sub = frame[frame["period"] <= period]
        if not (sub["period"] < period).any() or not (sub["period"] == period).any():
            continue
        try:
            chart = kpi_chart_frame(sub, baseline=earlier, lam=lam)
        except ValueError:  # no usable baseline for this KPI (all earlier periods suppressed)
            continue
        hit = chart[(chart["period"] == period) & chart["signal"].astype(bool)]
        for row in hit.itertuples(index=False):
            fired = [r for r in (1, 2, 3, 4) if getattr(row, f"rule_{r}")]
            bad = bool(_worse(key, row.z))
            severity = ("high" if 1 in fired else "medium") if bad else "low"
            on_mean = kpi_info(key).compare_on != "value"
            out.append({
                "kind": "control_break", "severity": severity, "kpi": key, "group": row.group,
                "period": period, "value": float(row.statistic), "reference": float(row.center),
                "_template": "control_break_worse" if bad else "control_break_better",
                "_fields": {"kpi": _kpi_name(key, on_mean), "value": _value(key, row.statistic),
                            "reference": _value(key, row.center),
                            "rules": lambda lang, f=tuple(fired): rules_text(f, lang),
                            "period": period, "group": row.group},
            })
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
        out.append({
            "kind": "significant_drop", "severity": "high" if abs(row.statistic) >= 3.0 else "medium",
            "kpi": key, "group": row.group, "period": period, "value": float(row.value_b),
            "reference": float(row.value_a), "_template": "significant_drop",
            "_fields": {"kpi": _kpi_name(key, on_mean), "value": _value(key, row.value_b),
                        "reference": _value(key, row.value_a),
                        "change": lambda lang, k=key, v=row.difference: kpi_info(k).change_text(v, lang),
                        "period": period, "previous": previous, "group": row.group},
        })
    return out


def _target_alerts(data, goals, frames, period, grain, by, total, confidence, min_n, lang):
    if goals is None or goals.empty:
        return []
    start, end = period_bounds(period)
    out = []
    for cadence, these in goals.groupby("cadence", sort=True):
        cadence_frames = frames if cadence == grain else measure_groups(
            data, list(these["kpi"].unique()), by, freq=cadence, confidence=confidence, min_n=min_n, total=total)
        cadence_frames = {k: f[f["period"].notna()] for k, f in cadence_frames.items() if k in set(these["kpi"])}
        cadence_frames = {k: f[[period_bounds(p)[1] <= end for p in f["period"]]] for k, f in cadence_frames.items()}
        status = status_by_group(these, cadence_frames, period_last_day(period), confidence, min_n, lang)
        if status.empty:
            continue
        inside = [pd.notna(p) and period_bounds(p)[0] >= start and period_bounds(p)[1] <= end
                  for p in status["period"]]
        missed = np.asarray(inside, dtype=bool) & (status["status"] == "missed").to_numpy()
        for row in status[missed].itertuples(index=False):
            key = str(row.kpi)
            out.append({
                "kind": "target_missed", "severity": "high", "kpi": key, "group": row.group,
                "period": str(row.period), "value": float(row.value), "reference": float(row.target),
                "_template": "target_missed",
                "_fields": {"kpi": _kpi_name(key), "value": _value(key, row.value),
                            "reference": _value(key, row.target),
                            "low": lambda lang, k=key, v=row.ci_low: number(v, lang, kpi_info(k).decimals),
                            "high": _value(key, row.ci_high),
                            "confidence": f"{confidence:.0%}", "period": str(row.period), "group": row.group},
            })
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
            frames.append(measure(data, "actions_done", by=by, freq=grain, confidence=confidence, min_n=0,
                                  as_of=as_of).rename(columns={by: "group"}))
        except Unavailable:  # the actions cannot be cut by this column
            pass
    if by is None or total is not None:
        frames.append(measure(data, "actions_done", freq=grain, confidence=confidence, min_n=0, as_of=as_of)
                      .assign(group=total if total is not None else TOTAL))
    out = []
    for frame in frames:
        frame = frame.assign(group=frame["group"].astype("string"),
                             old=np.where(frame["period"] < period, frame["overdue"], 0))
        per = frame.groupby("group", sort=True, observed=True).agg(
            overdue=("overdue", "sum"), old=("old", "sum"), n=("n", "sum"), done=("successes", "sum"))
        for group, row in per[per["overdue"] > 0].iterrows():
            out.append({
                "kind": "action_overdue", "severity": "high" if row["old"] > 0 else "medium",
                "kpi": "actions_done", "group": group, "period": period, "value": float(row["overdue"]),
                "reference": float(row["n"]), "_template": "action_overdue",
                "_fields": {"value": int(row["overdue"]), "reference": int(row["n"]), "old": int(row["old"]),
                            "done": int(row["done"]), "period": period, "group": group},
            })
    return out


def alerts(data, period: str, by: str | None = "team", lang: str = "en", confidence: float = 0.95,
           min_n: int | None = None, *, kpis=None, goals=None, include_total: bool = True, alpha: float = 0.05,
           lam: float = 0.2, min_history: int = 2) -> pd.DataFrame:
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
    - ``lam``: λ of the EWMA charts of mean KPIs; ``min_history``: periods before ``period``
      needed before a chart is judged.

    Methods: see the module docstring (control charts: Montgomery; NIST e-Handbook 6.3;
    Western Electric 1956; drops: ``compare`` with Benjamini & Hochberg 1995; targets:
    ``goal_status``; overdue: ``action_progress``).

    Columns: severity (high / medium / low), kind, kpi, group, period, value, reference
    (control_break: the center line; significant_drop: the previous period's value;
    target_missed: the target; action_overdue: value = overdue actions, reference = actions
    counted by ``action_progress``), message (in ``lang``), message_nl, message_en. Values are
    in the KPI's unit; first_response_time is charted and compared on its mean (compare()'s
    choice), which the sentence says. Sorted by severity, kind, KPI (catalogue order),
    whole company first, then group.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> found = cx.alerts(data, "2026-Q3", by=None, lang="en")
    >>> print(found[["severity", "kind", "kpi", "group"]].to_string(index=False))
    severity           kind            kpi group
        high  target_missed            nps   all
        high  target_missed            ces   all
        high action_overdue   actions_done   all
         low  control_break           csat   all
         low  control_break complaint_rate   all
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

    found = (_control_alerts(frames, period, lam, min_history)
             + _drop_alerts(frames, period, confidence, alpha)
             + _target_alerts(data, goal_frame, frames, period, grain, by, total_key, confidence, min_n, lang)
             + (_overdue_alerts(data, period, grain, by, total_key, confidence)
                if "actions_done" in keys else []))
    rows = []
    for alert in found:
        fields = alert.pop("_fields")
        kind = alert.pop("_template")
        rows.append({**alert, **{f"message_{lg}": _sentence(kind, fields, lg) for lg in LANGUAGES}})
    return _tidy(rows, lang, total_key)


def _tidy(rows: list[dict], lang: str, total_label) -> pd.DataFrame:
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype="float64" if c in ("value", "reference") else "string")
                              for c in ALERT_COLUMNS})
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
