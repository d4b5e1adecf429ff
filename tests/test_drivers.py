"""Tests for cxlib.analysis.key_drivers: published relative weights, hand-derived Shapley cases.

Reference values: Johnson's (2000) relative weights for mtcars, mpg ~ cyl + disp + hp + wt, as
printed in the rwa R package documentation (Chan, "Regression methods" vignette):
raw 0.2096904, 0.1883043, 0.1799590, 0.2706812; rescaled 24.70914, 22.18908, 21.20570, 31.89607.
"""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pandas as pd
import pytest

from cxlib.analysis import drivers, importance_performance
from cxlib.analysis.key_drivers import _correlations
from cxlib.paths import PROJECT_ROOT, SAMPLE_DATA

FEATURES = ["cyl", "disp", "hp", "wt"]
RWA_RAW = {"cyl": 0.2096904, "disp": 0.1883043, "hp": 0.1799590, "wt": 0.2706812}
RWA_RESCALED = {"cyl": 24.70914, "disp": 22.18908, "hp": 21.20570, "wt": 31.89607}


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    return pd.read_csv(PROJECT_ROOT / "tests" / "data" / "mtcars.csv")


def ols_r2(frame: pd.DataFrame, target: str, features) -> float:
    """R² of an ordinary least-squares fit with intercept (numpy lstsq), independent of cxlib."""
    if not features:
        return 0.0
    X = np.column_stack([np.ones(len(frame)), frame[list(features)].to_numpy(float)])
    y = frame[target].to_numpy(float)
    residual = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    return 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))


def by_driver(result: pd.DataFrame, column: str) -> dict:
    return dict(zip(result["driver"], result[column]))


def test_relative_weights_match_published_mtcars_values(mtcars):
    result = drivers(mtcars, "mpg", FEATURES, n_boot=0)
    assert by_driver(result, "raw_weight") == pytest.approx(RWA_RAW, abs=5e-7)
    assert by_driver(result, "weight") == pytest.approx(RWA_RESCALED, abs=5e-5)
    assert result["raw_weight"].sum() == pytest.approx(0.8486, abs=5e-5)
    assert result["r2"].iloc[0] == pytest.approx(ols_r2(mtcars, "mpg", FEATURES), rel=1e-10)
    assert list(result["driver"]) == ["wt", "cyl", "disp", "hp"]
    assert list(result["rank"]) == [1, 2, 3, 4]
    assert (result["n"] == 32).all()


def test_shapley_sums_to_r2(mtcars):
    result = drivers(mtcars, "mpg", FEATURES, method="shapley", n_boot=0)
    assert result["raw_weight"].sum() == pytest.approx(ols_r2(mtcars, "mpg", FEATURES), rel=1e-10)
    assert result["weight"].sum() == pytest.approx(100.0)


def test_shapley_two_features_hand_formula(mtcars):
    # Two features: phi_1 = (R²(1,2) + R²(1) - R²(2)) / 2.
    result = by_driver(drivers(mtcars, "mpg", ["wt", "hp"], method="shapley", n_boot=0), "raw_weight")
    full = ols_r2(mtcars, "mpg", ["wt", "hp"])
    wt, hp = ols_r2(mtcars, "mpg", ["wt"]), ols_r2(mtcars, "mpg", ["hp"])
    assert result["wt"] == pytest.approx((full + wt - hp) / 2, rel=1e-10)
    assert result["hp"] == pytest.approx((full + hp - wt) / 2, rel=1e-10)


def test_shapley_equals_lmg_average_over_all_orderings(mtcars):
    # LMG definition (Lindeman, Merenda & Gold 1980): the R² gain of a feature when it enters,
    # averaged over all k! orders of entry; here with independent least-squares fits.
    gains = {f: [] for f in FEATURES}
    for order in permutations(FEATURES):
        for i, feature in enumerate(order):
            gains[feature].append(ols_r2(mtcars, "mpg", order[: i + 1]) - ols_r2(mtcars, "mpg", order[:i]))
    expected = {f: np.mean(g) for f, g in gains.items()}
    result = by_driver(drivers(mtcars, "mpg", FEATURES, method="shapley", n_boot=0), "raw_weight")
    assert result == pytest.approx(expected, rel=1e-9)


def test_uncorrelated_features_get_their_squared_correlations():
    # With orthogonal features both methods reduce to r_j² (Johnson 2000; LMG), exactly.
    rng = np.random.default_rng(3)
    q, _ = np.linalg.qr(np.column_stack([np.ones(200), rng.normal(size=(200, 3))]))
    data = pd.DataFrame(q[:, 1:] * 10, columns=["a", "b", "c"])
    data["y"] = 3 * data["a"] + 2 * data["b"] + 1 * data["c"] + rng.normal(scale=5, size=200)
    squared = {c: np.corrcoef(data[c], data["y"])[0, 1] ** 2 for c in "abc"}
    for method in ("relative_weights", "shapley"):
        result = by_driver(drivers(data, "y", list("abc"), method=method, n_boot=0), "raw_weight")
        assert result == pytest.approx(squared, rel=1e-9), method


