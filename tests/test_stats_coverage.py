"""Simulated coverage of every interval family at n = 30, 200 and 1,000 (issue 13, item 10).

Each case draws 2,000 seeded samples, computes the 95% interval with cxlib.stats (vectorised
over the samples) and counts how often it holds the true value. Tolerance: 3 binomial standard
deviations, 3·√(0.95·0.05/2000) = 0.015. The exact Garwood interval is conservative by design
(Garwood 1936), so only its lower side is checked; the response-time median also has a
censored case (unanswered tickets counted as slower than every answer).
"""

from __future__ import annotations

import numpy as np
import pytest

from cxlib.stats import (
    nps_adjusted_wald,
    poisson_exact,
    quantile_bootstrap,
    t_interval,
    wilson,
)

RUNS = 2000
TOL = 3 * np.sqrt(0.95 * 0.05 / RUNS)
SIZES = (30, 200, 1000)
pytestmark = pytest.mark.simulation


def _rate(low, high, truth):
    return float(np.mean((np.asarray(low) <= truth) & (truth <= np.asarray(high))))


@pytest.mark.parametrize("n", SIZES)
def test_wilson_coverage(n):
    rng = np.random.default_rng(100 + n)
    x = rng.binomial(n, 0.2, RUNS)
    assert abs(_rate(*wilson(x, n), 0.2) - 0.95) <= TOL


@pytest.mark.parametrize("n", SIZES)
def test_nps_adjusted_wald_coverage(n):
    # promoters 45%, passives 30%, detractors 25%: NPS = 20 points (Rocks 2016's setting)
    rng = np.random.default_rng(200 + n)
    counts = rng.multinomial(n, [0.45, 0.30, 0.25], RUNS)
    _, low, high, _ = nps_adjusted_wald(counts[:, 0], counts[:, 1], counts[:, 2])
    assert abs(_rate(low, high, 20.0) - 0.95) <= TOL


@pytest.mark.parametrize("n", SIZES)
def test_t_interval_coverage_on_a_skewed_1_to_7_scale(n):
    # CES-like answers 1..7 with a long low tail (mean 5.02 as the sample's overall CES)
    p = np.array([0.04, 0.05, 0.07, 0.12, 0.22, 0.30, 0.20])
    truth = float(np.arange(1, 8) @ p)
    rng = np.random.default_rng(300 + n)
    x = rng.choice(np.arange(1, 8), size=(RUNS, n), p=p)
    low, high = t_interval(x.mean(axis=1), x.std(axis=1, ddof=1), n)
    assert abs(_rate(low, high, truth) - 0.95) <= TOL


@pytest.mark.parametrize("n", SIZES)
def test_garwood_poisson_is_at_least_nominal(n):
    # complaints per customer: Poisson with 0.1 a customer, n customers
    rng = np.random.default_rng(400 + n)
    k = rng.poisson(0.1 * n, RUNS)
    low, high = poisson_exact(k, n)
    assert _rate(low, high, 0.1) >= 0.95 - TOL


@pytest.mark.parametrize("n", SIZES)
def test_bootstrap_median_coverage(n):
    # response times lognormal(0, 0.8): true median 1 hour
    rng = np.random.default_rng(500 + n)
    x = rng.lognormal(0, 0.8, (RUNS, n))
    low, high = quantile_bootstrap(x.ravel(), 0.5, groups=np.repeat(np.arange(RUNS), n), n_resamples=1000, seed=n)
    assert abs(_rate(low, high, 1.0) - 0.95) <= TOL


def test_censored_median_coverage():
    # 3% of tickets never answered (censored past the target, counted as slower than all): the
    # true median of the time to answer (with the unanswered at infinity) is the 0.5 quantile
    # of the mixture: F(m) = 0.97 Φ(ln m/0.8) = 0.5.
    from scipy import stats

    n = 200
    truth = float(np.exp(0.8 * stats.norm.ppf(0.5 / 0.97)))
    rng = np.random.default_rng(600)
    x = np.where(rng.random((RUNS, n)) < 0.03, 1e12, rng.lognormal(0, 0.8, (RUNS, n)))
    low, high = quantile_bootstrap(x.ravel(), 0.5, groups=np.repeat(np.arange(RUNS), n), n_resamples=1000, seed=1)
    assert abs(_rate(low, high, truth) - 0.95) <= TOL
