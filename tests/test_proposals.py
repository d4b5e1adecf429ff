"""Action rules: findings whose interval clears the target become proposed actions, in nl and en."""

from __future__ import annotations

import hashlib
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from cxlib.actions import action_key, load_rules, propose_actions
from cxlib.actions.proposals import PROPOSAL_COLUMNS, _fires

TZ = "Europe/Amsterdam"


def team_answers(team: str, satisfied: int, n: int, customers: list[str], day: str = "2025-05-06") -> pd.DataFrame:
    """``n`` CSAT answers for ``team``: ``satisfied`` of them a 5, the rest a 2, customers in turn."""
    return pd.DataFrame(
        {
            "customer_id": [customers[i % len(customers)] for i in range(n)],
            "submitted_at": pd.Timestamp(f"{day} 10:00", tz=TZ) + pd.to_timedelta(np.arange(n), unit="min"),
            "team": team,
            "csat": [5] * satisfied + [2] * (n - satisfied),
        }
    )


@pytest.fixture
def handmade():
    """Four teams in 2025-Q2, 100 CSAT answers each (Wilson 95% intervals worked out by hand):

    A: 50/100 satisfied -> 50.0% (40.38-59.62): wholly below 75, 80 distinct customers, 100 EUR each
    B: 70/100 -> 70.0% (60.42-78.11): straddles 75, no action
    C: 90/100 -> 90.0% (82.56-94.48): above 75, no action
    D: 40/100 -> 40.0% (30.94-49.80): below 75, 100 distinct customers without orders
    plus a 2025-Q3 answer of team B (2 = dissatisfied) that must not count.
    """
    a = [f"A{i:02d}" for i in range(80)]
    b = [f"B{i:02d}" for i in range(100)]
    c = [f"C{i:02d}" for i in range(100)]
    d = [f"D{i:02d}" for i in range(100)]
    responses = pd.concat(
        [
            team_answers("A", 50, 100, a),
            team_answers("B", 70, 100, b),
            team_answers("C", 90, 100, c),
            team_answers("D", 40, 100, d),
            team_answers("B", 0, 1, b, day="2025-07-02"),
        ],
        ignore_index=True,
    )
    responses.insert(0, "response_id", [f"R{i:04d}" for i in range(len(responses))])
    responses = responses.astype({"response_id": "string", "customer_id": "string", "team": "string", "csat": "Int64"})
    ids = a + b + c + d
    customers = pd.DataFrame(
        {"customer_id": pd.array(ids, dtype="string"), "signup_date": pd.Timestamp("2024-01-01", tz=TZ)}
    )
    orders = pd.DataFrame(
        {  # team A's customers: 100 EUR in the period, 1,000 EUR after it
            "order_id": [f"O{i:03d}" for i in range(160)],
            "customer_id": a + a,
            "order_date": [pd.Timestamp("2025-04-01", tz=TZ)] * 80 + [pd.Timestamp("2025-08-01", tz=TZ)] * 80,
            "amount": [100.0] * 80 + [1000.0] * 80,
        }
    )
    return SimpleNamespace(responses=responses, customers=customers, orders=orders, path=None, goals_path=None)


TRAINING_ONLY = {"rules": {"train_team": load_rules()["rules"]["train_team"]}}


def test_only_intervals_wholly_below_the_target_propose_training(handmade):
    proposed = propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY, lang="en")
    assert proposed["team"].tolist() == ["D", "A"]  # B straddles 75, C is above it
    a = proposed.set_index("team").loc["A"]
    assert a["n"] == 100 and a["value"] == pytest.approx(50.0)
    assert a["ci_low"] == pytest.approx(40.383, abs=1e-3) and a["ci_high"] == pytest.approx(59.617, abs=1e-3)
    assert a["target"] == 75.0 and a["target_source"] == "rule" and a["gap"] == pytest.approx(-25.0)
    assert a["kpi"] == "csat" and a["rule"] == "train_team" and a["period"] == "2025-Q2"
    assert list(proposed.columns) == list(PROPOSAL_COLUMNS)


