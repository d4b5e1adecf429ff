"""Calendar periods in local (Europe/Amsterdam) time: the one place that parses period labels.

Names (used everywhere in cxlib):

- ``period`` is a period *label*: ``"2026-Q3"`` (quarter), ``"2026-03"`` (month), ``"2026"``
  (year), or ``None`` / ``"all"`` for all data.
- ``freq`` is the *grain*: ``"month"``, ``"quarter"``, ``"year"``, or ``None`` for one period
  labelled ``"all"``. With a label, the grain is the label's (see :func:`resolve_freq`).

A period code counts periods since the year 0 (month: 12·year + month − 1, quarter:
4·year + quarter − 1, year: the year; ``None``: one period, code 0), so every real date has a
code ≥ 0 and −1 can mean "missing".

This module is a leaf: parsing and checking labels needs only the standard library (the CLI
validates ``--period`` without loading pandas); numpy and pandas are imported by the functions
that work on times.

Examples
--------
>>> parse_period("2026-Q3")
('quarter', 8106)
>>> shift_period("2026-Q1", -1), shift_period("2026-01", -1), shift_period("2026", 1)
('2025-Q4', '2025-12', '2027')
>>> resolve_freq("2026-03")
'month'
>>> parse_period("2026-Q5")
Traceback (most recent call last):
...
ValueError: not a period label: '2026-Q5' (expected e.g. 2026-Q1, 2026-03, 2026 or all)
"""

from __future__ import annotations

import re

from cxlib.paths import TIMEZONE

__all__ = [
    "FREQS",
    "ALL",
    "DEFAULT_FREQ",
    "check_freq",
    "parse_period",
    "check_review_period",
    "resolve_freq",
    "label_of",
    "shift_period",
    "period_codes",
    "period_code_range",
    "period_labels",
    "period_bounds",
    "period_last_day",
    "period_containing",
    "in_period",
    "latest_complete",
]

FREQS = ("month", "quarter", "year", None)
ALL = "all"
_MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}
_LABEL = re.compile(r"^(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>0[1-9]|1[0-2])))?$")


class _DefaultFreq(str):
    """The default ``freq`` ("quarter"): a string that equals "quarter", told apart by identity.

    With a period label and the default ``freq``, the label decides the grain; a ``freq`` that
    the caller passes must agree with the label.
    """

    __slots__ = ()


DEFAULT_FREQ = _DefaultFreq("quarter")
"""The default grain of every KPI function and ``cx.measure``: quarters (a label's grain wins)."""


