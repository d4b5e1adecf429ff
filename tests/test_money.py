"""The link to money: churn and value by NPS group, churn ratio, revenue at risk.

A hand-made customer base with answers derived by hand; the planted detractor churn on the sample
(data/sample/README.md: detractors churn 2.6x as often as promoters, planted 2-3x).
"""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib import paths
from cxlib.analysis.money import churn_by_nps_group, churn_ratio, value_at_stake, value_by_nps_group

TZ = "Europe/Amsterdam"
START, AS_OF = "2025-01-01", "2025-12-31"


def ts(day):
    return pd.Timestamp(day, tz=TZ)


def base():
    """C1–C4 detractors (C1, C2 churned), C5–C8 promoters (C5 churned), C9 passive, C10 never answered."""
    ids = [f"C{i}" for i in range(1, 11)]
    churn = {"C1": "2025-03-01", "C2": "2025-04-01", "C5": "2025-05-01"}
    customers = pd.DataFrame({
        "customer_id": pd.array(ids, dtype="string"),
        "signup_date": pd.Series([ts("2024-01-01")] * 10),
        "churn_date": pd.Series([ts(churn[i]) if i in churn else pd.NaT for i in ids], dtype=f"datetime64[ns, {TZ}]"),
    })
    answers = [("C1", "2024-06-01", 10), ("C1", "2025-01-15", 3), ("C2", "2025-01-15", 0), ("C3", "2025-01-15", 6),
               ("C4", "2025-01-15", 5), ("C5", "2025-01-15", 9), ("C6", "2025-01-15", 10), ("C7", "2025-01-15", 10),
               ("C8", "2025-01-15", 9), ("C9", "2025-01-15", 8)]
    responses = pd.DataFrame({
        "customer_id": pd.array([a[0] for a in answers], dtype="string"),
        "submitted_at": pd.Series([ts(a[1]) for a in answers]),
        "nps": pd.array([a[2] for a in answers], dtype="Int64"),
    })
    amounts = {"C1": 100.0, "C2": 200.0, "C3": 300.0, "C4": 400.0, "C5": 0.0, "C6": 0.0, "C7": 100.0, "C8": 100.0,
               "C9": 80.0}
    orders = pd.DataFrame({
        "order_id": pd.array([f"O{i}" for i in range(len(amounts))], dtype="string"),
        "customer_id": pd.array(list(amounts), dtype="string"),
        "order_date": pd.Series([ts("2024-02-01")] * len(amounts)),
        "amount": list(amounts.values()),
    })
    return customers, responses, orders


def test_churn_by_nps_group_counts_by_the_latest_answer():
    customers, responses, _ = base()
    out = churn_by_nps_group(customers, responses, as_of=AS_OF, min_n=1, start=START)
    assert list(out["nps_group"].astype("string").fillna("-")) == ["promoter", "passive", "detractor", "-"]
    assert list(out["n"]) == [4, 1, 4, 1]
    assert list(out["successes"]) == [1, 0, 2, 0]
    assert out["value"].tolist() == pytest.approx([25.0, 0.0, 50.0, 0.0])
    assert set(out["kpi"]) == {"churn_rate"}
    # Wilson interval from the KPI engine: 2 of 4 → 15.00% to 85.00%
    det = out[out["nps_group"] == "detractor"].iloc[0]
    assert det["ci_low"] == pytest.approx(15.0, abs=0.01) and det["ci_high"] == pytest.approx(85.0, abs=0.01)


def test_churn_ratio_katz_log_interval_by_hand():
    customers, responses, _ = base()
    out = churn_ratio(churn_by_nps_group(customers, responses, as_of=AS_OF, min_n=1, start=START)).iloc[0]
    # 2/4 vs 1/4 → RR 2; se(ln RR) = √(1/2 − 1/4 + 1/1 − 1/4) = 1; interval 2·exp(±1.959964)
    assert out["ratio"] == pytest.approx(2.0)
    assert out["ci_low"] == pytest.approx(2 * np.exp(-1.959964), rel=1e-5)
    assert out["ci_high"] == pytest.approx(2 * np.exp(1.959964), rel=1e-5)
    assert (out["numerator"], out["denominator"]) == ("detractor", "promoter")
    # 30/100 vs 10/100 → RR 3; se(ln RR) = √(1/30 − 1/100 + 1/10 − 1/100) = 0.33665 (Katz et al. 1978);
    # 3·exp(±1.959964·0.33665) = 3·exp(±0.65983) → 1.5508 to 5.8033
    frame = pd.DataFrame({"nps_group": ["detractor", "promoter"], "n": [100, 100], "successes": [30, 10]})
    row = churn_ratio(frame).iloc[0]
    assert row["ratio"] == pytest.approx(3.0)
    assert row["ci_low"] == pytest.approx(1.5508, abs=1e-4) and row["ci_high"] == pytest.approx(5.8033, abs=1e-4)
    # two-proportion z-test: z = 0.2/√(0.2·0.8·(2/100)) = 3.5355
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(0.2 / np.sqrt(0.2 * 0.8 * 0.02)))
    with pytest.raises(KeyError, match="passive"):
        churn_ratio(frame, denominator="passive")


