"""Tests for cxlib.clv against the published CDNOW results and hand-derived values.

CDNOW data and published values: Fader, Hardie & Lee (2005a) "Counting your customers" the easy
way, Marketing Science 24(2) (BG/NBD); Fader, Hardie & Lee (2005b) "RFM and CLV", JMR 42(4), and
Fader & Hardie (2013), "The Gamma-Gamma model of monetary value" (Gamma-Gamma). See
tests/data/ATTRIBUTION.md.
"""

from __future__ import annotations

from math import exp, log

import numpy as np
import pandas as pd
import pytest
from scipy.special import betaln, hyp2f1

from cxlib.clv import BetaGeoModel, GammaGammaModel, clv, historic_value, retention_clv, summary_from_orders
from cxlib.paths import PROJECT_ROOT

DATA = PROJECT_ROOT / "tests" / "data"
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "v": 15.44}


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    """The 2,357-customer CDNOW calibration summary (39 weeks), with mean repeat spend zbar."""
    return pd.read_csv(DATA / "cdnow_customers_summary_with_transactions.csv", index_col="ID")


@pytest.fixture(scope="module")
def fitted_bgnbd(cdnow) -> BetaGeoModel:
    return BetaGeoModel().fit(cdnow["x"], cdnow["t_x"], cdnow["T"])


@pytest.fixture(scope="module")
def fitted_gg(cdnow) -> GammaGammaModel:
    return GammaGammaModel().fit(cdnow["x"], cdnow["zbar"])


def published(model_class, params):
    model = model_class()
    model.params_ = dict(params)
    return model


# --- BG/NBD -------------------------------------------------------------------------------------


def test_bgnbd_recovers_published_cdnow_parameters(fitted_bgnbd):
    # FHL 2005a, section 5: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (3 decimals).
    for name, value in PUBLISHED_BGNBD.items():
        assert fitted_bgnbd.params_[name] == pytest.approx(value, abs=6e-4), name


def test_bgnbd_log_likelihood_is_published_value(fitted_bgnbd):
    # FHL 2005a: LL = -9582.4 at the maximum.
    assert fitted_bgnbd.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    assert fitted_bgnbd.n_ == 2357


def test_bgnbd_fit_agrees_with_summary_file_without_transactions(fitted_bgnbd):
    # The second CDNOW file (lifetimes' cdnow_customers_summary.csv) holds the same customers.
    summary = pd.read_csv(DATA / "cdnow_customers_summary.csv")
    model = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    assert model.params_ == pytest.approx(fitted_bgnbd.params_, rel=1e-6)


def test_conditional_expectation_of_published_customer():
    # Fader, Hardie & Lee (2005), "Implementing the BG/NBD model for customer base analysis in
    # Excel" (brucehardie.com/notes/004), eq. 10 of FHL 2005a: the customer with x = 2,
    # t_x = 30.43, T = 38.86 is expected to make 1.226 purchases in the next 39 weeks.
    model = published(BetaGeoModel, PUBLISHED_BGNBD)
    assert model.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-4)


def test_conditional_expectation_with_fitted_model(fitted_bgnbd):
    assert fitted_bgnbd.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.226, abs=5e-4)


def test_conditional_expectation_equals_eq10_without_euler_transform():
    # Hand evaluation of FHL 2005a eq. 10 as printed, for moderate x where it is stable.
    r, alpha, a, b = PUBLISHED_BGNBD.values()
    model = published(BetaGeoModel, PUBLISHED_BGNBD)
    cases = [(1, 1.71, 38.86, 39), (7, 29.43, 38.86, 52), (0, 0.0, 20.0, 10), (15, 35.0, 38.0, 100)]
    for x, tx, T, t in cases:
        z = t / (alpha + T + t)
        numerator = (
            (a + b + x - 1)
            / (a - 1)
            * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))
        )
        denominator = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
        assert model.expected_purchases(t, x, tx, T) == pytest.approx(numerator / denominator, rel=1e-9)


def test_conditional_expectation_is_stable_for_heavy_buyers():
    model = published(BetaGeoModel, PUBLISHED_BGNBD)
    expected = model.expected_purchases(52, np.array([200, 1000]), np.array([38.0, 38.5]), np.full(2, 38.86))
    assert np.all(np.isfinite(expected)) and np.all(expected > 50)
    assert model.expected_purchases(0, 3, 20.0, 38.86) == pytest.approx(0.0, abs=1e-12)


