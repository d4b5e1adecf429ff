"""Guess the strptime format of a column of date texts (for `cx init`).

Each candidate layout is tried on the distinct values with ``pandas.to_datetime(format=…)``;
the one that reads the most values wins (ties: the earlier, day-first candidate). When every
value reads both day-first and month-first (all days ≤ 12), the guess is day-first and says
so; when some values read only day-first and others only month-first, the column is mixed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DateGuess", "guess_date_format"]

_DATES = (
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%m-%d-%Y",
    "%d-%m-%y",
    "%d/%m/%y",
    "%m/%d/%y",
)
_TIMES = (" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", "T%H:%M:%S", "T%H:%M")
_MONTHS = ("%Y-%m", "%m/%Y", "%m-%Y", "%Y%m")
_ISO_AWARE = r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$"
_MONTH_FIRST = {"%m/%d/%Y": "%d/%m/%Y", "%m-%d-%Y": "%d-%m-%Y", "%m/%d/%y": "%d/%m/%y"}


@dataclass(frozen=True)
class DateGuess:
    """A column's date layout: ``format`` (None: ISO 8601, read by default), whether values
    carry a time (``timed``), the share of values read, and a note for the reader."""

    format: str | None
    timed: bool
    share: float
    note: str = ""
    grain: str = "day"
    """``day``, ``month`` (a year-month column) or ``year``."""


def guess_date_format(values: pd.Series, min_share: float = 0.95) -> DateGuess | None:
    """The best layout for the (non-empty) texts ``values``, or None when no layout reads at
    least ``min_share`` of the distinct values."""
    distinct = pd.Series(pd.unique(values.dropna().astype(str).str.strip()), dtype=object)
    distinct = distinct[distinct != ""]
    if distinct.empty:
        return None
    if len(distinct) > 1000:  # a sample of distinct values is enough to tell a layout
        distinct = distinct.sample(1000, random_state=0)
    numeric = distinct.str.fullmatch(r"\d{4}")
    if numeric.all():
        years = distinct.astype(int)
        if years.between(1900, 2100).all():
            return DateGuess("%Y", False, 1.0, "a year only: read as 1 January", "year")
        return None
    if distinct.str.fullmatch(_ISO_AWARE).mean() >= min_share:
        return DateGuess(None, True, 1.0, "ISO 8601 with a UTC offset")
    best, best_share = None, 0.0
    reads = {}
    for fmt in [d + t for d in _DATES for t in _TIMES] + list(_DATES) + list(_MONTHS):
        ok = pd.to_datetime(distinct, format=fmt, errors="coerce").notna().to_numpy()
        reads[fmt] = ok
        share = ok.mean()
        if share > best_share + 1e-12:
            best, best_share = fmt, share
        if share == 1.0:
            break
    if best is None or best_share < min_share:
        return _mixed(reads, min_share)
    timed = any(t in best for t in _TIMES)
    grain = "month" if best in _MONTHS else "day"
    note = "a year and month only: read as the 1st" if grain == "month" else ""
    day_part = best.split(" ")[0].split("T")[0]
    if day_part in _MONTH_FIRST.values():
        other = best.replace(day_part, next(k for k, v in _MONTH_FIRST.items() if v == day_part))
        if reads.get(other, np.zeros(1, bool)).mean() == best_share or (
            other not in reads and pd.to_datetime(distinct, format=other, errors="coerce").notna().mean() == best_share
        ):
            note = "day and month are both 12 or less in every value: CHECK it is not mm/dd"
    elif day_part in _MONTH_FIRST:
        note = "month first (mm/dd): some values have a day above 12"
    if best in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"):
        best = None  # ISO 8601: read by default
    if best_share < 1:
        note = (note + "; " if note else "") + f"{100 * (1 - best_share):.1f}% of values do not fit"
    return DateGuess(best, timed, float(best_share), note, grain)


def _mixed(reads: dict[str, np.ndarray], min_share: float) -> DateGuess | None:
    """A column that reads fully only when day-first and month-first layouts are combined."""
    for month_first, day_first in _MONTH_FIRST.items():
        for t in ("",) + _TIMES:
            a, b = reads.get(day_first + t), reads.get(month_first + t)
            if a is not None and b is not None and (a | b).mean() >= min_share and a.any() and (b & ~a).any():
                return DateGuess(
                    day_first + t,
                    bool(t),
                    float(a.mean()),
                    "MIXED: some values are dd/mm, others mm/dd; fix the export "
                    "or choose one (the other values will be rejected)",
                )
    return None
