"""Action effects: difference-in-differences by hand on a constructed panel, and the planted training.

Method: DiD = (team after − team before) − (control after − control before), se = √(Σ se²) of
the four cells (proportions: √(p(1 − p)/n)), normal interval (Card & Krueger 1994, Table 3;
Angrist & Pischke 2009, ch. 5). Planted truth (data/sample/README.md, truth 2): action A019,
Service Oost, csat, done 2025-07-18; CSAT 62% → 77% (+15 points), other teams constant
(mean change +0.1), "the difference in differences is about +15 points".
"""
from __future__ import annotations

import math
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from cxlib.monitor import action_effects, diff_in_diff, effect_cells  # noqa: E402
from cxlib.plots import action_effect_chart  # noqa: E402

TZ = "Europe/Amsterdam"
Z95 = 1.959963984540054


def responses(cells):
    """Responses with CSAT 5 (satisfied) or 2, from (team, day, n, satisfied) tuples."""
    rows = []
    for team, day, n, sat in cells:
        rows += [(team, day, 5 if i < sat else 2) for i in range(n)]
    frame = pd.DataFrame(rows, columns=["team", "day", "csat"])
    return pd.DataFrame({
        "response_id": pd.array([f"R{i:05d}" for i in range(len(frame))], dtype="string"),
        "customer_id": pd.array(["C1"] * len(frame), dtype="string"),
        "submitted_at": pd.to_datetime(frame["day"]).dt.tz_localize(TZ),
        "team": pd.array(frame["team"], dtype="string"),
        "csat": pd.array(frame["csat"], dtype="Int64"),
    })


def ledger(rows):
    frame = pd.DataFrame(rows, columns=["action_id", "team", "kpi", "status", "due_on", "done_on"])
    out = frame.astype({"action_id": "string", "team": "string", "kpi": "category", "status": "category"})
    for col in ("due_on", "done_on"):
        out[col] = pd.to_datetime(frame[col]).dt.tz_localize(TZ)
    out["created_on"] = out["due_on"] - pd.Timedelta(days=30)
    return out


# A is trained (done 2025-08-01, in 2025-Q3); before = 2025-Q1..Q2, after = 2025-Q4..2026-Q1.
PANEL = [
    ("A", "2025-02-10", 50, 30), ("A", "2025-05-10", 50, 30),      # before: 60 / 100
    ("A", "2025-11-10", 50, 40), ("A", "2026-02-10", 50, 40),      # after: 80 / 100
    ("B", "2025-02-10", 50, 35), ("B", "2025-05-10", 50, 35),
    ("C", "2025-02-10", 50, 35), ("C", "2025-05-10", 50, 35),      # control before: 140 / 200
    ("B", "2025-11-10", 50, 37), ("B", "2026-02-10", 50, 38),
    ("C", "2025-11-10", 50, 37), ("C", "2026-02-10", 50, 38),      # control after: 150 / 200
    # outside the windows: the quarter of done_on itself and an earlier quarter (all unhappy)
    ("A", "2025-08-20", 50, 0), ("A", "2024-11-10", 50, 0), ("B", "2025-08-20", 50, 0),
]


def panel_data():
    actions = ledger([("X1", "A", "csat", "done", "2025-08-15", "2025-08-01"),
                      ("X2", "B", "csat", "open", "2025-09-15", None)])
    teams = pd.DataFrame({"team": pd.array(["A", "B", "C"], dtype="string"),
                          "function": pd.Categorical(["service", "service", "field"])})
    return SimpleNamespace(responses=responses(PANEL), actions=actions, teams=teams)


def test_did_by_hand_on_a_constructed_panel():
    out = action_effects(panel_data())
    assert out["action_id"].tolist() == ["X1"]  # X2 is not done
    row = out.iloc[0]
    assert (row["team_before"], row["team_after"]) == pytest.approx((60.0, 80.0))
    assert (row["control_before"], row["control_after"]) == pytest.approx((70.0, 75.0))
    assert row["did"] == pytest.approx(15.0)
    # se² = 100²·(.6·.4/100 + .8·.2/100 + .7·.3/200 + .75·.25/200) = 59.875
    se = math.sqrt(59.875)
    assert row["se"] == pytest.approx(se)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((15 - Z95 * se, 15 + Z95 * se))
    assert row["p_value"] == pytest.approx(math.erfc(15 / se / math.sqrt(2)))
    assert row["ci_low"] < 0 < row["ci_high"] and not row["significant"]  # p ≈ 0.053
    assert pd.isna(row["improved"])
    assert (row["before_periods"], row["after_periods"], row["done_period"]) == \
        ("2025-Q1–2025-Q2", "2025-Q4–2026-Q1", "2025-Q3")
    assert row["n_team_before"] == 100 and row["n_control_after"] == 200
    assert bool(row["complete"])


