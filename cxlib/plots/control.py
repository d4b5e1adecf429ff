"""Draw a control-chart frame from ``p_chart``, ``ewma_chart`` or ``nps_chart``; no statistics."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

# the plotted statistic of each chart type (the frame's ``chart`` column)
STATISTIC = {"p": "p", "ewma": "ewma", "nps": "nps"}
LABEL = {"p": "p", "ewma": "EWMA", "nps": "NPS"}
SIGNAL_COLOUR = "#a50021"


def control_chart(chart_frame: pd.DataFrame, ax=None, title: str | None = None,
                  ylabel: str | None = None):
    """Plot one series of a chart frame: points, center line, stepped limits, signals.

    The frame holds one group (filter a ``by=`` frame first). Periods go on the x axis in
    frame order; limits are drawn as steps because they change with each period's n (or,
    for EWMA, with i). Points with ``signal`` are marked in red; for an EWMA chart the raw
    period means are shown faintly behind the EWMA. Returns the matplotlib Axes.
    """
    chart = chart_frame["chart"].iloc[0] if "chart" in chart_frame.columns and len(chart_frame) else None
    if chart not in STATISTIC:
        raise ValueError("control_chart needs a frame from p_chart, ewma_chart or nps_chart")
    if chart_frame["period"].duplicated().any():
        raise ValueError("the frame holds more than one series: filter it to one group first")
    y = STATISTIC[chart]
    if ax is None:
        _, ax = plt.subplots()
    colour = sns.color_palette()[0]
    pos = np.arange(len(chart_frame))
    labels = chart_frame["period"].astype(str).to_numpy()

    if chart == "ewma":
        ax.plot(pos, chart_frame["value"], linestyle="none", marker=".", color="grey",
                alpha=0.5, label="period mean")
    ax.plot(pos, chart_frame[y], marker="o", color=colour, label=LABEL[chart])
    ax.step(pos, chart_frame["center"], where="mid", color="black", linewidth=1, label="center")
    ax.step(pos, chart_frame["ucl"], where="mid", color="grey", linestyle="--", linewidth=1, label="UCL / LCL")
    ax.step(pos, chart_frame["lcl"], where="mid", color="grey", linestyle="--", linewidth=1)
    signal = chart_frame["signal"].to_numpy(dtype=bool)
    ax.scatter(pos[signal], chart_frame[y].to_numpy()[signal], s=80, color=SIGNAL_COLOUR,
               zorder=3, label="signal")

    ax.set_xticks(pos, labels, rotation=45 if len(pos) > 8 else 0, ha="right" if len(pos) > 8 else "center")
    ax.set_xlabel("period")
    default_label = chart_frame["kpi"].iloc[0] if "kpi" in chart_frame.columns else y
    ax.set_ylabel(ylabel if ylabel is not None else str(default_label))
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    return ax
