"""Action effects: difference-in-differences by hand on a constructed panel, and the planted training.

Method: DiD = (team after − team before) − (control after − control before), se² = Σ se² of
the four cells (proportions: p(1 − p)/n) plus the team-shock variance estimated from the control
teams, Student t with J − 1 df (Card & Krueger 1994, Table 3; Donald & Lang 2007; Conley & Taber
2011). Planted truth (data/sample/README.md, truth 2): action A019,
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
    return pd.DataFrame(
        {
            "response_id": pd.array([f"R{i:05d}" for i in range(len(frame))], dtype="string"),
            "customer_id": pd.array(["C1"] * len(frame), dtype="string"),
            "submitted_at": pd.to_datetime(frame["day"]).dt.tz_localize(TZ),
            "team": pd.array(frame["team"], dtype="string"),
            "csat": pd.array(frame["csat"], dtype="Int64"),
        }
    )


def ledger(rows):
    frame = pd.DataFrame(rows, columns=["action_id", "team", "kpi", "status", "due_on", "done_on"])
    out = frame.astype({"action_id": "string", "team": "string", "kpi": "category", "status": "category"})
    for col in ("due_on", "done_on"):
        out[col] = pd.to_datetime(frame[col]).dt.tz_localize(TZ)
    out["created_on"] = out["due_on"] - pd.Timedelta(days=30)
    return out


# A is trained (done 2025-08-01, in 2025-Q3); before = 2025-Q1..Q2, after = 2025-Q4..2026-Q1.
PANEL = [
    ("A", "2025-02-10", 50, 30),
    ("A", "2025-05-10", 50, 30),  # before: 60 / 100
    ("A", "2025-11-10", 50, 40),
    ("A", "2026-02-10", 50, 40),  # after: 80 / 100
    ("B", "2025-02-10", 50, 35),
    ("B", "2025-05-10", 50, 35),
    ("C", "2025-02-10", 50, 35),
    ("C", "2025-05-10", 50, 35),  # control before: 140 / 200
    ("B", "2025-11-10", 50, 37),
    ("B", "2026-02-10", 50, 38),
    ("C", "2025-11-10", 50, 37),
    ("C", "2026-02-10", 50, 38),  # control after: 150 / 200
    # outside the windows: the quarter of done_on itself and an earlier quarter (all unhappy)
    ("A", "2025-08-20", 50, 0),
    ("A", "2024-11-10", 50, 0),
    ("B", "2025-08-20", 50, 0),
]


def panel_data():
    actions = ledger(
        [("X1", "A", "csat", "done", "2025-08-15", "2025-08-01"), ("X2", "B", "csat", "open", "2025-09-15", None)]
    )
    teams = pd.DataFrame(
        {"team": pd.array(["A", "B", "C"], dtype="string"), "function": pd.Categorical(["service", "service", "field"])}
    )
    return SimpleNamespace(responses=responses(PANEL), actions=actions, teams=teams)


def test_did_by_hand_on_a_constructed_panel():
    out = action_effects(panel_data())
    assert out["action_id"].tolist() == ["X1"]  # X2 is not done
    row = out.iloc[0]
    assert (row["team_before"], row["team_after"]) == pytest.approx((60.0, 80.0))
    assert (row["control_before"], row["control_after"]) == pytest.approx((70.0, 75.0))
    assert row["did"] == pytest.approx(15.0)
    # se² = 100²·(.6·.4/100 + .8·.2/100 + .7·.3/200 + .75·.25/200) = 59.875; the two control
    # teams B and C change alike (70 -> 75), so the team-shock variance is 0; J = 2 control
    # teams give Student t with 1 df: t(0.975; 1) = 12.7062 (any t table).
    se = math.sqrt(59.875)
    assert row["se"] == pytest.approx(se) and row["shock_sd"] == 0 and row["df"] == 1
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((15 - 12.7062047 * se, 15 + 12.7062047 * se))
    # two-sided p of t = 15/7.7379 = 1.9385 with 1 df: 1 - 2 atan(t)/pi (Cauchy)
    assert row["p_value"] == pytest.approx(1 - 2 * math.atan(15 / se) / math.pi)
    assert row["ci_low"] < 0 < row["ci_high"] and not row["significant"]
    assert pd.isna(row["improved"]) and row["verdict"] == "no_effect_shown"
    assert (row["before_periods"], row["after_periods"], row["done_period"]) == (
        "2025-Q1–2025-Q2",
        "2025-Q4–2026-Q1",
        "2025-Q3",
    )
    assert row["n_team_before"] == 100 and row["n_control_after"] == 200
    assert bool(row["complete"])


def test_cells_leave_out_the_action_quarter_and_other_periods():
    cells = effect_cells(panel_data())
    assert len(cells) == 8  # 4 cells and, per control team B and C, before and after
    assert cells.loc[cells["arm"] == "placebo", "control_team"].tolist() == ["B", "B", "C", "C"]
    cells = cells[cells["arm"] != "placebo"]
    assert cells.set_index(["arm", "phase"])["n"].to_dict() == {
        ("team", "before"): 100,
        ("team", "after"): 100,
        ("control", "before"): 200,
        ("control", "after"): 200,
    }
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
    data.responses = data.responses[
        ~((data.responses["team"] == "A") & (data.responses["submitted_at"] > pd.Timestamp("2025-10-01", tz=TZ)))
    ]
    row = action_effects(data).iloc[0]
    assert np.isnan(row["did"]) and not bool(row["complete"])


def test_diff_in_diff_arithmetic_on_cells():
    cells = pd.DataFrame(
        {
            "action_id": ["a"] * 4,
            "team": ["T"] * 4,
            "kpi": ["ces"] * 4,
            "arm": ["team", "team", "control", "control"],
            "phase": ["before", "after", "before", "after"],
            "n": [100, 100, 400, 400],
            "estimate": [4.0, 4.6, 5.0, 5.1],
            "se": [0.1, 0.1, 0.05, 0.05],
        }
    )
    row = diff_in_diff(cells).iloc[0]
    assert row["did"] == pytest.approx(0.5)
    assert row["se"] == pytest.approx(math.sqrt(0.025))
    assert row["p_value"] == pytest.approx(math.erfc(0.5 / math.sqrt(0.025) / math.sqrt(2)))


def test_team_shock_variance_by_hand():
    # Four control teams change by +2, -2, +4, -4 (se 1 before and after each): var_j(change) =
    # (4 + 4 + 16 + 16)/3 = 13.333, minus the mean sampling variance 2 -> tau² = 11.333.
    # The treated team carries the shock fully, the pooled control by sum w_j² = 4 x 0.25² = 0.25:
    # se² = (1 + 1 + 0.25 + 0.25) + 11.333 x 1.25 = 16.667; df = J - 1 = 3.
    rows = [
        ("team", "before", "", 50.0, 1.0, 100),
        ("team", "after", "", 60.0, 1.0, 100),
        ("control", "before", "", 50.0, 0.5, 400),
        ("control", "after", "", 50.0, 0.5, 400),
    ]
    for name, change in zip("PQRS", (2, -2, 4, -4)):
        rows += [("placebo", "before", name, 50.0, 1.0, 100), ("placebo", "after", name, 50.0 + change, 1.0, 100)]
    cells = pd.DataFrame(rows, columns=["arm", "phase", "control_team", "estimate", "se", "n"]).assign(
        action_id="a", team="T", kpi="csat"
    )
    row = diff_in_diff(cells).iloc[0]
    assert row["did"] == pytest.approx(10.0)
    assert row["shock_sd"] == pytest.approx(math.sqrt(34 / 3))
    assert row["se"] == pytest.approx(math.sqrt(2.5 + 34 / 3 * 1.25))
    assert row["df"] == 3
    # t(0.975; 3) = 3.1824 (t table)
    assert row["ci_high"] - row["did"] == pytest.approx(3.182446 * row["se"], rel=1e-5)


@pytest.mark.simulation
def test_did_false_effects_stay_at_five_percent_under_team_shocks():
    # Issue 13: with team-level week-to-week shocks, the independent-answers DiD called 14-25% of
    # no-effect actions significant. 1,000 simulated actions: 8 teams (1 treated, 7 controls),
    # CSAT 80% with a team x phase shock of sd 3 points, n = 400 answers per cell, no effect.
    # The share called significant must be 5% within 3 binomial sd (sqrt(.05 x .95/1000)).
    rng = np.random.default_rng(2011)
    runs, teams, n = 1000, 8, 400
    truth = 0.80 + rng.normal(0, 0.03, (runs, teams, 2))
    hits = rng.binomial(n, np.clip(truth, 0, 1)) / n * 100  # (runs, team, phase) in percent
    se = np.sqrt(hits * (100 - hits) / n)
    control = hits[:, 1:, :].mean(axis=1)
    control_se = np.sqrt((se[:, 1:, :] ** 2).sum(axis=1)) / (teams - 1)
    parts = []
    for phase, k in (("before", 0), ("after", 1)):
        parts.append(
            pd.DataFrame(
                {
                    "action_id": np.arange(runs),
                    "arm": "team",
                    "phase": phase,
                    "estimate": hits[:, 0, k],
                    "se": se[:, 0, k],
                    "n": n,
                }
            )
        )
        parts.append(
            pd.DataFrame(
                {
                    "action_id": np.arange(runs),
                    "arm": "control",
                    "phase": phase,
                    "estimate": control[:, k],
                    "se": control_se[:, k],
                    "n": n * (teams - 1),
                }
            )
        )
        for j in range(1, teams):
            parts.append(
                pd.DataFrame(
                    {
                        "action_id": np.arange(runs),
                        "arm": "placebo",
                        "phase": phase,
                        "control_team": f"T{j}",
                        "estimate": hits[:, j, k],
                        "se": se[:, j, k],
                        "n": n,
                    }
                )
            )
    cells = pd.concat(parts, ignore_index=True).assign(team="T0", kpi="csat")
    out = diff_in_diff(cells)
    rate = (out["p_value"] <= 0.05).mean()  # per action (one test each), before any adjustment
    assert abs(rate - 0.05) <= 3 * math.sqrt(0.05 * 0.95 / runs)


def test_training_effect_on_the_sample_and_overlapping_actions(sample):
    effects = action_effects(sample).set_index("action_id")
    a019 = effects.loc["A019"]
    assert (a019["team"], a019["kpi"], a019["done_period"]) == ("Service Oost", "csat", "2025-Q3")
    # planted: +15 points (README: 62% → 77%, other teams constant, DiD about +15)
    assert 10.0 <= a019["did"] <= 20.0
    assert a019["ci_low"] < 15.0 < a019["ci_high"]
    assert abs(a019["change_control"]) < 2.5  # the other teams stay flat
    assert bool(a019["complete"])
    # A006 (done 2025-01-17, in A019's before window) and the refresher A026 (done 2025-11-28,
    # in its after window) are on the same team and KPI: no effect is claimed for any of them.
    assert a019["confounded_by"] == "A006, A026" and a019["verdict"] == "confounded"
    a006 = effects.loc["A006"]  # planted: no effect; its after window holds the training
    assert "A019" in a006["confounded_by"] and pd.isna(a006["improved"])
    assert effects["improved"].isna().all() or not effects.loc[["A006", "A019", "A026"], "improved"].any()
    # churn and complaints cannot be cut by team; every other done action gets a row
    assert not effects["kpi"].isin(["churn_rate", "complaint_rate"]).any()
    assert (effects["verdict"].isin(["incomplete", "confounded"]) | effects["complete"]).all()


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
