"""Peak moments: the robust weekly-volume rule by hand, the peak/normal comparison, the sample peaks.

Sample figures from data/sample/README.md: the snow week (2026-01-05) and the four autumn weeks
(2025-10-13 .. 2025-11-09) are exactly the weeks above median + 3 MAD (median week 166); in the
snow week every first-response delay is planted x3 (median 2.9x the other weeks) and SLA
attainment falls by about 35 points; autumn response times were not slowed (a peak plan).
"""

import numpy as np
import pandas as pd
import pytest

from cxlib import paths
from cxlib.analysis.peaks import MAD_SCALE, peaks, volume

TZ = "Europe/Amsterdam"
FIRST_MONDAY = pd.Timestamp("2025-01-06 10:00", tz=TZ)
# weeks 0..10 complete (tickets on Mondays from the first Monday); week 11 ends after the last
# ticket, so it is incomplete and may not be flagged although it is the largest
COUNTS = [10, 12, 11, 10, 9, 30, 10, 11, 10, 12, 10, 40]
PEAK = 5


def hand_tickets():
    week = np.repeat(np.arange(len(COUNTS)), COUNTS)
    created = FIRST_MONDAY + pd.to_timedelta(7 * week, unit="D")
    # first response after 1 or 2 business hours in normal weeks, 5 or 6 in the peak week (SLA 4 h)
    delay = np.where(week == PEAK, 5.0, 1.0) + (np.arange(week.size) % 2)
    return pd.DataFrame(
        {
            "ticket_id": pd.array([f"T{i}" for i in range(week.size)], dtype="string"),
            "customer_id": pd.array(["C1"] * week.size, dtype="string"),
            "created_at": pd.Series(created),
            "first_response_at": pd.Series(created + pd.to_timedelta(delay, unit="h")),
        }
    )


def hand_responses():
    week = np.repeat(np.arange(11), 4)
    return pd.DataFrame(
        {
            "customer_id": pd.array(["C1"] * week.size, dtype="string"),
            "submitted_at": pd.Series(FIRST_MONDAY + pd.to_timedelta(7 * week, unit="D")),
            "csat": pd.array(np.where(week == PEAK, 2, 5), dtype="Int64"),
            "ces": pd.array(np.where(week == PEAK, [2, 3, 2, 3] * 11, [6, 7, 6, 7] * 11), dtype="Int64"),
        }
    )


def test_weekly_volume_and_the_median_mad_rule_by_hand():
    weeks = volume(hand_tickets())
    assert list(weeks["tickets"]) == COUNTS
    assert weeks["start"].iloc[0] == pd.Timestamp("2025-01-06", tz=TZ)
    assert weeks["end"].iloc[0] == pd.Timestamp("2025-01-12", tz=TZ)
    assert list(weeks["complete"]) == [True] * 11 + [False]
    # complete weeks sorted: 9 10 10 10 10 10 11 11 12 12 30 → median 10; |dev| → 0 0 0 0 0 1 1 1 2 2 20 → MAD 1
    assert (weeks["baseline"] == 10).all() and (weeks["mad"] == 1).all()
    assert weeks["threshold"].iloc[0] == pytest.approx(10 + 3 * 1.4826)
    assert MAD_SCALE == 1.4826
    assert weeks["score"].iloc[PEAK] == pytest.approx(20 / 1.4826)
    assert list(np.flatnonzero(weeks["peak"])) == [PEAK]  # not week 11: incomplete
    assert list(weeks["episode"]) == [0] * PEAK + [1] + [0] * 6
    # k = 15: 30 < 10 + 15·1.4826 = 32.2 → no peak at all
    assert not volume(hand_tickets(), k=15)["peak"].any()


def test_rolling_baseline_by_hand():
    weeks = volume(hand_tickets(), window=5)
    # week 5: window weeks 3..7 = 10 9 30 10 11 → median 10, |dev| 0 1 20 0 1 → MAD 1
    assert weeks.loc[PEAK, "baseline"] == 10 and weeks.loc[PEAK, "mad"] == 1
    # week 0: window (–, –, 10, 12, 11) → median 11, |dev| 1 1 0 → MAD 1
    assert weeks.loc[0, "baseline"] == 11 and weeks.loc[0, "mad"] == 1
    assert weeks.loc[PEAK, "peak"]
    with pytest.raises(ValueError, match="odd"):
        volume(hand_tickets(), window=4)
    with pytest.raises(ValueError, match="freq"):
        volume(hand_tickets(), freq="Q")