def test_impact_counts_distinct_customers_and_their_revenue_up_to_the_period_end(handmade):
    proposed = propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY).set_index("team")
    assert proposed.loc["A", "customers"] == 80  # 100 answers from 80 customers
    assert proposed.loc["A", "revenue"] == pytest.approx(80 * 100.0)  # the August orders come later
    assert proposed.loc["D", "customers"] == 100 and proposed.loc["D", "revenue"] == 0.0


def test_ranked_by_customers_or_by_revenue(handmade):
    by_customers = propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY)
    by_revenue = propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY, rank_by="revenue")
    assert by_customers["team"].tolist() == ["D", "A"] and by_customers["rank"].tolist() == [1, 2]
    assert by_revenue["team"].tolist() == ["A", "D"]


def test_texts_in_dutch_and_english(handmade):
    nl = propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY, lang="nl").set_index("team").loc["A"]
    en = propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY, lang="en").set_index("team").loc["A"]
    assert nl["trigger"] == (
        "Klanttevredenheid (CSAT) A 2025-Q2: 50,0%, onder het doel van 75,0% "
        "(het hele 95%-interval 40,4% tot 59,6% ligt eronder; n = 100)"
    )
    assert en["trigger"] == (
        "Customer satisfaction (CSAT) A 2025-Q2: 50.0%, below the target of 75.0% "
        "(the whole 95% interval 40.4% to 59.6% lies below it; n = 100)"
    )
    assert nl["description"].startswith("Train A: de klanttevredenheid blijft achter (CSAT 50,0%, doel 75,0%).")
    assert en["description"].startswith("Train A: customer satisfaction lags behind (CSAT 50.0%, target 75.0%).")
    assert nl["action_id"] == en["action_id"]  # the id does not depend on the language


def test_a_straddling_or_touching_interval_never_fires():
    frame = pd.DataFrame(
        {  # hand-made findings against a target of 75
            "ci_low": [60.0, 60.0, 70.0, 75.0, 76.0, np.nan, 40.0],
            "ci_high": [74.9, 75.0, 80.0, 90.0, 90.0, np.nan, 50.0],
            "suppressed": [False, False, False, False, False, True, True],
        }
    )
    # higher is better: worse = wholly below, better = wholly above
    assert _fires(frame, "higher", "worse", 75.0).tolist() == [True, False, False, False, False, False, False]
    assert _fires(frame, "higher", "better", 75.0).tolist() == [False, False, False, False, True, False, False]
    # lower is better (e.g. response time): worse = wholly above
    assert _fires(frame, "lower", "worse", 75.0).tolist() == [False, False, False, False, True, False, False]
    assert _fires(frame, "lower", "better", 75.0).tolist() == [True, False, False, False, False, False, False]


def test_suppressed_groups_propose_nothing(handmade):
    assert propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY, min_n=101).empty


def test_goals_target_wins_over_the_rule(handmade):
    goals = pd.DataFrame(
        {"goal": ["g"], "kpi": ["csat"], "target": [55.0], "direction": ["higher"], "cadence": ["quarter"]}
    )
    proposed = propose_actions(handmade, "2025-Q2", rules=TRAINING_ONLY, goals=goals)
    assert proposed["team"].tolist() == ["D"]  # A's interval 40.4-59.6 straddles 55, D's 30.9-49.8 not
    assert proposed["target"].tolist() == [55.0] and proposed["target_source"].tolist() == ["goals"]


def test_stable_ids_from_rule_kpi_period_and_group():
    expected = "A-" + hashlib.sha256(b"train_team|csat|2025-Q2|team=A").hexdigest()[:10]
    assert action_key("train_team", "csat", "2025-Q2", {"team": "A"}) == expected
    assert action_key("train_team", "csat", "2025-Q3", {"team": "A"}) != expected
    one = action_key("fix_process", "ces", "2025-Q2", {"touchpoint": "billing", "team": "A"})
    two = action_key("fix_process", "ces", "2025-Q2", {"team": "A", "touchpoint": "billing"})
    assert one == two and re.fullmatch(r"A-[0-9a-f]{10}", one)