def test_value_by_nps_group_mean_and_t_interval_by_hand():
    customers, responses, orders = base()
    out = value_by_nps_group(customers, responses, orders, as_of=AS_OF, min_n=1).set_index("nps_group")
    det = out.loc["detractor"]
    # 100, 200, 300, 400: mean 250, sd √(50000/3) = 129.0994, t(0.975; 3) = 3.182446
    assert det["n"] == 4 and det["value"] == pytest.approx(250.0)
    half = 3.182446305 * np.sqrt(50000 / 3) / 2
    assert det["ci_low"] == pytest.approx(250 - half) and det["ci_high"] == pytest.approx(250 + half)
    assert out.loc["promoter", "value"] == pytest.approx(50.0) and out.loc["promoter", "total"] == 200.0
    assert set(out["basis"]) == {"historic"}
    clv = pd.Series({f"C{i}": float(i) for i in range(1, 11)})
    by_clv = value_by_nps_group(customers, responses, clv=clv, as_of=AS_OF, min_n=1).set_index("nps_group")
    assert by_clv.loc["detractor", "value"] == pytest.approx(2.5)  # C1..C4
    assert set(by_clv["basis"]) == {"clv"}
    suppressed = value_by_nps_group(customers, responses, orders, as_of=AS_OF, min_n=5)
    assert suppressed["suppressed"].all() and suppressed["value"].isna().all()


def test_value_at_stake_revenue_at_risk_formula():
    customers, responses, orders = base()
    out = value_at_stake(customers, responses, orders, as_of=AS_OF, min_n=1).set_index("nps_group")
    det = out.loc["detractor"]
    # active detractors C3, C4: 300 + 400; excess churn 50% − 25% = 25 points → 700 × 0.25 = 175 EUR
    assert det["active"] == 2 and det["active_value"] == pytest.approx(700.0)
    assert det["excess_churn"] == pytest.approx(25.0)
    assert det["revenue_at_risk"] == pytest.approx(175.0)
    assert det["risk_ci_low"] == pytest.approx(700 * det["excess_ci_low"] / 100)
    assert det["excess_ci_low"] < 25 < det["excess_ci_high"]
    assert out.loc["promoter", "revenue_at_risk"] == 0.0
    # passive C9 churns less than promoters: a negative risk (80 × −0.25)
    assert out.loc["passive", "revenue_at_risk"] == pytest.approx(-20.0)
    assert list(out.columns[:5]) == ["churn_n", "churned", "churn_rate", "churn_ci_low", "churn_ci_high"]


sample_only = pytest.mark.skipif(not (paths.SAMPLE_DATA / "responses.csv").exists(),
                                 reason="sample data not generated yet")


@sample_only
def test_sample_detractors_churn_two_to_three_times_as_often_as_promoters(sample):
    churn = churn_by_nps_group(sample.customers, sample.responses)
    rates = churn.set_index(churn["nps_group"].astype("string"))["value"]
    assert rates["detractor"] > rates["passive"] > rates["promoter"]
    ratio = churn_ratio(churn).iloc[0]
    # planted: 2–3x (README: 2.6x by the latest answer); the interval excludes 1 by far
    assert 2.0 <= ratio["ratio"] <= 3.0
    assert ratio["ci_low"] > 1.5 and ratio["p_value"] < 1e-6


@sample_only
def test_sample_revenue_at_risk_from_detractors_is_positive(sample):
    out = value_at_stake(sample.customers, sample.responses, sample.orders)
    det = out[out["nps_group"] == "detractor"].iloc[0]
    assert det["excess_churn"] > 10 and det["risk_ci_low"] > 0
    assert det["revenue_at_risk"] == pytest.approx(det["active_value"] * det["excess_churn"] / 100)
