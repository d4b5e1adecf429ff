"""Charts for step 2 (data): coverage heatmaps and rejected-row counts. No statistics here."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from cxlib.i18n import label
from cxlib.plots.theme import SIGNAL

__all__ = ["coverage_heatmap", "rejections_bar"]


def coverage_heatmap(counts: pd.DataFrame, lang: str = "nl", ax=None, title: str | None = None):
    """Heatmap of a wide coverage frame (rows: dimension values, columns: periods); returns the Axes."""
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 0.8 * counts.shape[1] + 2), 0.45 * counts.shape[0] + 1.5))
    sns.heatmap(counts, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax)
    ax.set_xlabel(label("period", lang))
    ax.set_ylabel(counts.index.name or "")
    ax.set_title(title or label("coverage_title", lang))
    return ax


def rejections_bar(rejections: pd.DataFrame, lang: str = "nl", ax=None):
    """Horizontal bars: rejected rows per table and reason (the frame of cxlib.data_profile.rejections)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.4 * max(len(rejections), 1) + 1.5))
    if rejections.empty:
        ax.text(0.5, 0.5, label("nothing_rejected", lang), ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    shown = rejections.assign(what=rejections["table"].astype(str) + ": " + rejections["reason"].astype(str))
    sns.barplot(data=shown, y="what", x="rows", color=SIGNAL, ax=ax)
    ax.set_xlabel(label("rows_rejected", lang))
    ax.set_ylabel("")
    ax.set_title(label("rejections_title", lang))
    return ax
