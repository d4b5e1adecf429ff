"""Reference values for cxlib.stats.intervals, with their sources, and checks of the LEVEL.

A 90% interval labelled 95% is the classic bug, so every interval is checked at two levels,
against hand-derived or published values, and by exact (enumerated) or simulated coverage.
"""

import numpy as np
import pytest
from scipy import stats

from cxlib.stats import (
    bootstrap_interval,
    nps_adjusted_wald,
    nps_bootstrap,
    poisson_exact,
    quantile_bootstrap,
    t_interval,
    wilson,
    z_value,
)

# ---------------------------------------------------------------- critical values


def test_z_value_matches_printed_normal_tables():
    # Any normal table: z(0.975) = 1.960, z(0.95) = 1.645, z(0.995) = 2.576.
    assert z_value(0.95) == pytest.approx(1.95996, abs=1e-5)
    assert z_value(0.90) == pytest.approx(1.64485, abs=1e-5)
    assert z_value(0.99) == pytest.approx(2.57583, abs=1e-5)


@pytest.mark.parametrize("bad", [0, 1, 95, -0.1])
def test_confidence_outside_0_1_is_refused(bad):
    with pytest.raises(ValueError, match="confidence"):
        wilson(1, 2, bad)


# ---------------------------------------------------------------- Wilson


def test_wilson_issue_reference_6_of_32():
    # Issue reference (also Sauro & Lewis, Quantifying the User Experience, 2nd ed., ch. 3):
    # 6 of 32 → 8.89% to 35.31% at 95%.
    low, high = wilson(6, 32)
    assert 100 * low == pytest.approx(8.89, abs=0.005)
    assert 100 * high == pytest.approx(35.31, abs=0.005)


