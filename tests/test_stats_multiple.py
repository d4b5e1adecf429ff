"""Benjamini–Hochberg against the published example of Benjamini & Hochberg (1995)."""

import numpy as np
import pandas as pd
import pytest

from cxlib.stats import benjamini_hochberg

# Benjamini & Hochberg (1995), "Controlling the false discovery rate", JRSS B 57:289–300,
# section 4.2: the 15 p-values of a myocardial-infarction study. At q = 0.05 the procedure
# rejects the four smallest (Bonferroni only three).
BH_1995 = np.array(
    [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.0000,
    ]
)

# Adjusted p-values by hand: m·p(i)/i, then the running minimum from the largest p down.
#   i:    1       2      3       4         5       6       7         8       9       10     ...
#   m·p/i 0.0015  0.003  0.0095  0.035625  0.0603  0.0695  0.063857  0.0645  0.0765  0.486
#   11: 0.581182  12: 0.714875  13: 0.753231  14: 0.813214  15: 1.0
# running minimum from the top changes only i = 6: min(0.0695, 0.063857) = 0.063857.
HAND = np.array(
    [
        0.0015,
        0.003,
        0.0095,
        0.035625,
        0.0603,
        0.0298 * 15 / 7,
        0.0298 * 15 / 7,
        0.0645,
        0.0765,
        0.486,
        0.4262 * 15 / 11,
        0.714875,
        0.6528 * 15 / 13,
        0.759 * 15 / 14,
        1.0,
    ]
)


def test_bh_1995_adjusted_values_and_rejections():
    adjusted = benjamini_hochberg(BH_1995)
    np.testing.assert_allclose(adjusted, HAND, rtol=1e-9)
    assert (adjusted <= 0.05).sum() == 4


def test_bh_order_does_not_matter_and_series_keep_their_index():
    rng = np.random.default_rng(0)
    order = rng.permutation(BH_1995.size)
    s = pd.Series(BH_1995[order], index=[f"h{i}" for i in order])
    adjusted = benjamini_hochberg(s)
    assert isinstance(adjusted, pd.Series)
    assert adjusted["h3"] == pytest.approx(0.035625)


def test_bh_missing_p_values_stay_missing_and_do_not_count():
    # with m = 2 real p-values: 0.01·2/1 = 0.02, 0.04·2/2 = 0.04
    out = benjamini_hochberg([0.01, np.nan, 0.04])
    assert out[0] == pytest.approx(0.02) and np.isnan(out[1]) and out[2] == pytest.approx(0.04)


def test_fcr_confidence_by_hand():
    # Benjamini & Yekutieli (2005): R selected of m by BH at q -> intervals at 1 - R q/m.
    # p = 0.001, 0.01, 0.03, 0.2 with q = 0.05: BH keeps p(i) <= i q/m for i = 1..3
    # (0.0125, 0.025, 0.0375), not 0.2 > 0.05: R = 3, level 1 - 3 * 0.05/4 = 0.9625.
    from cxlib.stats import fcr_confidence

    assert fcr_confidence([0.001, 0.01, 0.03, 0.2]) == pytest.approx(0.9625)
    # nothing selected: 1 - q/m (Bonferroni-wide); a single test: the plain 1 - q
    assert fcr_confidence([0.5, 0.9]) == pytest.approx(1 - 0.05 / 2)
    assert fcr_confidence([0.01]) == pytest.approx(0.95)
    assert fcr_confidence([np.nan, 0.01]) == pytest.approx(0.95)  # missing p-values do not count


def test_compare_intervals_and_significance_agree():
    # Welch's t-test is dual to its interval: with all intervals at the FCR level, "significant"
    # (interval excludes 0) is exactly "BH-adjusted p <= alpha" (issue 13, item 7).
    from cxlib.stats import compare

    rng = np.random.default_rng(7)
    k = 12
    frame = pd.DataFrame(
        {
            "team": np.repeat([f"T{i:02d}" for i in range(k)], 2),
            "period": ["2026-Q1", "2026-Q2"] * k,
            "kpi": "ces",
            "n": 60,
            "value": 5 + np.r_[[0, 0] * 6, [0, 0.5] * 6] + rng.normal(0, 0.05, 2 * k),
            "sd": 1.2,
            "suppressed": False,
        }
    )
    out = compare(frame, between="period")
    assert out["ci_level"].nunique() == 1
    excludes = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    assert (out["significant"].astype(bool) == excludes).all()
    assert (out["significant"].astype(bool) == (out["p_adjusted"] <= 0.05)).all()
    r = int(out["significant"].sum())
    assert 0 < r < k and out["ci_level"].iloc[0] == pytest.approx(1 - r * 0.05 / k)
