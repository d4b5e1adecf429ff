"""Contractual customer value: the sBG model (Fader & Hardie 2007) and customer_lifetime_value.

Published values: Fader, P. S. & Hardie, B. G. S. (2007), "How to project customer retention",
Journal of Interactive Marketing 21(1), 76-90: Table 1 gives the percentage of a 1,000-customer
cohort surviving years 0-12 for the "regular" and "high end" segments; fitted on years 1-7 the
paper reports alpha = 0.704, beta = 1.182 (regular) and alpha = 0.668, beta = 3.806 (high end).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import betaln

from cxlib.clv import (
    DegenerateFitError,
    GammaGammaModel,
    ShiftedBetaGeometricModel,
    customer_lifetime_value,
)
from cxlib.clv.sbg import counts_from_survival, log_likelihood
from cxlib.paths import SAMPLE_DATA

# FH 2007, Table 1 (percent surviving, years 0..12)
REGULAR = [100.0, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3]
HIGH_END = [100.0, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4]


@pytest.mark.parametrize("survival, alpha, beta", [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)])
def test_sbg_reproduces_the_published_fits(survival, alpha, beta):
    # FH 2007: the model is fitted to years 1-7 of each segment's 1,000-customer cohort.
    model = ShiftedBetaGeometricModel().fit(*counts_from_survival(survival[:8], 1000))
    assert model.params_["alpha"] == pytest.approx(alpha, abs=5e-4)
    assert model.params_["beta"] == pytest.approx(beta, abs=5e-4)
    assert model.n_ == 1000


def test_survival_and_retention_by_hand():
    # alpha = beta = 1 (theta uniform): S(t) = B(1, 1 + t)/B(1, 1) = 1/(1 + t);
    # r(t) = (beta + t - 1)/(alpha + beta + t - 1) = t/(t + 1) = S(t)/S(t - 1).
    model = ShiftedBetaGeometricModel()
    t = np.arange(1, 6)
    np.testing.assert_allclose(model.survival(t, params=(1.0, 1.0)), 1 / (1 + t))
    np.testing.assert_allclose(model.retention(t, params=(1.0, 1.0)), t / (t + 1))
    # Expected discounted periods: customer active after n = 0, horizon 2, no discount:
    # S(1)/S(0) + S(2)/S(0) = 1/2 + 1/3; after n = 2 periods: 3/4 + 3/5.
    value = model.expected_value(np.array([0.0, 2.0]), horizon=2, discount=0.0, params=(1.0, 1.0))
    np.testing.assert_allclose(value, [1 / 2 + 1 / 3, 3 / 4 + 3 / 5])
    # with 10% discount per period: 0.5/1.1 + (1/3)/1.21
    assert model.expected_value(np.array([0.0]), 2, 0.1, params=(1.0, 1.0))[0] == pytest.approx(
        0.5 / 1.1 + (1 / 3) / 1.21
    )


def test_left_truncation_conditions_on_the_periods_survived():
    # alpha = beta = 1: P(T = 3) = B(2, 3)/B(1, 1) = 1/12, S(1) = 1/2, so a customer who entered
    # the data after 1 period and churned in period 3 contributes ln((1/12)/(1/2)) = ln(1/6);
    # an active customer after 4 periods who entered after 2: ln(S(4)/S(2)) = ln(3/5).
    ll = log_likelihood((1.0, 1.0), [3, 4], [True, False], [1, 2])
    assert ll == pytest.approx(np.log(1 / 6) + np.log(3 / 5))
    assert betaln(2, 3) == pytest.approx(np.log(1 / 12))


def test_homogeneous_churn_is_refused_as_degenerate():
    # Every customer churns with 10% a period (no heterogeneity): the sBG maximum lies at
    # alpha, beta -> infinity with alpha/(alpha + beta) = 0.1, so the fit ends on the bound.
    n = 100_000
    alive = np.rint(n * 0.9 ** np.arange(9)).astype(int)
    with pytest.raises(DegenerateFitError, match="infinity"):
        ShiftedBetaGeometricModel().fit(*counts_from_survival(100 * alive / n, n))


def test_gamma_gamma_refuses_an_undefined_mean_spend():
    # Spend drawn from the Gamma-Gamma model itself with q = 0.7: the population mean spend
    # p v/(q - 1) does not exist (FHL 2005, eq. 3 needs q > 1), as on the sample (issue 13:
    # q = 0.69). The fit must refuse rather than return a negative or infinite mean.
    rng = np.random.default_rng(1)
    x = rng.integers(1, 6, 3000)
    nu = rng.gamma(0.7, 1 / 10.0, 3000)  # nu ~ Gamma(q = 0.7, v = 10)
    m = np.array([rng.gamma(4.0, 1 / n, k).mean() for n, k in zip(nu, x)])  # p = 4
    with pytest.raises(DegenerateFitError, match="q <= 1"):
        GammaGammaModel().fit(x.astype(float), m)


@pytest.mark.simulation
def test_sbg_recovers_parameters_and_its_intervals_cover():
    # 200 simulated cohorts of 1,000 customers with theta ~ Beta(0.7, 1.2) (the regular segment),
    # observed 7 periods. The 95% Wald interval of ln alpha (from the observed information)
    # should cover the truth in 95% of runs: binomial tolerance 3 sd = 3 * sqrt(.95 * .05 / 200).
    rng = np.random.default_rng(2007)
    runs, covered, a_true, b_true = 200, 0, 0.7, 1.2
    for _ in range(runs):
        theta = rng.beta(a_true, b_true, 1000)
        life = rng.geometric(theta).astype(float)
        churned = life <= 7
        life = np.where(churned, life, 7.0)
        try:
            model = ShiftedBetaGeometricModel().fit(life, churned)
        except DegenerateFitError:
            continue
        half = 1.959964 * np.sqrt(model.cov_[0, 0])
        covered += abs(np.log(model.params_["alpha"]) - np.log(a_true)) <= half
    assert abs(covered / runs - 0.95) <= 3 * np.sqrt(0.95 * 0.05 / runs)


sample_only = pytest.mark.skipif(not (SAMPLE_DATA / "customers.csv").exists(), reason="no sample data")


@pytest.fixture(scope="module")
def sample_clv(sample):
    return customer_lifetime_value(sample, horizon=36, discount=0.10)


@sample_only
def test_every_sample_customer_gets_a_value_or_a_reason(sample, sample_clv):
    out = sample_clv
    assert len(out) == len(sample.customers) and out["customer_id"].is_unique
    assert out["clv"].notna().all() and out["ci_low"].notna().all()
    assert (out["ci_low"] <= out["clv"] + 1e-9).all() and (out["clv"] <= out["ci_high"] + 1e-9).all()
    churned = out["status"] == "churned"
    assert churned.sum() == sample.customers["churn_date"].notna().sum()
    assert (out.loc[churned, "clv"] == 0).all() and out.loc[churned, "note"].str.startswith("churned on").all()
    assert (out.loc[~churned, "clv"] > 0).all()
    # Churn dates are recorded, so a contractual model. Two years of churn show no significant
    # heterogeneity in churn probability (likelihood-ratio test), so one retention rate is used
    # and the reason is reported.
    assert set(out["model"]) == {"geometric"}
    model = out.attrs["model"].set_index("component")
    assert model.loc["retention", "reason"] == "sbg_degenerate"
    assert "no differences in churn probability" in model.loc["retention", "message"]
    # The Gamma-Gamma fit is degenerate on the sample (issue 13: p on the bound, q < 1) and
    # spend correlates with frequency (Spearman about 0.33): the segment means are used.
    assert model.loc["amount", "model"] == "segment_mean"
    assert model.loc["amount", "reason"] == "gg_degenerate"
    assert "spend_frequency_rho = 0.3" in model.loc["amount", "parameters"]
    # README: yearly order rate Gamma(shape 0.6): the NBD shape r comes back near 0.6.
    r = float(model.loc["purchase_rate", "parameters"].split("r = ")[1].split(",")[0])
    assert 0.45 < r < 0.75


@sample_only
def test_enterprise_customers_are_worth_most(sample_clv):
    # README: enterprise buys 3x as often at 6x the price of a consumer.
    by_segment = sample_clv.groupby("segment", observed=True)["clv"].mean()
    assert by_segment["enterprise"] > by_segment["smb"] > by_segment["consumer"]


@sample_only
def test_value_is_rate_times_amount_times_discounted_survival(sample_clv):
    # Hand composition for one active customer: per quarter = rate x amount x 3/12; with the
    # geometric churn probability theta from attrs: sum over 12 quarters of
    # ((1 - theta)/(1 + d))^k, d = 1.10^(1/4) - 1 per quarter.
    row = sample_clv[sample_clv["status"] == "active"].iloc[0]
    text = sample_clv.attrs["model"].set_index("component").loc["retention", "parameters"]
    theta = float(text.split("churn_per_period = ")[1])
    d = 1.10**0.25 - 1
    k = np.arange(1, 13)
    factor = np.sum(((1 - theta) / (1 + d)) ** k)
    expected = row["orders_per_year"] * row["amount"] * 0.25 * factor
    assert row["retention"] == pytest.approx(1 - theta, rel=1e-3)
    assert row["clv"] == pytest.approx(expected, rel=1e-3)  # theta printed to 3 digits