def test_peak_against_normal_weeks_reuses_the_kpi_engine():
    result = peaks(hand_tickets(), hand_responses(), min_n=1, n_resamples=200)
    assert list(result.peak_weeks["start"]) == [pd.Timestamp("2025-02-10", tz=TZ)]
    k = result.kpis.set_index(["kpi", "moment"])
    # 30 peak tickets: 5 or 6 business hours, none within 4 h; normal: 1 or 2 h, all within 4 h
    assert k.loc[("sla_attainment", "peak"), "value"] == 0.0
    assert k.loc[("sla_attainment", "normal"), "value"] == 100.0
    assert k.loc[("first_response_time", "peak"), "n"] == 30
    assert k.loc[("first_response_time", "peak"), "value"] == pytest.approx(5.5)
    assert k.loc[("first_response_time", "normal"), "n"] == sum(COUNTS) - 30  # week 11 counts as normal
    assert k.loc[("csat", "peak"), "value"] == 0.0 and k.loc[("csat", "normal"), "value"] == 100.0
    assert k.loc[("ces", "peak"), "value"] == pytest.approx(2.5)
    c = result.comparison.set_index("kpi")
    assert set(c["moment_a"]) == {"normal"} and set(c["moment_b"]) == {"peak"}
    assert c.loc["sla_attainment", "difference"] == pytest.approx(-100.0)
    assert c.loc["first_response_time", "difference"] > 3.5  # on the mean (Welch)
    assert c.loc["ces", "difference"] == pytest.approx(2.5 - 6.5)
    assert c["significant"].all()


def test_episodes_split_the_peak_moments():
    result = peaks(hand_tickets(), episodes=True, min_n=1, n_resamples=200)
    assert list(result.kpis["moment"].cat.categories) == ["normal", "2025-02-10"]
    assert set(result.comparison["moment_b"]) == {"2025-02-10"}


sample_only = pytest.mark.skipif(
    not (paths.SAMPLE_DATA / "responses.csv").exists(), reason="sample data not generated yet"
)


@sample_only
def test_sample_peaks_are_the_snow_week_and_the_autumn_peak(sample):
    result = peaks(sample.tickets, sample.responses)
    starts = [t.strftime("%Y-%m-%d") for t in result.peak_weeks["start"]]
    assert starts == ["2025-10-13", "2025-10-20", "2025-10-27", "2025-11-03", "2026-01-05"]
    weeks = result.weeks
    assert weeks["baseline"].iloc[0] == 166  # README: median week 166
    snow = weeks[weeks["start"] == pd.Timestamp("2026-01-05", tz=TZ)].iloc[0]
    assert snow["tickets"] == pytest.approx(510, abs=2)
    # pooled peak weeks: slower first response and lower SLA attainment, both significant
    c = result.comparison.set_index("kpi")
    assert c.loc["first_response_time", "difference"] > 0 and c.loc["first_response_time", "significant"]
    assert c.loc["sla_attainment", "difference"] < 0 and c.loc["sla_attainment", "significant"]
    k = result.kpis.set_index(["kpi", "moment"])
    assert k.loc[("first_response_time", "peak"), "value"] > k.loc[("first_response_time", "normal"), "value"]


@sample_only
def test_sample_snow_week_against_the_autumn_peak(sample):
    result = peaks(sample.tickets, sample.responses, episodes=True)
    k = result.kpis.set_index(["kpi", "moment"])
    # planted: every delay x3 in the snow week (README: median 2.9x the other weeks)
    slow = k.loc[("first_response_time", "2026-01-05"), "value"] / k.loc[("first_response_time", "normal"), "value"]
    assert 2.5 <= slow <= 3.5
    # README: SLA 50.6% vs 86.0% counting unanswered as missed: a fall of well over 20 points
    assert k.loc[("sla_attainment", "normal"), "value"] - k.loc[("sla_attainment", "2026-01-05"), "value"] > 20
    c = result.comparison.set_index(["kpi", "moment_b"])
    assert c.loc[("sla_attainment", "2026-01-05"), "significant"]
    assert c.loc[("ces", "2026-01-05"), "difference"] < 0 and c.loc[("ces", "2026-01-05"), "significant"]
    # the autumn peak had a peak plan: no slower answers
    assert not c.loc[("first_response_time", "2025-10-13"), "significant"]
    assert not c.loc[("sla_attainment", "2025-10-13"), "significant"]
