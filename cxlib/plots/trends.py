"""Trend charts: a KPI over periods with its interval as a band. They compute no statistics.

Texts in ``lang`` through :mod:`cxlib.plots.labels`; each function returns the Axes.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, fill, month_name, number
from cxlib.periods import parse_period
from cxlib.plots._frames import group_columns, group_levels, one_kpi, rows_of
from cxlib.plots.labels import dimension_label, kpi_axis_label, label_or, level_label
from cxlib.plots.theme import TARGET_LINE

__all__ = ["trend", "period_ticks"]

AXIS_LABEL_WIDTH = 28
"""Characters per line of a y-axis label: longer labels wrap, so that they fit beside the chart."""


def period_ticks(periods: list[str], lang: str) -> list[str]:
    """Tick labels for period labels: months by name in ``lang`` ('okt', with the year under
    January and the first month: 'jan\n2026'); quarters and years as labelled."""
    out = []
    for i, p in enumerate(periods):
        grain, code = parse_period(p)
        if grain != "month":
            out.append(p)
            continue
        year, month = divmod(code, 12)
        name = month_name(pd.Timestamp(year=year, month=month + 1, day=1), lang)
        out.append(f"{name}\n{year}" if i == 0 or month == 0 else name)
    return out


def trend(
    frame: pd.DataFrame,
    hue: str | None = None,
    kpi: str | None = None,
    lang: str = "en",
    ax=None,
    title: str | None = None,
    target: float | None = None,
):
    """A KPI over periods: one line per ``hue`` group with its interval as a band.

    ``frame`` is a tidy KPI frame (``period``, ``value``, ``ci_low``, ``ci_high``); with several
    KPIs name one with ``kpi``. Group columns other than ``hue`` must hold one value (filter
    first). Suppressed rows (value NaN) leave gaps. Periods are ordered by their labels; months
    are named in ``lang``. ``target`` draws the goal as a dashed line, labelled with its value.
    """
    check_language(lang)
    frame, kpi = one_kpi(frame, kpi)
    others = [c for c in group_columns(frame) if c != hue]
    crowded = [c for c in others if frame[c].nunique(dropna=False) > 1]
    if crowded:
        raise ValueError(f"trend: the frame has several values of {crowded}; filter it or pass hue=")
    periods = sorted(frame["period"].dropna().astype(str).unique())
    pos = {p: i for i, p in enumerate(periods)}
    if ax is None:
        _, ax = plt.subplots()
    levels = group_levels(frame[hue]) if hue else [None]
    palette = sns.color_palette(n_colors=max(len(levels), 1))
    for colour, level in zip(palette, levels):
        sub = frame[rows_of(frame, hue, level)] if hue else frame
        sub = sub.assign(_x=sub["period"].astype(str).map(pos)).sort_values("_x")
        name = level_label(hue, level, lang) if hue else None
        sns.lineplot(
            x=sub["_x"].to_numpy(),
            y=sub["value"].to_numpy(dtype=float),
            marker="o",
            color=colour,
            label=name,
            estimator=None,
            errorbar=None,
            ax=ax,
        )
        ax.fill_between(
            sub["_x"].to_numpy(),
            sub["ci_low"].to_numpy(dtype=float),
            sub["ci_high"].to_numpy(dtype=float),
            color=colour,
            alpha=0.18,
            linewidth=0,
        )
    if target is not None and pd.notna(target):
        info = kpi_info(kpi) if kpi else None
        shown = info.value_text(float(target), lang) if info else number(float(target), lang)
        ax.axhline(
            float(target),
            color=TARGET_LINE,
            linestyle="--",
            linewidth=1.2,
            label=fill(label_or("chart.target", lang), {"target": shown}),
        )
        if not hue:
            ax.legend(fontsize="small", loc="best")
    monthly = bool(periods) and all(parse_period(p)[0] == "month" for p in periods)
    rotate = len(periods) > 8 and not monthly
    ax.set_xticks(
        range(len(periods)),
        period_ticks(periods, lang),
        rotation=45 if rotate else 0,
        ha="right" if rotate else "center",
    )
    ax.set_xlabel(label_or("period", lang))
    ylabel = kpi_axis_label(kpi, lang) if kpi else label_or("value", lang)
    ax.set_ylabel("\n".join(textwrap.wrap(ylabel, AXIS_LABEL_WIDTH)))
    if hue:
        ax.legend(title=dimension_label(hue, lang), fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
    elif ax.get_legend() is not None and (target is None or pd.isna(target)):
        ax.get_legend().remove()
    ax.set_title(title if title is not None else (kpi_info(kpi).text("label", lang) if kpi else ""))
    return ax
