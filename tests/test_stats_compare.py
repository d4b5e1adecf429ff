"""compare() and its two-sample tests: published examples and hand computations."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import cxlib.kpi as kpi
from cxlib.stats import compare
from cxlib.stats.twosample import nps_difference, proportion_difference, rate_difference, welch_difference

TZ = "Europe/Amsterdam"


# ---------------------------------------------------------------- NPS z-test


def test_nps_difference_by_hand():
    # a = 50/30/20 (n 100), b = 30/30/40 (n 100); adjusted Wald (+¾, +1½, +¾; n + 3 = 103):
    # a: p − d = 0.492718 − 0.201456 = 0.291262, se_a = √(0.609341/103) = 0.076915
    # b: p = 30.75/103 = 0.298544, d = 40.75/103 = 0.395631, p − d = −0.097087,
    #    var = 0.694175 − 0.009426 = 0.684749, se_b = √(0.684749/103) = 0.081536
    # se_diff = √(0.076915² + 0.081536²) = 0.112089; adjusted diff = −0.388349
    # z = −0.388349/0.112089 = −3.4647, p = 2Φ(−3.4647) = 0.00053
    # interval 100·(−0.388349 ± 1.959964·0.112089) = −38.835 ± 21.969 = −60.80 to −16.87
    # reported difference: raw NPS −10 − 30 = −40 points
    r = nps_difference(50, 30, 20, 30, 30, 40)
    assert float(r.difference) == pytest.approx(-40.0)
    assert float(r.statistic) == pytest.approx(-3.4647, abs=5e-4)
    assert float(r.p_value) == pytest.approx(0.00053, abs=1e-5)
    assert float(r.ci_low) == pytest.approx(-60.80, abs=0.01)
    assert float(r.ci_high) == pytest.approx(-16.87, abs=0.01)


def test_nps_difference_90_percent_is_narrower_by_z_ratio():
    r95 = nps_difference(50, 30, 20, 30, 30, 40)
    r90 = nps_difference(50, 30, 20, 30, 30, 40, confidence=0.90)
    # 90%: −38.835 ± 1.644854·11.2089 = −38.835 ± 18.437
    assert float(r90.ci_low) == pytest.approx(-38.835 - 18.437, abs=0.01)
    assert float(r90.p_value) == float(r95.p_value)  # the test does not depend on the level


# ---------------------------------------------------------------- proportions


@pytest.mark.parametrize(
    "xb, nb, xa, na, low, high",
    [
        # Newcombe (1998), "Interval estimation for the difference between independent proportions:
        # comparison of eleven methods", Statistics in Medicine 17:873–890, Table II, method 10
        # (hybrid score). Newcombe's θ = p1 − p2 is our b − a.
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
    ],
)
def test_newcombe_1998_hybrid_score_interval(xb, nb, xa, na, low, high):
    r = proportion_difference(xa, na, xb, nb)
    assert float(r.ci_low) == pytest.approx(low, abs=5e-5)
    assert float(r.ci_high) == pytest.approx(high, abs=5e-5)


def test_newcombe_interval_at_90_percent_uses_90_percent_wilson_limits():
    # Method 10 combines the Wilson limits of each proportion at the same level; at 90% the
    # Wilson limits of 56/70 and 48/80 (checked against Newcombe's table at 95% above) give
    # d − √((p_b − l_b)² + (u_a − p_a)²) and d + √((u_b − p_b)² + (p_a − l_a)²).
    from cxlib.stats import wilson

    lb, ub = wilson(56, 70, 0.90)
    la, ua = wilson(48, 80, 0.90)
    pb, pa = 56 / 70, 48 / 80
    r = proportion_difference(48, 80, 56, 70, confidence=0.90)
    assert float(r.ci_low) == pytest.approx(0.2 - np.hypot(pb - lb, ua - pa))
    assert float(r.ci_high) == pytest.approx(0.2 + np.hypot(ub - pb, pa - la))
    assert 0.0524 < float(r.ci_low) and float(r.ci_high) < 0.3339  # inside the 95% interval


def test_two_proportion_z_by_hand_and_against_chi_square():
    # 48/80 vs 56/70: p̄ = 104/150 = 0.693333, se0 = √(0.693333·0.306667·(1/70 + 1/80))
    # = √(0.212622·0.0267857) = 0.0754668, z = 0.2/0.0754668 = 2.65018, p = 0.00804
    r = proportion_difference(48, 80, 56, 70)
    assert float(r.difference) == pytest.approx(0.2)
    assert float(r.statistic) == pytest.approx(2.65018, abs=1e-5)
    assert float(r.p_value) == pytest.approx(0.00804, abs=1e-5)
    # z² equals Pearson's χ² without continuity correction on the 2×2 table
    chi2, p, _, _ = stats.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert float(r.statistic) ** 2 == pytest.approx(chi2)
    assert float(r.p_value) == pytest.approx(p)


def test_two_proportion_equal_extremes_and_empty():
    r = proportion_difference(np.array([0, 5]), np.array([10, 0]), np.array([0, 5]), np.array([10, 10]))
    assert r.p_value[0] == 1.0 and r.statistic[0] == 0.0
    assert np.isnan(r.p_value[1])


# ---------------------------------------------------------------- Welch

SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def _summary(x):
    return x.mean(), x.std(ddof=1), x.size


def test_welch_r_sleep_example():
    # R documentation, t.test(extra ~ group, data = sleep): Welch Two Sample t-test,
    # t = −1.8608, df = 17.776, p-value = 0.07939, 95% interval −3.3654832 to 0.2054832
    # (group 1 − group 2, which is our b − a with a = group 2).
    r = welch_difference(*_summary(SLEEP_2), *_summary(SLEEP_1))
    assert float(r.statistic) == pytest.approx(-1.8608, abs=1e-4)
    assert float(r.df) == pytest.approx(17.776, abs=1e-3)
    assert float(r.p_value) == pytest.approx(0.07939, abs=1e-5)
    assert float(r.ci_low) == pytest.approx(-3.3654832, abs=1e-6)
    assert float(r.ci_high) == pytest.approx(0.2054832, abs=1e-6)


def test_welch_by_hand_and_against_scipy_raw_data():
    # a = 1..5 (mean 3, var 2.5), b = 2,4,..,10 (mean 6, var 10):
    # sa²/na = 0.5, sb²/nb = 2, se = √2.5 = 1.581139, t = 3/1.581139 = 1.897367,
    # df = 2.5²/(0.5²/4 + 2²/4) = 6.25/1.0625 = 5.882353
    a, b = np.arange(1.0, 6.0), np.arange(2.0, 11.0, 2.0)
    r = welch_difference(*_summary(a), *_summary(b))
    assert float(r.difference) == pytest.approx(3.0)
    assert float(r.statistic) == pytest.approx(1.897367, abs=1e-6)
    assert float(r.df) == pytest.approx(5.882353, abs=1e-6)
    ref = stats.ttest_ind(b, a, equal_var=False)
    assert float(r.p_value) == pytest.approx(ref.pvalue)
    ci = ref.confidence_interval(0.90)
    r90 = welch_difference(*_summary(a), *_summary(b), confidence=0.90)
    assert float(r90.ci_low) == pytest.approx(ci.low) and float(r90.ci_high) == pytest.approx(ci.high)


# ---------------------------------------------------------------- Poisson rates


def test_rate_difference_by_hand():
    # a: 10 complaints / 2000 customers, b: 30 / 3000 → rates 0.005 and 0.010, diff 0.005.
    # Wald se = √(10/2000² + 30/3000²) = √(2.5e-6 + 3.3333e-6) = 0.00241523;
    # interval 0.005 ± 1.959964·0.00241523 = 0.000266 to 0.009734.
    # pooled r̄ = 40/5000 = 0.008, se0 = √(0.008·(1/2000 + 1/3000)) = 0.00258199,
    # z = 0.005/0.00258199 = 1.93649, p = 0.0528.
    r = rate_difference(10, 2000, 30, 3000)
    assert float(r.difference) == pytest.approx(0.005)
    assert float(r.ci_low) == pytest.approx(0.000266, abs=1e-6)
    assert float(r.ci_high) == pytest.approx(0.009734, abs=1e-6)
    assert float(r.statistic) == pytest.approx(1.93649, abs=1e-5)
    assert float(r.p_value) == pytest.approx(0.0528, abs=1e-4)


# ---------------------------------------------------------------- compare() on tidy frames


def _responses(blocks):
    """Responses with exact counts: blocks of (quarter start, region, promoters, passives, detractors)."""
    rows = []
    for start, region, p, m, d in blocks:
        for score, count in ((10, p), (8, m), (3, d)):
            rows += [(start, region, score)] * count
    frame = pd.DataFrame(rows, columns=["submitted_at", "region", "nps"])
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"]).dt.tz_localize(TZ)
    frame["region"] = pd.Categorical(frame["region"], categories=["Noord", "Oost", "Zuid"])
    frame["nps"] = frame["nps"].astype("Int64")
    frame["csat"] = pd.array(np.where(frame["nps"] >= 9, 5, 2), dtype="Int64")
    return frame


def test_compare_consecutive_periods_uses_the_nps_z_test():
    data = _responses([("2026-01-15", "Noord", 50, 30, 20), ("2026-04-15", "Noord", 30, 30, 40)])
    out = compare(kpi.nps(data, freq="quarter"))
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["period_a"], row["period_b"]) == ("2026-Q1", "2026-Q2")
    assert row["difference"] == pytest.approx(-40.0)
    assert row["statistic"] == pytest.approx(-3.4647, abs=5e-4)  # hand value above
    assert row["p_adjusted"] == pytest.approx(row["p_value"])  # one comparison: BH changes nothing
    assert bool(row["significant"])


def test_compare_proportions_in_percentage_points():
    data = _responses([("2026-01-15", "Noord", 56, 0, 14), ("2026-04-15", "Noord", 48, 0, 32)])
    out = compare(kpi.csat(data, freq="quarter"))
    row = out.iloc[0]
    # 56/70 → 48/80: difference −20 points; Newcombe interval −33.39 to −5.24 (Table II, mirrored)
    assert row["difference"] == pytest.approx(-20.0)
    assert row["ci_low"] == pytest.approx(-33.39, abs=0.005)
    assert row["ci_high"] == pytest.approx(-5.24, abs=0.005)
    assert row["statistic"] == pytest.approx(-2.65018, abs=1e-5)


def test_compare_between_groups_adjusts_for_many_comparisons():
    data = _responses(
        [
            ("2026-01-15", "Noord", 50, 30, 20),
            ("2026-01-15", "Oost", 30, 30, 40),
            ("2026-01-15", "Zuid", 45, 30, 25),
        ]
    )
    frame = kpi.nps(data, by="region", freq="quarter")
    out = compare(frame, between="region")
    assert list(zip(out["region_a"], out["region_b"])) == [("Noord", "Oost"), ("Noord", "Zuid"), ("Oost", "Zuid")]
    p = out["p_value"].to_numpy()
    # BH by hand for m = 3: sorted p(1) ≤ p(2) ≤ p(3) → min over j ≥ i of 3·p(j)/j
    order = np.argsort(p)
    raw = 3 * p[order] / np.arange(1, 4)
    expected = np.minimum.accumulate(raw[::-1])[::-1]
    np.testing.assert_allclose(out["p_adjusted"].to_numpy()[order], np.minimum(expected, 1))
    ref = compare(frame, between="region", reference="Oost")
    assert set(ref["region_a"]) == {"Oost"} and len(ref) == 2


def test_compare_leaves_suppressed_rows_untested():
    data = _responses([("2026-01-15", "Noord", 5, 3, 2), ("2026-04-15", "Noord", 30, 30, 40)])
    out = compare(kpi.nps(data, freq="quarter"))  # Q1 has n = 10 < 30
    assert np.isnan(out["difference"].iloc[0]) and np.isnan(out["p_value"].iloc[0])
    assert out["significant"].isna().iloc[0]


def test_compare_means_with_welch_and_several_kpis_at_once():
    rng = np.random.default_rng(1)
    n = 400
    data = pd.DataFrame(
        {
            "submitted_at": pd.to_datetime(np.where(np.arange(n) < 200, "2026-01-10", "2026-04-10")).tz_localize(TZ),
            "ces": pd.array(rng.integers(1, 8, n), dtype="Int64"),
            "nps": pd.array(rng.integers(0, 11, n), dtype="Int64"),
        }
    )
    frame = pd.concat([kpi.ces(data, freq="quarter"), kpi.nps(data, freq="quarter")], ignore_index=True)
    out = compare(frame)
    assert list(out["kpi"]) == ["ces", "nps"]
    a = data["ces"].to_numpy(dtype=float)
    ref = stats.ttest_ind(a[200:], a[:200], equal_var=False)
    ces_row = out[out["kpi"] == "ces"].iloc[0]
    assert ces_row["p_value"] == pytest.approx(ref.pvalue)
    assert ces_row["df"] == pytest.approx(ref.df)


def test_compare_rejects_unknown_column():
    data = _responses([("2026-01-15", "Noord", 50, 30, 20)])
    with pytest.raises(KeyError, match="group column"):
        compare(kpi.nps(data, freq=None), between="segment")
