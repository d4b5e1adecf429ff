"""The periodic review table: a change is called a change only when it is significant.

Hand-derived: the pooled two-proportion z-test (z = (p_b − p_a)/√(p̄(1 − p̄)(1/n_a + 1/n_b)))
and Benjamini–Hochberg (adjusted p₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j; Benjamini & Hochberg 1995).
Planted: the 2026-Q3 goal table of data/sample/README.md.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from cxlib.monitor import review_table
from cxlib.monitor.review_table import REVIEW_COLUMNS

TZ = "Europe/Amsterdam"
DAYS = {
    "2024-Q4": "2024-11-15",
    "2025-Q1": "2025-02-15",
    "2025-Q2": "2025-05-15",
    "2025-Q3": "2025-08-15",
    "2025-Q4": "2025-11-15",
}
GOALS = (
    pd.DataFrame(
        {
            "goal": ["Happy customers"],
            "kpi": ["csat"],
            "target": [75.0],
            "direction": ["higher"],
            "cadence": ["quarter"],
        }
    )
    .astype("string")
    .astype({"target": "float64"})
)


def data(panel):
    """Responses with CSAT 5 or 2 from {team: {quarter: (satisfied, n)}}."""
    rows = []
    for team, quarters in panel.items():
        for quarter, (sat, n) in quarters.items():
            rows += [(team, DAYS[quarter], 5 if i < sat else 2) for i in range(n)]
    frame = pd.DataFrame(rows, columns=["team", "day", "csat"])
    responses = pd.DataFrame(
        {
            "customer_id": pd.array(["C1"] * len(frame), dtype="string"),
            "submitted_at": pd.to_datetime(frame["day"]).dt.tz_localize(TZ),
            "team": pd.array(frame["team"], dtype="string"),
            "csat": pd.array(frame["csat"], dtype="Int64"),
        }
    )
    return SimpleNamespace(responses=responses)


def two_proportion_p(xa, na, xb, nb):
    pa, pb, pool = xa / na, xb / nb, (xa + xb) / (na + nb)
    z = (pb - pa) / math.sqrt(pool * (1 - pool) * (1 / na + 1 / nb))
    return math.erfc(abs(z) / math.sqrt(2))


A = {"2024-Q4": (50, 100), "2025-Q3": (80, 100), "2025-Q4": (82, 100)}
B = {"2024-Q4": (80, 100), "2025-Q3": (80, 100), "2025-Q4": (50, 100)}


def test_non_significant_difference_is_no_change():
    table = review_table(data({"A": A}), "2025-Q4", kpis=["csat"], goals=GOALS)
    assert list(table.columns) == REVIEW_COLUMNS
    row = table.iloc[0]
    assert (row["period"], row["previous_period"], row["year_period"]) == ("2025-Q4", "2025-Q3", "2024-Q4")
    assert (row["value"], row["value_prev"], row["value_year"]) == pytest.approx((82.0, 80.0, 50.0))
    assert row["change_prev"] == pytest.approx(2.0)
    assert row["p_prev"] == pytest.approx(two_proportion_p(80, 100, 82, 100))  # 0.7185
    assert not row["significant_prev"]
    assert row["change_label_prev"] == "no significant change"
    # a year ago 50 of 100: z = 4.78, a significant rise
    assert row["change_year"] == pytest.approx(32.0)
    assert row["p_year"] == pytest.approx(two_proportion_p(50, 100, 82, 100))
    assert row["significant_year"] and row["change_label_year"] == "significant rise"
    # tile fields from the catalogue and the goals: 82/100 has Wilson 73.3–88.3%, straddling 75%
    assert (row["kpi"], row["label"], row["unit"], row["direction"], row["decimals"]) == (
        "csat",
        "Customer satisfaction (CSAT)",
        "percent",
        "higher",
        1,
    )
    assert (row["target"], row["status"], row["status_label"]) == (75.0, "at_risk", "at risk")
    assert row["n"] == 100 and not row["suppressed"]


def test_labels_in_dutch_and_the_fall():
    table = review_table(data({"A": A, "B": B}), "2025-Q4", by="team", lang="nl", kpis=["csat"], goals=GOALS)
    rows = table.set_index("team")
    assert rows.loc["A", "change_label_prev"] == "geen significante verandering"
    assert rows.loc["B", "change_label_prev"] == "significant gedaald"
    assert rows.loc["B", "change_prev"] == pytest.approx(-30.0)
    # BH over the two teams: A keeps its p (rank 2 of 2), B doubles (rank 1 of 2)
    p_a, p_b = two_proportion_p(80, 100, 82, 100), two_proportion_p(80, 100, 50, 100)
    assert rows.loc["A", "p_prev_adjusted"] == pytest.approx(p_a)
    assert rows.loc["B", "p_prev_adjusted"] == pytest.approx(2 * p_b)
    assert rows.loc["B", "status_label"] == "niet gehaald"  # 50/100: Wilson 40.4–59.6% < 75%
    assert rows.loc["A", "label"] == "Klanttevredenheid (CSAT)"


def test_too_few_answers_are_not_judged():
    table = review_table(data({"A": A}), "2025-Q4", kpis=["csat"], min_n=150, goals=False)
    row = table.iloc[0]
    assert row["suppressed"] and math.isnan(row["value"])
    assert row["change_label_prev"] == "too few responses" and pd.isna(row["significant_prev"])
    assert math.isnan(row["target"]) and row["status"] == "no_target" and pd.isna(row["status_label"])


def test_sample_review_for_2026_q3(sample):
    table = review_table(sample, "2026-Q3").set_index("kpi")
    # README "Goals and their status in 2026-Q3"
    assert table.loc["nps", "value"] == pytest.approx(31.4, abs=0.05) and table.loc["nps", "n"] == 2980
    assert table.loc["csat", "value"] == pytest.approx(82.0, abs=0.05)
    assert table.loc["ces", "value"] == pytest.approx(5.07, abs=0.005)
    expected = {
        "churn_rate": "at_risk",
        "nps": "missed",
        "first_response_time": "met",
        "sla_attainment": "at_risk",
        "complaint_rate": "met",
        "csat": "met",
        "ces": "missed",
    }
    assert table.loc[list(expected), "status"].to_dict() == expected
    # one statistic: the median is shown and compared (issue 13, item 8)
    assert table.loc["first_response_time", "compared_on"] == "value"
    assert set(table["change_label_prev"]) <= {
        "no significant change",
        "significant rise",
        "significant fall",
        "too few responses",
    }
    # the label says "change" only for significant differences
    called = table["change_label_prev"].isin(["significant rise", "significant fall"])
    assert (called == table["significant_prev"].fillna(False)).all()
    by_team = review_table(sample, "2026-Q3", by="team")
    assert "churn_rate" not in set(by_team["kpi"]) and by_team["team"].nunique() == 8


def test_trained_team_misses_then_meets_the_csat_target(sample):
    # README truth 2: Service Oost 2025-Q2 64.6% (60.1–68.8%) wholly below 75%: missed. 2026-Q3: 78.7%,
    # above the target as a point, but on n = 450 its interval still reaches below 75%: at risk, not met
    before = review_table(sample, "2025-Q2", by="team", kpis=["csat"]).set_index("team").loc["Service Oost"]
    after = review_table(sample, "2026-Q3", by="team", kpis=["csat"]).set_index("team").loc["Service Oost"]
    assert before["value"] == pytest.approx(64.6, abs=0.05) and before["status"] == "missed"
    assert before["ci_high"] == pytest.approx(68.8, abs=0.05)
    assert after["value"] == pytest.approx(78.7, abs=0.05) and after["status"] == "at_risk"
    assert after["ci_low"] < 75.0 < after["value"]
