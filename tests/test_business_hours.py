"""Business-hours calendar: the issue's reference case and hand-counted variations."""

import numpy as np
import pandas as pd
import pytest

from cxlib.business_hours import BusinessCalendar, business_hours_between, calendar_hours_between

TZ = "Europe/Amsterdam"


def ts(text):
    return pd.Timestamp(text, tz=TZ)


def test_issue_reference_friday_to_monday():
    # Mon–Fri 09:00–17:00; created Friday 16:00, first response Monday 10:00:
    # Friday 16–17 (1 h) + Monday 9–10 (1 h) = 2 business hours; 8 + 48 + 10 = 66 calendar hours.
    start, end = ts("2026-01-09 16:00"), ts("2026-01-12 10:00")  # Fri 9 Jan, Mon 12 Jan 2026
    assert business_hours_between(start, end) == pytest.approx(2.0)
    assert calendar_hours_between(start, end) == pytest.approx(66.0)


def test_daylight_saving_weekend():
    # Clocks go forward on Sunday 29 March 2026: the same Friday 16:00 → Monday 10:00 is only
    # 65 real hours, but still 2 business hours (opening hours are local wall-clock times).
    start, end = ts("2026-03-27 16:00"), ts("2026-03-30 10:00")
    assert calendar_hours_between(start, end) == pytest.approx(65.0)
    assert business_hours_between(start, end) == pytest.approx(2.0)


def test_dutch_public_holidays_are_closed():
    # King's Day, Monday 27 April 2026, is closed: Fri 16–17 + Tue 9–10 = 2 h.
    assert business_hours_between(ts("2026-04-24 16:00"), ts("2026-04-28 10:00")) == pytest.approx(2.0)
    # Without holidays the Monday counts in full: 1 + 8 + 1 = 10 h.
    no_holidays = BusinessCalendar(holidays=None)
    assert no_holidays.business_hours_between(ts("2026-04-24 16:00"), ts("2026-04-28 10:00")) == pytest.approx(10.0)
    # Christmas: Thu 24 Dec 2026 16:00 → Mon 28 Dec 10:00 (25th, 26th holidays, weekend) = 2 h.
    assert business_hours_between(ts("2026-12-24 16:00"), ts("2026-12-28 10:00")) == pytest.approx(2.0)


def test_times_outside_opening_hours():
    # created Saturday, answered Monday 09:30 → 0.5 h; created and answered in the same night → 0 h
    assert business_hours_between(ts("2026-01-10 12:00"), ts("2026-01-12 09:30")) == pytest.approx(0.5)
    assert business_hours_between(ts("2026-01-12 18:00"), ts("2026-01-13 08:00")) == pytest.approx(0.0)
    # a whole working week Monday 09:00 → next Monday 09:00 = 5 × 8 = 40 h
    assert business_hours_between(ts("2026-01-12 09:00"), ts("2026-01-19 09:00")) == pytest.approx(40.0)


def test_vectorised_series_with_missing_values_and_utc_input():
    start = pd.Series(pd.to_datetime(["2026-01-09 15:00", "2026-01-12 09:00", None], utc=True))
    # 15:00 UTC = 16:00 Amsterdam (CET, +01:00) → 2 h; 09:00 UTC = 10:00 local → 11:15 is 1.25 h
    end = pd.Series(pd.to_datetime(["2026-01-12 10:00", "2026-01-12 11:15", "2026-01-12 11:00"])).dt.tz_localize(TZ)
    hours = business_hours_between(start, end)
    assert isinstance(hours, pd.Series)
    np.testing.assert_allclose(hours.to_numpy()[:2], [2.0, 1.25])
    assert np.isnan(hours.iloc[2])


def test_configurable_hours_and_closed_days():
    # Saturday 10:00–14:00 added; Friday 16:00 → Monday 10:00 = 1 + 4 + 1 = 6 h
    cal = BusinessCalendar(
        hours={
            0: ("09:00", "17:00"),
            1: ("09:00", "17:00"),
            2: ("09:00", "17:00"),
            3: ("09:00", "17:00"),
            4: ("09:00", "17:00"),
            5: ("10:00", "14:00"),
        }
    )
    assert cal.business_hours_between(ts("2026-01-09 16:00"), ts("2026-01-12 10:00")) == pytest.approx(6.0)
    # a company day off on Monday 12 January: Friday 16–17 + Tuesday 9–10 = 2 h
    cal = BusinessCalendar(extra_closed=["2026-01-12"])
    assert cal.business_hours_between(ts("2026-01-09 16:00"), ts("2026-01-13 10:00")) == pytest.approx(2.0)
    # 08:00–20:00 on weekdays: Friday 16–20 + Monday 8–10 = 6 h
    cal = BusinessCalendar(opens="08:00", closes="20:00")
    assert cal.business_hours_between(ts("2026-01-09 16:00"), ts("2026-01-12 10:00")) == pytest.approx(6.0)


def test_reversed_interval_is_negative_and_bad_hours_refused():
    assert business_hours_between(ts("2026-01-12 10:00"), ts("2026-01-09 16:00")) == pytest.approx(-2.0)
    with pytest.raises(ValueError, match="open before"):
        BusinessCalendar(opens="17:00", closes="09:00")


def test_no_python_loop_over_rows_large_input_is_fast():
    import time

    rng = np.random.default_rng(0)
    start = pd.Series(ts("2025-01-01") + pd.to_timedelta(rng.integers(0, 600 * 24 * 60, 200_000), unit="min"))
    end = start + pd.to_timedelta(rng.integers(0, 96 * 60, start.size), unit="min")
    t0 = time.perf_counter()
    hours = business_hours_between(start, end)
    assert time.perf_counter() - t0 < 2.0
    assert (hours >= 0).all() and (hours <= 96).all()
