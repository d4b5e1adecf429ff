"""Calendar periods in local (Europe/Amsterdam) time: integer codes, labels and bounds.

A period code counts periods since the year 0 (month: 12·year + month − 1, quarter:
4·year + quarter − 1, year: the year; ``None``: one period, code 0), so every real date has a
code ≥ 0 and −1 can mean "missing". Labels: ``2026-01``,
``2026-Q1``, ``2026``, and ``"all"`` for ``None``.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..paths import TIMEZONE

__all__ = ["PERIODS", "check_period", "period_codes", "period_labels", "shift_period", "in_period",
           "period_bounds", "parse_period"]

PERIODS = ("month", "quarter", "year", None)
_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}


def check_period(period: str | None) -> str | None:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, got {period!r}")
    return period


def period_codes(times, period: str | None) -> np.ndarray:
    """Integer period code per timestamp (int64; -1 for missing times)."""
    return period_code_range(times, period)[0]


def period_code_range(times, period: str | None) -> tuple[np.ndarray, int, int, bool]:
    """Period codes (−1 for missing), the first and last code seen, and whether any is missing.

    tz-aware times are binned against the UTC instants of the local (Europe/Amsterdam) period
    starts with one ``searchsorted``, so no per-row time-zone conversion is needed; naive times
    are taken as local wall-clock times.
    """
    check_period(period)
    s = times if isinstance(times, pd.Series) else pd.Series(times)
    if not isinstance(s.dtype, pd.DatetimeTZDtype) and not pd.api.types.is_datetime64_dtype(s.dtype):
        s = pd.to_datetime(s)
    unit = np.datetime_data(s.dtype.base if isinstance(s.dtype, pd.DatetimeTZDtype) else s.dtype)[0]
    values = s.to_numpy(dtype=f"datetime64[{unit}]")  # UTC instants for tz-aware, wall times if naive
    nat = np.isnat(values)
    any_nat = bool(nat.any())
    if period is None:
        return np.where(nat, -1, 0).astype("int64"), 0, 0, any_nat
    valid = values[~nat] if any_nat else values
    if valid.size == 0:
        return np.full(values.shape, -1, dtype="int64"), 0, -1, any_nat
    aware = isinstance(s.dtype, pd.DatetimeTZDtype)

    def local(v):
        ts = pd.Timestamp(v)
        return ts.tz_localize("UTC").tz_convert(TIMEZONE) if aware else ts

    lo, hi = local(valid.min()), local(valid.max())
    months_lo, months_hi = lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month - 1
    first, last = months_lo // _MONTHS_PER[period], months_hi // _MONTHS_PER[period]
    starts = [_start_of(c, period) for c in range(first, last + 2)]
    edges = np.array([(t.tz_convert("UTC") if aware else t).tz_localize(None).to_datetime64()
                      for t in starts]).astype(values.dtype)
    codes = np.searchsorted(edges, values, side="right")
    codes += first - 1
    if any_nat:
        codes[nat] = -1
    return codes, first, last, any_nat


def period_labels(codes, period: str | None) -> np.ndarray:
    """Labels (object array of str) for period codes; -1 gives None."""
    check_period(period)
    codes = np.asarray(codes, dtype="int64")
    out = np.empty(codes.shape, dtype=object)
    for code in np.unique(codes):  # one label per distinct period, not per row
        if code < 0:
            label = None
        elif period is None:
            label = "all"
        elif period == "month":
            label = f"{code // 12:04d}-{code % 12 + 1:02d}"
        elif period == "quarter":
            label = f"{code // 4:04d}-Q{code % 4 + 1}"
        else:
            label = f"{code:04d}"
        out[codes == code] = label
    return out


_LABEL = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>0[1-9]|1[0-2])))?$")


def parse_period(label: str) -> tuple[str, int]:
    """``"2026-Q1"`` → ``("quarter", code)``; also ``"2026-01"`` (month) and ``"2026"`` (year)."""
    m = _LABEL.fullmatch(str(label))  # fullmatch: "2026-Q3\n" is not a label
    if not m:
        raise ValueError(f"not a period label: {label!r} (expected 2026-01, 2026-Q1 or 2026)")
    year = int(m["y"])
    if m["q"]:
        return "quarter", year * 4 + int(m["q"]) - 1
    if m["m"]:
        return "month", year * 12 + int(m["m"]) - 1
    return "year", year


def _start_of(code: int, period: str) -> pd.Timestamp:
    months = int(code) * _MONTHS_PER[period]
    return pd.Timestamp(year=months // 12, month=months % 12 + 1, day=1, tz=TIMEZONE)


def period_bounds(label_or_code, period: str | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Local start (inclusive) and end (exclusive) of a period, tz-aware Europe/Amsterdam."""
    if period is None:
        period, code = parse_period(label_or_code)
    else:
        code = int(label_or_code)
    return _start_of(code, period), _start_of(code + 1, period)


def shift_period(label: str, steps: int) -> str:
    """The period label ``steps`` periods after ``label`` (negative: before), same granularity."""
    grain, code = parse_period(label)
    return str(period_labels(np.array([code + steps]), grain)[0])


def in_period(times: pd.Series, label: str | None) -> np.ndarray:
    """Boolean array: each time lies in the period ``label`` (e.g. ``2025-Q2``; None or "all": any time).

    tz-aware times are compared as instants with the local period bounds; naive times as local.
    """
    if label is None or label == "all":
        return times.notna().to_numpy(dtype=bool)
    start, end = period_bounds(label)
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        start, end = start.tz_localize(None), end.tz_localize(None)
    return ((times >= start) & (times < end)).fillna(False).to_numpy(dtype=bool)
