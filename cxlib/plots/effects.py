"""Action-effect chart: before and after for the owning team and the other teams. No statistics here.

The cells come from ``cxlib.monitor.effect_cells``; the DiD estimate from ``action_effects``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, label, number, signed, text
from cxlib.plots.theme import BORDER, PALETTE

__all__ = ["action_effect_chart"]


def _unit(kpi: str, lang: str) -> str:
    return kpi_info(kpi).unit_label[lang]


def action_effect_chart(
    cells: pd.DataFrame, action_id: str, effects: pd.DataFrame | None = None, lang: str = "en", ax=None
):
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
    names = {"team": team, "control": label("monitor.other_teams", lang)}
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
        ticks.append(label(f"monitor.{phase}", lang) + "\n" + (periods.iloc[0] if len(periods) else ""))
    ax.set_xticks(range(2), ticks)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylabel(f"{info.label[lang]} ({_unit(kpi, lang)})")
    ax.set_title(text("monitor.action_effect_title", lang, action=action_id, kpi=info.label[lang], team=team))
    if effects is not None:
        row = effects[effects["action_id"] == action_id]
        if len(row) and pd.notna(row["did"].iloc[0]):
            r = row.iloc[0]
            did = signed(r["did"], lang, info.decimals)
            ax.text(
                0.98,
                0.03,
                f"{label('monitor.difference_in_differences', lang)}: {did} "
                f"({number(r['ci_low'], lang, info.decimals)} … {number(r['ci_high'], lang, info.decimals)})",
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize="small",
                bbox={"facecolor": "white", "edgecolor": BORDER, "boxstyle": "round"},
            )
    ax.legend(loc="best", fontsize="small")
    return ax