def test_relative_weights_and_shapley_are_close_but_not_equal_on_mtcars(mtcars):
    # Johnson (2000) and LeBreton et al. (2004) report relative weights and general dominance
    # (= LMG) weights nearly coincide; on mtcars they differ by at most 0.0124 in R² units.
    rw = by_driver(drivers(mtcars, "mpg", FEATURES, n_boot=0), "raw_weight")
    sh = by_driver(drivers(mtcars, "mpg", FEATURES, method="shapley", n_boot=0), "raw_weight")
    differences = np.array([abs(rw[f] - sh[f]) for f in FEATURES])
    assert differences.max() < 0.02
    assert differences.max() > 1e-3  # not the same method
    assert sorted(rw, key=rw.get) == sorted(sh, key=sh.get)


def test_complete_cases_only(mtcars):
    holes = mtcars.copy()
    holes.loc[[0, 5], "hp"] = np.nan
    holes.loc[7, "mpg"] = np.nan
    result = drivers(holes, "mpg", FEATURES, n_boot=0)
    expected = drivers(holes.dropna(subset=FEATURES + ["mpg"]), "mpg", FEATURES, n_boot=0)
    assert (result["n"] == 29).all()
    pd.testing.assert_frame_equal(result, expected)


def test_nullable_integer_scores_are_accepted(mtcars):
    scores = mtcars[FEATURES + ["mpg"]].copy()
    scores["cyl"] = scores["cyl"].astype("Int64")
    scores.loc[3, "cyl"] = pd.NA
    assert drivers(scores, "mpg", FEATURES, n_boot=0)["n"].iloc[0] == 31


def test_bootstrap_correlations_equal_those_of_resampled_rows(mtcars):
    values = mtcars[FEATURES + ["mpg"]].to_numpy(float)
    rng = np.random.default_rng(0)
    rows = rng.integers(0, len(values), size=(3, len(values)))
    counts = np.stack([np.bincount(r, minlength=len(values)) for r in rows]).astype(float)
    batched = _correlations(values, counts)
    for b in range(3):
        np.testing.assert_allclose(batched[b], np.corrcoef(values[rows[b]], rowvar=False), atol=1e-12)


def test_bootstrap_interval_is_reproducible_and_covers_the_estimate(mtcars):
    first = drivers(mtcars, "mpg", FEATURES, n_boot=300, seed=11)
    again = drivers(mtcars, "mpg", FEATURES, n_boot=300, seed=11)
    pd.testing.assert_frame_equal(first, again)
    assert (first["ci_low"] < first["weight"]).all() and (first["weight"] < first["ci_high"]).all()
    narrow = drivers(mtcars, "mpg", FEATURES, n_boot=300, seed=11, confidence=0.5)
    assert ((narrow["ci_high"] - narrow["ci_low"]) < (first["ci_high"] - first["ci_low"])).all()
    assert drivers(mtcars, "mpg", FEATURES, n_boot=0)["ci_low"].isna().all()


def test_strongest_planted_driver_ranks_first_with_tight_interval():
    rng = np.random.default_rng(5)
    n = 5000
    common = rng.normal(size=n)
    data = pd.DataFrame({name: 0.5 * common + rng.normal(size=n) for name in ("ces", "csat", "price")})
    data["nps"] = 2.0 * data["ces"] + 0.7 * data["csat"] + 0.2 * data["price"] + rng.normal(scale=2, size=n)
    for method in ("relative_weights", "shapley"):
        result = drivers(data, "nps", ["ces", "csat", "price"], method=method, n_boot=200)
        assert list(result["driver"]) == ["ces", "csat", "price"], method
        assert result["ci_low"].iloc[0] > result["ci_high"].iloc[1], method


def test_argument_errors(mtcars):
    with pytest.raises(ValueError, match="method"):
        drivers(mtcars, "mpg", FEATURES, method="dominance")
    with pytest.raises(ValueError, match="missing column"):
        drivers(mtcars, "mpg", ["cyl", "nope"])
    with pytest.raises(ValueError, match="at most 12"):
        drivers(mtcars, "mpg", [f"x{i}" for i in range(13)], method="shapley")
    with pytest.raises(ValueError, match="do not vary"):
        drivers(mtcars.assign(const=1.0), "mpg", ["cyl", "const"], n_boot=0)


