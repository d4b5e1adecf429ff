"""Goal charts: each KPI's baseline against its target (step 1) and the goal table over periods (step 5).

They compute no statistics: the frames come from ``cxlib.goal_status`` and ``cxlib.monitor.goal_history``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, label, number, status_label
from cxlib.plots.theme import STATUS_COLOURS, TARGET_LINE, localise_axis

__all__ = ["goal_bullets", "goal_table_chart"]

STATUSES = ("met", "at_risk", "missed", "no_data")  # the goal status keys (cxlib.goals.STATUSES), in legend order


def goal_bullets(status: pd.DataFrame, lang: str = "nl", ncols: int = 4):
    """One small panel per KPI (units differ): point and interval coloured by status, target dashed.

    ``status`` is the frame of :func:`cxlib.goal_status`. Returns the Figure.
    """
    rows = -(-len(status) // ncols)
    fig, axes = plt.subplots(rows, ncols, figsize=(3.2 * ncols, 2.2 * rows), squeeze=False)
    for ax, (_, row) in zip(axes.flat, status.iterrows()):  # one panel per KPI (≤ 7), not per data row
        colour = STATUS_COLOURS.get(str(row["status"]), STATUS_COLOURS["no_target"])
        ax.errorbar(
            [row["value"]],
            [0],
            xerr=[[row["value"] - row["ci_low"]], [row["ci_high"] - row["value"]]],
            fmt="o",
            color=colour,
            capsize=4,
            markersize=7,
        )
        ax.axvline(row["target"], color=TARGET_LINE, linestyle="--", linewidth=1)
        ax.set_yticks([])
        ax.set_title(
            f"{row['label']}\n{status_label(str(row['status']), lang)} · n = {number(row['n'], lang, 0)}", fontsize=9
        )
        ax.set_xlabel(f"{row['period']} · {label('target', lang).lower()} {number(row['target'], lang, 1)}", fontsize=8)
        localise_axis(ax.xaxis, lang)
        span = max(row["ci_high"], row["target"]) - min(row["ci_low"], row["target"])
        ax.set_xlim(min(row["ci_low"], row["target"]) - 0.3 * span, max(row["ci_high"], row["target"]) + 0.3 * span)
    for ax in list(axes.flat)[len(status) :]:
        ax.set_axis_off()
    fig.tight_layout()
    return fig


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
    names = [
        f"{g} · {kpi_info(k).label[lang]} ({target} {number(t, lang, kpi_info(k).decimals)})"
        for g, k, t in rows.itertuples(index=False)
    ]
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
    cmap = ListedColormap([STATUS_COLOURS[s] for s in STATUSES])
    ax.imshow(np.ma.masked_invalid(codes), cmap=cmap, vmin=-0.5, vmax=len(STATUSES) - 0.5, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(periods)):
            ax.text(j, i, text[i, j], ha="center", va="center", color="white", fontsize="small", fontweight="bold")
    ax.set_xticks(range(len(periods)), periods, rotation=45 if len(periods) > 6 else 0)
    ax.set_yticks(range(len(rows)), names)
    ax.set_xlabel(label("period", lang))
    ax.grid(False)
    ax.set_title(title if title is not None else label("monitor.goal_table_title", lang))
    handles = [Patch(color=STATUS_COLOURS[s], label=status_label(s, lang)) for s in STATUSES]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    return ax
