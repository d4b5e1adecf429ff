"""Change charts: the waterfall of an NPS change (within-segment change and mix shift). No statistics here."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from cxlib.i18n import check_language, label
from cxlib.plots.labels import label_or, level_label
from cxlib.plots.theme import FALL, NEUTRAL, RISE, too_few

__all__ = ["change_waterfall"]


def change_waterfall(
    change: pd.DataFrame, lang: str = "en", ax=None, title: str | None = None, min_contribution: float = 0.0
):
    """Waterfall of an NPS change from ``cxlib.analysis.nps_change``.

    From the start NPS, one bar per segment's within-segment change (segments whose |within| is
    below ``min_contribution`` points are left out of the picture), one bar for the total mix
    shift, the rest of the within change of the left-out segments, and the end NPS. Falls red,
    rises green. The bars are the frame's own numbers; only their positions are stacked.
    """
    check_language(lang)
    by = list(change.attrs.get("by") or [c for c in change.columns[: list(change.columns).index("level")]])
    seg = change[change["level"] == "segment"]
    total = change[change["level"] == "total"].iloc[0]
    shown = seg[seg["within"].abs() >= min_contribution]
    names = [" × ".join(level_label(c, row[c], lang) for c in by) for _, row in shown.iterrows()]
    steps = list(shown["within"].to_numpy(dtype=float))
    rest = float(seg.loc[~seg.index.isin(shown.index), "within"].sum()) if len(shown) < len(seg) else None
    if rest is not None:
        names.append("…")
        steps.append(rest)
    names.append(label_or("chart.mix_shift", lang))
    steps.append(float(total["mix"]))
    start, end = float(total["nps_from"]), float(total["nps_to"])
    f, t = change.attrs.get("from_period", ""), change.attrs.get("to_period", "")
    if not (np.isfinite(start) and np.isfinite(end)):  # a period suppressed: nothing to decompose
        return too_few(ax, lang, label("chart.nps_change", lang).format(start=f, end=t))
    labels_ = [f"NPS {f}", *names, f"NPS {t}"]
    bottoms = start + np.concatenate([[0.0], np.cumsum(steps)[:-1]])
    if ax is None:
        _, ax = plt.subplots(figsize=(9, max(3.0, 0.35 * len(labels_) + 1)))
    pos = np.arange(len(labels_))
    ax.barh(pos[0], start, color=NEUTRAL)
    ax.barh(pos[1:-1], steps, left=bottoms, color=[RISE if s >= 0 else FALL for s in steps])
    ax.barh(pos[-1], end, color=NEUTRAL)
    ax.set_yticks(pos, labels_)
    ax.invert_yaxis()
    ax.set_xlabel(label_or("chart.nps_points", lang))
    path = np.concatenate([[start, end], bottoms, bottoms + np.array(steps)])
    pad = max(1.0, 0.15 * float(path.max() - path.min()))
    low, high = float(path.min()) - pad, float(path.max()) + pad
    ax.set_xlim(low, high)  # zoom on the change, not on 0: the axis says so
    if low > 0 or high < 0:
        ax.set_xlabel(f"{label_or('chart.nps_points', lang)} · {label_or('chart.axis_cut', lang)}")
        ax.plot(
            [0, 0.012, 0.024], [-0.02, 0.02, -0.02], transform=ax.transAxes, clip_on=False, color=NEUTRAL, linewidth=1
        )  # a break mark at the start of the axis
    ax.set_title(title if title is not None else label("chart.nps_change", lang).format(start=f, end=t))
    return ax
