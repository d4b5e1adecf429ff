"""Charts for step 3 (analysis): they take tidy frames and draw them; they compute no statistics.

Every chart takes ``lang`` ("nl" or "en"): KPI names, units and directions come from the KPI
catalogue, every other text from cxlib/data/labels.yaml (keys ``dim.<column>`` for column names,
``<column>.<value>`` for values, ``chart.*`` for chart texts). CES charts state the scale
direction (7 = easiest) through the catalogue's unit label. Each function returns the Axes.
"""
from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import check_language, label
from cxlib.plots.theme import too_few

__all__ = ["trend", "segments", "drivers_bar", "importance_performance_matrix", "peak_weeks",
           "change_waterfall", "kpi_axis_label", "dimension_label", "level_label"]

RISE, FALL, NEUTRAL = "#548235", "#a50021", "#5f5f5f"


def _label(key: str, lang: str, default: str | None = None) -> str:
    try:
        return label(key, lang)
    except KeyError:
        if default is None:
            raise
        return default


def kpi_axis_label(kpi: str, lang: str = "en") -> str:
    """'<unit> · higher is better': unit and direction from the catalogue (the KPI name is the title).

    For CES this reads "mean on 1–7 (7 = easiest) · higher is better".
    """
    info = kpi_info(kpi)
    direction = _label("higher_is_better" if info.higher_is_better else "lower_is_better", lang)
    return f"{info.text('unit_label', lang)} · {direction}"


def dimension_label(column: str, lang: str = "en") -> str:
    """A column's display name (``dim.<column>`` in labels.yaml; the column name otherwise)."""
    return _label(f"dim.{column}", check_language(lang), column)


