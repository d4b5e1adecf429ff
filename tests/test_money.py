"""The link to money: churn and value by NPS group, churn ratio, revenue at risk.

A hand-made customer base with answers derived by hand; the planted detractor churn on the sample
(data/sample/README.md, truth 3: per answer, detractors decide to leave 3.3x as often as promoters).
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib import paths
from cxlib.analysis.money import (
    answer_followups,
    churn_by_nps_group,
    churn_hazard_ratio,
    churn_ratio,
    churn_survival,
    value_at_stake,
    value_by_nps_group,
)

TZ = "Europe/Amsterdam"
START, AS_OF = "2025-01-01", "2025-12-31"


def ts(day):
    return pd.Timestamp(day, tz=TZ)


def base():
    """C1–C4 detractors (C1, C2 churned), C5–C8 promoters (C5 churned), C9 passive, C10 never answered."""
    ids = [f"C{i}" for i in range(1, 11)]
    churn = {"C1": "2025-03-01", "C2": "2025-04-01", "C5": "2025-05-01"}
    customers = pd.DataFrame(
        {
            "customer_id": pd.array(ids, dtype="string"),
            "signup_date": pd.Series([ts("2024-01-01")] * 10),
            "churn_date": pd.Series(
                [ts(churn[i]) if i in churn else pd.NaT for i in ids], dtype=f"datetime64[ns, {TZ}]"
            ),
        }
    )
    answers = [
        ("C1", "2024-06-01", 10),
        ("C1", "2025-01-15", 3),
        ("C2", "2025-01-15", 0),
        ("C3", "2025-01-15", 6),
        ("C4", "2025-01-15", 5),
        ("C5", "2025-01-15", 9),
        ("C6", "2025-01-15", 10),
        ("C7", "2025-01-15", 10),
        ("C8", "2025-01-15", 9),
        ("C9", "2025-01-15", 8),
    ]
    responses = pd.DataFrame(
        {
            "customer_id": pd.array([a[0] for a in answers], dtype="string"),
            "submitted_at": pd.Series([ts(a[1]) for a in answers]),
            "nps": pd.array([a[2] for a in answers], dtype="Int64"),
        }
    )
    amounts = {
        "C1": 100.0,
        "C2": 200.0,
        "C3": 300.0,
        "C4": 400.0,
        "C5": 0.0,
        "C6": 0.0,
        "C7": 100.0,
        "C8": 100.0,
        "C9": 80.0,
    }
    orders = pd.DataFrame(
        {
            "order_id": pd.array([f"O{i}" for i in range(len(amounts))], dtype="string"),
            "customer_id": pd.array(list(amounts), dtype="string"),
            "order_date": pd.Series([ts("2024-02-01")] * len(amounts)),
            "amount": list(amounts.values()),
        }
    )
    return customers, responses, orders


def test_churn_is_counted_per_answer_with_equal_follow_up():
    customers, responses, _ = base()
    answers = answer_followups(customers, responses, as_of=AS_OF)
    # C1's promoter answer of 2024-06-01 is followed up to 2024-11-28 (180 days): no churn then;
    # its detractor answer of 2025-01-15 is followed by the churn of 2025-03-01.
    c1 = answers[answers["customer_id"] == "C1"].sort_values("submitted_at")
    assert list(c1["churned"]) == [False, True]
    assert c1["time"].tolist() == pytest.approx([180.0, 45.0])
    out = churn_by_nps_group(customers, responses, as_of=AS_OF, min_n=1)
    assert list(out["nps_group"].astype("string")) == ["promoter", "passive", "detractor"]
    # promoters: C1 (2024), C5 (churned), C6, C7, C8 -> 1 of 5; detractors C1-C4 -> 2 of 4
    assert list(out["n"]) == [5, 1, 4] and list(out["successes"]) == [1, 0, 2]
    assert out["value"].tolist() == pytest.approx([20.0, 0.0, 50.0])
    assert set(out["kpi"]) == {"churn_after_answer"}
    # One answer per customer: the cluster-robust variance is the binomial one times G/(G - 1),
    # so deff = 4/3 for the 4 detractors; Wilson on x = 2/deff = 1.5 of n = 3.
    det = out[out["nps_group"] == "detractor"].iloc[0]
    assert det["deff"] == pytest.approx(4 / 3)
    z = 1.959964
    p, n = 0.5, 3.0
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert det["ci_low"] == pytest.approx(100 * (centre - half), abs=1e-4)
    assert det["ci_high"] == pytest.approx(100 * (centre + half), abs=1e-4)
    # an answer whose window is not complete by as_of is not counted
    late = churn_by_nps_group(customers, responses, as_of="2025-06-30", min_n=1)
    assert list(late["n"]) == [1, 0, 0]


def test_churn_ratio_katz_log_interval_by_hand():
    customers, responses, _ = base()
    out = churn_ratio(churn_by_nps_group(customers, responses, as_of=AS_OF, min_n=1)).iloc[0]
    # 50% vs 20% -> RR 2.5; effective counts 2/(4/3) of 4/(4/3) and 1/(5/4) of 5/(5/4):
    # se(ln RR) = sqrt(1/1.5 - 1/3 + 1/0.8 - 1/4) = sqrt(4/3); interval 2.5 exp(+-1.959964 se)
    assert out["ratio"] == pytest.approx(2.5)
    se = np.sqrt(4 / 3)
    assert out["ci_low"] == pytest.approx(2.5 * np.exp(-1.959964 * se), rel=1e-5)
    assert out["ci_high"] == pytest.approx(2.5 * np.exp(1.959964 * se), rel=1e-5)
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
    # active detractors C3, C4: 300 + 400; excess churn per answer 50% − 20% = 30 points
    # → 700 × 0.30 = 210 EUR
    assert det["active"] == 2 and det["active_value"] == pytest.approx(700.0)
    assert det["excess_churn"] == pytest.approx(30.0)
    assert det["revenue_at_risk"] == pytest.approx(210.0)
    assert det["risk_ci_low"] == pytest.approx(700 * det["excess_ci_low"] / 100)
    assert det["excess_ci_low"] < 30 < det["excess_ci_high"]
    assert out.loc["promoter", "revenue_at_risk"] == 0.0
    # passive C9's answer is not followed by churn: 0% − 20%, a negative risk (80 × −0.20)
    assert out.loc["passive", "revenue_at_risk"] == pytest.approx(-16.0)
    assert list(out.columns[:5]) == ["churn_n", "churned", "churn_rate", "churn_ci_low", "churn_ci_high"]


sample_only = pytest.mark.skipif(
    not (paths.SAMPLE_DATA / "responses.csv").exists(), reason="sample data not generated yet"
)


@sample_only
def test_sample_per_answer_churn_ratio_covers_the_planted_3_3(sample):
    # README truth 3: after each NPS answer a customer decides to leave with 0.10 (detractor)
    # or 0.03 (promoter): ratio 3.3 per answer. The churn follows 10 + Exp(40) days later, so
    # within 180 days in 98.6% of cases, equally for both groups.
    churn = churn_by_nps_group(sample.customers, sample.responses)
    rates = churn.set_index(churn["nps_group"].astype("string"))["value"]
    assert rates["detractor"] > rates["passive"] > rates["promoter"]
    ratio = churn_ratio(churn).iloc[0]
    assert ratio["ci_low"] <= 10 / 3 <= ratio["ci_high"]
    assert ratio["p_value"] < 1e-6
    # planted per-answer decision probabilities 10% and 3%, times P(delay <= 180 d) = 0.986
    assert churn["ci_low"].iloc[2] <= 9.86 <= churn["ci_high"].iloc[2]
    assert churn["ci_low"].iloc[0] <= 2.96 <= churn["ci_high"].iloc[0]


@sample_only
def test_sample_cox_hazard_ratio_and_kaplan_meier(sample):
    hr = churn_hazard_ratio(sample.customers, sample.responses).set_index("nps_group")
    assert hr.loc["detractor", "ci_low"] <= 10 / 3 <= hr.loc["detractor", "ci_high"]
    assert hr.loc["detractor", "ci_low"] > 1
    km = churn_survival(sample.customers, sample.responses)
    last = km.groupby("nps_group", observed=True)["survival"].last()
    assert last["detractor"] < last["passive"] < last["promoter"]
    assert ((km["ci_low"] <= km["survival"]) & (km["survival"] <= km["ci_high"])).all()


@sample_only
def test_sample_revenue_at_risk_from_detractors_is_positive(sample):
    out = value_at_stake(sample.customers, sample.responses, sample.orders)
    det = out[out["nps_group"] == "detractor"].iloc[0]
    # planted excess per answer: 0.986 x (10% - 3%) = 6.9 points within 180 days
    assert det["excess_ci_low"] <= 6.9 <= det["excess_ci_high"] and det["risk_ci_low"] > 0
    assert det["revenue_at_risk"] == pytest.approx(det["active_value"] * det["excess_churn"] / 100)


def _planted_churn(rng, customers=3000):
    """Truth 3 in miniature: NPS answers at 2 a year; after each one the customer decides to leave
    with 10% (detractor), 4.5% (passive) or 3% (promoter), and leaves 10 + Exp(40) days later;
    later answers of a leaver never happen."""
    start, end = pd.Timestamp("2024-01-01", tz=TZ), pd.Timestamp("2026-01-01", tz=TZ)
    per = rng.poisson(4, customers)
    who = np.repeat(np.arange(customers), per)
    days = rng.uniform(0, 731, who.size)
    order = np.lexsort((days, who))
    who, days = who[order], days[order]
    group = rng.choice(3, who.size, p=[0.45, 0.30, 0.25])  # promoter, passive, detractor
    score = np.array([10, 7, 3])[group]
    decides = rng.random(who.size) < np.array([0.03, 0.045, 0.10])[group]
    before = pd.Series(decides).groupby(who).cumsum().to_numpy() - decides  # decisions before this answer
    keep = before == 0
    first = keep & decides
    churn_day = np.full(customers, np.nan)
    churn_day[who[first]] = days[first] + 10 + rng.exponential(40, first.sum())
    churn = pd.Series(start + pd.to_timedelta(churn_day, unit="D"))
    churn[churn > end] = pd.NaT
    customer_frame = pd.DataFrame(
        {
            "customer_id": pd.array([f"C{i}" for i in range(customers)], dtype="string"),
            "signup_date": pd.Series([pd.Timestamp("2020-01-01", tz=TZ)] * customers),
            "churn_date": churn.astype(f"datetime64[ns, {TZ}]"),
        }
    )
    responses = pd.DataFrame(
        {
            "customer_id": pd.array([f"C{i}" for i in who[keep]], dtype="string"),
            "submitted_at": start + pd.to_timedelta(days[keep], unit="D"),
            "nps": pd.array(score[keep], dtype="Int64"),
        }
    )
    return customer_frame, responses, end


@pytest.mark.simulation
def test_per_answer_churn_ratio_recovers_the_planted_ratio():
    # 60 simulated companies of 2,000 customers: the 95% interval of the per-answer ratio must
    # hold the planted 0.10/0.03 = 3.33 in 95% of them, within 3 binomial sd (3·√(.95·.05/60) = 0.084).
    rng = np.random.default_rng(33)
    runs, covered = 60, 0
    for _ in range(runs):
        customers, responses, end = _planted_churn(rng, 2000)
        ratio = churn_ratio(churn_by_nps_group(customers, responses, as_of=end)).iloc[0]
        covered += ratio["ci_low"] <= 10 / 3 <= ratio["ci_high"]
    assert covered / runs >= 0.95 - 3 * np.sqrt(0.95 * 0.05 / runs)