def check_freq(freq: str | None) -> str | None:
    """``freq`` itself when it is a grain ("month", "quarter", "year" or None), else a ValueError."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, got {freq!r}")
    return None if freq is None else str(freq)


def parse_period(label: str) -> tuple[str | None, int]:
    """``"2026-Q1"`` → ``("quarter", code)``; ``"2026-01"`` month, ``"2026"`` year, ``"all"`` → ``(None, 0)``."""
    if label == ALL:
        return None, 0
    if label in FREQS:
        raise ValueError(
            f"period={label!r} is a grain, not a period label: pass freq={label!r} "
            "(period takes a label such as 2026-Q3, 2026-03 or 2026)"
        )
    m = _LABEL.fullmatch(str(label)) if isinstance(label, str) else None  # fullmatch: "2026-Q3\n" is no label
    if not m:
        raise ValueError(f"not a period label: {label!r} (expected e.g. 2026-Q1, 2026-03, 2026 or all)")
    year = int(m["y"])
    if m["q"]:
        return "quarter", year * 4 + int(m["q"]) - 1
    if m["m"]:
        return "month", year * 12 + int(m["m"]) - 1
    return "year", year


def check_review_period(period: str) -> str:
    """``period`` itself when it is the label of one period (not "all"), else a ValueError saying why."""
    try:
        grain, _ = parse_period(period)
    except ValueError:
        grain = ""
    if not grain:
        raise ValueError(
            f"--period {period!r} is not the label of one period "
            "(expected e.g. 2026-Q3 for a quarter, 2026-03 for a month or 2026 for a year)"
        )
    return period


def resolve_freq(period: str | None, freq: str | None = DEFAULT_FREQ) -> str | None:
    """The grain to compute: ``freq`` without a label, else the label's grain.

    A ``freq`` passed together with a label must be the label's grain (``period="2026-03",
    freq="quarter"`` is a ValueError); the default ``freq`` gives way to the label.
    """
    if period is None:
        return check_freq(freq)
    grain, _ = parse_period(period)
    if freq is DEFAULT_FREQ or freq == grain:
        return grain
    raise ValueError(
        f"period {period!r} is a {grain or 'whole-data'} label, but freq={freq!r}; "
        f"leave freq out or pass freq={grain!r}"
    )


def label_of(code: int, freq: str | None) -> str:
    """The label of one period code: ``label_of(8105, "quarter")`` → ``"2026-Q2"``."""
    check_freq(freq)
    code = int(code)
    if freq is None:
        return ALL
    if freq == "month":
        return f"{code // 12:04d}-{code % 12 + 1:02d}"
    if freq == "quarter":
        return f"{code // 4:04d}-Q{code % 4 + 1}"
    return f"{code:04d}"


def shift_period(label: str, steps: int) -> str:
    """The period label ``steps`` periods after ``label`` (negative: before), same grain."""
    grain, code = parse_period(label)
    return label_of(code + int(steps), grain)


def period_codes(times, freq: str | None):
    """Integer period code per timestamp (int64 array; −1 for missing times)."""
    return period_code_range(times, freq)[0]


def period_code_range(times, freq: str | None):
    """Period codes (−1 for missing), the first and last code seen, and whether any is missing.

    tz-aware times are binned against the UTC instants of the local (Europe/Amsterdam) period
    starts with one ``searchsorted``, so no per-row time-zone conversion is needed; naive times
    are taken as local wall-clock times.
    """
    import numpy as np
    import pandas as pd

    check_freq(freq)
    s = times if isinstance(times, pd.Series) else pd.Series(times)
    if not isinstance(s.dtype, pd.DatetimeTZDtype) and not pd.api.types.is_datetime64_dtype(s.dtype):
        s = pd.to_datetime(s)
    unit = np.datetime_data(s.dtype.base if isinstance(s.dtype, pd.DatetimeTZDtype) else s.dtype)[0]
    values = s.to_numpy(dtype=f"datetime64[{unit}]")  # UTC instants for tz-aware, wall times if naive
    nat = np.isnat(values)
    any_nat = bool(nat.any())
    if freq is None:
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
    first, last = months_lo // _MONTHS_PER[freq], months_hi // _MONTHS_PER[freq]
    starts = [_start_of(c, freq) for c in range(first, last + 2)]
    edges = np.array([(t.tz_convert("UTC") if aware else t).tz_localize(None).to_datetime64() for t in starts]).astype(
        values.dtype
    )
    codes = np.searchsorted(edges, values, side="right")
    codes += first - 1
    if any_nat:
        codes[nat] = -1
    return codes, first, last, any_nat


def period_labels(codes, freq: str | None):
    """Labels (object array of str) for period codes; −1 gives None."""
    import numpy as np

    check_freq(freq)
    codes = np.asarray(codes, dtype="int64")
    out = np.empty(codes.shape, dtype=object)
    for code in np.unique(codes):  # one label per distinct period, not per row
        out[codes == code] = None if code < 0 else label_of(code, freq)
    return out


def _start_of(code: int, freq: str):
    import pandas as pd

    months = int(code) * _MONTHS_PER[freq]
    return pd.Timestamp(year=months // 12, month=months % 12 + 1, day=1, tz=TIMEZONE)


def period_bounds(label_or_code, freq: str | None = None):
    """Local start (inclusive) and end (exclusive) of a period, tz-aware Europe/Amsterdam.

    Pass a label (``"2026-Q3"``), or a code with its ``freq``.
    """
    if freq is None:
        freq, code = parse_period(label_or_code)
        if freq is None:
            raise ValueError("the period 'all' has no bounds")
    else:
        code = int(label_or_code)
    return _start_of(code, freq), _start_of(code + 1, freq)


def period_containing(moment, freq: str | None) -> str:
    """The label of the ``freq`` period that holds ``moment`` (a date or time; naive = local)."""
    import pandas as pd

    return label_of(int(period_codes(pd.Series([pd.Timestamp(moment)]), freq)[0]), freq)


def period_last_day(label: str):
    """Local midnight of the last day of period ``label``."""
    import pandas as pd

    return period_bounds(label)[1] - pd.Timedelta(days=1)


def in_period(times, period: str | None):
    """Boolean array: each time lies in ``period`` (a label; None or "all": any known time).

    tz-aware times are compared as instants with the local period bounds; naive times as local.
    """
    import pandas as pd

    if period is None or period == ALL:
        return times.notna().to_numpy(dtype=bool)
    start, end = period_bounds(period)
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        start, end = start.tz_localize(None), end.tz_localize(None)
    return ((times >= start) & (times < end)).fillna(False).to_numpy(dtype=bool)


def latest_complete(moment, freq: str = "quarter") -> str:
    """The label of the latest ``freq`` period that ``moment`` (the end of the data) covers to its
    last day: data up to 30 September gives the third quarter, data up to 15 September the second."""
    import pandas as pd

    moment = pd.Timestamp(moment)
    if moment.tzinfo is not None:
        moment = moment.tz_convert(TIMEZONE)
    holding = period_containing(moment.tz_localize(None).normalize(), freq)
    last = period_last_day(holding).tz_localize(None)
    return holding if moment.tz_localize(None).normalize() >= last else shift_period(holding, -1)
