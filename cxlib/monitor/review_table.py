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
from cxlib.i18n import check_language, label, status_label
from cxlib.kpi.measure import TOTAL, measure_many
from cxlib.monitor._goals import resolve_goals, status_by_group
from cxlib.periods import parse_period, period_bounds, period_containing, period_last_day, shift_period
from cxlib.stats import compare

__all__ = ["review_table", "REVIEW_COLUMNS", "NO_TARGET"]

_YEAR = {"month": 12, "quarter": 4, "year": 1}
NO_TARGET = "no_target"
"""The status of a KPI that has no goal (a key, as the goal statuses)."""
REVIEW_COLUMNS = [
    "kpi",
    "label",
    "unit",
    "unit_label",
    "direction",
    "decimals",
    "period",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "suppressed",
    "target",
    "status",
    "status_label",
    "compared_on",
    "previous_period",
    "value_prev",
    "change_prev",
    "change_prev_low",
    "change_prev_high",
    "p_prev",
    "p_prev_adjusted",
    "significant_prev",
    "change_label_prev",
    "year_period",
    "value_year",
    "change_year",
    "change_year_low",
    "change_year_high",
    "p_year",
    "p_year_adjusted",
    "significant_year",
    "change_label_year",
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


def _against(
    frames: dict[str, pd.DataFrame],
    period: str,
    other: str,
    confidence: float,
    alpha: float,
    suffix: str,
    per_group: bool = False,
) -> pd.DataFrame:
    """compare() of ``other`` → ``period`` per KPI and group: the change columns with ``suffix``.

    ``per_group``: each group's KPIs are one family (Benjamini–Hochberg and the interval level of
    compare()) instead of every KPI and group: compare() per group, as for the group alone.
    """
    pair = [f[f["period"].isin([other, period])] for k, f in frames.items() if kpi_info(k).sampled]
    pair = [f for f in pair if len(f)]
    cols = [
        "group",
        "kpi",
        f"change_{suffix}",
        f"change_{suffix}_low",
        f"change_{suffix}_high",
        f"p_{suffix}",
        f"p_{suffix}_adjusted",
        f"significant_{suffix}",
    ]
    if not pair or other == period:
        return pd.DataFrame(columns=cols)
    both = pd.concat(pair, ignore_index=True)
    if per_group:  # a loop over the groups (units), each compare() vectorised over its KPIs
        parts = [
            compare(rows, between="period", confidence=confidence, alpha=alpha)
            for _, rows in both.groupby("group", sort=False)
        ]
        filled = [d for d in parts if len(d)]
        if not filled:  # no group has both periods (or no row belongs to a group)
            return pd.DataFrame(columns=cols)
        diffs = pd.concat(filled, ignore_index=True)
    else:
        diffs = compare(both, between="period", confidence=confidence, alpha=alpha)
    diffs = diffs[(diffs["period_a"] == other) & (diffs["period_b"] == period)]
    return pd.DataFrame(
        {
            "group": diffs["group"],
            "kpi": diffs["kpi"],
            f"change_{suffix}": diffs["difference"],
            f"change_{suffix}_low": diffs["ci_low"],
            f"change_{suffix}_high": diffs["ci_high"],
            f"p_{suffix}": diffs["p_value"],
            f"p_{suffix}_adjusted": diffs["p_adjusted"],
            f"significant_{suffix}": diffs["significant"],
        }
    )


def review_table(
    data,
    period: str,
    by: str | None = None,
    lang: str = "en",
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    kpis=None,
    goals=None,
    alpha: float = 0.05,
    family: str = "table",
) -> pd.DataFrame:
    """Per KPI (and ``by`` group): this period, the change against the previous period and a year ago.

    - ``period``: the label under review (``2026-Q3``; months and years work too). The previous
      period is the one before it; "a year ago" is the same period one year earlier.
    - ``by``: None (the data as a whole, e.g. one unit from ``cx.subset``) or a column (team,
      region, …); KPIs that cannot be cut by it are left out.
    - ``kpis``: catalogue keys (default: all that the data allows).
    - ``goals``: goals frame or path (default the data's goals.yaml; ``False``: none).
    - ``family``: ``"table"``: the Benjamini–Hochberg family is every KPI and group of the table;
      ``"group"``: each group's KPIs apart, and response times resample and censor per group
      (``stream_by``), so that every group's rows equal the review of that group alone
      (``review_table(cx.subset(data, by, value), period)``; the report batch computes all units
      at once this way).

    Columns (one row per KPI and group): [by], kpi, label (``lang``), unit, unit_label,
    direction, decimals (catalogue); period, n, value, ci_low, ci_high, suppressed (the tidy KPI
    frame); target, status (``goal_status`` key met / at_risk / missed / no_data, judged on the
    interval, at the goal's cadence up to the end of the period; ``no_target`` without a goal),
    status_label (``lang``; NA without a goal); compared_on (the column compare()
    tests: ``mean`` for first_response_time, else ``value``); previous_period, value_prev and
    change_prev, change_prev_low, change_prev_high, p_prev, p_prev_adjusted (BH), significant_prev,
    change_label_prev; the same with ``year``. ``change_label_*`` is "significant rise" or
    "significant fall" only when the BH-adjusted p-value ≤ ``alpha``; else "no significant
    change"; "too few responses" when either side is suppressed or missing.
    Only the three periods compared are computed (``cx.measure`` per label), and for the goals
    the one period of their cadence that is judged. ``min_n`` None: each KPI's catalogue minimum.
    Method: ``cxlib.compare`` (tests per KPI, Newcombe 1998, Welch 1947, Rocks 2016) and
    Benjamini & Hochberg (1995).

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> review = cx.review_table(data, "2026-Q3")
    >>> print(review.loc[review["kpi"].isin(["nps", "csat"]), ["kpi", "n", "value", "value_prev", "status",
    ...       "change_label_prev"]].round(1).to_string(index=False))
     kpi    n  value  value_prev status     change_label_prev
     nps 2980   31.4        31.0 missed no significant change
    csat 2930   82.0        80.4    met no significant change
    """
    check_language(lang)
    if family not in ("table", "group"):
        raise ValueError(f"family must be 'table' or 'group', got {family!r}")
    grain, _ = parse_period(period)
    if grain is None:
        raise ValueError("review_table needs one period label (2026-Q3, 2026-03 or 2026), not 'all'")
    previous, year_ago = shift_period(period, -1), shift_period(period, -_YEAR[grain])
    keys = list(kpi_keys() if kpis is None else kpis)
    frames = _periods(data, keys, by, [year_ago, previous, period], confidence, min_n, per_group=family == "group")

    rows = []
    for key, frame in frames.items():
        groups = pd.unique(frame["group"])
        current = frame[frame["period"] == period].set_index("group").reindex(groups)
        prev = frame[frame["period"] == previous].set_index("group")["value"].reindex(groups)
        year = frame[frame["period"] == year_ago].set_index("group")["value"].reindex(groups)
        info = kpi_info(key)
        rows.append(
            pd.DataFrame(
                {
                    "group": pd.array(groups, dtype="string"),
                    "kpi": key,
                    "label": info.label[lang],
                    "unit": info.unit,
                    "unit_label": info.unit_label[lang],
                    "direction": info.direction,
                    "decimals": info.decimals,
                    "period": period,
                    "n": current["n"].fillna(0).to_numpy(dtype="int64"),
                    "value": current["value"].to_numpy(dtype="float64", na_value=np.nan),
                    "ci_low": current["ci_low"].to_numpy(dtype="float64", na_value=np.nan),
                    "ci_high": current["ci_high"].to_numpy(dtype="float64", na_value=np.nan),
                    "suppressed": current["suppressed"].fillna(True).to_numpy(dtype=bool),
                    "compared_on": info.compare_on,
                    "previous_period": previous,
                    "value_prev": prev.to_numpy(dtype="float64", na_value=np.nan),
                    "year_period": year_ago,
                    "value_year": year.to_numpy(dtype="float64", na_value=np.nan),
                }
            )
        )
    if not rows:
        raise ValueError("no KPI could be computed from this data")
    table = pd.concat(rows, ignore_index=True)
    for other, suffix in ((previous, "prev"), (year_ago, "year")):
        changes = _against(frames, period, other, confidence, alpha, suffix, per_group=family == "group")
        table = table.merge(changes.astype({"group": "string", "kpi": "string"}), on=["group", "kpi"], how="left")
        table[f"significant_{suffix}"] = table[f"significant_{suffix}"].astype("boolean")
        table[f"change_label_{suffix}"] = _change_label(
            table[f"change_{suffix}"], table[f"p_{suffix}"], table[f"significant_{suffix}"], lang
        )
    table = _with_goals(
        table, data, goals, frames, keys, grain, by, period, confidence, min_n, lang, per_group=family == "group"
    )
    out = table[(["group"] if by else []) + REVIEW_COLUMNS]
    out = out.rename(columns={"group": by}) if by else out
    for col in (
        "kpi",
        "label",
        "unit",
        "unit_label",
        "direction",
        "period",
        "compared_on",
        "previous_period",
        "year_period",
        "change_label_prev",
        "change_label_year",
        "status_label",
    ):
        out[col] = out[col].astype("string")
    return out.reset_index(drop=True)


def _periods(data, keys, by, labels, confidence, min_n, per_group: bool = False) -> dict[str, pd.DataFrame]:
    """KPI frames with a ``group`` column (``by`` values, or TOTAL without ``by``) for the periods
    ``labels`` only: one ``measure_many`` per period, rows ordered by group and period as a
    frame of every period would be. ``per_group``: KPIs that resample or censor (response
    times) do so per group, as for each group alone (``stream_by``)."""
    parts: dict[str, list[pd.DataFrame]] = {}
    options = {}
    if per_group and by and any("stream_by" in kpi_info(k).options for k in keys):
        options["stream_by"] = by
    for label_ in dict.fromkeys(labels):  # each period once
        found = measure_many(
            data, keys, by, period=label_, confidence=confidence, min_n=min_n, skip_unavailable=True, **options
        )
        for key, frame in found.items():
            parts.setdefault(key, []).append(frame)
    out = {}
    for key, frames in parts.items():
        frame = pd.concat(frames, ignore_index=True)
        if by:
            frame = frame.sort_values([by, "period"], kind="stable", na_position="last").rename(columns={by: "group"})
        else:
            frame = frame.assign(group=TOTAL)
        group = frame.pop("group").astype("string")
        frame.insert(0, "group", group)
        out[key] = frame.reset_index(drop=True)
    return out


def _judged(period: str, cadence: str) -> str:
    """The period of ``cadence`` a goal is judged on at the end of ``period``: the latest full one."""
    end = period_last_day(period)
    holding = period_containing(end, cadence)
    return holding if period_bounds(holding)[1] <= end + pd.Timedelta(days=1) else shift_period(holding, -1)


def _with_goals(table, data, goals, frames, keys, grain, by, period, confidence, min_n, lang, per_group=False):
    goal_frame = resolve_goals(data, goals)
    table = table.assign(target=np.nan, status=NO_TARGET)
    if goal_frame is not None:
        goal_frame = goal_frame[goal_frame["kpi"].isin(keys)].drop_duplicates("kpi")  # first goal per KPI
        parts = []
        for cadence, these in goal_frame.groupby("cadence", sort=True):
            these_frames = (
                frames
                if cadence == grain
                else _periods(data, list(these["kpi"]), by, [_judged(period, cadence)], confidence, min_n, per_group)
            )
            these_frames = {k: f for k, f in these_frames.items() if k in set(these["kpi"])}
            parts.append(status_by_group(these, these_frames, period_last_day(period), confidence, min_n, lang))
        status = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        if not status.empty:
            status = status[["group", "kpi", "target", "status"]].astype(
                {"group": "string", "kpi": "string", "status": "string"}
            )
            table = table.drop(columns=["target", "status"]).merge(status, on=["group", "kpi"], how="left")
            table["status"] = table["status"].fillna(NO_TARGET)
    table["status"] = table["status"].astype("string")
    table["status_label"] = [pd.NA if s == NO_TARGET else status_label(s, lang) for s in table["status"]]
    return table