def test_data_folder_rules_override_the_default(handmade, tmp_path):
    (tmp_path / "rules.yaml").write_text(
        yaml.safe_dump(
            {
                "extends": "default",
                "rules": {
                    "train_team": {"target": 55},
                    **{k: {"enabled": False} for k in load_rules()["rules"] if k != "train_team"},
                },
            }
        ),
        encoding="utf-8",
    )
    data = SimpleNamespace(**{**vars(handmade), "path": tmp_path})
    proposed = propose_actions(data, "2025-Q2")
    assert proposed["team"].tolist() == ["D"] and proposed["target"].tolist() == [55.0]
    assert load_rules(tmp_path)["rules"]["train_team"]["kpi"] == "csat"  # merged field by field


def test_placeholders_are_filled_never_evaluated(handmade):
    rules = {
        "rules": {
            "train_team": {
                **TRAINING_ONLY["rules"]["train_team"],
                "description": {"en": "{team} {value.__class__} {unknown}", "nl": "x"},
            }
        }
    }
    proposed = propose_actions(handmade, "2025-Q2", rules=rules, lang="en")
    assert proposed["description"].tolist() == ["D {value.__class__} {unknown}", "A {value.__class__} {unknown}"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kpi": "happiness"}, "not a KPI catalogue key"),
        ({"when": "sometimes"}, "when 'sometimes' must be one of"),
        ({"by": "team"}, "by must be a list"),
        ({"target": "high"}, "target 'high' is not a number"),
        ({"description": {"en": "only English"}}, "description needs a text in nl and en"),
        ({"colour": "red"}, "unknown field"),
        ({"by": ["touchpoint"]}, "needs 'team' in by or an owner team"),
    ],
)
def test_invalid_rules_name_the_rule(change, message):
    spec = {**load_rules()["rules"]["train_team"], **change}
    with pytest.raises(ValueError, match=re.escape(message)) as err:
        load_rules({"rules": {"my_rule": spec}})
    assert "my_rule" in str(err.value)


# ---- the sample company -------------------------------------------------------------------------
def test_sample_proposes_training_for_service_oost_before_its_training(sample):
    training = sample.actions[sample.actions["action_id"] == "A019"].iloc[0]
    assert str(training["team"]) == "Service Oost" and training["done_on"].quarter == 3  # trained in 2025-Q3
    proposed = propose_actions(sample, "2025-Q2", lang="en")
    train = proposed[proposed["rule"] == "train_team"]
    assert train["team"].tolist() == ["Service Oost"]  # the planted low-CSAT team, and only it
    row = train.iloc[0]
    assert row["target"] == 75.0 and row["target_source"] == "goals"
    assert row["ci_high"] < row["target"]  # the evidence: the whole interval lies below the target
    assert row["value"] == pytest.approx(64.6, abs=0.05) and row["n"] == 463  # data/sample/README.md
    assert row["ci_low"] == pytest.approx(60.1, abs=0.05) and row["ci_high"] == pytest.approx(68.8, abs=0.05)
    assert "Service Oost" in row["trigger"] and "below the target" in row["trigger"]
    assert proposed["rank"].tolist() == list(range(1, len(proposed) + 1))
    assert proposed["customers"].is_monotonic_decreasing


def test_sample_no_training_after_it(sample):
    proposed = propose_actions(sample, "2026-Q3", lang="en")
    assert "Service Oost" not in proposed.loc[proposed["rule"] == "train_team", "team"].tolist()


def test_sample_peak_plan_in_the_snow_quarter_not_in_the_autumn_peak(sample):
    snow = propose_actions(sample, "2026-Q1", lang="en")
    plans = snow[snow["rule"] == "peak_plan"]
    assert {"Service Noord", "Service Oost", "Service West", "Service Zuid"} <= set(plans["team"])
    assert (plans["ci_high"] < 87).all() and (plans["scope"] == "peak_weeks").all()
    autumn = propose_actions(sample, "2025-Q4", lang="en")
    assert autumn[autumn["rule"] == "peak_plan"].empty  # the autumn peak had a peak plan (A022)


def test_sample_coaching_names_the_weak_follow_up_of_field_zuid(sample):
    proposed = propose_actions(sample, "2026-Q3", lang="en")
    coach = proposed[(proposed["rule"] == "coach_behaviour") & (proposed["team"] == "Field Zuid")]
    # issue 14 item 6: the item is named through its label (follow_up → "follow-up"), never as a code
    assert len(coach) == 1 and coach.iloc[0]["detail"].startswith("follow-up ")
