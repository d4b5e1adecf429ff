"""NPS, CSAT and CES frames built from responses whose counts are known by construction."""

import numpy as np
import pandas as pd
import pytest

import cxlib.kpi as kpi

TZ = "Europe/Amsterdam"


def _frame(column, scores, when="2026-02-01", **extra):
    frame = pd.DataFrame(
        {
            "submitted_at": pd.Series(pd.Timestamp(when, tz=TZ), index=range(len(scores))),
            column: pd.array(scores, dtype="Int64"),
        }
    )
    for name, values in extra.items():
        frame[name] = values
    return frame


def test_nps_reference_from_raw_responses():
    # 50 promoters (9–10), 30 passives (7–8), 20 detractors (0–6) → NPS 30.0, 14.05 to 44.20
    scores = [9] * 25 + [10] * 25 + [7] * 15 + [8] * 15 + list(range(7)) * 2 + [0] * 6 + [None] * 7
    out = kpi.nps(_frame("nps", scores), freq="quarter")
    row = out.iloc[0]
    assert row["period"] == "2026-Q1" and row["kpi"] == "nps"
    assert (row["n"], row["promoters"], row["passives"], row["detractors"]) == (100, 50, 30, 20)
    assert row["value"] == pytest.approx(30.0)
    assert row["ci_low"] == pytest.approx(14.05, abs=0.005)
    assert row["ci_high"] == pytest.approx(44.20, abs=0.005)
    assert (row["promoter_share"], row["passive_share"], row["detractor_share"]) == (50.0, 30.0, 20.0)


def test_nps_bootstrap_option():
    scores = [10] * 50 + [8] * 30 + [2] * 20
    a = kpi.nps(_frame("nps", scores), method="bootstrap", seed=3, freq=None)
    b = kpi.nps(_frame("nps", scores), method="bootstrap", seed=3, freq=None)
    pd.testing.assert_frame_equal(a, b)
    assert a["ci_low"].iloc[0] < 30 < a["ci_high"].iloc[0]
    assert a["value"].iloc[0] == 30.0
    with pytest.raises(ValueError, match="method"):
        kpi.nps(_frame("nps", scores), method="exact", freq=None)


def test_nps_rejects_scores_outside_the_scale():
    with pytest.raises(ValueError, match="0–10"):
        kpi.nps(_frame("nps", [3, 11]), freq=None)


def test_csat_share_uses_wilson_reference():
    # 6 of 32 answer 4–5 → 18.75%, Wilson 8.89% to 35.31% (issue reference)
    scores = [5] * 3 + [4] * 3 + [3] * 10 + [2] * 10 + [1] * 6
    row = kpi.csat(_frame("csat", scores), min_n=30, freq=None).iloc[0]
    assert (row["n"], row["successes"]) == (32, 6)
    assert row["value"] == pytest.approx(18.75)
    assert row["ci_low"] == pytest.approx(8.89, abs=0.005) and row["ci_high"] == pytest.approx(35.31, abs=0.005)
    # mean by hand: (15 + 12 + 30 + 20 + 6)/32 = 83/32 = 2.59375
    assert row["mean"] == pytest.approx(83 / 32)
    assert row["sd"] == pytest.approx(np.std(scores, ddof=1))


def test_ces_mean_with_t_interval_and_pct_easy():
    # 30 answers: ten each of 2, 5 and 7 → mean 14/3, pct_easy 20/30 = 66.67%
    # sd: deviations −8/3, 1/3, 7/3 → Σ = 10·(64 + 1 + 49)/9 = 126.667; var = 126.667/29 = 4.36782, sd = 2.08993
    # t(0.975; 29) = 2.04523 (t table) → half-width 2.04523·2.08993/√30 = 2.04523·0.381568 = 0.780394
    scores = [2] * 10 + [5] * 10 + [7] * 10
    row = kpi.ces(_frame("ces", scores), freq=None).iloc[0]
    assert row["value"] == pytest.approx(14 / 3)
    assert row["pct_easy"] == pytest.approx(200 / 3)
    assert row["sd"] == pytest.approx(2.08993, abs=1e-5)
    assert row["ci_low"] == pytest.approx(14 / 3 - 0.780394, abs=1e-5)
    assert row["ci_high"] == pytest.approx(14 / 3 + 0.780394, abs=1e-5)
    row90 = kpi.ces(_frame("ces", scores), confidence=0.90, freq=None).iloc[0]
    # t(0.95; 29) = 1.69913 → half-width 1.69913·0.381568 = 0.648332
    assert row90["ci_high"] - row90["value"] == pytest.approx(0.648332, abs=1e-5)


def test_by_columns_and_periods():
    scores = [10, 0] * 40
    regions = pd.Categorical(["Noord", "Zuid"] * 40)
    when = pd.Series(pd.to_datetime(["2026-01-15"] * 40 + ["2026-05-15"] * 40)).dt.tz_localize(TZ)
    frame = _frame("nps", scores, region=regions)
    frame["submitted_at"] = when
    out = kpi.nps(frame, by="region", freq="month", min_n=10)
    assert out[["region", "period"]].astype("string").values.tolist() == [
        ["Noord", "2026-01"],
        ["Noord", "2026-05"],
        ["Zuid", "2026-01"],
        ["Zuid", "2026-05"],
    ]
    assert out["value"].tolist() == [100.0, 100.0, -100.0, -100.0]


def test_customer_columns_are_attached_through_enrich():
    pytest.importorskip("cxlib.enrich")
    customers = pd.DataFrame(
        {"customer_id": pd.array(["c1", "c2"], dtype="string"), "segment": pd.Categorical(["smb", "consumer"])}
    )
    frame = _frame("nps", [10, 0], customer_id=pd.array(["c1", "c2"], dtype="string"))
    out = kpi.nps(frame, by="segment", customers=customers, min_n=1, freq=None)
    assert dict(zip(out["segment"].astype(str), out["value"])) == {"consumer": -100.0, "smb": 100.0}
