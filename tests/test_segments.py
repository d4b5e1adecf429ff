"""Segmentation: value tiers, RFM scores and segments, interaction segments, NPS groups.

Hand-made frames whose answers are derived by hand; the sample checks use sizes from
data/sample/README.md.
"""

import numpy as np
import pandas as pd
import pytest

import cxlib as cx
from cxlib import paths
from cxlib.analysis.segments import nps_groups, segment, tie_scores

TZ = "Europe/Amsterdam"
AS_OF = pd.Timestamp("2026-01-31", tz=TZ)


def ts(day):
    return pd.Timestamp(day, tz=TZ)


def customers(n=5):
    return pd.DataFrame(
        {
            "customer_id": pd.array([f"C{i}" for i in range(1, n + 1)], dtype="string"),
            "segment": pd.Categorical(["consumer", "smb", "enterprise", "consumer", "smb"][:n]),
            "signup_date": pd.Series([ts("2025-01-01")] * n),
            "churn_date": pd.Series([pd.NaT] * n, dtype=f"datetime64[ns, {TZ}]"),
        }
    )


def orders():
    # C1: 3 orders, last 2026-01-30, 600 EUR; C2: 1 order 2025-06-01, 50; C3: 2 orders, last 2026-01-20, 300;
    # C4: 1 order 2025-12-31, 100; C5: none (and one order after as_of that must be ignored)
    rows = [
        ("C1", "2025-03-01", 100.0),
        ("C1", "2025-09-01", 200.0),
        ("C1", "2026-01-30", 300.0),
        ("C2", "2025-06-01", 50.0),
        ("C3", "2025-10-01", 100.0),
        ("C3", "2026-01-20", 200.0),
        ("C4", "2025-12-31", 100.0),
        ("C5", "2026-03-01", 999.0),
    ]
    return pd.DataFrame(
        {
            "order_id": pd.array([f"O{i}" for i in range(len(rows))], dtype="string"),
            "customer_id": pd.array([r[0] for r in rows], dtype="string"),
            "order_date": pd.Series([ts(r[1]) for r in rows]),
            "amount": [r[2] for r in rows],
        }
    )


def tickets():
    rows = [("C1", "phone"), ("C1", "email"), ("C1", "email"), ("C2", "chat"), ("C2", "phone"), ("C3", "web")]
    return pd.DataFrame(
        {
            "ticket_id": pd.array([f"T{i}" for i in range(len(rows))], dtype="string"),
            "customer_id": pd.array([r[0] for r in rows], dtype="string"),
            "channel": pd.Categorical([r[1] for r in rows], categories=["phone", "email", "chat", "web"]),
            "created_at": pd.Series([ts("2025-11-01")] * len(rows)),
        }
    )


def responses():
    rows = [
        ("C1", "2025-05-01", 10),
        ("C1", "2026-01-10", 3),
        ("C2", "2025-05-01", 8),
        ("C3", "2025-07-01", 9),
        ("C4", "2025-07-01", None),
    ]
    return pd.DataFrame(
        {
            "customer_id": pd.array([r[0] for r in rows], dtype="string"),
            "submitted_at": pd.Series([ts(r[1]) for r in rows]),
            "nps": pd.array([r[2] for r in rows], dtype="Int64"),
        }
    )