def level_label(column: str, value, lang: str = "en") -> str:
    """A group value's display name (``<column>.<value>`` in labels.yaml; the value otherwise)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return _label("chart.missing_group", lang)
    return _label(f"{column}.{value}", check_language(lang), str(value))


def _group_columns(frame: pd.DataFrame) -> list[str]:
    cols = list(frame.columns)
    return cols[: cols.index("period")] if "period" in cols else []


def _one_kpi(frame: pd.DataFrame, kpi: str | None) -> tuple[pd.DataFrame, str | None]:
    if "kpi" not in frame.columns:
        return frame, kpi
    kpis = list(pd.unique(frame["kpi"].dropna()))
    if kpi is None:
        if len(kpis) != 1:
            raise ValueError(f"the frame holds several KPIs {kpis}: pass kpi=")
        kpi = str(kpis[0])
    return frame[frame["kpi"] == kpi], kpi


def _levels(series: pd.Series) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = set(series.dropna())
        out = [c for c in series.cat.categories if c in present]
    else:
        out = sorted(series.dropna().unique(), key=str)
    return out + ([None] if series.isna().any() else [])


def _select(frame: pd.DataFrame, column: str, level) -> pd.Series:
    return frame[column].isna() if level is None else (frame[column] == level).fillna(False)


def trend(frame: pd.DataFrame, hue: str | None = None, kpi: str | None = None, lang: str = "en", ax=None,
          title: str | None = None):
    """A KPI over periods: one line per ``hue`` group with its interval as a band.

    ``frame`` is a tidy KPI frame (``period``, ``value``, ``ci_low``, ``ci_high``); with several
    KPIs name one with ``kpi``. Group columns other than ``hue`` must hold one value (filter
    first). Suppressed rows (value NaN) leave gaps. Periods are ordered by their labels.
    """
    check_language(lang)
    frame, kpi = _one_kpi(frame, kpi)
    others = [c for c in _group_columns(frame) if c != hue]
    crowded = [c for c in others if frame[c].nunique(dropna=False) > 1]
    if crowded:
        raise ValueError(f"trend: the frame has several values of {crowded}; filter it or pass hue=")
    periods = sorted(frame["period"].dropna().astype(str).unique())
    pos = {p: i for i, p in enumerate(periods)}
    if ax is None:
        _, ax = plt.subplots()
    levels = _levels(frame[hue]) if hue else [None]
    palette = sns.color_palette(n_colors=max(len(levels), 1))
    for colour, level in zip(palette, levels):
        sub = frame[_select(frame, hue, level)] if hue else frame
        sub = sub.assign(_x=sub["period"].astype(str).map(pos)).sort_values("_x")
        name = level_label(hue, level, lang) if hue else None
        sns.lineplot(x=sub["_x"].to_numpy(), y=sub["value"].to_numpy(dtype=float), marker="o", color=colour,
                     label=name, estimator=None, errorbar=None, ax=ax)
        ax.fill_between(sub["_x"].to_numpy(), sub["ci_low"].to_numpy(dtype=float),
                        sub["ci_high"].to_numpy(dtype=float), color=colour, alpha=0.18, linewidth=0)
    rotate = len(periods) > 8
    ax.set_xticks(range(len(periods)), periods, rotation=45 if rotate else 0, ha="right" if rotate else "center")
    ax.set_xlabel(_label("period", lang))
    ax.set_ylabel(kpi_axis_label(kpi, lang) if kpi else _label("value", lang))
    if hue:
        ax.legend(title=dimension_label(hue, lang), fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
    elif ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title(title if title is not None else (kpi_info(kpi).text("label", lang) if kpi else ""))
    return ax


def segments(frame: pd.DataFrame, y: str | None = None, kpi: str | None = None, lang: str = "en", ax=None,
             title: str | None = None, *, value: str = "value", low: str = "ci_low", high: str = "ci_high",
             xlabel: str | None = None, reference: float | None = None):
    """Compare groups: one point per group of column ``y`` with its interval as a line.

    Takes a tidy KPI frame (one period; name the KPI if there are several) or any frame with a
    group column and ``value`` / ``low`` / ``high`` columns (e.g. ``value_by_nps_group``).
    Groups follow their category order. ``reference`` draws a vertical line (e.g. the company
    value). Suppressed rows are shown as missing.
    """
    check_language(lang)
    frame, kpi = _one_kpi(frame, kpi)
    if "period" in frame.columns and frame["period"].nunique() > 1:
        raise ValueError("segments: the frame holds several periods; filter it to one first")
    groups = _group_columns(frame) or [c for c in frame.columns if c not in (value, low, high)][:1]
    y = y or (groups[0] if len(groups) == 1 else None)
    if y is None or y not in frame.columns:
        raise ValueError(f"segments: name the group column with y= (one of {groups})")
    if frame[y].duplicated().any():
        raise ValueError(f"segments: several rows per {y!r}; filter the other groups first")
    levels = _levels(frame[y])
    if ax is None:
        _, ax = plt.subplots(figsize=(8, max(2.5, 0.45 * len(levels) + 1)))
    rows = pd.concat([frame[_select(frame, y, lv)] for lv in levels])
    pos = np.arange(len(levels))
    colour = sns.color_palette()[0]
    ax.hlines(pos, rows[low].to_numpy(dtype=float), rows[high].to_numpy(dtype=float), color=colour, linewidth=2)
    sns.scatterplot(x=rows[value].to_numpy(dtype=float), y=pos, color=colour, s=60, zorder=3, ax=ax)
    if reference is not None:
        ax.axvline(reference, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.set_yticks(pos, [level_label(y, lv, lang) for lv in levels])
    ax.invert_yaxis()
    ax.set_ylabel(dimension_label(y, lang))
    ax.set_xlabel(xlabel if xlabel is not None else (kpi_axis_label(kpi, lang) if kpi else _label("value", lang)))
    ax.set_title(title if title is not None else (kpi_info(kpi).text("label", lang) if kpi else ""))
    return ax


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
        ax.errorbar(weight, np.arange(len(names)), xerr=np.where(np.isfinite(err), err, 0), fmt="none",
                    ecolor="black", capsize=4, linewidth=1)
    ax.set_xlabel(_label("chart.share_of_r2", lang))
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
        ax.annotate(_driver_name(row["driver"], lang), (row["importance"], row["performance"]),
                    textcoords="offset points", xytext=(6, 4), fontsize="small")
    xm, ym = float(frame["importance_mean"].iloc[0]), float(frame["performance_mean"].iloc[0])
    ax.axvline(xm, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.axhline(ym, color=NEUTRAL, linestyle="--", linewidth=1)
    ax.set_xlim(0, max(100.0, float(frame["importance"].max()) * 1.1))
    ax.set_ylim(0, 100)
    corners = {"concentrate here": (0.98, 0.02, "right", "bottom"),
               "keep up the good work": (0.98, 0.98, "right", "top"),
               "low priority": (0.02, 0.02, "left", "bottom"), "possible overkill": (0.02, 0.98, "left", "top")}
    for name, (x, y, ha, va) in corners.items():
        ax.text(x, y, _label(f"quadrant.{name}", lang, name), transform=ax.transAxes, ha=ha, va=va,
                fontsize="small", color=NEUTRAL, style="italic")
    ax.set_xlabel(_label("chart.importance", lang))
    ax.set_ylabel(_label("chart.performance", lang))
    ax.set_title(title if title is not None else "")
    return ax


def peak_weeks(weeks: pd.DataFrame, lang: str = "en", ax=None, title: str | None = None):
    """Ticket volume per week from ``cxlib.analysis.peaks`` (``.weeks``): volume, threshold, peaks.

    Peak weeks are marked in red; incomplete first/last weeks are drawn hollow.
    """
    check_language(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4))
    x = pd.to_datetime(weeks["start"]).dt.tz_localize(None)
    sns.lineplot(x=x, y=weeks["tickets"].to_numpy(), color=sns.color_palette()[0], marker="o", markersize=4,
                 estimator=None, errorbar=None, label=_label("chart.tickets", lang), ax=ax)
    ax.step(x, weeks["threshold"].to_numpy(dtype=float), where="mid", color=NEUTRAL, linestyle="--",
            linewidth=1, label=_label("chart.peak_threshold", lang))
    peak = weeks["peak"].to_numpy(dtype=bool)
    ax.scatter(x[peak], weeks["tickets"].to_numpy()[peak], s=80, color=FALL, zorder=3,
               label=_label("chart.peak", lang))
    partial = ~weeks["complete"].to_numpy(dtype=bool)
    if partial.any():
        ax.scatter(x[partial], weeks["tickets"].to_numpy()[partial], s=60, facecolors="white",
                   edgecolors=NEUTRAL, zorder=3, label=_label("chart.incomplete", lang))
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_xlabel(_label("period", lang))
    ax.set_ylabel(_label("chart.tickets_per_period", lang))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small", loc="upper left")
    ax.set_title(title if title is not None else "")
    return ax


def change_waterfall(change: pd.DataFrame, lang: str = "en", ax=None, title: str | None = None,
                     min_contribution: float = 0.0):
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
    names.append(_label("chart.mix_shift", lang))
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
    ax.set_xlabel(_label("chart.nps_points", lang))
    path = np.concatenate([[start, end], bottoms, bottoms + np.array(steps)])
    pad = max(1.0, 0.15 * float(path.max() - path.min()))
    ax.set_xlim(float(path.min()) - pad, float(path.max()) + pad)  # zoom on the change, not on 0
    ax.set_title(title if title is not None else label("chart.nps_change", lang).format(start=f, end=t))
    return ax