@pytest.mark.parametrize(
    "x, n, low, high",
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
        # seven methods", Statistics in Medicine 17:857–872, Table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_newcombe_1998_table_1(x, n, low, high):
    lo, hi = wilson(x, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_wilson_90_percent_by_hand():
    # 6 of 32 at 90%: z = 1.644854, z² = 2.705543; p = 0.1875, n = 32.
    # denominator 1 + z²/n = 1.084548; centre (0.1875 + z²/64)/1.084548 = (0.1875 + 0.042274)/1.084548 = 0.211863
    # half z·√(p(1−p)/n + z²/(4n²))/1.084548 = 1.644854·√(0.0047607 + 0.00066053)/1.084548
    #      = 1.644854 · 0.0736282 / 1.084548 = 0.111666
    low, high = wilson(6, 32, confidence=0.90)
    assert low == pytest.approx(0.211863 - 0.111666, abs=2e-5)
    assert high == pytest.approx(0.211863 + 0.111666, abs=2e-5)
    # and a 90% interval must be strictly inside the 95% one
    low95, high95 = wilson(6, 32)
    assert low95 < low < high < high95


def test_wilson_vectorised_and_empty_groups():
    low, high = wilson(np.array([6, 0, 0]), np.array([32, 20, 0]))
    assert low.shape == (3,)
    assert np.isnan(low[2]) and np.isnan(high[2])
    assert low[1] == 0.0


@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_wilson_exact_mean_coverage_equals_level(confidence):
    # Exact coverage by enumerating all outcomes x = 0..n (no simulation noise), averaged over a
    # grid of true p. Newcombe (1998) reports Wilson's mean coverage close to nominal.
    n = 50
    x = np.arange(n + 1)
    low, high = wilson(x, n, confidence)
    coverages = []
    for p in np.linspace(0.1, 0.9, 81):
        pmf = stats.binom.pmf(x, n, p)
        coverages.append(pmf[(low <= p) & (p <= high)].sum())
    assert np.mean(coverages) == pytest.approx(confidence, abs=0.012)


# ---------------------------------------------------------------- NPS adjusted Wald


def test_nps_issue_reference_50_30_20():
    # Issue reference (Lewis & Sauro, MeasuringU; Rocks 2016): 50/30/20 → NPS 30.0,
    # 95% adjusted-Wald interval 14.05 to 44.20.
    value, low, high, se = nps_adjusted_wald(50, 30, 20)
    assert value == pytest.approx(30.0)
    assert low == pytest.approx(14.05, abs=0.005)
    assert high == pytest.approx(44.20, abs=0.005)
    # by hand: p = 50.75/103 = 0.492718, d = 20.75/103 = 0.201456, p − d = 0.291262,
    # var = p + d − (p − d)² = 0.694175 − 0.084834 = 0.609341, se = √(0.609341/103) = 0.076915
    assert se == pytest.approx(7.6915, abs=5e-4)


def test_nps_90_percent_by_hand():
    # Same counts at 90%: 100·(0.291262 ± 1.644854·0.076915) = 29.1262 ± 12.6514 → 16.47 to 41.78.
    _, low, high, _ = nps_adjusted_wald(50, 30, 20, confidence=0.90)
    assert low == pytest.approx(16.475, abs=0.005)
    assert high == pytest.approx(41.778, abs=0.005)


def test_nps_vectorised_empty_and_bounds():
    value, low, high, se = nps_adjusted_wald(np.array([50, 0, 5]), np.array([30, 0, 0]), np.array([20, 0, 0]))
    assert np.isnan(value[1]) and np.isnan(low[1]) and np.isnan(se[1])
    assert value[2] == 100.0 and high[2] <= 100.0


@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_nps_adjusted_wald_exact_coverage(confidence):
    # Exact coverage: enumerate every (promoters, detractors) outcome for n = 60 with true
    # shares 50% promoters / 20% detractors (true NPS 30) and sum the multinomial probabilities
    # of the outcomes whose interval covers 30. Rocks (2016) and Lewis & Sauro report coverage
    # close to nominal for this method.
    n, pp, pd_ = 60, 0.5, 0.2
    P, D = np.meshgrid(np.arange(n + 1), np.arange(n + 1))
    keep = P + D <= n
    P, D = P[keep], D[keep]
    M = n - P - D
    pmf = stats.multinomial.pmf(np.stack([P, M, D], axis=1), n, [pp, 1 - pp - pd_, pd_])
    _, low, high, _ = nps_adjusted_wald(P, M, D, confidence)
    coverage = pmf[(low <= 30) & (30 <= high)].sum()
    assert coverage == pytest.approx(confidence, abs=0.012)


def test_nps_bootstrap_is_seeded_and_close_to_adjusted_wald():
    a = nps_bootstrap(500, 300, 200, seed=1)
    b = nps_bootstrap(500, 300, 200, seed=1)
    assert a == b
    # For n = 1000 the sampling distribution is near normal: the percentile bootstrap must agree
    # with the adjusted-Wald interval to within about a point, and be wider at 95% than at 90%.
    _, low, high, _ = nps_adjusted_wald(500, 300, 200)
    assert a[0] == pytest.approx(low, abs=1.0) and a[1] == pytest.approx(high, abs=1.0)
    low90, high90 = nps_bootstrap(500, 300, 200, confidence=0.90, seed=1)
    width_ratio = (high90 - low90) / (a[1] - a[0])
    assert width_ratio == pytest.approx(1.644854 / 1.959964, abs=0.05)


def test_nps_bootstrap_vectorised_over_groups():
    low, high = nps_bootstrap(np.array([50, 0, 10]), np.array([30, 0, 0]), np.array([20, 0, 0]), n_resamples=500)
    assert low.shape == (3,)
    assert np.isnan(low[1])
    assert low[2] == high[2] == 100.0  # all promoters: every resample is +100


# ---------------------------------------------------------------- t interval

SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_t_interval_student_sleep_data():
    # Student (1908) sleep data (R dataset `sleep`): the paired differences have mean 1.58.
    # R documentation example t.test(extra ~ group, data = sleep, paired = TRUE) prints the 95%
    # interval −2.4598858 to −0.7001142 for group 1 − group 2, i.e. 0.7001142 to 2.4598858 here.
    d = SLEEP_2 - SLEEP_1
    low, high = t_interval(d.mean(), d.std(ddof=1), d.size)
    assert low == pytest.approx(0.7001142, abs=1e-6)
    assert high == pytest.approx(2.4598858, abs=1e-6)


def test_t_interval_90_percent_from_printed_t_table():
    # t table: t(0.95; 9) = 1.833 (90% two-sided), t(0.975; 9) = 2.262 (95%).
    # sd of the differences = 1.229995, se = 1.229995/√10 = 0.388959;
    # 90%: 1.58 ± 1.833113·0.388959 = 1.58 ± 0.713006.
    d = SLEEP_2 - SLEEP_1
    low, high = t_interval(d.mean(), d.std(ddof=1), d.size, confidence=0.90)
    assert low == pytest.approx(1.58 - 0.713006, abs=2e-5)
    assert high == pytest.approx(1.58 + 0.713006, abs=2e-5)


def test_t_interval_needs_two_observations():
    low, high = t_interval(np.array([3.0, 3.0]), np.array([1.0, np.nan]), np.array([10, 1]))
    assert np.isfinite(low[0]) and np.isnan(low[1])


@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_t_interval_simulated_coverage(confidence):
    # 20,000 seeded normal samples of n = 8: coverage must match the level within simulation
    # error (binomial sd ≈ 0.002); a wrong quantile (z instead of t, or 90 for 95) misses by > 0.02.
    rng = np.random.default_rng(42)
    x = rng.normal(5.0, 2.0, size=(20_000, 8))
    low, high = t_interval(x.mean(axis=1), x.std(axis=1, ddof=1), 8, confidence)
    assert ((low <= 5.0) & (5.0 <= high)).mean() == pytest.approx(confidence, abs=0.008)


# ---------------------------------------------------------------- Poisson


@pytest.mark.parametrize(
    "k, low, high",
    [
        # Exact Poisson limits as tabulated by Ulm (1990), Am J Epidemiol 131:373–375, and in
        # Garwood (1936): k = 0 → 0 to 3.689, k = 1 → 0.0253 to 5.572, k = 10 → 4.795 to 18.39.
        (0, 0.0, 3.6889),
        (1, 0.0253, 5.5716),
        (10, 4.7954, 18.3904),
    ],
)
def test_poisson_exact_published_limits(k, low, high):
    lo, hi = poisson_exact(k)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_poisson_exact_scales_with_exposure_and_level():
    lo, hi = poisson_exact(10, 2000.0)
    assert 1000 * lo == pytest.approx(4795.4 / 2000, abs=1e-3)
    # 90%: χ²(0.05; 20)/2 = 10.8508/2 = 5.4254, χ²(0.95; 22)/2 = 33.9244/2 = 16.9622 (χ² tables)
    lo90, hi90 = poisson_exact(10, confidence=0.90)
    assert lo90 == pytest.approx(5.4254, abs=1e-3)
    assert hi90 == pytest.approx(16.9622, abs=1e-3)
    assert np.isnan(poisson_exact(3, 0)[0])


# ---------------------------------------------------------------- bootstrap


def test_bootstrap_is_seeded():
    x = np.random.default_rng(3).exponential(size=200)
    assert bootstrap_interval(x, np.median, seed=7) == bootstrap_interval(x, np.median, seed=7)
    assert bootstrap_interval(x, np.median, seed=7) != bootstrap_interval(x, np.median, seed=8)


@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_bootstrap_mean_matches_t_interval_level(confidence):
    # For the mean of 400 normal values, the percentile bootstrap and the t interval estimate
    # the same thing: their limits must agree to a small fraction of the width. A 90% interval
    # labelled 95% would be ~16% too narrow and fail.
    x = np.random.default_rng(11).normal(10.0, 3.0, 400)
    low, high = bootstrap_interval(x, np.mean, confidence, n_resamples=4000, seed=0)
    t_low, t_high = t_interval(x.mean(), x.std(ddof=1), x.size, confidence)
    width = t_high - t_low
    assert low == pytest.approx(t_low, abs=0.04 * width)
    assert high == pytest.approx(t_high, abs=0.04 * width)


def test_bootstrap_several_statistics_at_once_and_too_few_values():
    x = np.arange(100, dtype=float)
    low, high = bootstrap_interval(x, lambda a, axis: np.quantile(a, [0.5, 0.9], axis=axis), seed=0)
    assert low.shape == (2,) and (low < high).all()
    assert low[0] < 49.5 < high[0] and low[1] < 89.1 < high[1]
    assert np.isnan(bootstrap_interval([1.0], np.median)[0])
    nan_low, _ = bootstrap_interval([np.nan], lambda a, axis: np.quantile(a, [0.5, 0.9], axis=axis))
    assert nan_low.shape == (2,) and np.isnan(nan_low).all()


def test_bootstrap_statistic_without_axis_is_applied_per_resample():
    x = np.random.default_rng(5).normal(size=60)
    low, high = bootstrap_interval(x, lambda a: float(np.percentile(a, 50)), n_resamples=300, seed=0)
    assert low < np.median(x) < high


# ---------------------------------------------------------------- quantile bootstrap (two draws per resample)


def _exact_order_statistic_limits(x_sorted, k, confidence):
    # The k-th smallest of n resampled values is ≤ x₍ⱼ₎ (0-based j) exactly when at least k of
    # the n draws land on the j + 1 smallest values: P = P(Binomial(n, (j + 1)/n) ≥ k).
    # The percentile limits are the first x₍ⱼ₎ where this CDF reaches α/2 and 1 − α/2.
    n = x_sorted.size
    cdf = stats.binom.sf(k - 1, n, (np.arange(n) + 1) / n)
    alpha = 1 - confidence
    return x_sorted[np.argmax(cdf >= alpha / 2)], x_sorted[np.argmax(cdf >= 1 - alpha / 2)]


@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_quantile_bootstrap_matches_the_exact_bootstrap_distribution(confidence):
    # n = 41 distinct values, median: h = 40·0.5 = 20, so the statistic is the 21st order
    # statistic alone (γ = 0) and its bootstrap distribution is known exactly (see above).
    x = np.sort(np.random.default_rng(2).gamma(2.0, 3.0, 41))
    exact_low, exact_high = _exact_order_statistic_limits(x, 21, confidence)
    low, high = quantile_bootstrap(x, 0.5, confidence, n_resamples=20_000, seed=0)
    step = np.diff(x).max()
    assert abs(low - exact_low) <= step and abs(high - exact_high) <= step
    # the 90% limits lie inside the 95% ones
    if confidence == 0.90:
        low95, high95 = quantile_bootstrap(x, 0.5, 0.95, n_resamples=20_000, seed=0)
        assert low95 <= low and high <= high95


def test_quantile_bootstrap_agrees_with_resampling_rows_for_p90():
    # interpolated quantile (n = 200: h = 199·0.9 = 179.1, γ = 0.1): compare with the brute-force
    # bootstrap that resamples all 200 rows 4,000 times; the limits agree to Monte Carlo error.
    x = np.random.default_rng(9).exponential(5.0, 200)
    fast = quantile_bootstrap(x, 0.9, n_resamples=4000, seed=1)
    slow = bootstrap_interval(x, lambda a, axis: np.quantile(a, 0.9, axis=axis), n_resamples=4000, seed=1)
    spread = slow[1] - slow[0]
    assert fast[0] == pytest.approx(slow[0], abs=0.08 * spread)
    assert fast[1] == pytest.approx(slow[1], abs=0.08 * spread)


def test_quantile_bootstrap_groups_seeding_and_empty_groups():
    x = np.concatenate([np.arange(50.0), 100 + np.arange(50.0)])
    groups = np.repeat([0, 2], 50)  # group 1 has no values
    low, high = quantile_bootstrap(x, 0.5, groups=groups, seed=4)
    assert np.isnan(low[1]) and low[0] < 24.5 < high[0] and low[2] < 124.5 < high[2]
    again = quantile_bootstrap(x, 0.5, groups=groups, seed=4)
    np.testing.assert_array_equal(low, again[0])
