"""Tidy-frame machinery: period labels, grouping, suppression, catalogue-driven columns."""

import pandas as pd
import pytest

import cxlib.kpi as kpi
from cxlib.catalogue import kpi_info
from cxlib.kpi.frame import grouping
from cxlib.periods import parse_period, period_bounds, period_codes, period_labels

TZ = "Europe/Amsterdam"


def test_period_labels_follow_local_time():
    # 2025-12-31 23:30 UTC is 2026-01-01 00:30 in Amsterdam: it belongs to January and Q1 2026.
    times = pd.Series(pd.to_datetime(["2025-12-31 23:30", "2026-07-01 08:00"], utc=True))
    assert list(period_labels(period_codes(times, "month"), "month")) == ["2026-01", "2026-07"]
    assert list(period_labels(period_codes(times, "quarter"), "quarter")) == ["2026-Q1", "2026-Q3"]
    assert list(period_labels(period_codes(times, "year"), "year")) == ["2026", "2026"]
    assert list(period_labels(period_codes(times, None), None)) == ["all", "all"]


def test_period_bounds_and_parsing():
    start, end = period_bounds("2026-Q3")
    assert start == pd.Timestamp("2026-07-01", tz=TZ) and end == pd.Timestamp("2026-10-01", tz=TZ)
    assert period_bounds("2026-02")[1] == pd.Timestamp("2026-03-01", tz=TZ)
    assert period_bounds("2025")[0] == pd.Timestamp("2025-01-01", tz=TZ)
    assert parse_period("2026-Q1")[0] == "quarter"
    with pytest.raises(ValueError, match="period label"):
        parse_period("Q1-2026")
    with pytest.raises(ValueError, match="freq must be"):
        period_codes(pd.Series([pd.Timestamp("2026-01-01", tz=TZ)]), "week")


def _responses():
    frame = pd.DataFrame(
        {
            "submitted_at": pd.to_datetime(
                ["2026-01-05", "2026-02-10", "2026-04-01", "2026-04-02", "2026-04-03"]
            ).tz_localize(TZ),
            "region": pd.Categorical(["Noord", "Noord", "Zuid", None, "Zuid"], categories=["Noord", "Oost", "Zuid"]),
            "channel": pd.array(["web", "phone", "web", "web", None], dtype="string"),
            "nps": pd.array([10, 3, 9, 7, None], dtype="Int64"),
        }
    )
    return frame


def test_grouping_observed_only_and_missing_keys_kept():
    g = grouping(_responses(), ["region"], "quarter", "submitted_at")
    keys = g.keys
    # "Oost" never occurs (observed=True); the row without a region forms its own group
    assert keys["region"].astype("string").tolist()[:2] == ["Noord", "Zuid"]
    assert keys["region"].isna().sum() == 1
    assert keys["period"].tolist() == ["2026-Q1", "2026-Q2", "2026-Q2"]
    assert g.count().tolist() == [2, 2, 1]
    assert isinstance(keys["region"].dtype, pd.CategoricalDtype)


def test_tidy_columns_follow_the_contract_and_catalogue():
    out = kpi.nps(_responses(), by=["region", "channel"], freq="quarter", min_n=1)
    core = ["region", "channel", "period", "kpi", "n", "value", "ci_low", "ci_high", "suppressed"]
    assert list(out.columns) == core + list(kpi_info("nps").extra_columns)
    assert out["n"].sum() == 4  # one response has no score
    assert out["period"].dtype == "string" and out["kpi"].dtype == "string"
    assert out["suppressed"].dtype == bool


def test_suppression_blanks_statistics_but_keeps_counts():
    out = kpi.nps(_responses(), freq="quarter")  # min_n = 30
    assert out["suppressed"].all()
    assert out["value"].isna().all() and out["ci_low"].isna().all() and out["promoter_share"].isna().all()
    assert out["n"].tolist() == [2, 2] and out["promoters"].tolist() == [1, 1]
    shown = kpi.nps(_responses(), freq="quarter", min_n=2)
    assert shown["value"].tolist() == [0.0, 50.0]  # Q1: 1 promoter, 1 detractor; Q2: 1 promoter, 1 passive


def test_grouping_by_a_column_that_is_missing_explains_how_to_add_it():
    with pytest.raises(KeyError, match="customers="):
        kpi.nps(_responses(), by="segment", freq=None)
    with pytest.raises(ValueError, match="tidy KPI frame"):
        kpi.nps(_responses(), by="period", freq=None)


def test_inputs_are_never_modified():
    # Regression: reading a score column without missing values can share memory with the
    # caller's frame; an in-place shift once turned NPS 10 into 11 for the next call.
    frame = pd.DataFrame(
        {
            "submitted_at": pd.Series([pd.Timestamp("2026-01-01", tz=TZ)] * 2),
            "nps": pd.array([10, 0], dtype="Int64"),
            "csat": pd.array([5, 1], dtype="Int64"),
            "ces": pd.array([7, 1], dtype="Int64"),
            "region": pd.Categorical(["Noord", None]),
        }
    )
    before = frame.copy(deep=True)
    for _ in range(2):
        kpi.nps(frame, by="region", freq="month", min_n=1)
        kpi.csat(frame, min_n=1, freq=None)
        kpi.ces(frame, min_n=1, freq=None)
    pd.testing.assert_frame_equal(frame, before)
