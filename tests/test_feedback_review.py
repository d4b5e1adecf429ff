"""The feedback review: stratified, reproducible, redacted sample of verbatims."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlib.actions import contains_pii, feedback_review
from cxlib.actions.feedback_review import allocate
from cxlib.paths import SAMPLE_DATA

TZ = "Europe/Amsterdam"
COLUMNS = [
    "response_id",
    "submitted_at",
    "customer_id",
    "touchpoint",
    "nps_group",
    "nps",
    "csat",
    "ces",
    "comment",
    "themes",
]


def make_responses(detractors=40, passives=5, promoters=1, unscored=4) -> pd.DataFrame:
    """One response per day from 2026-01-01; NPS 2 / 7 / 10 / missing by block."""
    nps = [2] * detractors + [7] * passives + [10] * promoters + [None] * unscored
    n = len(nps)
    return pd.DataFrame(
        {
            "response_id": pd.array([f"R{i:03d}" for i in range(n)], dtype="string"),
            "customer_id": pd.array([f"C{i % 7}" for i in range(n)], dtype="string"),
            "submitted_at": pd.date_range("2026-01-01 12:00", periods=n, freq="D", tz=TZ),
            "touchpoint": pd.Categorical(["billing" if i % 2 else "delivery" for i in range(n)]),
            "nps": pd.array(nps, dtype="Int64"),
            "csat": pd.array([3] * n, dtype="Int64"),
            "ces": pd.array([4] * n, dtype="Int64"),
            "comment": pd.array([f"De levering duurde lang ({i})" for i in range(n)], dtype="string"),
            "language": pd.Categorical(["nl"] * n),
        }
    )


def counts(review: pd.DataFrame) -> dict[str, int]:
    return review["nps_group"].value_counts().to_dict()


@pytest.mark.parametrize(
    ("sizes", "n", "expected"),
    [
        # quotas 8, 1, 0.2, 0.8 -> floors 8, 1, 0, 0 -> one promoter guaranteed -> 8, 1, 1, 0
        ([40, 5, 1, 4], 10, [8, 1, 1, 0]),
        ([20, 20, 20, 0], 9, [3, 3, 3, 0]),
        # quotas 5.5, 2.75, 2.75 -> floors 5, 2, 2 -> the two .75 remainders get one each
        ([20, 10, 10, 0], 11, [5, 3, 3, 0]),
        # quotas 9.5, 0, 0.5 -> floors 9, 0, 0 -> promoter minimum -> 9, 0, 1
        ([19, 0, 1, 0], 10, [9, 0, 1, 0]),
        # minimum pushes over: quotas 9.6, 0.2, 0.2 -> 9, 1, 1 = 11 -> detractors give one back
        ([48, 1, 1, 0], 10, [8, 1, 1, 0]),
        ([2, 1, 0, 3], 10, [2, 1, 0, 3]),  # fewer than n: everything
        ([3, 3, 3, 0], 2, [1, 1, 0, 0]),  # n below the number of strata: the first largest
    ],
)
def test_allocate_by_hand(sizes, n, expected):
    assert allocate(sizes, n, [True, True, True, False]).tolist() == expected


def test_stratified_with_at_least_one_of_each():
    review = feedback_review(make_responses(), n=10)
    assert len(review) == 10
    assert counts(review) == {"detractor": 8, "passive": 1, "promoter": 1}
    assert list(review.columns) == COLUMNS


def test_sorted_detractors_first_newest_first():
    review = feedback_review(make_responses(), n=10)
    worst_first = {"detractor": 0, "passive": 1, "promoter": 2}
    order = [worst_first.get(g, 3) for g in review["nps_group"].astype(object).where(review["nps_group"].notna(), None)]
    assert order == sorted(order)
    det = review[review["nps_group"] == "detractor"]["submitted_at"]
    assert det.is_monotonic_decreasing


def test_reproducible_and_independent_of_row_order():
    data = make_responses()
    first = feedback_review(data, n=10, seed=7)
    again = feedback_review(data.sample(frac=1, random_state=3), n=10, seed=7)
    pd.testing.assert_frame_equal(first, again)
    other = feedback_review(data, n=10, seed=8)
    assert set(other["response_id"]) != set(first["response_id"])
    assert counts(other) == counts(first)


def test_only_non_empty_comments():
    data = make_responses()
    data.loc[0:29, "comment"] = pd.array([""] * 10 + ["   "] * 10 + [None] * 10, dtype="string")
    review = feedback_review(data, n=50)
    # 50 responses, 30 without a real comment
    assert len(review) == 20
    assert not review["response_id"].isin([f"R{i:03d}" for i in range(30)]).any()


def test_group_period_and_recent_filters():
    data = make_responses(detractors=60, passives=20, promoters=20, unscored=0)
    billing = feedback_review(data, n=100, group={"touchpoint": "billing"})
    assert len(billing) == 50 and (billing["touchpoint"] == "billing").all()
    both = feedback_review(data, n=100, group={"touchpoint": ["billing", "delivery"]})
    assert len(both) == 100
    # one response a day from 1 January 2026: January has 31, February 28
    assert len(feedback_review(data, n=100, period="2026-01")) == 31
    assert len(feedback_review(data, n=100, period="2026-Q1")) == 90
    # the last 7 days up to as_of 2026-02-10 23:00: responses 4..10 February at 12:00
    recent = feedback_review(data, n=100, recent_days=7, as_of="2026-02-10 23:00")
    days = sorted(recent["submitted_at"].dt.day.tolist())
    assert days == [4, 5, 6, 7, 8, 9, 10]
    # default reference: the latest response kept (10 April 12:00) -> 4..10 April
    assert len(feedback_review(data, n=100, recent_days=7)) == 7


def test_period_is_local_time():
    data = make_responses(detractors=2, passives=0, promoters=0, unscored=0)
    # 31 Dec 2025 23:30 UTC is 1 Jan 2026 00:30 in Amsterdam: in 2026-Q1
    data["submitted_at"] = ["2025-12-31T23:30:00+00:00", "2025-12-31T22:30:00+00:00"]
    review = feedback_review(data, n=10, period="2026-Q1")
    assert review["response_id"].tolist() == ["R000"]
    with pytest.raises(ValueError, match="2026-Q1"):
        feedback_review(data, period="Q1 2026")


def test_comments_come_back_redacted_with_themes():
    data = make_responses(detractors=2, passives=1, promoters=1, unscored=0)
    data["comment"] = pd.array(
        [
            "Bel me op 06-12345678, lang wachten",
            "Factuur naar jan@example.nl <script>alert(1)</script>",
            "Stort terug op NL91 ABNA 0417 1643 00",
            "Top!",
        ],
        dtype="string",
    )
    review = feedback_review(data, n=10).set_index("response_id")
    assert review.loc["R000", "comment"] == "Bel me op [phone], lang wachten"
    assert review.loc["R000", "themes"] == "waiting_time"
    assert review.loc["R001", "comment"] == "Factuur naar [email] <script>alert(1)</script>"
    assert review.loc["R001", "themes"] == "billing"
    assert review.loc["R002", "comment"] == "Stort terug op [iban]"
    assert review.loc["R003", "themes"] == ""
    assert not contains_pii(review["comment"]).any()
    # the text stays text: pandas' HTML output escapes it
    assert "<script>" not in review.to_html() and "&lt;script&gt;" in review.to_html()


def test_group_columns_are_returned_and_missing_scores_allowed():
    data = make_responses(detractors=3, passives=3, promoters=3, unscored=0)
    data["team"] = pd.array(["T1", "T2", "T1"] * 3, dtype="string")
    data = data.drop(columns=["ces"])
    review = feedback_review(data, n=4, group={"team": "T1"})
    assert "team" in review.columns and "ces" not in review.columns
    assert (review["team"] == "T1").all() and len(review) == 4
    assert set(counts(review)) == {"detractor", "passive", "promoter"}


@pytest.mark.skipif(not (SAMPLE_DATA / "responses.csv").exists(), reason="no sample data yet")
def test_sample_review_of_ten():
    responses = pd.read_csv(SAMPLE_DATA / "responses.csv", dtype={"response_id": "string", "comment": "string"})
    review = feedback_review(responses, n=10, seed=0, period="2026-Q1")
    assert len(review) == 10
    assert set(counts(review)) == {"detractor", "passive", "promoter"}
    assert not contains_pii(review["comment"]).any()
    assert (review["submitted_at"] >= pd.Timestamp("2026-01-01", tz=TZ)).all()
    assert np.all(review["comment"].str.strip().str.len() > 0)


def test_duplicate_index_labels_do_not_mix_rows():
    data = make_responses(detractors=3, passives=3, promoters=3, unscored=0)
    data.index = [0] * len(data)
    review = feedback_review(data, n=9).set_index("response_id")
    expected = data.set_index("response_id")
    assert (review["nps"] == expected.loc[review.index, "nps"]).all()
    assert len(review) == 9