def test_p_alive_is_bayes_ratio_of_likelihood_terms():
    # Fader, Hardie & Lee (2008), note 021: P(alive) = first term of eq. (6) / whole likelihood.
    r, alpha, a, b = PUBLISHED_BGNBD.values()
    model = published(BetaGeoModel, PUBLISHED_BGNBD)
    x, tx, T = 2, 30.43, 38.86
    alive = exp(betaln(a, b + x) - (r + x) * log(alpha + T))
    dead = exp(betaln(a + 1, b + x - 1) - (r + x) * log(alpha + tx))
    assert model.p_alive(x, tx, T) == pytest.approx(alive / (alive + dead), rel=1e-12)
    assert model.p_alive(0, 0.0, 38.86) == 1.0


def test_series_in_series_out(cdnow, fitted_bgnbd):
    p_alive = fitted_bgnbd.p_alive(cdnow["x"], cdnow["t_x"], cdnow["T"])
    assert isinstance(p_alive, pd.Series) and p_alive.index.equals(cdnow.index)
    assert p_alive.between(0, 1).all()


def test_inputs_are_validated():
    with pytest.raises(ValueError, match="recency must be <= T"):
        BetaGeoModel().fit([1, 2], [5.0, 12.0], [10.0, 10.0])
    with pytest.raises(ValueError, match="missing"):
        BetaGeoModel().fit([1, np.nan], [5.0, 1.0], [10.0, 10.0])
    with pytest.raises(RuntimeError, match="not fitted"):
        BetaGeoModel().p_alive(1, 1.0, 2.0)


# --- Gamma-Gamma --------------------------------------------------------------------------------


def test_gamma_gamma_recovers_published_cdnow_parameters(fitted_gg):
    # FHL 2005b / Fader & Hardie 2013: p = 6.25, q = 3.74, v = 15.44 on the 946 repeat buyers.
    assert fitted_gg.n_ == 946
    for name, value in PUBLISHED_GG.items():
        assert fitted_gg.params_[name] == pytest.approx(value, abs=0.01), name


def test_expected_spend_is_weighted_mean_of_population_and_own_mean():
    # FHL 2005b eq. 4: E[M | x, m] = (q - 1)/(px + q - 1) * pv/(q - 1) + px/(px + q - 1) * m.
    p, q, v = PUBLISHED_GG.values()
    model = published(GammaGammaModel, PUBLISHED_GG)
    population_mean = p * v / (q - 1)
    assert population_mean == pytest.approx(35.22, abs=0.005)
    for x, m in [(1, 10.0), (2, 22.35), (20, 100.0)]:
        w = p * x / (p * x + q - 1)
        assert model.expected_spend(x, m) == pytest.approx((1 - w) * population_mean + w * m, rel=1e-12)
    assert model.expected_spend(0, 0.0) == pytest.approx(population_mean)


def test_gamma_gamma_rejects_non_positive_spend_of_repeat_buyers():
    with pytest.raises(ValueError, match="monetary_value must be > 0"):
        GammaGammaModel().fit([1, 2, 3, 1], [10.0, 0.0, 5.0, 7.0])


# --- CLV ----------------------------------------------------------------------------------------


def test_clv_without_discount_is_spend_times_expected_purchases(cdnow, fitted_bgnbd, fitted_gg):
    head = cdnow.head(50)
    values = clv(
        fitted_bgnbd,
        fitted_gg,
        head["x"],
        head["t_x"],
        head["T"],
        head["zbar"],
        horizon=12,
        freq="W",
        discount_rate=0.0,
        margin=0.3,
    )
    weeks = 12 * 365.2425 / 12 / 7
    expected = (
        0.3
        * fitted_gg.expected_spend(head["x"], head["zbar"])
        * fitted_bgnbd.expected_purchases(weeks, head["x"], head["t_x"], head["T"])
    )
    assert isinstance(values, pd.Series) and values.index.equals(head.index)
    np.testing.assert_allclose(values, expected, rtol=1e-10)


def test_clv_discounts_each_month_at_its_end(fitted_bgnbd, fitted_gg):
    x, tx, T, m, d = 2, 30.43, 38.86, 22.35, 0.01
    week_per_month = 365.2425 / 12 / 7
    cumulative = [fitted_bgnbd.expected_purchases(month * week_per_month, x, tx, T) for month in range(25)]
    by_hand = sum((cumulative[k] - cumulative[k - 1]) / (1 + d) ** k for k in range(1, 25))
    value = clv(fitted_bgnbd, fitted_gg, [x], [tx], [T], [m], horizon=24, freq="W", discount_rate=d)
    assert value[0] == pytest.approx(by_hand * fitted_gg.expected_spend(x, m), rel=1e-10)


