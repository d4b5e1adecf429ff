"""Follow-up and referral lists: the right customers, newest first, redacted, no contact details."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from cxlib.actions import contains_pii, follow_up_list, referral_list
from cxlib.actions.followup import LIST_COLUMNS

TZ = "Europe/Amsterdam"
CONTACT = ("email", "e-mail", "phone", "telefoon", "name", "naam", "address", "adres", "iban", "postcode")


@pytest.fixture
def handmade():
    """Ten responses in 2025-Q2 (and one in Q3), Dutch and English, some with personal data."""
    rows = [
        # id, customer, day, touchpoint, team, nps, csat, comment, language
        (
            "R01",
            "C1",
            "2025-04-02",
            "billing",
            "S",
            2,
            1,
            "Factuur fout, mail me op jan.jansen@example.nl of bel 06-12345678",
            "nl",
        ),
        ("R02", "C2", "2025-05-10", "support", "S", 6, 4, "I waited for ages, call +44 20 7946 0958", "en"),
        ("R03", "C3", "2025-06-30", "delivery", "F", 8, 2, "Levering te laat. IBAN NL91ABNA0417164300", "nl"),
        ("R04", "C4", "2025-06-01", "delivery", "F", 9, 5, "Great delivery, friendly driver", "en"),
        ("R05", "C5", "2025-06-02", "purchase", "S", 10, 5, "<script>alert(1)</script>Top service!", "nl"),
        ("R06", "C1", "2025-06-03", "purchase", "S", 10, 5, "Nu wel tevreden", "nl"),  # also a detractor
        ("R07", "C6", "2025-06-04", "support", "S", 7, 3, "Ok", "en"),  # passive: on no list
        ("R08", "C7", "2025-05-05", "billing", "S", 9, 5, None, None),
        ("R09", "C7", "2025-06-20", "billing", "S", 10, 5, "Second praise, latest one", "en"),
        ("R10", "C8", "2025-06-21", "support", "S", 10, 5, "Tevreden", "nl"),  # churned in the period
        ("R11", "C2", "2025-07-01", "support", "S", 0, 1, "Next quarter", "en"),  # 2025-Q3
    ]
    responses = pd.DataFrame(
        rows, columns=["response_id", "customer_id", "day", "touchpoint", "team", "nps", "csat", "comment", "language"]
    )
    responses["submitted_at"] = pd.to_datetime(responses.pop("day")).dt.tz_localize(TZ) + pd.Timedelta(hours=12)
    responses = responses.astype(
        {
            "response_id": "string",
            "customer_id": "string",
            "team": "string",
            "nps": "Int64",
            "csat": "Int64",
            "comment": "string",
            "touchpoint": "category",
        }
    )
    responses["ces"] = pd.array([4] * len(responses), dtype="Int64")
    ids = [f"C{i}" for i in range(1, 11)]
    customers = pd.DataFrame(
        {  # contact details in the customer table must never reach a list
            "customer_id": pd.array(ids, dtype="string"),
            "signup_date": pd.Timestamp("2024-01-01", tz=TZ),
            "churn_date": [pd.NaT] * 7 + [pd.Timestamp("2025-06-25", tz=TZ), pd.NaT, pd.NaT],
            "email": [f"{c.lower()}@example.com" for c in ids],
            "phone": ["0612345678"] * 10,
        }
    )
    customers["churn_date"] = customers["churn_date"].astype(f"datetime64[us, {TZ}]")
    orders = pd.DataFrame(
        {  # value up to 2025-06-30: C3 5000, C5 4000 (top 20% of 10), C1 100, others 0
            "order_id": ["O1", "O2", "O3", "O4"],
            "customer_id": ["C3", "C5", "C1", "C1"],
            "order_date": pd.to_datetime(["2025-01-10", "2025-03-01", "2025-02-01", "2025-08-01"]).tz_localize(TZ),
            "amount": [5000.0, 4000.0, 100.0, 90000.0],  # C1's big order comes after the period
        }
    )
    return SimpleNamespace(responses=responses, customers=customers, orders=orders)


def test_detractors_and_low_csat_newest_first(handmade):
    listed = follow_up_list(handmade, "2025-Q2")
    assert listed["response_id"].tolist() == ["R03", "R02", "R01"]  # newest first; R11 is in Q3
    assert listed["reason"].tolist() == ["low_csat", "detractor", "detractor, low_csat"]
    assert listed["nps"].tolist() == [8, 6, 2] and listed["csat"].tolist() == [2, 4, 1]
    assert listed["touchpoint"].astype(str).tolist() == ["delivery", "support", "billing"]


def test_comments_are_redacted_and_contact_details_never_listed(handmade):
    listed = follow_up_list(handmade, "2025-Q2")
    raw = handmade.responses.set_index("response_id").loc[listed["response_id"], "comment"]
    assert contains_pii(raw).all()  # every selected comment held personal data ...
    assert not contains_pii(listed["comment"]).any()  # ... and none is left
    assert listed["comment"].tolist() == [
        "Levering te laat. IBAN [iban]",
        "I waited for ages, call [phone]",
        "Factuur fout, mail me op [email] of bel [phone]",
    ]
    assert list(listed.columns) == list(LIST_COLUMNS)
    assert not [c for c in listed.columns if any(word in c.lower() for word in CONTACT)]
    text = listed.astype(str).to_string()
    assert "example.com" not in text and "0612345678" not in text


def test_themes_in_dutch_and_english(handmade):
    listed = follow_up_list(handmade, "2025-Q2").set_index("response_id")
    # keyword themes; semantic matching may add one (e.g. "bel ..." reads as a call-back)
    assert "billing" in listed.loc["R01", "themes"].split(", ")  # "Factuur"
    assert "waiting_time" in listed.loc["R02", "themes"].split(", ")  # "waited"
    assert "delivery" in listed.loc["R03", "themes"].split(", ")  # "Levering"


def test_high_value_only_keeps_the_top_tier(handmade):
    listed = follow_up_list(handmade, "2025-Q2", high_value_only=True)
    assert listed["response_id"].tolist() == ["R03"]  # C3 (5000 EUR) is top; C1 (100 EUR by June) is not
    assert listed["value"].tolist() == [5000.0] and listed["value_tier"].astype(str).tolist() == ["top"]
    clv = pd.Series({f"C{i}": 0.0 for i in range(1, 11)} | {"C1": 1e6, "C9": 5e5})  # a CLV instead
    assert follow_up_list(handmade, "2025-Q2", high_value_only=True, value=clv)["response_id"].tolist() == ["R01"]


def test_group_cut(handmade):
    assert follow_up_list(handmade, "2025-Q2", group={"team": "F"})["response_id"].tolist() == ["R03"]


def test_referral_list_promoters_once_each_without_unhappy_or_churned(handmade):
    listed = referral_list(handmade, "2025-Q2")
    # C1 was also a detractor, C8 churned on 2025-06-25, C7 answered twice (latest kept), C6 is passive
    assert listed["response_id"].tolist() == ["R09", "R05", "R04"]
    assert listed["customer_id"].tolist() == ["C7", "C5", "C4"]
    assert (listed["reason"] == "promoter").all()
    assert listed.set_index("response_id").loc["R05", "comment"] == "<script>alert(1)</script>Top service!"
    assert list(listed.columns) == list(LIST_COLUMNS)


def test_sample_lists_hold_no_personal_data(sample):
    listed = follow_up_list(sample, None)
    raw = sample.responses.set_index("response_id").loc[listed["response_id"], "comment"]
    assert contains_pii(raw).sum() > 0  # the sample's detractors do write personal data
    assert not contains_pii(listed["comment"]).any()
    promoters = referral_list(sample, None)
    assert not contains_pii(promoters["comment"]).any()
    for frame in (listed, promoters):
        assert list(frame.columns) == list(LIST_COLUMNS)


def test_sample_follow_up_of_a_quarter(sample):
    listed = follow_up_list(sample, "2025-Q2")
    start, end = pd.Timestamp("2025-04-01", tz=TZ), pd.Timestamp("2025-07-01", tz=TZ)
    assert listed["submitted_at"].between(start, end, inclusive="left").all()
    assert listed["submitted_at"].is_monotonic_decreasing
    assert ((listed["nps"] <= 6) | (listed["csat"] <= 2)).fillna(False).all()
    in_quarter = sample.responses[sample.responses["submitted_at"].between(start, end, inclusive="left")]
    expected = ((in_quarter["nps"] <= 6) | (in_quarter["csat"] <= 2)).fillna(False).sum()
    assert len(listed) == expected
