"""Step 1 chart: each KPI's baseline with its interval against the target. No statistics here."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from cxlib.i18n import label, number
from cxlib.plots.theme import STATUS_COLOURS, localise_axis


def status_key(status: str) -> str:
    """Status text from goal_status ('at risk') → label/colour key ('at_risk')."""
    return str(status).replace(" ", "_")


def goal_bullets(status: pd.DataFrame, lang: str = "nl", ncols: int = 4):
    """One small panel per KPI (units differ): point and interval coloured by status, target dashed.

    ``status`` is the frame of :func:`cxlib.goal_status`. Returns the Figure.
    """
    rows = -(-len(status) // ncols)
    fig, axes = plt.subplots(rows, ncols, figsize=(3.2 * ncols, 2.2 * rows), squeeze=False)
    for ax, (_, row) in zip(axes.flat, status.iterrows()):  # one panel per KPI (≤ 7), not per data row
        colour = STATUS_COLOURS.get(status_key(row["status"]), "#8c959f")
        ax.errorbar([row["value"]], [0], xerr=[[row["value"] - row["ci_low"]], [row["ci_high"] - row["value"]]],
                    fmt="o", color=colour, capsize=4, markersize=7)
        ax.axvline(row["target"], color="#333333", linestyle="--", linewidth=1)
        ax.set_yticks([])
        ax.set_title(f"{row['label']}\n{label(status_key(row['status']), lang)} · n = {number(row['n'], lang, 0)}", fontsize=9)
        ax.set_xlabel(f"{row['period']} · {label('target', lang).lower()} {number(row['target'], lang, 1)}", fontsize=8)
        localise_axis(ax.xaxis, lang)
        span = max(row["ci_high"], row["target"]) - min(row["ci_low"], row["target"])
        ax.set_xlim(min(row["ci_low"], row["target"]) - 0.3 * span, max(row["ci_high"], row["target"]) + 0.3 * span)
    for ax in list(axes.flat)[len(status):]:
        ax.set_axis_off()
    fig.tight_layout()
    return fig
