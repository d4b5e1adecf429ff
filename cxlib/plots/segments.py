"""Segment charts: one point per group with its interval, to compare groups. No statistics here."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language
from cxlib.plots._frames import group_columns, group_levels, one_kpi, rows_of
from cxlib.plots.labels import dimension_label, kpi_axis_label, label_or, level_label
from cxlib.plots.theme import NEUTRAL

__all__ = ["segments"]


def segments(
    frame: pd.DataFrame,
    y: str | None = None,
    kpi: str | None = None,
    lang: str = "en",
    ax=None,
    title: str | None = None,
    *,
    value_col: str = "value",
    low_col: str = "ci_low",
    high_col: str = "ci_high",
    xlabel: str | None = None,
    reference: float | None = None,
):
    """Compare groups: one point per group of column ``y`` with its interval as a line.

    Takes a tidy KPI frame (one period; name the KPI if there are several) or any frame with a
    group column and ``value_col`` / ``low_col`` / ``high_col`` columns (e.g. ``value_by_nps_group``).
    Groups follow their category order. ``reference`` draws a vertical line (e.g. the company
    value). Suppressed rows are shown as missing.
    """
    check_language(lang)
    frame, kpi = one_kpi(frame, kpi)
    if "period" in frame.columns and frame["period"].nunique() > 1:
        raise ValueError("segments: the frame holds several periods; filter it to one first")
    groups = group_columns(frame) or [c for c in frame.columns if c not in (value_col, low_col, high_col)][:1]
    y = y or (groups[0] if len(groups) == 1 else None)
    if y is None or y not in frame.columns:
        raise ValueError(f"segments: name the group column with y= (one of {groups})")
    if frame[y].duplicated().any():
        raise ValueError(f"segments: several rows per {y!r}; filter the other groups first")
    levels = group_levels(frame[y])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(levels) + 1)))
    rows = pd.concat([frame[rows_of(frame, y, lv)] for lv in levels])
    pos = np.arange(len(levels))
    colour = sns.color_palette()[0]
    ax.hlines(pos, rows[low_col].to_numpy(dtype=float), rows[high_col].to_numpy(dtype=float), color=colour, linewidth=2)
    sns.scatterplot(x=rows[value_col].to_numpy(dtype=float), y=pos, color=colour, s=60, zorder=3, ax=ax)
    if reference is not None:
        ax.axvline(reference, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.set_yticks(pos, [level_label(y, lv, lang) for lv in levels])
    ax.invert_yaxis()
    ax.set_ylabel(dimension_label(y, lang))
    ax.set_xlabel(xlabel if xlabel is not None else (kpi_axis_label(kpi, lang) if kpi else label_or("value", lang)))
    ax.set_title(title if title is not None else (kpi_info(kpi).text("label", lang) if kpi else ""))
    return ax
