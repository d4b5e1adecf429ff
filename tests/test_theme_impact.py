"""Theme impact: mentioners against the other commenters, and the points of NPS a theme costs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.actions import theme_impact

TAXONOMY = {
    "themes": {
        "billing": {"label": {"nl": "Facturering", "en": "Billing"}, "en": {"keywords": ["invoice"]}},
        "parking": {"label": {"nl": "Parkeren", "en": "Parking"}, "en": {"keywords": ["parking"]}},
    }
}


@pytest.fixture
def hand():
    """10 commenters mention the invoice (2 promoters, 3 passives, 5 detractors), 30 commenters do
    not (15/9/6), 10 more answered without a comment (5 promoters, 5 detractors): 50 scored."""
    scores = [10] * 2 + [7] * 3 + [3] * 5 + [9] * 15 + [8] * 9 + [0] * 6 + [10] * 5 + [2] * 5
    comments = ["the invoice was wrong"] * 10 + ["fine"] * 12 + ["no parking space"] * 18 + [None] * 10
    return pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(50)],
            "comment": comments,
            "language": "en",
            "nps": pd.array(scores, dtype="Int64"),
        }
    )


def test_impact_by_hand(hand):
    out = theme_impact(hand, TAXONOMY, adjust=None, semantic=False, detect=False).set_index("theme")
    b = out.loc["billing"]
    # NPS mentioners (2 − 5)/10 = −30; others (15 − 6)/30 = +30; difference −60
    assert (b["n_mentions"], b["n_others"]) == (10, 30)
    assert b["score_mentions"] == pytest.approx(-30.0) and b["score_others"] == pytest.approx(30.0)
    assert b["difference"] == pytest.approx(-60.0)
    # Adjusted Wald (Rocks 2016): mentioners n+3 = 13, p = 2.75/13, d = 5.75/13, centre −0.230769,
    # var = p + d − centre² = 0.600592, se² = 0.0461994; others n+3 = 33, p = 15.75/33, d = 6.75/33,
    # centre 0.272727, var = 0.607438, se² = 0.0184072. se_diff = √0.0646066 = 0.254178;
    # interval = 100·(−0.503497 ± 1.959964·0.254178) = −100.168 to −0.531
    assert b["ci_low"] == pytest.approx(-100.168, abs=0.01)
    assert b["ci_high"] == pytest.approx(-0.531, abs=0.01)
    # impact: w = 10/50 scored responses = 0.2 → −12 points, interval 0.2·(−100.168, −0.531)
    assert b["share"] == pytest.approx(20.0)
    assert b["impact"] == pytest.approx(-12.0)
    assert (b["impact_low"], b["impact_high"]) == (pytest.approx(-20.034, abs=0.01), pytest.approx(-0.106, abs=0.01))
    assert bool(b["significant"]) and b["p_value"] < 0.05
    # z = −0.503497/0.254178 = −1.98088 → p = 2·Φ(−1.98088) = 0.04760
    assert b["p_value"] == pytest.approx(0.04760, abs=2e-4)
    # parking: 18 mentioners (3 P, 9 passive, 6 D) → −16.667; others 22 (14 P, 5 D) → +40.909;
    # impact = 18/50 · (−57.576) = −20.727: more costly than billing, so listed first
    assert out.loc["parking", "impact"] == pytest.approx(0.36 * (-100 / 6 - 900 / 22))
    assert out.index.tolist() == ["parking", "billing"]


def test_counterfactual_reading(hand):
    # impact = NPS now − NPS if the mentioners had scored like the others (everyone else unchanged):
    # now: promoters 2+15+5 = 22, detractors 5+6+5 = 16 of 50 → +12;
    # counterfactual: the 10 mentioners at the others' shares (0.5 P, 0.2 D) → P 25, D 13 → +24
    out = theme_impact(hand, TAXONOMY, adjust=None, semantic=False, detect=False).set_index("theme")
    assert out.loc["billing", "impact"] == pytest.approx(12.0 - 24.0)


def test_bonferroni_widens_and_agrees_with_the_verdict(hand):
    plain = theme_impact(hand, TAXONOMY, adjust=None, semantic=False, detect=False).set_index("theme")
    wide = theme_impact(hand, TAXONOMY, semantic=False, detect=False).set_index("theme")
    # two themes: each interval at 1 − 0.05/2 = 97.5 %; z = 2.241403 → −50.350 ± 56.971
    assert wide.loc["billing", "ci_level"] == pytest.approx(0.975)
    assert wide.loc["billing", "ci_low"] == pytest.approx(-50.3497 - 2.241403 * 25.4178, abs=0.01)
    assert wide.loc["billing", "ci_high"] == pytest.approx(-50.3497 + 2.241403 * 25.4178, abs=0.01)
    assert wide.loc["billing", "p_adjusted"] == pytest.approx(2 * plain.loc["billing", "p_value"])
    assert bool(plain.loc["billing", "significant"]) and not bool(wide.loc["billing", "significant"])
    for frame in (plain, wide):  # the verdict is exactly "the shown interval excludes 0"
        excludes = (frame["ci_low"] > 0) | (frame["ci_high"] < 0)
        assert (frame["significant"] == excludes).all()


def test_small_groups_are_suppressed_and_csat_works(hand):
    out = theme_impact(hand, TAXONOMY, adjust=None, min_n=11, semantic=False, detect=False).set_index("theme")
    assert bool(out.loc["billing", "suppressed"]) and math.isnan(out.loc["billing", "impact"])
    assert out.loc["billing", "n_mentions"] == 10  # n kept
    rated = hand.assign(csat=pd.array(np.where(hand["nps"] >= 7, 5, 1), dtype="Int64"))
    c = theme_impact(rated, TAXONOMY, "csat", adjust=None, semantic=False, detect=False).set_index("theme")
    # CSAT (4–5) mentioners 5/10 = 50 %, others 24/30 = 80 % → −30 points; w = 0.2 → −6
    assert c.loc["billing", "difference"] == pytest.approx(-30.0)
    assert c.loc["billing", "impact"] == pytest.approx(-6.0)
    with pytest.raises(ValueError, match="kpi must be one of"):
        theme_impact(hand, TAXONOMY, "ces")