def test_retention_clv_matches_its_series_and_margin_multiples():
    # margin x r / (1 + d - r) = sum_{t >= 1} margin r^t / (1 + d)^t (margin at period ends).
    margin, r, d = 100.0, 0.8, 0.1
    series = sum(margin * r**t / (1 + d) ** t for t in range(1, 2000))
    assert retention_clv(margin, r, d) == pytest.approx(series, rel=1e-12)
    # Hand-derived margin multiples r / (1 + d - r), as tabulated by Gupta & Lehmann (2005).
    multiples = retention_clv(1.0, np.array([0.6, 0.7, 0.8, 0.9]), 0.12)
    np.testing.assert_allclose(multiples, [1.15, 1.67, 2.50, 4.09], atol=0.005)
    with pytest.raises(ValueError):
        retention_clv(1.0, 1.0, 0.0)


# --- Order summaries ----------------------------------------------------------------------------


def test_summary_from_orders_reproduces_cdnow_calibration_summary(cdnow):
    # The raw 1/10th CDNOW sample, cut at 1997-09-30 (39 weeks), in exact weeks as FHL 2005a.
    raw = pd.read_csv(
        DATA / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master_id", "ID", "date", "cds", "amount"],
        dtype={"date": str},
    )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    summary = summary_from_orders(
        raw, "1997-09-30", freq="D", customer_col="ID", date_col="date", amount_col="amount", freq_multiplier=7
    )
    assert summary.index.equals(cdnow.index)
    np.testing.assert_array_equal(summary["frequency"], cdnow["x"])
    np.testing.assert_allclose(summary["recency"], cdnow["t_x"], atol=0.005)
    np.testing.assert_allclose(summary["T"], cdnow["T"], atol=0.005)
    np.testing.assert_allclose(summary["monetary_value"], cdnow["zbar"], atol=0.0051)


def test_summary_from_orders_weekly_lifetimes_conventions():
    tz = "Europe/Amsterdam"
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "a", "b", "c", "c"],
            "order_date": pd.to_datetime(
                [
                    # a: weeks 0, 0, 2, 4
                    "2026-01-05 00:30",
                    "2026-01-11 12:00",
                    "2026-01-20 12:00",
                    "2026-02-02 12:00",
                    "2026-01-13 12:00",  # b: one order
                    "2026-01-04 23:30",
                    "2026-03-30 12:00",  # c: 2nd after the end
                ]
            ).tz_localize(tz),
            "amount": [10.0, 5.0, 20.0, 40.0, 7.0, 3.0, 99.0],
        }
    )
    summary = summary_from_orders(orders, "2026-02-08", freq="W")
    a, b, c = (summary.loc[k] for k in "abc")
    # a: purchase weeks of 5 Jan (15 EUR), 19 Jan (20), 2 Feb (40); the end falls in the 2 Feb week.
    # Its first order is Monday 00:30 local time (still Sunday in UTC): local weeks count.
    assert (a.frequency, a.recency, a["T"], a.monetary_value) == (2, 4, 4, 30.0)
    assert (b.frequency, b.recency, b["T"], b.monetary_value) == (0, 0, 3, 0.0)
    # c's first order is Sunday 4 Jan local time (the week of 29 Dec); its March order is after the end.
    assert (c.frequency, c.recency, c["T"], c.monetary_value) == (0, 0, 5, 0.0)


def test_summary_from_orders_rejects_missing_values():
    orders = pd.DataFrame(
        {"customer_id": ["a", None], "order_date": pd.to_datetime(["2026-01-01"] * 2), "amount": [1.0, 2.0]}
    )
    with pytest.raises(ValueError, match="'customer_id' has 1 missing"):
        summary_from_orders(orders, "2026-02-01")


def test_historic_value_sums_revenue_per_customer_with_margin():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "b"],
            "order_date": pd.to_datetime(["2025-12-31", "2026-01-15", "2026-01-02", "2026-03-01"]),
            "amount": [100.0, 50.0, 20.0, 30.0],
        }
    )
    all_time = historic_value(orders, margin=0.4)
    assert all_time.loc["a", "revenue"] == 150.0 and all_time.loc["a", "value"] == pytest.approx(60.0)
    assert all_time.loc["b", "orders"] == 2
    window = historic_value(orders, start="2026-01-01", end="2026-01-31")
    assert window["revenue"].to_dict() == {"a": 50.0, "b": 20.0}
