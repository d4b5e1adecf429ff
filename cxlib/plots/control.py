"""Control charts: draw a control-chart frame (``p_chart_frame``, ``ewma_chart_frame``, ``nps_chart_frame``,
``kpi_chart_frame``) as points, centre line, limits and signals. They compute no statistics."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, label
from cxlib.plots.theme import SIGNAL

__all__ = ["control_chart", "kpi_control_chart"]

# the plotted statistic of each chart type (the frame's ``chart`` column) and its symbol
STATISTIC = {"p": "p", "ewma": "ewma", "nps": "nps"}
SYMBOL = {"p": "p", "ewma": "EWMA", "nps": "NPS"}


def control_chart(
    chart_frame: pd.DataFrame,
    ax=None,
    title: str | None = None,
    ylabel: str | None = None,
    lang: str = "en",
    series: str | None = None,
):
    """Plot one series of a chart frame: points, center line, stepped limits, signals.

    The frame holds one group (filter a ``by=`` frame first). Periods go on the x axis in
    frame order; limits are drawn as steps because they change with each period's n (or,
    for EWMA, with i). Points with ``signal`` are marked in red; for an EWMA chart the raw
    period means are shown faintly behind the EWMA. Legend and axis texts in ``lang``;
    ``series`` names the plotted statistic (default its symbol: p, EWMA, NPS). Returns the
    matplotlib Axes.
    """
    check_language(lang)
    chart = chart_frame["chart"].iloc[0] if "chart" in chart_frame.columns and len(chart_frame) else None
    if chart not in STATISTIC:
        raise ValueError("control_chart needs a frame from p_chart_frame, ewma_chart_frame or nps_chart_frame")
    if chart_frame["period"].duplicated().any():
        raise ValueError("the frame holds more than one series: filter it to one group first")
    y = STATISTIC[chart]
    if ax is None:
        _, ax = plt.subplots()
    colour = sns.color_palette()[0]
    pos = np.arange(len(chart_frame))
    labels = chart_frame["period"].astype(str).to_numpy()

    if chart == "ewma":
        ax.plot(
            pos,
            chart_frame["value"],
            linestyle="none",
            marker=".",
            color="grey",
            alpha=0.5,
            label=label("monitor.period_mean", lang),
        )
    ax.plot(pos, chart_frame[y], marker="o", color=colour, label=series or SYMBOL[chart])
    ax.step(pos, chart_frame["center"], where="mid", color="black", linewidth=1, label=label("monitor.center", lang))
    ax.step(
        pos,
        chart_frame["ucl"],
        where="mid",
        color="grey",
        linestyle="--",
        linewidth=1,
        label=label("monitor.limits", lang),
    )
    ax.step(pos, chart_frame["lcl"], where="mid", color="grey", linestyle="--", linewidth=1)
    signal = chart_frame["signal"].to_numpy(dtype=bool)
    ax.scatter(
        pos[signal],
        chart_frame[y].to_numpy()[signal],
        s=80,
        color=SIGNAL,
        zorder=3,
        label=label("monitor.signal", lang),
    )

    ax.set_xticks(pos, labels, rotation=45 if len(pos) > 8 else 0, ha="right" if len(pos) > 8 else "center")
    ax.set_xlabel(label("period", lang))
    default_label = chart_frame["kpi"].iloc[0] if "kpi" in chart_frame.columns else y
    ax.set_ylabel(ylabel if ylabel is not None else str(default_label))
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    return ax


def kpi_control_chart(chart: pd.DataFrame, kpi: str, group=None, lang: str = "en", ax=None, title: str | None = None):
    """One series of a ``kpi_chart_frame`` frame (KPI ``kpi``; ``group``: a value of its group column),
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
    name = f"{info.label[lang]} ({label('monitor.mean', lang)})" if on_mean else info.label[lang]
    unit = info.unit if on_mean else info.unit_label[lang]
    chart_kind = rows["chart"].iloc[0] if len(rows) else None
    return control_chart(
        rows.reset_index(drop=True),
        ax=ax,
        title=title if title is not None else name + (f" · {group}" if group else ""),
        ylabel=f"{name}\n{unit}",
        lang=lang,
        series=None if chart_kind == "ewma" else name,
    )
