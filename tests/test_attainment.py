"""Goal attainment: status per period on the interval (goal_status), trend and the RAG table.

Hand-derived: Wilson intervals for 60..80 of 100 (Wilson 1927), the OLS slope of equally spaced
values, the pooled two-proportion z-test for the four-quarter change. Planted: the 2026-Q3 goal
table of data/sample/README.md.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from cxlib.monitor import goal_attainment, goal_history  # noqa: E402
from cxlib.plots import goal_table_chart  # noqa: E402

TZ = "Europe/Amsterdam"
# the last day of each quarter, so that every quarter is full at the data's end
QUARTERS = {
    "2024-Q4": ("2024-12-31", 60),
    "2025-Q1": ("2025-03-31", 65),
    "2025-Q2": ("2025-06-30", 70),
    "2025-Q3": ("2025-09-30", 75),
    "2025-Q4": ("2025-12-31", 80),
}
GOALS = pd.DataFrame(
    {
        "goal": ["Keep them happy", "Delight them"],
        "kpi": ["csat", "csat"],
        "target": [70.0, 90.0],
        "direction": ["higher", "higher"],
        "cadence": ["quarter", "quarter"],
    }
).astype({"goal": "string", "kpi": "string", "direction": "string", "cadence": "string"})


def data(scale: int = 1):
    rows = [(day, 5 if i < sat * scale else 2) for day, sat in QUARTERS.values() for i in range(100 * scale)]
    frame = pd.DataFrame(rows, columns=["day", "csat"])
    responses = pd.DataFrame(
        {
            "customer_id": pd.array(["C1"] * len(frame), dtype="string"),
            "submitted_at": (pd.to_datetime(frame["day"]) + pd.Timedelta(hours=12)).dt.tz_localize(TZ),
            "csat": pd.array(frame["csat"], dtype="Int64"),
        }
    )
    return SimpleNamespace(responses=responses)


def test_history_status_on_the_interval():
    history = goal_history(data(), GOALS)
    keep = history[history["goal"] == "Keep them happy"]
    assert keep["period"].tolist() == list(QUARTERS)
    assert keep["value"].tolist() == pytest.approx([60.0, 65.0, 70.0, 75.0, 80.0])
    # Wilson 95%: 60/100 → 50.2–69.1 (below 70: missed); 65..75 straddle 70; 80/100 → 71.1–86.7 (met)
    assert keep["status"].astype(str).tolist() == ["missed", "at_risk", "at_risk", "at_risk", "met"]
    assert keep["rag"].astype(str).tolist() == ["red", "amber", "amber", "amber", "green"]
    delight = history[history["goal"] == "Delight them"]
    assert delight["status"].astype(str).tolist() == ["missed"] * 5


def test_attainment_trend_by_hand():
    table = goal_attainment(data(), "2025-Q4", GOALS).set_index("goal")
    keep, delight = table.loc["Keep them happy"], table.loc["Delight them"]
    assert keep["slope"] == pytest.approx(5.0)  # 65, 70, 75, 80 over the last four quarters
    assert keep["change_from"] == "2024-Q4" and keep["change"] == pytest.approx(20.0)
    pool = 0.7
    z = 0.2 / math.sqrt(pool * (1 - pool) * 2 / 100)
    assert keep["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)))  # z = 3.09
    assert keep["trend"] == "improving" and keep["trend_label"] == "moving towards the target"
    assert (keep["status"], keep["rag"]) == ("met", "green") and math.isnan(keep["periods_to_target"])
    assert (delight["status"], delight["rag"], delight["gap"]) == ("missed", "red", -10.0)
    # Four quarters of 100 answers cannot tell a trend: WLS slope 5 with se = sqrt(1/sum w(x - x̄)²)
    # = about 2.05 points (se per quarter about 4.6), t = 2.4 on 2 df, p = 0.13: no projection.
    assert delight["slope_p"] > 0.05 and delight["slope_low"] < 0
    assert math.isnan(delight["periods_to_target"]) and delight["projection"] == "no_trend"
    assert delight["projection_label"] == "no trend: no projection"
    nl = goal_attainment(data(), "2025-Q4", GOALS, lang="nl").set_index("goal")
    assert nl.loc["Delight them", "status_label"] == "niet gehaald"
    assert nl.loc["Keep them happy", "trend_label"] == "op weg naar het doel"
    earlier = goal_attainment(data(), "2025-Q2", GOALS).set_index("goal")
    assert earlier.loc["Keep them happy", "period"] == "2025-Q2"
    assert earlier.loc["Keep them happy", "slope"] == pytest.approx(5.0)  # 60, 65, 70
    assert pd.isna(earlier.loc["Keep them happy", "change"])  # no 2024-Q2 in the data


def test_projection_only_from_a_significant_trend():
    # The same shares on 1,000 answers a quarter: se per quarter about 1.4, slope se about 0.64,
    # t = 7.9 on 2 df (p = 0.016): a trend; (90 − 80)/5 = 2 quarters, the interval from the
    # slope's interval 5 ± 4.303 se (t(0.975; 2) = 4.303).
    delight = goal_attainment(data(10), "2025-Q4", GOALS).set_index("goal").loc["Delight them"]
    assert delight["slope"] == pytest.approx(5.0) and delight["slope_p"] < 0.05
    assert delight["periods_to_target"] == pytest.approx(2.0) and delight["projection"] == "towards_target"
    se = (delight["slope_high"] - delight["slope"]) / 4.302653
    assert 0.5 < se < 0.8
    assert delight["periods_to_target_low"] == pytest.approx(10 / delight["slope_high"])
    assert delight["periods_to_target_high"] == pytest.approx(10 / delight["slope_low"])
    assert delight["projection_label"].startswith("target in 2.0 periods")


def test_sample_goal_table_for_2026_q3(sample):
    table = goal_attainment(sample, "2026-Q3").set_index("kpi")
    expected = {
        "churn_rate": "at_risk",
        "nps": "missed",
        "first_response_time": "met",
        "sla_attainment": "at_risk",
        "complaint_rate": "met",
        "csat": "met",
        "ces": "missed",
    }  # data/sample/README.md
    assert table.loc[list(expected), "status"].astype(str).to_dict() == expected
    assert table.loc["nps", "rag"] == "red" and table.loc["csat", "rag"] == "green"
    assert (table["period"] == "2026-Q3").all()
    # README: the complaint rate falls over time (112 per 1,000 in 2024-Q4, 83.1 in 2026-Q3)
    assert table.loc["complaint_rate", "change"] < 0 and table.loc["complaint_rate", "slope"] < 0
    # README truth 5: the total NPS is planted flat at 31 every quarter: no projection
    assert table.loc["nps", "projection"] == "no_trend" and math.isnan(table.loc["nps", "periods_to_target"])
    history = goal_history(sample)
    assert len(history) == 7 * 8


def test_goal_table_chart(sample):
    history = goal_history(sample)
    ax = goal_table_chart(history, lang="nl")
    assert len(ax.get_yticklabels()) == 7 and len(ax.get_xticklabels()) == 8
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "gehaald",
        "in gevaar",
        "niet gehaald",
        "geen gegevens",
    ]
