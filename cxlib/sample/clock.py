"""Time helpers for the generator: local wall-clock times as ``datetime64[s]`` and business hours.

All generated times are Europe/Amsterdam wall-clock times kept naive until the frames are built.
They avoid 02:00-03:00, so the daylight-saving switch never makes them ambiguous.
"""

from __future__ import annotations

import holidays
import numpy as np

from cxlib.sample.company import CLOSE_HOUR, END, OPEN_HOUR, QUARTER_STARTS, START

__all__ = [
    "DAY",
    "HOUR",
    "window_days",
    "dutch_holidays",
    "business_days",
    "at",
    "BusinessClock",
    "quarter_of",
    "monday_of",
    "apportion",
]

DAY = 86_400
HOUR = 3_600
_TIMELINE_FIRST = START - np.timedelta64(31, "D")
_TIMELINE_LAST = END + np.timedelta64(400, "D")


def window_days() -> np.ndarray:
    """Every local date of the eight quarters, ``datetime64[D]``."""
    return np.arange(START, END, dtype="datetime64[D]")


def dutch_holidays(first: np.datetime64, last: np.datetime64) -> np.ndarray:
    """Dutch public holidays (``holidays`` package) between two dates, ``datetime64[D]``."""
    years = range(int(str(first)[:4]), int(str(last)[:4]) + 1)
    return np.array(sorted(holidays.Netherlands(years=years)), dtype="datetime64[D]")


def business_days(days: np.ndarray) -> np.ndarray:
    """True for Monday-Friday dates that are not Dutch public holidays."""
    return np.is_busday(days, holidays=dutch_holidays(days.min(), days.max()))


def at(days: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Local timestamps ``datetime64[s]`` from dates and seconds after midnight."""
    offset = np.asarray(seconds, dtype=np.int64).astype("timedelta64[s]")
    return days.astype("datetime64[s]") + offset


class BusinessClock:
    """Adds business time (Mon-Fri OPEN_HOUR-CLOSE_HOUR, holidays off) to local timestamps."""

    def __init__(self) -> None:
        self.days = np.arange(_TIMELINE_FIRST, _TIMELINE_LAST, dtype="datetime64[D]")
        self.open_seconds = business_days(self.days) * (CLOSE_HOUR - OPEN_HOUR) * HOUR
        self.before = np.concatenate([[0], np.cumsum(self.open_seconds)[:-1]])  # seconds before day
        self.until = self.before + self.open_seconds  # business seconds up to the day's closing

    def position(self, ts: np.ndarray) -> np.ndarray:
        """Business seconds elapsed on the timeline at each timestamp."""
        sec = (ts - self.days[0].astype("datetime64[s]")).astype(np.int64)
        i = sec // DAY
        into = np.clip(sec % DAY - OPEN_HOUR * HOUR, 0, self.open_seconds[i])
        return self.before[i] + into

    def add(self, ts: np.ndarray, business_seconds: np.ndarray) -> np.ndarray:
        """Timestamps that lie ``business_seconds`` (> 0) of opening time after ``ts``."""
        target = self.position(ts) + np.asarray(business_seconds, dtype=np.int64)
        j = np.searchsorted(self.until, target, side="left")
        return at(self.days[j], OPEN_HOUR * HOUR + target - self.before[j])


def quarter_of(ts: np.ndarray) -> np.ndarray:
    """Quarter index 0..7 (2024-Q4 .. 2026-Q3) of local timestamps or dates."""
    return np.searchsorted(QUARTER_STARTS, ts.astype("datetime64[D]"), side="right") - 1


def monday_of(days: np.ndarray) -> np.ndarray:
    """The Monday of each date's ISO week, ``datetime64[D]``."""
    d = days.astype("datetime64[D]")
    return d - ((d.astype(np.int64) + 3) % 7).astype("timedelta64[D]")  # 1970-01-01 is a Thursday


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer counts summing to ``total``, proportional to ``weights`` (largest remainder)."""
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - counts.sum()
    counts[np.argsort(-(exact - counts), kind="stable")[:short]] += 1
    return counts
