"""goals.yaml: loading with clear errors, the too-many-KPIs warning, baseline and status."""

import textwrap
import types
import warnings

import numpy as np
import pandas as pd
import pytest

from cxlib.goals import GoalsError, _status, goal_status, load_goals

TZ = "Europe/Amsterdam"


def write(tmp_path, text, name="goals.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """
goals:
  - name: Lower churn
    cadence: quarter
    kpis:
      - {kpi: churn_rate, target: 3.0, direction: lower}
      - {kpi: nps, target: 20}
  - name: More efficient support
    kpis:
      - {kpi: sla_attainment, target: 80, direction: higher, cadence: month}
"""


def test_load_goals_rows_defaults_and_dtypes(tmp_path):
    goals = load_goals(write(tmp_path, GOOD))
    assert goals["goal"].tolist() == ["Lower churn", "Lower churn", "More efficient support"]
    assert goals["kpi"].tolist() == ["churn_rate", "nps", "sla_attainment"]
    assert goals["direction"].tolist() == ["lower", "higher", "higher"]  # nps: from the catalogue
    assert goals["cadence"].tolist() == ["quarter", "quarter", "month"]
    assert goals["target"].tolist() == [3.0, 20.0, 80.0]


@pytest.mark.parametrize(
    "entry, message",
    [
        ("{kpi: loyalty, target: 3}", "unknown KPI 'loyalty'"),
        ("{kpi: nps}", "'nps' has no target"),
        ("{kpi: nps, target: lots}", "not a number"),
        ("{kpi: nps, target: 150}", "outside the range"),
        ("{kpi: nps, target: 20, direction: up}", "direction 'up' must be 'higher' or 'lower'"),
        ("{kpi: churn_rate, target: 3, direction: higher}", "contradicts the catalogue"),
        ("{kpi: nps, target: 20, cadence: weekly}", "cadence 'weekly'"),
    ],
)
def test_errors_name_the_file_and_the_goal(tmp_path, entry, message):
    path = write(tmp_path, f"goals:\n  - name: Grow loyalty\n    kpis:\n      - {entry}\n")
    with pytest.raises(GoalsError) as err:
        load_goals(path)
    text = str(err.value)
    assert str(path) in text and "goal 'Grow loyalty'" in text and message in text


def test_structural_errors(tmp_path):
    with pytest.raises(GoalsError, match="at most 3"):
        load_goals(
            write(
                tmp_path,
                """
            goals:
              - name: Everything
                kpis: [{kpi: nps, target: 1}, {kpi: csat, target: 1}, {kpi: ces, target: 1},
                       {kpi: behaviour, target: 1}]
            """,
            )
        )
    with pytest.raises(GoalsError, match="no name"):
        load_goals(write(tmp_path, "goals:\n  - kpis: [{kpi: nps, target: 1}]\n"))
    with pytest.raises(GoalsError, match="top-level 'goals:'"):
        load_goals(write(tmp_path, "targets: []\n"))
    with pytest.raises(GoalsError, match="not valid YAML"):
        load_goals(write(tmp_path, "goals: [\n"))
    with pytest.raises(GoalsError, match="not found"):
        load_goals(tmp_path / "missing.yaml")
    with pytest.raises(GoalsError, match="no goals.yaml"):
        load_goals(types.SimpleNamespace(goals_path=None, path="data/x"))


def test_more_than_seven_kpis_warns(tmp_path):
    path = write(
        tmp_path,
        """
        goals:
          - name: A
            kpis: [{kpi: nps, target: 1}, {kpi: csat, target: 1}, {kpi: ces, target: 1}]
          - name: B
            kpis: [{kpi: churn_rate, target: 1}, {kpi: complaint_rate, target: 1}, {kpi: sla_attainment, target: 1}]
          - name: C
            kpis: [{kpi: compliance, target: 1}, {kpi: behaviour, target: 1}]
        """,
    )
    with pytest.warns(UserWarning, match="8 KPIs"):
        load_goals(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_goals(write(tmp_path, GOOD, "few.yaml"))  # three KPIs: no warning


@pytest.mark.parametrize(
    "direction, low, high, status",
    [
        # target 30. higher is better: met when the whole interval is ≥ 30, missed when all < 30
        ("higher", 31.0, 45.0, "met"),
        ("higher", 30.0, 45.0, "met"),
        ("higher", 20.0, 29.0, "missed"),
        ("higher", 25.0, 35.0, "at_risk"),
        # lower is better: met when the whole interval is ≤ 30, missed when all > 30
        ("lower", 20.0, 29.0, "met"),
        ("lower", 31.0, 45.0, "missed"),
        ("lower", 25.0, 35.0, "at_risk"),
        ("lower", np.nan, np.nan, "no_data"),
    ],
)
def test_status_is_judged_on_the_interval(direction, low, high, status):
    assert _status(direction, 30.0, low, high) == status


def _nps_frame(rows):
    return pd.DataFrame(
        {
            "period": pd.array([r[0] for r in rows], dtype="string"),
            "kpi": pd.array(["nps"] * len(rows), dtype="string"),
            "n": [r[1] for r in rows],
            "value": [r[2] for r in rows],
            "ci_low": [r[3] for r in rows],
            "ci_high": [r[4] for r in rows],
            "suppressed": [r[1] < 30 for r in rows],
        }
    )


def test_baseline_is_the_latest_full_period(tmp_path):
    goals = load_goals(write(tmp_path, "goals:\n  - name: Loyalty\n    kpis: [{kpi: nps, target: 20}]\n"))
    frame = _nps_frame(
        [("2026-Q1", 200, 10.0, 2.0, 18.0), ("2026-Q2", 220, 30.0, 22.0, 38.0), ("2026-Q3", 40, 5.0, -20.0, 30.0)]
    )
    # data up to 15 September: Q3 is not complete, so Q2 is the baseline; its interval
    # 22..38 lies wholly above the target 20 → met
    out = goal_status(goals, frames={"nps": frame}, as_of=pd.Timestamp("2026-09-15", tz=TZ))
    row = out.iloc[0]
    assert (row["period"], row["n"], row["status"]) == ("2026-Q2", 220, "met")
    assert row["gap"] == pytest.approx(10.0)
    assert row["label"] == "Net Promoter Score" and row["unit"] == "points"
    # data through 30 September: Q3 is complete; its interval −20..30 straddles 20 → at risk
    out = goal_status(goals, frames={"nps": frame}, as_of=pd.Timestamp("2026-09-30 18:00", tz=TZ))
    assert (out["period"].iloc[0], out["status"].iloc[0]) == ("2026-Q3", "at_risk")
    assert list(out["status"].cat.categories) == ["met", "at_risk", "missed", "no_data"]


def test_goal_status_computes_kpis_from_the_data(tmp_path):
    goals_path = write(
        tmp_path,
        """
        goals:
          - name: Loyalty
            kpis: [{kpi: nps, target: 50}]
          - name: Keep customers
            kpis: [{kpi: churn_rate, target: 10}]
        """,
    )
    # responses: Q1 2026 with 60 promoters and 40 detractors (NPS 20, interval about 1 to 38:
    # wholly below 50 → missed); a few April responses make Q2 incomplete.
    submitted = [pd.Timestamp("2026-02-01", tz=TZ)] * 100 + [pd.Timestamp("2026-04-02", tz=TZ)] * 5
    responses = pd.DataFrame(
        {"submitted_at": pd.Series(submitted), "nps": pd.array([10] * 60 + [0] * 40 + [10] * 5, dtype="Int64")}
    )
    # customers: 100 active since 2025, 2 churn in Q1 2026 → 2% (Wilson 0.55% to 7.0%: wholly < 10 → met)
    customers = pd.DataFrame(
        {
            "customer_id": pd.array([f"c{i}" for i in range(100)], dtype="string"),
            "signup_date": pd.Series([pd.Timestamp("2025-01-01", tz=TZ)] * 100),
            "churn_date": pd.Series(
                [pd.Timestamp("2026-02-10", tz=TZ)] * 2 + [pd.NaT] * 98, dtype="datetime64[ns, Europe/Amsterdam]"
            ),
        }
    )
    data = types.SimpleNamespace(responses=responses, customers=customers, goals_path=goals_path, path=tmp_path)
    out = goal_status(data)  # goals and tables both from the CXData-like object
    assert out["kpi"].tolist() == ["nps", "churn_rate"]
    assert out["period"].tolist() == ["2026-Q1", "2026-Q1"]
    nps, churn = out.iloc[0], out.iloc[1]
    assert nps["value"] == pytest.approx(20.0) and nps["status"] == "missed"
    assert churn["value"] == pytest.approx(2.0) and churn["status"] == "met"
    assert churn["direction"] == "lower"


def test_goal_status_needs_the_tables(tmp_path):
    goals = load_goals(write(tmp_path, "goals:\n  - name: Loyalty\n    kpis: [{kpi: nps, target: 20}]\n"))
    with pytest.raises(ValueError, match="responses"):
        goal_status(goals, {"customers": pd.DataFrame()})
