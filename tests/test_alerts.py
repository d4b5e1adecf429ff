"""Alerts: hand-constructed cases for each kind and severity, and the planted snow week.

Hand cases: p-chart limits p̄ ± 3·√(p̄(1 − p̄)/n) (NIST e-Handbook 6.3.3.2), the pooled
two-proportion z-test with Benjamini–Hochberg (Benjamini & Hochberg 1995), the goal status on
the Wilson interval, and action_progress's overdue count. Planted truth (data/sample/README.md,
truth 1): the snow week 2026-01-05..11, first response about 3× slower, SLA attainment falls.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from cxlib.kpi import measure_many
from cxlib.monitor import alerts, kpi_chart_frame
from cxlib.monitor.alerts import ALERT_COLUMNS
from cxlib.paths import DOCS

TZ = "Europe/Amsterdam"
QUARTERS = ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
DAYS = ["2024-03-20", "2024-06-20", "2024-09-20", "2024-12-20", "2025-03-20", "2025-06-20", "2025-09-20", "2025-12-20"]
# satisfied (CSAT 4-5) out of n, per team and quarter 2024-Q1 .. 2025-Q4 (the last one is reviewed)
PANEL = {
    "A": (100, [80, 80, 80, 80, 80, 80, 80, 40]),  # collapses: rule 1 (z = −10) and a big drop
    "B": (100, [80, 80, 80, 80, 80, 80, 80, 82]),  # steady: nothing
    "C": (100, [60, 60, 60, 60, 60, 60, 60, 95]),  # jumps up: a good-side break (low)
    "D": (400, [320, 320, 320, 320, 320, 320, 280, 294]),  # 2 of 3 beyond 2σ below, not 3σ: medium
    "E": (400, [320, 320, 320, 320, 320, 320, 320, 288]),  # drop with |z| = 2.65 < 3: medium drop
}


def responses():
    rows = []
    for team, (n, sats) in PANEL.items():
        for day, sat in zip(DAYS, sats):
            rows += [(team, day, 5 if i < sat else 2) for i in range(n)]
    frame = pd.DataFrame(rows, columns=["team", "day", "csat"])
    return pd.DataFrame(
        {
            "customer_id": pd.array(["C1"] * len(frame), dtype="string"),
            "submitted_at": pd.to_datetime(frame["day"]).dt.tz_localize(TZ),
            "team": pd.array(frame["team"], dtype="string"),
            "csat": pd.array(frame["csat"], dtype="Int64"),
        }
    )


def actions():
    rows = [
        ("X1", "A", "open", "2025-06-01", None),  # due in an earlier quarter: high
        ("X2", "B", "in_progress", "2025-11-01", None),  # due in the quarter: medium
        ("X3", "C", "done", "2025-11-01", "2025-10-20"),  # done: nothing
        ("X4", "D", "open", "2026-03-01", None),
    ]  # not yet due: nothing
    frame = pd.DataFrame(rows, columns=["action_id", "team", "status", "due_on", "done_on"])
    out = frame.astype({"action_id": "string", "team": "string", "status": "category"})
    for col in ("due_on", "done_on"):
        out[col] = pd.to_datetime(frame[col]).dt.tz_localize(TZ)
    out["created_on"] = pd.Timestamp("2024-01-10", tz=TZ)
    out["kpi"] = pd.Categorical(["csat"] * 4)
    return out


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


def data():
    teams = pd.DataFrame({"team": pd.array(list("ABCDE"), dtype="string")})
    return SimpleNamespace(responses=responses(), actions=actions(), teams=teams)


def hand_alerts(**kwargs):
    options = dict(by="team", kpis=["csat", "actions_done"], goals=GOALS, include_total=False)
    return alerts(data(), "2025-Q4", **(options | kwargs))


def kinds(frame):
    return {(r.kind, r.group): r.severity for r in frame.itertuples(index=False)}


def test_each_kind_and_severity_by_hand():
    out = hand_alerts()
    assert list(out.columns) == ALERT_COLUMNS
    assert kinds(out) == {
        ("control_break", "A"): "high",  # rule 1 below: z = (0.40 − 0.80)/0.04 = −10
        # D: 2025-Q3 (70%) lies at z = −4.18 against the 7 earlier quarters (p̄ = 0.7857), so
        # phase I leaves it out; against p̄ = 0.80, σ = 0.02: z = (0.735 − 0.80)/0.02 = −3.25
        ("control_break", "D"): "high",
        ("control_break", "E"): "high",  # z = (0.72 − 0.80)/0.02 = −4
        ("control_break", "C"): "low",  # z = +7.1: better than usual
        ("significant_drop", "A"): "high",  # 80% → 40%, z = −5.8
        ("significant_drop", "E"): "medium",  # 80% → 72%, z = −2.65; BH p = 5·0.0081/3 = 0.013
        ("target_missed", "A"): "high",  # Wilson 30.9–49.8% wholly below 75%
        ("action_overdue", "A"): "high",  # X1 due in 2025-Q2
        ("action_overdue", "B"): "medium",  # X2 due in 2025-Q4
    }
    # sorted by severity, then kind
    assert out["severity"].tolist() == sorted(out["severity"].tolist(), key=["high", "medium", "low"].index)
    rows = out.set_index(["kind", "group"])
    assert rows.loc[("control_break", "A"), "value"] == pytest.approx(40.0)
    assert rows.loc[("control_break", "A"), "reference"] == pytest.approx(80.0)  # the phase-I center
    assert rows.loc[("control_break", "D"), "reference"] == pytest.approx(80.0)  # without 2025-Q3
    assert rows.loc[("significant_drop", "E"), "reference"] == pytest.approx(80.0)
    assert rows.loc[("target_missed", "A"), "reference"] == pytest.approx(75.0)
    assert rows.loc[("action_overdue", "A"), "value"] == 1


def test_sentences_in_both_languages():
    out = hand_alerts(lang="nl").set_index(["kind", "group"])
    assert out.loc[("control_break", "A"), "message_en"] == (
        "A: Customer satisfaction (CSAT) was 40.0% in 2025-Q4, outside its usual range "
        "(centre line 80.0%; beyond 3.0σ, allowing for the usual wobble)."
    )
    assert out.loc[("control_break", "A"), "message_nl"].startswith(
        "A: Klanttevredenheid (CSAT) was 40,0% in 2025-Q4, buiten de gebruikelijke spreiding"
    )
    assert out.loc[("significant_drop", "A"), "message_en"] == (
        "A: Customer satisfaction (CSAT) got significantly worse, from 80.0% in 2025-Q3 to 40.0% in 2025-Q4 "
        "(−40.0 percentage points)."
    )
    assert "buiten 3,0σ" in out.loc[("control_break", "D"), "message_nl"]
    assert "95%" in out.loc[("target_missed", "A"), "message_en"]
    assert (out["message"] == out["message_nl"]).all()
    assert out["message_en"].str.len().gt(20).all() and out["message_nl"].str.len().gt(20).all()


def test_total_and_no_findings():
    total = hand_alerts(by=None)
    assert set(total["group"]) == {"all"}  # the whole-data key; the messages name it in their language
    nothing = alerts(data(), "2025-Q2", by="team", kpis=["csat"], goals=False, include_total=False)
    assert nothing.empty and list(nothing.columns) == ALERT_COLUMNS
    # the first period has no history: no control chart is judged, no comparison is possible
    first = alerts(data(), "2024-Q1", by="team", kpis=["csat"], goals=False, include_total=False)
    assert first.empty
    # three earlier quarters are too few (phase I needs 4): listed, not judged
    early = alerts(data(), "2024-Q4", by="team", kpis=["csat"], goals=False, include_total=False)
    waiting = early.attrs["not_judged"]
    assert len(waiting) == 5 and set(waiting["baseline_periods"]) == {3}
    assert waiting["message"].iloc[0] == "too little history to judge (3 of 4 periods)"


def test_alerts_on_the_sample_are_deterministic(sample):
    first = alerts(sample, "2026-Q3")
    again = alerts(sample, "2026-Q3")
    pdt.assert_frame_equal(first, again)
    assert len(first) > 0


def _documented(section: str) -> list[list[str]]:
    """Rows of the markdown table between <!-- alerts SECTION --> markers in docs/monitoring.md."""
    text = (DOCS / "monitoring.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- alerts {section} -->(.*?)<!-- /alerts {section} -->", text, re.S)
    assert block, f"docs/monitoring.md has no alerts table for {section}"
    lines = [ln for ln in block.group(1).splitlines() if ln.startswith("|")][2:]
    return [[c.strip().strip("`") for c in ln.strip("|").split("|")] for ln in lines]


def test_sample_alerts_for_2026_q3_are_documented(sample):
    out = alerts(sample, "2026-Q3")
    documented = [tuple(r[:4]) for r in _documented("2026-Q3")]
    assert documented == list(zip(out["severity"].astype(str), out["kind"].astype(str), out["kpi"], out["group"]))


def test_sample_alert_counts_for_2026_q1_are_documented(sample):
    out = alerts(sample, "2026-Q1")
    counts = out.groupby(["kind", "severity"], observed=True).size()
    documented = {(r[0], r[1]): int(r[2]) for r in _documented("2026-Q1")}
    assert documented == {(str(k), str(s)): int(v) for (k, s), v in counts.items()}


def test_snow_week_breaks_the_monthly_response_time_chart(sample):
    frames = measure_many(sample, ["first_response_time", "sla_attainment"], freq="month")
    for key, side in (("first_response_time", 1), ("sla_attainment", -1)):
        frame = frames[key]
        chart = kpi_chart_frame(frame, baseline=[p for p in frame["period"] if p < "2026-01"])
        before = chart[chart["period"] < "2026-01"]
        assert not before["signal"].any(), f"{key}: the 15 months before the snow are in control"
        jan = chart.set_index("period").loc["2026-01"]
        assert bool(jan["rule_1"]) and np.sign(jan["z"]) == side
    # the month's mean first response is well above the usual level (the week itself: 3x)
    frt = kpi_chart_frame(frames["first_response_time"]).set_index("period").loc["2026-01"]
    assert frt["statistic"] / frt["center"] > 1.5


def test_snow_week_is_an_alert_for_2026_q1(sample):
    out = alerts(sample, "2026-Q1")
    whole = out[out["group"] == "all"].set_index(["kind", "kpi"])
    assert whole.loc[("control_break", "first_response_time"), "severity"] == "high"
    assert whole.loc[("significant_drop", "first_response_time"), "severity"] == "high"
    assert whole.loc[("control_break", "sla_attainment"), "severity"] == "high"
    assert (
        whole.loc[("control_break", "first_response_time"), "value"]
        > whole.loc[("control_break", "first_response_time"), "reference"]
    )
    # and nothing of the kind in 2025-Q4 (the autumn peak did not slow responses)
    calm = alerts(sample, "2025-Q4")
    assert not (
        (calm["kpi"] == "first_response_time") & (calm["kind"] != "target_missed") & (calm["severity"] != "low")
    ).any()
    # monthly: the snow month itself
    month = alerts(sample, "2026-01", by=None)
    assert (
        (month["kind"] == "control_break") & (month["kpi"] == "first_response_time") & (month["severity"] == "high")
    ).any()


def _stable_panel(rng, units, n, wobble, history=4):
    """A tidy CSAT frame: ``units`` units, ``history`` + 1 quarters, 80% with a between-quarter
    wobble of sd ``wobble`` (fraction) and binomial answers of n per quarter."""
    labels = [f"{2024 + i // 4}-Q{i % 4 + 1}" for i in range(history + 1)]
    p = np.clip(0.8 + rng.normal(0, wobble, (units, history + 1)), 0, 1)
    x = rng.binomial(n, p)
    return pd.DataFrame(
        {
            "group": np.repeat([f"U{i:03d}" for i in range(units)], history + 1),
            "period": np.tile(labels, units),
            "kpi": "csat",
            "n": n,
            "value": (100 * x / n).ravel(),
            "successes": x.ravel(),
            "suppressed": False,
        }
    ), labels[-1]


@pytest.mark.simulation
@pytest.mark.parametrize("n, wobble", [(200, 0.0), (3000, 0.01)])
def test_false_alarm_budget_on_stable_data_and_with_ordinary_wobble(n, wobble):
    # Budget (docs/monitoring.md): at most one false alert per unit per year across the charted
    # KPIs: quarterly, 9 KPIs, so at most 1/36 false control alerts per judged unit-quarter.
    # 100 simulated reports of 9 units each with a phase I of 4 quarters; stable process (80%),
    # either pure binomial (n = 200) or with a 1-point wobble between quarters at n = 3,000
    # (issue 13: binomial limits signalled 14% of such quarters). One-sided binomial check.
    from cxlib.monitor.alerts import control_limit, judge_period

    rng = np.random.default_rng(2002)
    L = control_limit("quarter", 9)
    assert L == 3.0
    signals, judged = 0, 0
    for _ in range(100):
        frame, last = _stable_panel(rng, 9, n, wobble)
        out = judge_period(frame, last, L=L)
        signals += int(out["signal"].sum())
        judged += int(out["judged"].sum())
    assert judged >= 850
    assert signals / judged <= 1 / 36
