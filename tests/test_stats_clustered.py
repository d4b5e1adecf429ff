"""The design effect of answers clustered by customer, derived by hand."""

import numpy as np
import pytest

from cxlib.stats import design_effect


def test_one_answer_per_customer_gives_g_over_g_minus_1():
    # sum_c (y_c - p)² / n² = p(1 - p)/n exactly, times G/(G - 1): deff = 4/3 for G = 4
    out = design_effect([1, 0, 1, 0], ["a"] * 4, ["c1", "c2", "c3", "c4"])
    assert out.loc["a", "deff"] == pytest.approx(4 / 3)


def test_duplicated_answers_double_the_variance():
    # Each of 50 customers answers twice, identically (p = 1/2): cluster sums are 2(y_c - p), so
    # sum_c (2(y_c - p))² / n² = 4 · 50 · p(1 - p)/100² = 2 p(1 - p)/n with n = 100; times
    # G/(G - 1): deff = 2 · 50/49.
    y = np.repeat(np.arange(50) % 2, 2)
    out = design_effect(y, np.zeros(100), np.repeat(np.arange(50), 2))
    assert out["deff"].iloc[0] == pytest.approx(2 * 50 / 49)
    assert out["customers"].iloc[0] == 50 and out["n"].iloc[0] == 100


def test_never_below_one():
    # two customers who each answer 0 and 1: within-customer variation only, robust variance 0
    out = design_effect([0, 1, 0, 1], ["a"] * 4, ["c1", "c1", "c2", "c2"])
    assert out.loc["a", "deff"] == 1.0
