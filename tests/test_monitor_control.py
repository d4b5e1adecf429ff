"""Control charts (cxlib.monitor) against published examples and hand-derived cases.

Sources:
- NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.3.2 "Proportions control charts"
  (wafer example: 30 samples of n = 50, p̄ = 0.2313, UCL 0.4102, LCL 0.0524). The same 30
  counts are Montgomery's orange-juice can data (Introduction to Statistical Quality
  Control, fraction-nonconforming chart example), where samples 15 and 23 exceed the UCL
  and the revised limits without them are p̄ = 0.2150, UCL 0.3893, LCL 0.0407.
- NIST e-Handbook 6.3.2.4 "EWMA control charts" (λ = 0.3, target 50, s = 2.0539, 20 points,
  the EWMA table to 2 decimals, UCL 52.5884, LCL 47.4115).
- NIST e-Handbook 6.3.2.2 individuals chart (10 flow-rate batches: x̄ = 50.81,
  MR̄ = 1.8778, UCL 55.8041, LCL 45.8159).
- Western Electric Statistical Quality Control Handbook (1956), zone rules 1-4: the
  sequences below are built by hand so that exactly one rule fires, or none.
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from cxlib.monitor import ewma_chart_frame, nps_chart_frame, p_chart_frame, western_electric  # noqa: E402

# NIST 6.3.3.2 / Montgomery: fraction defective per sample of 50 (sum of counts = 347).
WAFER_FRACTIONS = [
    0.24,
    0.30,
    0.16,
    0.20,
    0.08,
    0.14,
    0.32,
    0.18,
    0.28,
    0.20,
    0.10,
    0.12,
    0.34,
    0.24,
    0.44,
    0.16,
    0.20,
    0.10,
    0.26,
    0.22,
    0.40,
    0.36,
    0.48,
    0.30,
    0.18,
    0.24,
    0.14,
    0.26,
    0.18,
    0.12,
]
NIST_EWMA_DATA = [
    52.0,
    47.0,
    53.0,
    49.3,
    50.1,
    47.0,
    51.0,
    50.1,
    51.2,
    50.5,
    49.6,
    47.6,
    49.9,
    51.3,
    47.8,
    51.2,
    52.6,
    52.4,
    53.6,
    52.1,
]
# The handbook's EWMA column, z_1 … z_20 (z_0 = 50.00 left out).
NIST_EWMA_PUBLISHED = [
    50.60,
    49.52,
    50.56,
    50.18,
    50.16,
    49.21,
    49.75,
    49.85,
    50.26,
    50.33,
    50.11,
    49.36,
    49.52,
    50.05,
    49.38,
    49.92,
    50.73,
    51.23,
    51.94,
    51.99,
]
NIST_FLOW_RATE = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]


def periods(k: int) -> list[str]:
    return [f"P{i + 1:02d}" for i in range(k)]


def wafer_counts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": periods(30),
            "x": [round(f * 50) for f in WAFER_FRACTIONS],
            "n": 50,
        }
    )


# ---------------------------------------------------------------- p-chart


def test_p_chart_nist_wafer_limits():
    chart = p_chart_frame(wafer_counts(), x_col="x", scale=1.0)
    assert chart["center"].iloc[0] == pytest.approx(347 / 1500)  # = 0.2313
    assert chart["ucl"].iloc[0] == pytest.approx(0.4102, abs=5e-5)
    assert chart["lcl"].iloc[0] == pytest.approx(0.0524, abs=5e-5)
    # by hand: σ = √(0.231333·0.768667/50) = 0.059635
    assert chart["sigma"].iloc[0] == pytest.approx(0.059635, abs=1e-6)
    assert chart["p"].tolist() == pytest.approx(WAFER_FRACTIONS)


def test_p_chart_wafer_points_beyond_the_ucl_are_15_and_23():
    # Montgomery: samples 15 (0.44) and 23 (0.48) exceed UCL 0.4102; every other ≤ 0.40.
    chart = p_chart_frame(wafer_counts(), x_col="x", scale=1.0)
    assert chart.loc[chart["rule_1"], "period"].tolist() == ["P15", "P23"]
    assert chart.loc[chart["period"] == "P23", "rules"].item().startswith("rule 1: 1 point beyond 3σ above center")


def test_p_chart_baseline_gives_montgomery_revised_limits():
    # Without samples 15 and 23: p̄ = (347 − 22 − 24)/1400 = 0.2150,
    # 3σ = 3·√(0.215·0.785/50) = 0.17430 → UCL 0.3893, LCL 0.0407.
    data = wafer_counts()
    chart = p_chart_frame(data, x_col="x", scale=1.0, baseline=~data["period"].isin(["P15", "P23"]))
    assert chart["center"].iloc[0] == pytest.approx(0.2150)
    assert chart["ucl"].iloc[0] == pytest.approx(0.3893, abs=5e-5)
    assert chart["lcl"].iloc[0] == pytest.approx(0.0407, abs=5e-5)
    assert not chart.loc[chart["period"].isin(["P15", "P23"]), "baseline"].any()
    # the same baseline given as period labels
    labels = [p for p in periods(30) if p not in ("P15", "P23")]
    again = p_chart_frame(data, x_col="x", scale=1.0, baseline=labels)
    assert again["ucl"].tolist() == pytest.approx(chart["ucl"].tolist())


def test_p_chart_reads_a_kpi_frame_in_percent():
    kpi = pd.DataFrame(
        {
            "period": periods(30),
            "kpi": "csat",
            "n": 50,
            "value": [100 * f for f in WAFER_FRACTIONS],
            "suppressed": False,
        }
    )
    chart = p_chart_frame(kpi)
    assert chart["kpi"].eq("csat").all()
    assert chart["center"].iloc[0] == pytest.approx(100 * 347 / 1500)
    assert chart["ucl"].iloc[0] == pytest.approx(41.02, abs=5e-3)
    assert chart["lcl"].iloc[0] == pytest.approx(5.24, abs=5e-3)
    assert chart.loc[chart["rule_1"], "period"].tolist() == ["P15", "P23"]


def test_p_chart_limits_follow_each_periods_n_and_are_clipped():
    # p̄ = (10 + 30)/(100 + 400) = 0.08.
    # n = 100: 3σ = 3·√(0.08·0.92/100) = 0.081388 → UCL 0.161388, LCL −0.001388 → clipped to 0.
    # n = 400: 3σ = 3·√(0.08·0.92/400) = 0.040694 → UCL 0.120694, LCL 0.039306.
    data = pd.DataFrame({"period": ["A", "B"], "x": [10, 30], "n": [100, 400]})
    chart = p_chart_frame(data, x_col="x", scale=1.0)
    assert chart["center"].tolist() == pytest.approx([0.08, 0.08])
    assert chart["ucl"].tolist() == pytest.approx([0.161388, 0.120694], abs=1e-6)
    assert chart["lcl"].tolist() == pytest.approx([0.0, 0.039306], abs=1e-6)


def test_p_chart_keeps_suppressed_rows_out_of_the_center():
    # Row C is suppressed (n < min_n): value NaN, n kept. p̄ = (10 + 30)/500 = 8 %.
    # Its limits still follow its n: 8 + 300·√(0.08·0.92/10) = 8 + 25.7371 = 33.7371.
    data = pd.DataFrame(
        {
            "period": ["A", "B", "C"],
            "n": [100, 400, 10],
            "value": [10.0, 7.5, np.nan],
            "suppressed": [False, False, True],
        }
    )
    chart = p_chart_frame(data)
    assert chart["center"].tolist() == pytest.approx([8.0, 8.0, 8.0])
    row = chart.iloc[2]
    assert row["suppressed"] and not row["signal"] and not row["baseline"]
    assert math.isnan(row["p"]) and math.isnan(row["z"])
    assert row["ucl"] == pytest.approx(33.7371, abs=1e-4)
    assert len(chart) == 3


def test_p_chart_by_group_has_its_own_center():
    data = pd.DataFrame(
        {
            "team": ["a", "a", "b", "b"],
            "period": ["Q1", "Q2", "Q1", "Q2"],
            "x": [10, 30, 50, 50],
            "n": [100, 100, 100, 100],
        }
    )
    chart = p_chart_frame(data, x_col="x", by="team", scale=1.0)
    assert chart.set_index("team")["center"].to_dict() == pytest.approx({"a": 0.2, "b": 0.5})


def test_p_chart_zero_width_limits_still_signal():
    # Baseline A, B has no failures: p̄ = 0, σ = 0, limits 0..0. C has 1 of 10: off the
    # zero-width limit, so rule 1 fires (z = +inf).
    data = pd.DataFrame({"period": ["A", "B", "C"], "x": [0, 0, 1], "n": [10, 10, 10]})
    chart = p_chart_frame(data, x_col="x", baseline=["A", "B"])
    assert chart["ucl"].tolist() == [0.0, 0.0, 0.0]
    assert chart["signal"].tolist() == [False, False, True]


def test_p_chart_accepts_nullable_and_categorical_columns():
    data = pd.DataFrame(
        {
            "team": pd.Categorical(["a", "a", "b", "b"]),
            "period": pd.array(["2026-Q1", "2026-Q2"] * 2, dtype="string"),
            "n": pd.array([10, pd.NA, 20, 20], dtype="Int64"),
            "value": pd.array([50.0, pd.NA, 25.0, 75.0], dtype="Float64"),
            "suppressed": pd.array([False, True, False, False], dtype="boolean"),
        }
    )
    chart = p_chart_frame(data, by="team")
    assert chart["n"].dtype == "Int64"
    assert chart["suppressed"].tolist() == [False, True, False, False]
    assert chart["center"].tolist() == pytest.approx([50.0, 50.0, 50.0, 50.0])


def test_p_chart_rejects_more_successes_than_n():
    data = pd.DataFrame({"period": ["A"], "x": [11], "n": [10]})
    with pytest.raises(ValueError, match="0..n"):
        p_chart_frame(data, x_col="x")


def test_p_chart_rejects_duplicate_periods():
    data = pd.DataFrame({"period": ["A", "A"], "x": [1, 2], "n": [10, 10]})
    with pytest.raises(ValueError, match="more than one row"):
        p_chart_frame(data, x_col="x")


# ---------------------------------------------------------------- EWMA


def nist_ewma() -> pd.DataFrame:
    data = pd.DataFrame({"period": periods(20), "value": NIST_EWMA_DATA})
    return ewma_chart_frame(data, lam=0.3, L=3.0, target=50.0, sigma=2.0539)


def test_ewma_reproduces_the_nist_table():
    chart = nist_ewma()
    np.testing.assert_allclose(chart["ewma"], NIST_EWMA_PUBLISHED, atol=0.005)
    assert chart["center"].eq(50.0).all()


def test_ewma_limits_start_narrow_and_reach_the_nist_steady_state():
    chart = nist_ewma()
    # i = 1: σ_z = λ·s = 0.3·2.0539 = 0.61617 → 50 ± 1.84851.
    assert chart["ucl"].iloc[0] == pytest.approx(51.84851, abs=1e-5)
    assert chart["lcl"].iloc[0] == pytest.approx(48.15149, abs=1e-5)
    # i = 20: 1 − 0.7⁴⁰ ≈ 1, so the steady state 50 ± 3·2.0539·√(0.3/1.7) = 50 ± 2.58843.
    # NIST prints UCL 52.5884 and LCL 47.4115 (its 0.4201 factor is truncated).
    assert chart["ucl"].iloc[-1] == pytest.approx(52.5884, abs=1e-4)
    assert chart["lcl"].iloc[-1] == pytest.approx(47.4115, abs=1e-4)
    assert chart["ucl"].is_monotonic_increasing


def test_ewma_nist_example_has_no_signal():
    # The published EWMA values range 49.21 … 51.99; by hand each lies inside its limit
    # (e.g. z_19 = 51.94 < 52.588), so rule 1 never fires.
    assert not nist_ewma()["signal"].any()


def test_ewma_with_lambda_one_is_the_nist_individuals_chart():
    # λ = 1 makes z_i = x_i and σ_z = σ. Defaults: target = mean = 50.81,
    # σ = MR̄/1.128 with MR̄ = 16.9/9 = 1.8778 → limits 50.81 ± 4.9941 (NIST 6.3.2.2).
    data = pd.DataFrame({"period": periods(10), "value": NIST_FLOW_RATE})
    chart = ewma_chart_frame(data, lam=1.0)
    assert chart["center"].iloc[0] == pytest.approx(50.81)
    assert chart["ucl"].iloc[0] == pytest.approx(55.8041, abs=1e-4)
    assert chart["lcl"].iloc[0] == pytest.approx(45.8159, abs=1e-4)
    assert chart["ewma"].tolist() == pytest.approx(NIST_FLOW_RATE)


def test_ewma_uses_sigma_over_root_n():
    # n = 4, σ = 2 → σ_x̄ = 1. λ = 0.2, L = 3:
    # i = 1: 3·0.2·1 = 0.6; steady state: 3·√(0.2/1.8) = 1.0.
    data = pd.DataFrame({"period": periods(60), "value": 0.0, "n": 4})
    chart = ewma_chart_frame(data, lam=0.2, target=0.0, sigma=2.0)
    assert chart["ucl"].iloc[0] == pytest.approx(0.6)
    assert chart["ucl"].iloc[-1] == pytest.approx(1.0, abs=1e-9)
    assert chart["lcl"].iloc[-1] == pytest.approx(-1.0, abs=1e-9)


def test_ewma_varying_n_uses_the_weighted_variance():
    # λ = 0.5, σ = 1, n = (1, 4):
    # Var z_1 = 0.25·1/1 = 0.25; Var z_2 = 0.25·0.25·1/1 + 0.25·1/4 = 0.125.
    data = pd.DataFrame({"period": ["A", "B"], "value": [0.0, 0.0], "n": [1, 4]})
    chart = ewma_chart_frame(data, lam=0.5, target=0.0, sigma=1.0)
    assert chart["sigma"].tolist() == pytest.approx([0.5, math.sqrt(0.125)])


def test_ewma_defaults_from_the_mean_kpi_frame():
    # target = (5·3 + 11·6)/16 = 5.0625 (n-weighted);
    # σ = √((4·2² + 10·1²)/14) = √(26/14) = 1.362770 (pooled sd);
    # i = 1: σ_z = 0.2·1.362770/√5 = 0.121890.
    data = pd.DataFrame({"period": ["A", "B"], "kpi": "ces", "value": [3.0, 6.0], "n": [5, 11], "sd": [2.0, 1.0]})
    chart = ewma_chart_frame(data)
    assert chart["center"].iloc[0] == pytest.approx(5.0625)
    assert chart["sigma"].iloc[0] == pytest.approx(0.121890, abs=1e-6)


def test_ewma_needs_sigma_when_n_has_no_sd():
    data = pd.DataFrame({"period": ["A", "B"], "value": [1.0, 2.0], "n": [5, 5]})
    with pytest.raises(ValueError, match="sigma"):
        ewma_chart_frame(data)
    with pytest.raises(KeyError):
        ewma_chart_frame(data, n_col="count", sigma=1.0)


def test_ewma_skips_suppressed_periods():
    # z_1 = 0.3·52 + 0.7·50 = 50.6; the suppressed row is skipped;
    # next z = 0.3·47 + 0.7·50.6 = 49.52 (as NIST's z_2).
    data = pd.DataFrame({"period": ["A", "B", "C"], "value": [52.0, np.nan, 47.0], "suppressed": [False, True, False]})
    chart = ewma_chart_frame(data, lam=0.3, target=50.0, sigma=2.0539)
    assert chart["ewma"].iloc[0] == pytest.approx(50.6)
    assert math.isnan(chart["ewma"].iloc[1]) and chart["suppressed"].iloc[1]
    assert chart["ewma"].iloc[2] == pytest.approx(49.52)


def test_ewma_flags_a_shift():
    # target 0, σ = 1, λ = 0.5; x = 0, 0, 0, 4, 4 → z = 0, 0, 0, 2, 3.
    # σ_z4 = √(0.25·(1 + 0.25 + 0.0625 + 0.015625)) = 0.57622 → limit 1.7287 < 2: signal.
    data = pd.DataFrame({"period": periods(5), "value": [0.0, 0.0, 0.0, 4.0, 4.0]})
    chart = ewma_chart_frame(data, lam=0.5, target=0.0, sigma=1.0)
    assert chart["ewma"].tolist() == pytest.approx([0, 0, 0, 2, 3])
    assert chart["ucl"].iloc[3] == pytest.approx(1.7287, abs=1e-4)
    assert chart["signal"].tolist() == [False, False, False, True, True]
    assert not chart[["rule_2", "rule_3", "rule_4"]].any().any()


def test_ewma_by_group():
    data = pd.DataFrame(
        {"team": ["a"] * 3 + ["b"] * 3, "period": periods(3) * 2, "value": [1.0, 1.0, 1.0, 5.0, 5.0, 5.0]}
    )
    chart = ewma_chart_frame(data, by="team", sigma=1.0)
    assert chart.groupby("team")["center"].first().to_dict() == pytest.approx({"a": 1.0, "b": 5.0})
    assert chart["ewma"].tolist() == pytest.approx([1, 1, 1, 5, 5, 5])


# ---------------------------------------------------------------- Western Electric


def fired(z, **kwargs) -> dict[str, list[int]]:
    flags = western_electric(np.asarray(z, dtype=float), **kwargs)
    return {c: list(np.flatnonzero(flags[c])) for c in ["rule_1", "rule_2", "rule_3", "rule_4"] if flags[c].any()}


def test_rule_1_alone():
    assert fired([0, 0.5, -0.5, 3.2, 0.3]) == {"rule_1": [3]}
    assert fired([0, -3.2]) == {"rule_1": [1]}


def test_rule_1_boundary_is_strict():
    assert fired([0, 3.0, -3.0]) == {}


def test_rule_2_alone():
    # 2.5, 0.5, 2.5: two of three beyond 2σ above; only two beyond 1σ, no 8-run.
    assert fired([0, 2.5, 0.5, 2.5, 0]) == {"rule_2": [3]}


def test_rule_2_opposite_sides_does_not_fire():
    assert fired([0, 2.5, 0.5, -2.5, 0]) == {}


def test_rule_2_needs_both_within_three():
    assert fired([2.5, 0.5, 0.5, 2.5]) == {}


def test_rule_2_at_the_start_of_a_series():
    # two points beyond 2σ make "2 of 3" whatever the third will be
    assert fired([2.5, 2.5]) == {"rule_2": [1]}


def test_rule_3_alone():
    # window 1.5, 1.5, 0.5, 1.5, 1.5 → 4 of 5 beyond 1σ; 5 above the center (< 8)
    assert fired([0, 1.5, 1.5, 0.5, 1.5, 1.5]) == {"rule_3": [5]}


def test_rule_3_mixed_sides_does_not_fire():
    assert fired([0, 1.5, -1.5, 1.5, 1.5, 0.5]) == {}


def test_rule_4_eight_in_a_row_fires_seven_does_not():
    assert fired([-0.5] + [0.5] * 8) == {"rule_4": [8]}
    assert fired([-0.5] + [0.5] * 7 + [-0.5]) == {}
    assert fired([0.5] * 9) == {"rule_4": [7, 8]}
    assert fired([-0.5] * 8) == {"rule_4": [7]}


def test_rule_4_a_point_on_the_center_breaks_the_run():
    assert fired([0.5] * 4 + [0.0] + [0.5] * 4) == {}


def test_missing_values_are_skipped_not_run_breakers():
    flags = western_electric(np.array([0.5] * 4 + [np.nan] + [0.5] * 4))
    assert flags["rule_4"].tolist() == [False] * 8 + [True]
    assert not flags["signal"].iloc[4]


def test_groups_are_judged_separately():
    z = np.array([0.5] * 8)
    assert fired(z) == {"rule_4": [7]}
    assert fired(z, group=["a", "b"] * 4) == {}


def test_unselected_rules_stay_false_and_text_reads_well():
    flags = western_electric(pd.Series([0, 2.5, 0.5, 2.5, 3.5]), rules=(1,))
    assert not flags["rule_2"].any()
    assert flags["rules"].tolist() == ["", "", "", "", "rule 1: 1 point beyond 3σ above center"]
    both = western_electric([0, 2.5, 0.5, 2.5, -3.5])
    assert both["rules"].iloc[3] == "rule 2: 2 of 3 beyond 2σ above center"
    assert both["rules"].iloc[4] == "rule 1: 1 point beyond 3σ below center"
    assert both["signal"].tolist() == [False, False, False, True, True]


def test_rules_reject_unknown_numbers():
    with pytest.raises(ValueError):
        western_electric([0.0], rules=(5,))


# ---------------------------------------------------------------- NPS


def nps_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["A", "B", "C"],
            "kpi": "nps",
            "promoters": [50, 100, 20],
            "passives": [30, 60, 20],
            "detractors": [20, 40, 60],
        }
    )


def test_nps_chart_limits_from_pooled_shares():
    # Baseline A + B: p₊ = 150/300 = 0.5, p₋ = 60/300 = 0.2, center = 30 points.
    # Var(NPS/100) = p₊(1 − p₊) + p₋(1 − p₋) + 2p₊p₋ = p₊ + p₋ − (p₊ − p₋)² = 0.61 per answer.
    # n = 100: σ = 100·√(0.61/100) = 7.81025 → 30 ± 23.43075.
    # n = 200: σ = 100·√(0.61/200) = 5.52268.
    chart = nps_chart_frame(nps_frame(), baseline=["A", "B"])
    assert chart["center"].tolist() == pytest.approx([30.0] * 3)
    assert chart["sigma"].tolist() == pytest.approx([7.81025, 5.52268, 7.81025], abs=1e-5)
    assert chart["ucl"].iloc[0] == pytest.approx(53.43075, abs=1e-5)
    assert chart["lcl"].iloc[0] == pytest.approx(6.56925, abs=1e-5)
    assert chart["nps"].tolist() == pytest.approx([30.0, 30.0, -40.0])
    assert chart["n"].tolist() == [100, 200, 100]


def test_nps_chart_flags_a_detractor_surge():
    # C: NPS = (20 − 60)/100·100 = −40 < LCL 6.57 → rule 1 below.
    chart = nps_chart_frame(nps_frame(), baseline=["A", "B"])
    assert chart["rule_1"].tolist() == [False, False, True]
    assert chart["rules"].iloc[2] == "rule 1: 1 point beyond 3σ below center"


def test_nps_chart_limits_are_clipped_to_the_scale():
    data = pd.DataFrame({"period": ["A", "B"], "promoters": [9, 1], "passives": [0, 0], "detractors": [1, 0]})
    chart = nps_chart_frame(data)
    assert (chart["ucl"] <= 100).all() and (chart["lcl"] >= -100).all()


def test_nps_chart_skips_suppressed_rows():
    data = nps_frame().assign(suppressed=[False, False, True])
    chart = nps_chart_frame(data)
    assert chart["center"].iloc[0] == pytest.approx(30.0)  # C left out of the pooled NPS
    assert chart["suppressed"].tolist() == [False, False, True]
    assert math.isnan(chart["nps"].iloc[2]) and not chart["signal"].iloc[2]


def test_nps_chart_rejects_negative_counts():
    data = pd.DataFrame({"period": ["A"], "promoters": [-1], "passives": [5], "detractors": [5]})
    with pytest.raises(ValueError, match="counts"):
        nps_chart_frame(data)


# ---------------------------------------------------------------- plot


def test_control_chart_draws_series_limits_and_signals():
    import matplotlib.pyplot as plt

    from cxlib.plots.control import control_chart

    chart = p_chart_frame(wafer_counts(), x_col="x", scale=1.0)
    ax = control_chart(chart, title="wafers")
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["p"].get_ydata(), chart["p"])
    assert "centre line" in lines and "control limits" in lines  # monitor.center, monitor.limits (en)
    signals = ax.collections[0].get_offsets()
    assert len(signals) == int(chart["signal"].sum())
    assert ax.get_title() == "wafers"
    plt.close(ax.figure)


def test_control_chart_ewma_and_one_series_only():
    import matplotlib.pyplot as plt

    from cxlib.plots.control import control_chart

    ax = control_chart(nist_ewma(), ylabel="flow")
    labels = [line.get_label() for line in ax.get_lines()]
    assert "period mean" in labels and "EWMA" in labels
    assert ax.get_ylabel() == "flow"
    plt.close(ax.figure)
    grouped = p_chart_frame(
        pd.DataFrame({"team": ["a", "b"], "period": ["Q1", "Q1"], "x": [1, 2], "n": [10, 10]}), x_col="x", by="team"
    )
    with pytest.raises(ValueError, match="one group"):
        control_chart(grouped)
