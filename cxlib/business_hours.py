"""Business-hours calendar: weekdays, opening hours and Dutch public holidays, Europe/Amsterdam.

Business time between two moments is F(end) − F(start), where F(t) counts the business seconds
from the first day in view up to t: a cumulative sum of each day's opening time (zero on closed
days and holidays) plus the open part of t's own day. One grid of days and one cumulative sum
serve every row at once: no per-row Python loop. Opening hours are local wall-clock times, so
daylight-saving changes (at night) do not shift them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import holidays as holidays_lib
import numpy as np
import pandas as pd

from .paths import TIMEZONE

__all__ = ["BusinessCalendar", "business_hours_between", "calendar_hours_between", "local_wall_time", "local_timestamp"]

_NS_PER_S = 1_000_000_000


def local_wall_time(times) -> np.ndarray:
    """Local wall-clock times as ``datetime64[ns]`` (NaT kept).

    tz-aware input is converted to Europe/Amsterdam first; naive input is taken as local time.
    """
    s = pd.Series(times) if not isinstance(times, pd.Series) else times
    if not isinstance(s.dtype, pd.DatetimeTZDtype) and not pd.api.types.is_datetime64_dtype(s.dtype):
        s = pd.to_datetime(s)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        if str(s.dt.tz) != TIMEZONE:
            s = s.dt.tz_convert(TIMEZONE)
        s = s.dt.tz_localize(None)
    return s.to_numpy(dtype="datetime64[ns]")


def local_timestamp(value) -> pd.Timestamp:
    """One moment as a Europe/Amsterdam Timestamp; naive values are taken as local (NaT stays NaT)."""
    ts = pd.Timestamp(value)
    if pd.isna(ts):
        return ts
    return ts.tz_convert(TIMEZONE) if ts.tzinfo else ts.tz_localize(TIMEZONE)


def _seconds(clock: str | dt.time) -> int:
    if isinstance(clock, dt.time):
        return clock.hour * 3600 + clock.minute * 60 + clock.second
    hh, mm = str(clock).split(":")[:2]
    return int(hh) * 3600 + int(mm) * 60


class BusinessCalendar:
    """Opening hours per weekday, closed on public holidays.

    weekdays: open days, Monday = 0 (default Monday–Friday); opens/closes: local "HH:MM"
    (default 09:00–17:00); hours: optional {weekday: ("HH:MM", "HH:MM")} that overrides both for
    different hours per day; holidays: a country code for the ``holidays`` package (default
    "NL": the Dutch public holidays as that package lists them), ``None`` for none, or an
    iterable of dates; extra_closed: further closed dates (e.g. a company day off).
    """

    def __init__(
        self,
        weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        opens: str = "09:00",
        closes: str = "17:00",
        *,
        hours: Mapping[int, tuple[str, str]] | None = None,
        holidays: str | Iterable | None = "NL",
        extra_closed: Iterable = (),
        timezone: str = TIMEZONE,
    ):
        if timezone != TIMEZONE:
            raise ValueError(f"only {TIMEZONE} is supported, got {timezone!r}")
        if hours is None:
            hours = {int(d): (opens, closes) for d in weekdays}
        self.open_s = np.zeros(7, dtype="int64")
        self.close_s = np.zeros(7, dtype="int64")
        for day, (o, c) in hours.items():
            if not 0 <= int(day) <= 6:
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {day!r}")
            o_s, c_s = _seconds(o), _seconds(c)
            if not 0 <= o_s < c_s <= 86400:
                raise ValueError(f"opening hours {o}–{c} on weekday {day} must open before they close")
            self.open_s[int(day)], self.close_s[int(day)] = o_s, c_s
        self.holidays = holidays
        self.extra_closed = np.array(
            [np.datetime64(pd.Timestamp(d).date(), "D") for d in extra_closed], dtype="datetime64[D]"
        )
        self.timezone = timezone

    def __repr__(self) -> str:
        days = {
            d: (
                f"{self.open_s[d] // 3600:02d}:{self.open_s[d] % 3600 // 60:02d}",
                f"{self.close_s[d] // 3600:02d}:{self.close_s[d] % 3600 // 60:02d}",
            )
            for d in range(7)
            if self.close_s[d] > self.open_s[d]
        }
        return f"BusinessCalendar(hours={days}, holidays={self.holidays!r})"

    def closed_days(self, first: np.datetime64, last: np.datetime64) -> np.ndarray:
        """Holidays and extra closed dates between first and last (datetime64[D])."""
        if self.holidays is None:
            days = np.array([], dtype="datetime64[D]")
        elif isinstance(self.holidays, str):
            years = range(int(str(first)[:4]), int(str(last)[:4]) + 1)
            found = holidays_lib.country_holidays(self.holidays, years=years)
            days = np.array(sorted(found), dtype="datetime64[D]")
        else:
            days = np.array([np.datetime64(pd.Timestamp(d).date(), "D") for d in self.holidays], dtype="datetime64[D]")
        return np.union1d(days, self.extra_closed)

    def _cumulative(self, wall: np.ndarray, first: np.datetime64, last: np.datetime64) -> np.ndarray:
        """F(t): business seconds from ``first`` 00:00 to each wall time (NaN for NaT)."""
        grid = np.arange(first, last + np.timedelta64(1, "D"), dtype="datetime64[D]")
        weekday = (grid.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday
        open_s, close_s = self.open_s[weekday], self.close_s[weekday]
        length = np.where(np.isin(grid, self.closed_days(first, last)), 0, close_s - open_s)
        before = np.concatenate([[0], np.cumsum(length)[:-1]])
        nat = np.isnat(wall)
        days = np.where(nat, first, wall.astype("datetime64[D]"))
        i = (days - first).astype("int64")
        tod = (np.where(nat, days, wall) - days.astype("datetime64[ns]")).astype("int64") / _NS_PER_S
        within = np.clip(tod - open_s[i], 0, length[i])
        return np.where(nat, np.nan, before[i] + within)

    def business_hours_between(self, start, end):
        """Business hours from ``start`` to ``end`` (vectorised; negative if end < start).

        Accepts Timestamps, Series, Index or arrays; tz-aware times are converted to
        Europe/Amsterdam, naive times are taken as local. Missing times give NaN.
        Returns float for scalars, a Series (index of ``start``) for Series, else an array.
        """
        scalar = np.ndim(start) == 0 and np.ndim(end) == 0
        index = start.index if isinstance(start, pd.Series) else (end.index if isinstance(end, pd.Series) else None)
        s, e = local_wall_time(_series(start)), local_wall_time(_series(end))
        s, e = np.broadcast_arrays(s, e)
        both = np.concatenate([s[~np.isnat(s)], e[~np.isnat(e)]]).astype("datetime64[D]")
        if both.size == 0:
            hours = np.full(s.shape, np.nan)
        else:
            first, last = both.min(), both.max()
            hours = (self._cumulative(e, first, last) - self._cumulative(s, first, last)) / 3600.0
        if scalar:
            return float(hours[0])
        if index is not None:
            return pd.Series(hours, index=index, name="business_hours")
        return hours


def _series(x) -> pd.Series:
    return x if isinstance(x, pd.Series) else pd.Series([x] if np.ndim(x) == 0 else x)


def business_hours_between(start, end, calendar: BusinessCalendar | None = None):
    """Business hours from ``start`` to ``end`` on ``calendar`` (default: Mon–Fri 09:00–17:00, NL holidays).

    Reference case: created Friday 16:00, answered Monday 10:00 → 2 business hours.
    """
    return (calendar or BusinessCalendar()).business_hours_between(start, end)


def calendar_hours_between(start, end):
    """Elapsed (calendar) hours from ``start`` to ``end``; tz-aware times count real time across DST."""
    delta = pd.to_datetime(end) - pd.to_datetime(start)
    if isinstance(delta, pd.Timedelta) or delta is pd.NaT:
        return float(delta / pd.Timedelta(hours=1)) if delta is not pd.NaT else float("nan")
    hours = delta / pd.Timedelta(hours=1)
    return hours.astype("float64") if isinstance(hours, pd.Series) else np.asarray(hours, dtype="float64")