def test_cells_leave_out_the_action_quarter_and_other_periods():
    cells = effect_cells(panel_data())
    assert len(cells) == 4
    assert cells.set_index(["arm", "phase"])["n"].to_dict() == {
        ("team", "before"): 100, ("team", "after"): 100, ("control", "before"): 200, ("control", "after"): 200}
    # 2025-Q3 (done quarter) and 2024-Q4 hold only unhappy answers: had they counted, A would be lower
    assert cells.set_index(["arm", "phase"]).loc[("team", "before"), "value"] == pytest.approx(60.0)


def test_wider_windows_and_a_narrower_control_group():
    data = panel_data()
    one = action_effects(data, before=1, after=1).iloc[0]
    assert (one["before_periods"], one["after_periods"]) == ("2025-Q2", "2025-Q4")
    assert one["team_before"] == pytest.approx(60.0) and one["control_after"] == pytest.approx(74.0)
    same = action_effects(data, control="function").iloc[0]  # only B is a service team like A
    assert same["control_before"] == pytest.approx(70.0) and same["control_after"] == pytest.approx(75.0)
    assert same["n_control_before"] == 100
    listed = action_effects(data, control=["C"]).iloc[0]
    assert listed["n_control_after"] == 100


def test_missing_cells_give_no_estimate():
    data = panel_data()
    data.responses = data.responses[~((data.responses["team"] == "A")
                                      & (data.responses["submitted_at"] > pd.Timestamp("2025-10-01", tz=TZ)))]
    row = action_effects(data).iloc[0]
    assert np.isnan(row["did"]) and not bool(row["complete"])


def test_diff_in_diff_arithmetic_on_cells():
    cells = pd.DataFrame({
        "action_id": ["a"] * 4, "team": ["T"] * 4, "kpi": ["ces"] * 4,
        "arm": ["team", "team", "control", "control"], "phase": ["before", "after", "before", "after"],
        "n": [100, 100, 400, 400], "estimate": [4.0, 4.6, 5.0, 5.1], "se": [0.1, 0.1, 0.05, 0.05],
    })
    row = diff_in_diff(cells).iloc[0]
    assert row["did"] == pytest.approx(0.5)
    assert row["se"] == pytest.approx(math.sqrt(0.025))
    assert row["p_value"] == pytest.approx(math.erfc(0.5 / math.sqrt(0.025) / math.sqrt(2)))


def test_training_effect_is_recovered_on_the_sample(sample):
    effects = action_effects(sample)
    a019 = effects.set_index("action_id").loc["A019"]
    assert (a019["team"], a019["kpi"], a019["done_period"]) == ("Service Oost", "csat", "2025-Q3")
    # planted: +15 points (README: 62% → 77%, other teams constant, DiD about +15)
    assert a019["did"] > 0
    assert 10.0 <= a019["did"] <= 20.0
    assert a019["ci_low"] > 0 and a019["ci_low"] < 15.0 < a019["ci_high"]
    assert abs(a019["change_control"]) < 2.5  # the other teams stay flat
    assert bool(a019["significant"]) and bool(a019["improved"]) and bool(a019["complete"])
    # churn and complaints cannot be cut by team; every other done action gets a row
    assert not effects["kpi"].isin(["churn_rate", "complaint_rate"]).any()


def test_effect_chart_draws_both_arms(sample):
    cells = effect_cells(sample)
    ax = action_effect_chart(cells, "A019", action_effects(sample), lang="nl")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Service Oost", "andere teams"]
    assert "A019" in ax.get_title()
    with pytest.raises(ValueError):
        action_effect_chart(cells, "nope")


def test_no_done_action_gives_an_empty_frame_with_the_columns():
    from cxlib.monitor.effects import EFFECT_COLUMNS

    data = panel_data()
    data.actions = data.actions[data.actions["status"] != "done"]
    out = action_effects(data)
    assert out.empty and list(out.columns) == EFFECT_COLUMNS
