"""NPS change decomposition (symmetric shift-share, Kitagawa 1955): a hand-derived example and the
hidden falling segment of the sample (data/sample/README.md: enterprise x billing 23.6 → −27.9
from 2024-Q4 to 2026-Q3 while the total NPS stays at 30.8 → 31.4)."""

import numpy as np
import pandas as pd
import pytest

from cxlib import paths
from cxlib.analysis.change import nps_change

TZ = "Europe/Amsterdam"


def answers(day, group, promoters, passives, detractors):
    scores = [10] * promoters + [8] * passives + [0] * detractors
    return pd.DataFrame(
        {
            "submitted_at": pd.Series([pd.Timestamp(day, tz=TZ)] * len(scores)),
            "grp": [group] * len(scores),
            "nps": scores,
        }
    )


def responses(extra=()):
    parts = [
        answers("2025-02-01", "A", 6, 2, 2),  # Q1 A: NPS 40, n 10
        answers("2025-02-01", "B", 2, 4, 4),  # Q1 B: NPS −20, n 10 → total 10
        answers("2025-05-01", "A", 10, 6, 4),  # Q2 A: NPS 30, n 20
        answers("2025-05-01", "B", 1, 3, 1),  # Q2 B: NPS 0, n 5 → total 24
        *extra,
    ]
    frame = pd.concat(parts, ignore_index=True)
    frame["grp"] = pd.Categorical(frame["grp"], categories=["A", "B", "C"])
    frame["nps"] = frame["nps"].astype("Int64")
    return frame


def test_shift_share_by_hand():
    out = nps_change(responses(), "2025-Q1", "2025-Q2", by="grp", min_n=1)
    seg = out[out["level"] == "segment"].set_index("grp")
    # weights Q1 .5/.5, Q2 .8/.2
    # A: within (.5+.8)/2·(30−40) = −6.5; mix (.8−.5)·(40+30)/2 = 10.5; contribution .8·30 − .5·40 = 4
    # B: within (.5+.2)/2·(0+20) = 7; mix (.2−.5)·(−20+0)/2 = 3; contribution .2·0 − .5·(−20) = 10
    assert seg.loc["A", ["within", "mix", "contribution"]].tolist() == pytest.approx([-6.5, 10.5, 4.0])
    assert seg.loc["B", ["within", "mix", "contribution"]].tolist() == pytest.approx([7.0, 3.0, 10.0])
    assert seg.loc["A", ["nps_from", "nps_to", "change"]].tolist() == pytest.approx([40.0, 30.0, -10.0])
    assert seg.loc["A", ["share_from", "share_to"]].tolist() == pytest.approx([50.0, 80.0])
    assert list(seg["n_from"]) == [10, 10] and list(seg["n_to"]) == [20, 5]
    total = out[out["level"] == "total"].iloc[0]
    assert (total["nps_from"], total["nps_to"]) == pytest.approx((10.0, 24.0))
    assert total["change"] == pytest.approx(14.0)
    assert (total["within"], total["mix"], total["contribution"]) == pytest.approx((0.5, 13.5, 14.0))
    assert list(out["level"]) == ["segment", "segment", "total"]  # sorted by contribution, total last
    assert pd.isna(total["grp"])
    assert out.attrs["from_period"] == "2025-Q1" and out.attrs["to_period"] == "2025-Q2"


def test_a_new_segment_is_all_mix_and_the_parts_still_add_up():
    out = nps_change(responses([answers("2025-05-01", "C", 5, 0, 0)]), "2025-Q1", "2025-Q2", by="grp", min_n=1)
    seg = out[out["level"] == "segment"].set_index("grp")
    # C only in Q2 (5 of 30 respondents, NPS 100): within 0, mix = 5/30 · 100
    assert seg.loc["C", "within"] == 0.0
    assert seg.loc["C", "mix"] == pytest.approx(100 * 5 / 30)
    assert seg.loc["C", "n_from"] == 0 and np.isnan(seg.loc["C", "nps_from"])
    total = out[out["level"] == "total"].iloc[0]
    # Q2 total: (16 − 5)/30 · 100 = 36.67; change 26.67 = sum of the contributions
    assert total["nps_to"] == pytest.approx(1100 / 30)
    assert seg["contribution"].sum() == pytest.approx(total["change"], abs=1e-12)


def test_missing_segment_values_form_their_own_segment():
    frame = responses()
    frame.loc[[0, 25], "grp"] = np.nan  # one Q1 promoter of A, one Q2 promoter of A
    out = nps_change(frame, "2025-Q1", "2025-Q2", by="grp", min_n=1)
    seg = out[out["level"] == "segment"]
    assert seg["grp"].isna().sum() == 1 and seg["n_from"].sum() == 20 and seg["n_to"].sum() == 25
    total = out[out["level"] == "total"].iloc[0]
    assert seg["contribution"].sum() == pytest.approx(total["change"], abs=1e-12)
    assert total["change"] == pytest.approx(14)


def test_suppression_blanks_the_display_but_not_the_decomposition():
    out = nps_change(responses(), "2025-Q1", "2025-Q2", by="grp", min_n=8)
    b = out[out["grp"] == "B"].iloc[0]
    assert b["suppressed"] and np.isnan(b["nps_to"]) and np.isnan(b["change"]) and pd.isna(b["significant"])
    assert b["contribution"] == pytest.approx(10.0)


def test_period_arguments_are_checked():
    with pytest.raises(ValueError, match="different kinds"):
        nps_change(responses(), "2025-Q1", "2025-05", by="grp")
    with pytest.raises(ValueError, match="before"):
        nps_change(responses(), "2025-Q2", "2025-Q1", by="grp")
    with pytest.raises(ValueError, match="no NPS answers"):
        nps_change(responses(), "2025-Q1", "2025-Q4", by="grp")
    with pytest.raises(ValueError, match="by="):
        nps_change(responses(), "2025-Q1", "2025-Q2", by=None)


@pytest.mark.skipif(not (paths.SAMPLE_DATA / "responses.csv").exists(), reason="sample data not generated yet")
def test_sample_enterprise_billing_falls_while_the_total_stays_flat(sample):
    out = nps_change(sample.responses, "2024-Q4", "2026-Q3", by=["segment", "touchpoint"], customers=sample.customers)
    seg = out[(out["level"] == "segment") & ~out["suppressed"]]
    hidden = seg[(seg["segment"] == "enterprise") & (seg["touchpoint"] == "billing")].iloc[0]
    # README: 23.6 → −27.9 (planted +20 falling 7 points a quarter)
    assert hidden["nps_from"] == pytest.approx(23.6, abs=0.1)
    assert hidden["nps_to"] == pytest.approx(-27.9, abs=0.1)
    assert hidden["significant"] and hidden["change_ci_high"] < -20
    assert hidden["change"] == seg["change"].min()  # the steepest fall of all segments
    assert hidden["within"] < 0
    total = out[out["level"] == "total"].iloc[0]
    # README: total 30.8 → 31.4, flat: the change is small and not significant
    assert abs(total["change"]) < 2 and not total["significant"]
    assert total["change_ci_low"] < 0 < total["change_ci_high"]
    assert out.loc[out["level"] == "segment", "contribution"].sum() == pytest.approx(total["change"], abs=1e-9)