def test_tie_scores_are_quintiles_without_ties_and_keep_ties_together():
    assert list(tie_scores([50, 10, 40, 20, 30])) == [5, 1, 4, 2, 3]
    # shares strictly lower: 0, 0, 0, 3/4 → 1 + floor(2 · share)
    assert list(tie_scores([1, 1, 1, 2], bins=2)) == [1, 1, 1, 2]
    assert list(tie_scores([np.nan, 3.0, 1.0], bins=2)) == [0, 2, 1]  # missing = not scored
    assert list(tie_scores(np.arange(10.0))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_value_tiers_from_historic_value_with_ties_kept_together():
    out = segment(customers(), orders=orders(), as_of=AS_OF)
    # historic value up to as_of: C1 600, C2 50, C3 300, C4 100, C5 0 (its order is after as_of)
    assert list(out["value"]) == [600.0, 50.0, 300.0, 100.0, 0.0]
    assert list(out["value_tier"].astype(str)) == ["top", "middle", "middle", "middle", "bottom"]
    assert list(out["value_tier"].cat.categories) == ["top", "middle", "bottom"]
    assert out.attrs["value_basis"] == "historic"
    tied = pd.Series({"C1": 5.0, "C2": 5.0, "C3": 1.0, "C4": 1.0, "C5": 1.0})
    out = segment(customers(), clv=tied)
    # nobody is strictly above C1/C2 → both top; 0 of 5 strictly below C3–C5 → all bottom
    assert list(out["value_tier"].astype(str)) == ["top", "top", "bottom", "bottom", "bottom"]
    assert out.attrs["value_basis"] == "clv"


def test_rfm_scores_and_named_segments():
    out = segment(customers(), orders=orders(), as_of=AS_OF).set_index("customer_id")
    # recency (days before 2026-01-31): C1 1, C2 244, C3 11, C4 31; C5 has no orders
    assert list(out["recency_days"].iloc[:4]) == [1, 244, 11, 31]
    assert list(out["frequency"]) == [3, 1, 2, 1, 0]
    assert list(out["monetary"]) == [600.0, 50.0, 300.0, 100.0, 0.0]
    # 4 buyers; R on −recency: C2 lowest (share below 0 → 1), C4 1/4 → 2, C3 2/4 → 3, C1 3/4 → 4
    assert list(out["r_score"].iloc[:4]) == [4, 1, 3, 2]
    # F: C2, C4 tied at 1 order (share below 0 → 1); C3 2/4 → 3; C1 3/4 → 4
    assert list(out["f_score"].iloc[:4]) == [4, 1, 3, 1]
    assert list(out["m_score"].iloc[:4]) == [4, 1, 3, 2]
    assert out.loc["C5", ["r_score", "f_score", "m_score"]].isna().all()
    # R×F grid: (4,4) loyal, (1,1) hibernating, (3,3) need_attention, (2,1) hibernating
    assert list(out["rfm_segment"].astype(str)) == [
        "loyal",
        "hibernating",
        "need_attention",
        "hibernating",
        "no_orders",
    ]


def test_interaction_segments():
    out = segment(customers(), tickets=tickets(), as_of=AS_OF).set_index("customer_id")
    assert list(out["tickets"]) == [3, 2, 1, 0, 0]
    # tenure 2025-01-01 → 2026-01-31 = 395 days: rate = tickets / (395 / 365.2425)
    assert out.loc["C1", "contact_rate"] == pytest.approx(3 / (395 / 365.2425))
    # terciles of the rate among C1–C3 (shares below 2/3, 1/3, 0 → high, medium, low)
    assert list(out["contact_intensity"].astype(str)) == ["high", "medium", "low", "none", "none"]
    # C1: email twice; C2: chat and phone tie → first in category order (phone)
    assert list(out["main_channel"].astype(str)) == ["email", "phone", "web", "none", "none"]


def test_nps_group_from_the_latest_answer_up_to_as_of():
    groups = nps_groups(responses())
    assert groups.to_dict() == {"C1": "detractor", "C2": "passive", "C3": "promoter"}
    assert nps_groups(responses(), as_of="2025-12-31")["C1"] == "promoter"
    out = segment(customers(), responses=responses(), as_of=AS_OF)
    assert list(out["nps_group"].astype("string").fillna("-")) == ["detractor", "passive", "promoter", "-", "-"]


def test_every_kpi_works_by_the_new_columns():
    seg = segment(customers(), orders=orders(), tickets=tickets(), responses=responses(), as_of=AS_OF)
    r = responses().assign(csat=pd.array([5, 4, 2, 3, 5], dtype="Int64"))
    out = cx.csat(r, by="value_tier", customers=seg, min_n=1, freq=None)
    # C1 (top) answered 5 and 4; C2, C3, C4 (middle) answered 2, 3, 5
    assert list(out["value_tier"].astype(str)) == ["top", "middle"]
    assert list(out["n"]) == [2, 3]
    assert out["value"].tolist() == pytest.approx([100.0, 100 / 3])
    churn = cx.churn_rate(seg, by="rfm_segment", start="2025-06-01", as_of=AS_OF, min_n=1, freq=None)
    assert set(churn["rfm_segment"].astype(str)) <= set(seg["rfm_segment"].cat.categories)


def test_segment_is_pure_and_refuses_to_overwrite():
    c = customers()
    before = c.copy()
    segment(c, orders=orders(), as_of=AS_OF)
    pd.testing.assert_frame_equal(c, before)
    with pytest.raises(ValueError, match="already has"):
        segment(c.assign(value_tier="x"), orders=orders(), as_of=AS_OF)
    with pytest.raises(ValueError, match="at least one"):
        segment(c, as_of=AS_OF)
    with pytest.raises(ValueError, match="not unique"):
        segment(pd.concat([c, c]), orders=orders(), as_of=AS_OF)


@pytest.mark.skipif(not (paths.SAMPLE_DATA / "responses.csv").exists(), reason="sample data not generated yet")
def test_sample_segments(sample):
    seg = segment(sample.customers, sample.orders, sample.tickets, sample.responses)
    n = len(seg)
    tiers = seg["value_tier"].value_counts()
    # revenue is continuous among buyers: the top tier is exactly the top 20%; the bottom tier holds
    # every customer without orders (ties at 0), more than 20%
    assert tiers["top"] == pytest.approx(0.2 * n, abs=1)
    no_orders = int((seg["frequency"] == 0).sum())
    assert tiers["bottom"] == no_orders > 0.2 * n
    assert (seg["rfm_segment"] == "no_orders").sum() == no_orders
    assert seg.groupby("value_tier", observed=True)["value"].min().is_monotonic_decreasing
    # latest-answer NPS groups as in data/sample/README.md (detractors 1,020, passives 2,043,
    # promoters 2,444; the loader rejects a few invalid rows)
    counts = seg["nps_group"].value_counts()
    assert counts["detractor"] == pytest.approx(1020, rel=0.01)
    assert counts["passive"] == pytest.approx(2043, rel=0.01)
    assert counts["promoter"] == pytest.approx(2444, rel=0.01)
    out = cx.nps(sample.responses, by=["value_tier", "contact_intensity"], freq="quarter", customers=seg)
    assert len(out) > 8 and out["n"].sum() == cx.nps(sample.responses, freq=None)["n"].iloc[0]
