"""Driver charts: key-driver weights and the importance–performance matrix. No statistics here."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import check_language, label
from cxlib.plots.labels import label_or, level_label
from cxlib.plots.theme import NEUTRAL

__all__ = ["drivers_bar", "importance_performance_matrix"]


def _driver_name(name: str, lang: str) -> str:
    return kpi_info(name).text("label", lang) if name in kpi_keys() else level_label("driver", name, lang)


def drivers_bar(frame: pd.DataFrame, target: str = "nps", lang: str = "en", ax=None, title: str | None = None):
    """Key drivers from ``cxlib.drivers``: weight (share of R², %) per driver with its bootstrap interval."""
    check_language(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.5 * len(frame) + 1)))
    names = [_driver_name(d, lang) for d in frame["driver"]]
    weight = frame["weight"].to_numpy(dtype=float)
    err = np.vstack([weight - frame["ci_low"].to_numpy(dtype=float), frame["ci_high"].to_numpy(dtype=float) - weight])
    sns.barplot(x=weight, y=names, color=sns.color_palette()[0], orient="h", ax=ax)
    if np.isfinite(err).any():
        ax.errorbar(
            weight,
            np.arange(len(names)),
            xerr=np.where(np.isfinite(err), err, 0),
            fmt="none",
            ecolor="black",
            capsize=4,
            linewidth=1,
        )
    ax.set_xlabel(label_or("chart.share_of_r2", lang))
    ax.set_ylabel("")
    target_name = kpi_info(target).text("label", lang) if target in kpi_keys() else target
    ax.set_title(title if title is not None else label("chart.drivers_of", lang).format(kpi=target_name))
    return ax


def importance_performance_matrix(frame: pd.DataFrame, lang: str = "en", ax=None, title: str | None = None):
    """Importance–performance matrix (Martilla & James 1977) from ``cxlib.importance_performance``.

    Drivers as points (importance on x, performance on y), the mean lines that split the
    quadrants, and the quadrant names in the corners.
    """
    check_language(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    sns.scatterplot(data=frame, x="importance", y="performance", s=80, color=sns.color_palette()[0], ax=ax)
    for _, row in frame.iterrows():  # one label per driver (a handful)
        ax.annotate(
            _driver_name(row["driver"], lang),
            (row["importance"], row["performance"]),
            textcoords="offset points",
            xytext=(6, 4),
            fontsize="small",
        )
    xm, ym = float(frame["importance_mean"].iloc[0]), float(frame["performance_mean"].iloc[0])
    ax.axvline(xm, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.axhline(ym, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.set_xlim(0, max(100.0, float(frame["importance"].max()) * 1.1))
    ax.set_ylim(0, 100)
    corners = {
        "concentrate here": (0.98, 0.02, "right", "bottom"),
        "keep up the good work": (0.98, 0.98, "right", "top"),
        "low priority": (0.02, 0.02, "left", "bottom"),
        "possible overkill": (0.02, 0.98, "left", "top"),
    }
    for name, (x, y, ha, va) in corners.items():
        ax.text(
            x,
            y,
            label_or(f"quadrant.{name}", lang, name),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            fontsize="small",
            color=NEUTRAL,
            style="italic",
        )
    ax.set_xlabel(label_or("chart.importance", lang))
    ax.set_ylabel(label_or("chart.performance", lang))
    ax.set_title(title if title is not None else "")
    return ax
