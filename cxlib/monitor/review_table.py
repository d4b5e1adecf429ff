"""The periodic review table: each KPI this period, against the previous period and a year ago.

A change is called a change only when it is significant: ``compare()`` tests each difference
with the catalogue's test (NPS z-test, two-proportion z-test, Welch, Poisson) and flags it after
a Benjamini–Hochberg adjustment over all KPIs (and groups) of the table, separately for the
two comparisons (Benjamini & Hochberg 1995). Everything else reads "no significant change".
The same frame feeds the KPI tiles of the quarterly report.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import check_language, label
from cxlib.periods import parse_period
from cxlib.monitor._data import group_frames, last_day, shift
from cxlib.monitor._goals import resolve_goals, status_by_group
from cxlib.monitor._text import word
from cxlib.stats import compare

__all__ = ["review_table", "REVIEW_COLUMNS"]

_YEAR = {"month": 12, "quarter": 4, "year": 1}
_STATUS_LABEL = {"met": "met", "at risk": "at_risk", "missed": "missed"}
REVIEW_COLUMNS = [
    "kpi", "label", "unit", "unit_label", "direction", "decimals", "period", "n", "value", "ci_low",
    "ci_high", "suppressed", "target", "status", "status_label", "compared_on",
    "previous_period", "value_prev", "change_prev", "change_prev_low", "change_prev_high", "p_prev",
    "p_prev_adjusted", "significant_prev", "change_label_prev",
    "year_period", "value_year", "change_year", "change_year_low", "change_year_high", "p_year",
    "p_year_adjusted", "significant_year", "change_label_year",
]


def _change_label(difference, p_value, significant, lang: str) -> list[str]:
    """'significant rise' / 'significant fall' only when significant, else 'no significant change'."""
    out = []
    for d, p, s in zip(difference, p_value, significant):
        if pd.isna(p) or pd.isna(d):
            out.append(label("too_few_responses", lang))
        elif pd.notna(s) and bool(s) and d != 0:
            out.append(label("significant_rise" if d > 0 else "significant_fall", lang))
        else:
            out.append(label("no_significant_change", lang))
    return out


def _against(frames: dict[str, pd.DataFrame], period: str, other: str, confidence: float, alpha: float,
             suffix: str) -> pd.DataFrame:
    """compare() of ``other`` → ``period`` per KPI and group: the change columns with ``suffix``."""
    pair = [f[f["period"].isin([other, period])] for f in frames.values()]
    pair = [f for f in pair if len(f)]
    cols = ["group", "kpi", f"change_{suffix}", f"change_{suffix}_low", f"change_{suffix}_high",
            f"p_{suffix}", f"p_{suffix}_adjusted", f"significant_{suffix}"]
    if not pair or other == period:
        return pd.DataFrame(columns=cols)
    diffs = compare(pd.concat(pair, ignore_index=True), between="period", confidence=confidence, alpha=alpha)
    diffs = diffs[(diffs["period_a"] == other) & (diffs["period_b"] == period)]
    return pd.DataFrame({
        "group": diffs["group"], "kpi": diffs["kpi"], f"change_{suffix}": diffs["difference"],
        f"change_{suffix}_low": diffs["ci_low"], f"change_{suffix}_high": diffs["ci_high"],
        f"p_{suffix}": diffs["p_value"], f"p_{suffix}_adjusted": diffs["p_adjusted"],
        f"significant_{suffix}": diffs["significant"],
    })


def review_table(data, period: str, by: str | None = None, lang: str = "en", confidence: float = 0.95,
                 min_n: int = 30, *, kpis=None, goals=None, alpha: float = 0.05) -> pd.DataFrame:
    """Per KPI (and ``by`` group): this period, the change against the previous period and a year ago.

    - ``period``: the label under review (``2026-Q3``; months and years work too). The previous
      period is the one before it; "a year ago" is the same period one year earlier.
    - ``by``: None (the data as a whole, e.g. one unit from ``cx.subset``) or a column (team,
      region, …); KPIs that cannot be cut by it are left out.
    - ``kpis``: catalogue keys (default: all that the data allows).
    - ``goals``: goals frame or path (default the data's goals.yaml; ``False``: none).

    Columns (one row per KPI and group): [by], kpi, label (``lang``), unit, unit_label,
    direction, decimals (catalogue); period, n, value, ci_low, ci_high, suppressed (the tidy KPI
    frame); target, status (``goal_status``, judged on the interval, at the goal's cadence up to
    the end of the period; NA without a goal), status_label; compared_on (the column compare()
    tests: ``mean`` for first_response_time, else ``value``); previous_period, value_prev and
    change_prev, change_prev_low, change_prev_high, p_prev, p_prev_adjusted (BH), significant_prev,
    change_label_prev; the same with ``year``. ``change_label_*`` is "significant rise" or
    "significant fall" only when the BH-adjusted p-value ≤ ``alpha``; else "no significant
    change"; "too few responses" when either side is suppressed or missing.
    Method: ``cxlib.compare`` (tests per KPI, Newcombe 1998, Welch 1947, Rocks 2016) and
    Benjamini & Hochberg (1995).
    """
    check_language(lang)
    grain, _ = parse_period(period)
    previous, year_ago = shift(period, -1), shift(period, -_YEAR[grain])
    keys = list(kpi_keys() if kpis is None else kpis)
    frames = group_frames(data, keys, by, grain, confidence, min_n, total=None if by else "all")
    frames = {k: f[f["period"].notna() & (f["period"] <= period)] for k, f in frames.items()}

    rows = []
    for key, frame in frames.items():
        groups = pd.unique(frame["group"])
        current = frame[frame["period"] == period].set_index("group").reindex(groups)
        prev = frame[frame["period"] == previous].set_index("group")["value"].reindex(groups)
        year = frame[frame["period"] == year_ago].set_index("group")["value"].reindex(groups)
        info = kpi_info(key)
        rows.append(pd.DataFrame({
            "group": pd.array(groups, dtype="string"), "kpi": key, "label": info.label[lang], "unit": info.unit,
            "unit_label": info.unit_label[lang], "direction": info.direction, "decimals": info.decimals,
            "period": period, "n": current["n"].fillna(0).to_numpy(dtype="int64"),
            "value": current["value"].to_numpy(dtype="float64", na_value=np.nan),
            "ci_low": current["ci_low"].to_numpy(dtype="float64", na_value=np.nan),
            "ci_high": current["ci_high"].to_numpy(dtype="float64", na_value=np.nan),
            "suppressed": current["suppressed"].fillna(True).to_numpy(dtype=bool),
            "compared_on": info.compare_on,
            "previous_period": previous, "value_prev": prev.to_numpy(dtype="float64", na_value=np.nan),
            "year_period": year_ago, "value_year": year.to_numpy(dtype="float64", na_value=np.nan),
        }))
    if not rows:
        raise ValueError("no KPI could be computed from this data")
    table = pd.concat(rows, ignore_index=True)
    for other, suffix in ((previous, "prev"), (year_ago, "year")):
        changes = _against(frames, period, other, confidence, alpha, suffix)
        table = table.merge(changes.astype({"group": "string", "kpi": "string"}), on=["group", "kpi"], how="left")
        table[f"significant_{suffix}"] = table[f"significant_{suffix}"].astype("boolean")
        table[f"change_label_{suffix}"] = _change_label(table[f"change_{suffix}"], table[f"p_{suffix}"],
                                                        table[f"significant_{suffix}"], lang)
    table = _with_goals(table, data, goals, frames, keys, grain, by, period, confidence, min_n, lang)
    out = table[(["group"] if by else []) + REVIEW_COLUMNS]
    out = out.rename(columns={"group": by}) if by else out
    for col in ("kpi", "label", "unit", "unit_label", "direction", "period", "compared_on", "previous_period",
                "year_period", "change_label_prev", "change_label_year", "status_label"):
        out[col] = out[col].astype("string")
    return out.reset_index(drop=True)


def _with_goals(table, data, goals, frames, keys, grain, by, period, confidence, min_n, lang):
    goal_frame = resolve_goals(data, goals)
    table = table.assign(target=np.nan, status=pd.NA)
    if goal_frame is None:
        table["status_label"] = pd.NA
        return table
    goal_frame = goal_frame[goal_frame["kpi"].isin(keys)].drop_duplicates("kpi")  # first goal per KPI
    parts = []
    for cadence, these in goal_frame.groupby("cadence", sort=True):
        these_frames = frames if cadence == grain else group_frames(
            data, list(these["kpi"]), by, cadence, confidence, min_n, total=None if by else "all")
        these_frames = {k: f for k, f in these_frames.items() if k in set(these["kpi"])}
        parts.append(status_by_group(these, these_frames, last_day(period), confidence, min_n, lang))
    status = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if status.empty:
        table["status_label"] = pd.NA
        return table
    status = status[["group", "kpi", "target", "status"]].astype({"group": "string", "kpi": "string",
                                                                  "status": "string"})
    table = table.drop(columns=["target", "status"]).merge(status, on=["group", "kpi"], how="left")
    table["status_label"] = [pd.NA if pd.isna(s) else (word("no_data", lang) if s == "no data"
                                                        else label(_STATUS_LABEL[s], lang))
                             for s in table["status"]]
    return table
