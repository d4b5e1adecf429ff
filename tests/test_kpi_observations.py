"""compliance and behaviour: pass rates of observed items with Wilson intervals."""

import pandas as pd
import pytest

import cxlib.kpi as kpi

TZ = "Europe/Amsterdam"


def _observations():
    # standard items: 32 observed, 6 passed (plus one without a result); behaviour: 40, 30 passed
    rows = [("standard", "greeting", "mystery_guest", True)] * 6 + [("standard", "greeting", "coach", False)] * 26
    rows += [("standard", "greeting", "coach", None)]
    rows += [("behaviour", "follow-up", "coach", True)] * 30 + [("behaviour", "follow-up", "spot_check", False)] * 10
    frame = pd.DataFrame(rows, columns=["category", "item", "source", "passed"])
    frame["category"] = frame["category"].astype("category")
    frame["source"] = frame["source"].astype("category")
    frame["passed"] = frame["passed"].astype("boolean")
    frame["observed_at"] = pd.Timestamp("2026-03-02 11:00", tz=TZ)
    frame["team"] = pd.array(["t1"] * len(frame), dtype="string")
    return frame


def test_compliance_wilson_reference():
    row = kpi.compliance(_observations(), freq=None).iloc[0]
    # 6 of 32 standard items passed (the item without a result is not counted) → 18.75%, 8.89 to 35.31
    assert (row["kpi"], row["n"], row["successes"]) == ("compliance", 32, 6)
    assert row["value"] == pytest.approx(18.75)
    assert row["ci_low"] == pytest.approx(8.89, abs=0.005) and row["ci_high"] == pytest.approx(35.31, abs=0.005)


def test_behaviour_by_source():
    out = kpi.behaviour(_observations(), by="source", freq="quarter", min_n=5)
    assert out["source"].astype(str).tolist() == ["coach", "spot_check"]
    assert out["value"].tolist() == [100.0, 0.0]
    assert out["period"].tolist() == ["2026-Q1", "2026-Q1"]
    overall = kpi.behaviour(_observations(), freq=None)
    assert overall["value"].iloc[0] == pytest.approx(75.0)
