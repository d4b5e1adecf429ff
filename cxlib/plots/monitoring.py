"""Charts for step 5 (monitoring): the goal table and action effects. They compute no statistics.

- ``goal_table_chart(history)``: the red / amber / green goal table, goals × periods, from
  ``cxlib.monitor.goal_history``; each cell shows the value, coloured by its status.
- ``action_effect_chart(cells, action_id)``: before and after for the owning team and the
  other teams, with intervals, from ``cxlib.monitor.effect_cells`` (the DiD estimate from
  ``action_effects`` in the subtitle when given).
- ``kpi_control_chart(chart, kpi, group)``: one series of ``kpi_chart`` drawn by
  ``control_chart`` with the KPI's label and unit in ``lang``.
Alerts are a table, not a chart. Texts: KPI labels from the catalogue, the rest from
cxlib/data/monitor.yaml and labels.yaml, in ``lang``.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, label, number, signed
from cxlib.monitor._text import word
from cxlib.plots.control import control_chart
from cxlib.plots.theme import PALETTE, STATUS_COLOURS

__all__ = ["goal_table_chart", "action_effect_chart", "kpi_control_chart"]

STATUSES = ("met", "at risk", "missed", "no data")
COLOURS = {"met": STATUS_COLOURS["met"], "at risk": STATUS_COLOURS["at_risk"],
           "missed": STATUS_COLOURS["missed"], "no data": "#bfbfbf"}


def _status_text(status: str, lang: str) -> str:
    return word("no_data", lang) if status == "no data" else label(status.replace(" ", "_"), lang)


def _unit(kpi: str, lang: str) -> str:
    return kpi_info(kpi).unit_label[lang]


def goal_table_chart(history: pd.DataFrame, lang: str = "en", ax=None, title: str | None = None):
    """Goals × periods as coloured cells (green met, amber at risk, red missed, grey no data).

    ``history``: the frame of ``goal_history`` (goal, kpi, target, period, value, status).
    Rows are "goal · KPI (target)", columns the periods; each cell shows the value with the
    catalogue's decimals. Returns the Axes.
    """
    check_language(lang)
    rows = history.drop_duplicates(["goal", "kpi"])[["goal", "kpi", "target"]]
    periods = sorted(history["period"].dropna().unique())
    target = label("target", lang).lower()
    names = [f"{g} · {kpi_info(k).label[lang]} ({target} {number(t, lang, kpi_info(k).decimals)})"
             for g, k, t in rows.itertuples(index=False)]
    codes = np.full((len(rows), len(periods)), np.nan)
    text = np.full((len(rows), len(periods)), "", dtype=object)
    row_of = {(g, k): i for i, (g, k) in enumerate(zip(rows["goal"], rows["kpi"]))}
    col_of = {p: j for j, p in enumerate(periods)}
    for r in history.itertuples(index=False):
        i, j = row_of[(r.goal, r.kpi)], col_of[r.period]
        codes[i, j] = STATUSES.index(str(r.status))
        text[i, j] = number(r.value, lang, kpi_info(r.kpi).decimals)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.1 * len(periods) + 5, 0.5 * len(rows) + 1.5))
    cmap = ListedColormap([COLOURS[s] for s in STATUSES])
    ax.imshow(np.ma.masked_invalid(codes), cmap=cmap, vmin=-0.5, vmax=len(STATUSES) - 0.5, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(periods)):
            ax.text(j, i, text[i, j], ha="center", va="center", color="white", fontsize="small", fontweight="bold")
    ax.set_xticks(range(len(periods)), periods, rotation=45 if len(periods) > 6 else 0)
    ax.set_yticks(range(len(rows)), names)
    ax.set_xlabel(label("period", lang))
    ax.grid(False)
    ax.set_title(title if title is not None else word("goal_table_title", lang))
    handles = [Patch(color=COLOURS[s], label=_status_text(s, lang)) for s in STATUSES]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax


def action_effect_chart(cells: pd.DataFrame, action_id: str, effects: pd.DataFrame | None = None,
                        lang: str = "en", ax=None):
    """Before and after, owning team against the other teams, each with its interval.

    ``cells``: ``effect_cells`` output (one action is picked by ``action_id``); ``effects``:
    optional ``action_effects`` output, whose DiD estimate and interval go in the subtitle.
    Returns the Axes.
    """
    check_language(lang)
    mine = cells[cells["action_id"] == action_id]
    if mine.empty:
        raise ValueError(f"no cells for action {action_id!r}")
    kpi, team = str(mine["kpi"].iloc[0]), str(mine["team"].iloc[0])
    info = kpi_info(kpi)
    if ax is None:
        _, ax = plt.subplots()
    phases = ["before", "after"]
    names = {"team": team, "control": word("other_teams", lang)}
    for k, arm in enumerate(["team", "control"]):
        sub = mine[mine["arm"] == arm].set_index("phase").reindex(phases)
        x = np.arange(2) + (k - 0.5) * 0.08
        y = sub["value"].to_numpy(dtype="float64", na_value=np.nan)
        low = y - sub["ci_low"].to_numpy(dtype="float64", na_value=np.nan)
        high = sub["ci_high"].to_numpy(dtype="float64", na_value=np.nan) - y
        ax.errorbar(x, y, yerr=[low, high], marker="o", capsize=4, color=PALETTE[k], label=names[arm])
    ticks = []
    for phase in phases:
        periods = mine.loc[mine["phase"] == phase, "periods"]
        ticks.append(f"{word(phase, lang)}\n{periods.iloc[0] if len(periods) else ''}")
    ax.set_xticks(range(2), ticks)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylabel(f"{info.label[lang]} ({_unit(kpi, lang)})")
    ax.set_title(word("action_effect_title", lang).format(action=action_id, kpi=info.label[lang], team=team))
    if effects is not None:
        row = effects[effects["action_id"] == action_id]
        if len(row) and pd.notna(row["did"].iloc[0]):
            r = row.iloc[0]
            ax.text(0.98, 0.03, f"{word('difference_in_differences', lang)}: {signed(r['did'], lang, info.decimals)} "
                    f"({number(r['ci_low'], lang, info.decimals)} … {number(r['ci_high'], lang, info.decimals)})",
                    transform=ax.transAxes, ha="right", va="bottom", fontsize="small",
                    bbox={"facecolor": "white", "edgecolor": "#bfbfbf", "boxstyle": "round"})
    ax.legend(loc="best", fontsize="small")
    return ax


def kpi_control_chart(chart: pd.DataFrame, kpi: str, group=None, lang: str = "en", ax=None, title: str | None = None):
    """One series of a ``kpi_chart`` frame (KPI ``kpi``; ``group``: a value of its group column),
    drawn by ``control_chart`` and labelled in ``lang``. Returns the Axes."""
    check_language(lang)
    rows = chart[chart["kpi"] == kpi]
    keys = list(chart.columns[: list(chart.columns).index("period")])  # the chart's group column(s)
    if group is not None:
        if len(keys) != 1:
            raise ValueError(f"group={group!r} needs a chart frame with one group column; it has {keys}")
        rows = rows[rows[keys[0]] == group]
    info = kpi_info(kpi)
    on_mean = info.compare_on != "value"  # charted on the mean (first response time)
    name = f"{info.label[lang]} ({word('mean', lang)})" if on_mean else info.label[lang]
    unit = info.unit if on_mean else info.unit_label[lang]
    ax = control_chart(rows.reset_index(drop=True), ax=ax,
                       title=title if title is not None else name + (f" · {group}" if group else ""),
                       ylabel=f"{name}\n{unit}")
    ax.set_xlabel(label("period", lang))
    legend = ax.get_legend()
    if legend is not None:  # control_chart's legend texts, in lang
        names = {"p": name, "NPS": name, "period mean": word("period_mean", lang), "center": word("center", lang),
                 "UCL / LCL": word("limits", lang), "signal": word("signal", lang)}
        for text in legend.get_texts():
            text.set_text(names.get(text.get_text(), text.get_text()))
    return ax
