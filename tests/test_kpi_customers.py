"""churn_rate and complaints on a small customer base counted by hand."""

import pandas as pd
import pytest

import cxlib.kpi as kpi

TZ = "Europe/Amsterdam"


def _dates(values):
    return pd.to_datetime(pd.Series(values)).dt.tz_localize(TZ)


@pytest.fixture
def customers():
    # id  segment  signup       churn
    # a   x        2024-01-01   2024-11-05   active at the start of 2024-Q4, churns in it
    # b   x        2024-05-01   —            active throughout
    # c   y        2024-02-01   2025-02-01   active at the start of Q4 and Q1, churns in Q1
    # d   y        2024-12-15   —            signs up in Q4: at risk from Q1 on
    # e   y        2025-01-01   2025-03-01   signs up on Q1's first day: not at risk in Q1
    return pd.DataFrame(
        {
            "customer_id": pd.array(list("abcde"), dtype="string"),
            "segment": pd.Categorical(list("xxyyy")),
            "signup_date": _dates(["2024-01-01", "2024-05-01", "2024-02-01", "2024-12-15", "2025-01-01"]),
            "churn_date": _dates(["2024-11-05", None, "2025-02-01", None, "2025-03-01"]),
        }
    )


def test_churn_by_quarter_by_hand(customers):
    # 2024-Q4: at start a, b, c (n 3), churned a → 1/3; 2025-Q1: at start b, c, d (n 3), churned c → 1/3
    # (e churns in Q1 but was not at risk at its start).
    out = kpi.churn_rate(customers, freq="quarter", min_n=1, start="2024-10-01", as_of="2025-03-31")
    assert out["period"].tolist() == ["2024-Q4", "2025-Q1"]
    assert out["n"].tolist() == [3, 3] and out["successes"].tolist() == [1, 1]
    assert out["value"].tolist() == pytest.approx([100 / 3, 100 / 3])
    # Wilson 1 of 3 (95%) by hand: p = 1/3, z² = 3.841459, denominator 1 + z²/3 = 2.280486,
    # centre (1/3 + z²/6)/2.280486 = (0.333333 + 0.640243)/2.280486 = 0.426916,
    # half 1.959964·√(2/27 + z²/36)/2.280486 = 1.959964·√0.180781/2.280486
    #      = 1.959964·0.425184/2.280486 = 0.365425 → 6.149% to 79.234%
    assert out["ci_low"].iloc[0] == pytest.approx(6.149, abs=0.01)
    assert out["ci_high"].iloc[0] == pytest.approx(79.234, abs=0.01)


def test_churn_one_window_by_segment(customers):
    # window 2024-10-01 .. 2025-03-31: x: a, b at risk, a churned → 50%; y: only c at risk, churned → 100%
    out = kpi.churn_rate(customers, by="segment", min_n=1, start="2024-10-01", as_of="2025-03-31", freq=None)
    assert out["period"].tolist() == ["all", "all"]
    assert out["n"].tolist() == [2, 1] and out["value"].tolist() == [50.0, 100.0]


def test_churn_default_window_starts_at_first_recorded_churn(customers):
    out = kpi.churn_rate(customers, freq="quarter", min_n=1)
    assert out["period"].iloc[0] == "2024-Q4"  # first churn 2024-11-05; data ends 2025-03-01
    assert out["period"].iloc[-1] == "2025-Q1"


def test_churn_suppressed_below_min_n(customers):
    out = kpi.churn_rate(customers, freq="quarter", start="2024-10-01")
    assert out["suppressed"].all() and out["value"].isna().all() and (out["n"] == 3).all()


def test_complaints_per_1000_active_customers(customers):
    tickets = pd.DataFrame(
        {
            "customer_id": pd.array(list("abcce"), dtype="string"),
            "category": pd.Categorical(["complaint", "complaint", "question", "complaint", "complaint"]),
            "created_at": _dates(["2024-10-02", "2024-12-01", "2025-01-05", "2025-01-06", "2025-02-01"]),
        }
    )
    # active during Q4: a (churned in it), b, c, d (signed up in it) = 4, complaints a, b = 2 → 500 per 1,000
    # active during Q1: b, c (churned in it), d, e = 4, complaints c, e = 2 → 500 per 1,000
    out = kpi.complaints(tickets, customers, freq="quarter", min_n=1)
    assert out["period"].tolist() == ["2024-Q4", "2025-Q1"]
    assert out["n"].tolist() == [4, 4] and out["complaints"].tolist() == [2, 2]
    assert out["value"].tolist() == [500.0, 500.0]
    # exact Poisson for 2 complaints: χ²(0.025; 4)/2 = 0.2422, χ²(0.975; 6)/2 = 7.2247 (tables)
    assert out["ci_low"].iloc[0] == pytest.approx(1000 * 0.24218 / 4, abs=0.05)
    assert out["ci_high"].iloc[0] == pytest.approx(1000 * 7.22468 / 4, abs=0.05)
    by_segment = kpi.complaints(tickets, customers, by="segment", min_n=1, freq=None)
    # x: a, b active, complaints a, b → 1000; y: c, d, e active, complaints c, e → 666.7
    assert by_segment["value"].tolist() == pytest.approx([1000.0, 2000 / 3])


def test_complaints_warn_about_unknown_customers_and_refuse_ticket_columns(customers):
    tickets = pd.DataFrame(
        {
            "customer_id": pd.array(["a", "zz"], dtype="string"),
            "category": pd.Categorical(["complaint", "complaint"]),
            "created_at": _dates(["2024-10-02", "2024-10-03"]),
            "team": pd.array(["t1", "t1"], dtype="string"),
        }
    )
    with pytest.warns(UserWarning, match="1 ticket"):
        out = kpi.complaints(tickets, customers, min_n=1, freq=None)
    assert out["complaints"].tolist() == [1]
    with pytest.raises(KeyError, match="customer columns"):
        kpi.complaints(tickets, customers, by="team", freq=None)


def test_complaints_without_tickets_are_no_rows_not_an_error(customers):
    # every table is optional (issue 12): a company without tickets has no complaint periods,
    # neither an error nor a false 0 per 1,000; with start and as_of the window is the caller's
    tickets = pd.DataFrame(
        {
            "customer_id": pd.array([], dtype="string"),
            "category": pd.Categorical([]),
            "created_at": _dates([]),
        }
    )
    for by in (None, "segment"):
        out = kpi.complaints(tickets, customers, by=by, freq="quarter", min_n=1)
        assert len(out) == 0 and {"period", "n", "value", "complaints"} <= set(out.columns)
    window = kpi.complaints(tickets, customers, freq=None, min_n=1, start="2024-10-01", as_of="2024-12-31")
    assert window["complaints"].tolist() == [0]
