"""Peak charts: ticket volume per week with the peak threshold and the peak weeks. No statistics here."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter

from cxlib.i18n import check_language, month_name
from cxlib.plots.labels import label_or
from cxlib.plots.theme import FALL, NEUTRAL

__all__ = ["peak_weeks"]


def _month_tick(value: float, lang: str) -> str:
    """A month tick in ``lang`` ('jan', with the year under January)."""
    day = mdates.num2date(value)
    name = month_name(day, lang)
    return f"{name}\n{day.year}" if day.month == 1 else name


def peak_weeks(weeks: pd.DataFrame, lang: str = "en", ax=None, title: str | None = None):
    """Ticket volume per week from ``cxlib.analysis.peaks`` (``.weeks``): volume, threshold, peaks.

    Peak weeks are marked in red; incomplete first/last weeks are drawn hollow.
    """
    check_language(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    x = pd.to_datetime(weeks["start"]).dt.tz_localize(None)
    sns.lineplot(
        x=x,
        y=weeks["tickets"].to_numpy(),
        color=sns.color_palette()[0],
        marker="o",
        markersize=4,
        estimator=None,
        errorbar=None,
        label=label_or("chart.tickets", lang),
        ax=ax,
    )
    ax.step(
        x,
        weeks["threshold"].to_numpy(dtype=float),
        where="mid",
        color=NEUTRAL,
        linestyle="--",
        linewidth=1,
        label=label_or("chart.peak_threshold", lang),
    )
    peak = weeks["peak"].to_numpy(dtype=bool)
    ax.scatter(
        x[peak], weeks["tickets"].to_numpy()[peak], s=80, color=FALL, zorder=3, label=label_or("chart.peak", lang)
    )
    partial = ~weeks["complete"].to_numpy(dtype=bool)
    if partial.any():
        ax.scatter(
            x[partial],
            weeks["tickets"].to_numpy()[partial],
            s=60,
            facecolors="white",
            edgecolors=NEUTRAL,
            zorder=3,
            label=label_or("chart.incomplete", lang),
        )
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _month_tick(v, lang)))
    ax.set_xlabel(label_or("period", lang))
    ax.set_ylabel(label_or("chart.tickets_per_period", lang))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small", loc="upper left")
    ax.set_title(title if title is not None else "")
    return ax