def test_features_default_to_the_scores_and_ratings_present():
    # issue 12: without feature_cols, the scores (nps, csat, ces) and ``rating_…`` columns that hold
    # a value, other than the target; an empty score column (ces) and other columns are left out
    rng = np.random.default_rng(3)
    n = 200
    data = pd.DataFrame(
        {
            "csat": rng.integers(1, 6, n),
            "rating_speed": rng.integers(0, 11, n),
            "ces": pd.array([pd.NA] * n, dtype="Int64"),
            "amount": rng.normal(size=n),
        }
    )
    data["nps"] = data["csat"] + data["rating_speed"] + rng.normal(size=n)
    result = drivers(data, target_col="nps", n_boot=0)
    assert sorted(result["driver"]) == ["csat", "rating_speed"]
    assert result["r2"].iloc[0] == pytest.approx(ols_r2(data, "nps", ["csat", "rating_speed"]))
    with pytest.raises(ValueError, match="non-empty"):
        drivers(data[["nps", "amount"]], target_col="nps")


def test_importance_performance_quadrants_and_rescaling():
    data = pd.DataFrame({"ces": [7, 5, 6, 6], "csat": [2, 1, 2, 3], "speed": [1, 2, 1, 2], "app": [5, 5, 4, 4]})
    frame = pd.DataFrame({"driver": ["ces", "csat", "speed", "app"], "weight": [40.0, 35.0, 15.0, 10.0]})
    result = importance_performance(data, frame, scales={"ces": (1, 7), "csat": (1, 5), "speed": (1, 7)})
    performance = by_driver(result, "performance")
    # ces mean 6 on 1-7 -> 83.3; csat mean 2 on 1-5 -> 25; speed 1.5 on 1-7 -> 8.3;
    # app (no scale given) mean 4.5 on its observed 4-5 -> 50. Mean performance 41.67.
    assert performance == pytest.approx({"ces": 250 / 3, "csat": 25.0, "speed": 25 / 3, "app": 50.0})
    assert by_driver(result, "quadrant") == {
        "ces": "keep up the good work",
        "csat": "concentrate here",
        "speed": "low priority",
        "app": "possible overkill",
    }
    assert result["importance_mean"].iloc[0] == pytest.approx(25.0)
    assert result["performance_mean"].iloc[0] == pytest.approx(500 / 12)


@pytest.mark.skipif(not (SAMPLE_DATA / "responses.csv").exists(), reason="sample data not generated yet")
def test_effort_is_the_strongest_driver_of_nps_in_the_sample():
    # Planted truth 4 (DESIGN.md): effort (CES) drives NPS more than CSAT does.
    responses = pd.read_csv(SAMPLE_DATA / "responses.csv", usecols=["nps", "csat", "ces"])
    for method in ("relative_weights", "shapley"):
        result = drivers(responses, "nps", ["ces", "csat"], method=method, n_boot=200)
        assert result["driver"].iloc[0] == "ces", method
        assert result["ci_low"].iloc[0] > 50, method  # significantly more than half of R²


def test_noise_benchmark_columns_and_a_clear_driver():
    # y = 0.6 x1 + noise; x2 carries nothing. x1 must beat the random variable, x2 must not.
    rng = np.random.default_rng(5)
    x1, x2 = rng.normal(size=(2, 400))
    frame = pd.DataFrame({"x1": x1, "x2": x2, "y": 0.6 * x1 + rng.normal(size=400)})
    result = drivers(frame, "y", ["x1", "x2"], n_boot=300, seed=1).set_index("driver")
    assert bool(result.loc["x1", "beats_noise"]) and result.loc["x1", "vs_noise_low"] > 0
    assert not bool(result.loc["x2", "beats_noise"])
    assert result.loc["x2", "vs_noise_low"] <= 0 <= result.loc["x2", "vs_noise_high"]
    assert drivers(frame, "y", ["x1", "x2"], n_boot=0)["beats_noise"].isna().all()


@pytest.mark.simulation
def test_a_pure_noise_driver_is_rarely_credited():
    # Issue 13: percentile intervals of shares (bounded at 0) excluded 0 for a pure-noise driver
    # in 100% of runs. With the random-variable benchmark (Tonidandel, LeBreton & Johnson 2009)
    # a noise driver "beats noise" only when the lower 2.5% bound of (its share - the random
    # variable's share) is above 0: about 2.5% of runs under the null (the difference of two
    # exchangeable noise shares is symmetric). Tolerance: 3 binomial sd above 2.5%.
    # The strong driver (y = 0.5 x1 + 0.3 x2 + e, corr(x1, y) = 0.43) must be credited in at least
    # 95% of runs.
    rng = np.random.default_rng(2009)
    runs, false_credit, found = 80, 0, 0
    for _ in range(runs):
        x1, x2, x3 = rng.normal(size=(3, 300))
        frame = pd.DataFrame({"x1": x1, "x2": x2, "x3": x3, "y": 0.5 * x1 + 0.3 * x2 + rng.normal(size=300)})
        result = drivers(frame, "y", ["x1", "x2", "x3"], n_boot=200, seed=int(rng.integers(1 << 30)))
        credited = dict(zip(result["driver"], result["beats_noise"]))
        false_credit += bool(credited["x3"])
        found += bool(credited["x1"])
    assert false_credit / runs <= 0.025 + 3 * np.sqrt(0.025 * 0.975 / runs)
    assert found / runs >= 0.95
