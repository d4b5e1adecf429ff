"""The feedback review by threads (select="threads"): the strongest themes, their direction first.

Expected values derived by hand from the frame below (comments in the docstring of ``threads``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib import display
from cxlib.actions import feedback_review

TZ = "Europe/Amsterdam"
# no examples: keyword tagging only, with or without the text extra
TAXONOMY = {
    "themes": {
        "billing": {"label": {"nl": "Facturen", "en": "Billing"}, "en": {"keywords": ["invoice"]}},
        "delivery": {"label": {"nl": "Levering", "en": "Delivery"}, "en": {"keywords": ["late"]}},
    }
}


@pytest.fixture
def threads() -> pd.DataFrame:
    """37 comments in 2026-Q1, one per day.

    billing: 10 detractors (NPS 0) and 2 promoters (NPS 10) mention "invoice": NPS −66.7;
    delivery: 5 promoters (NPS 9) mention "late": NPS +100; 20 passives (NPS 8) say "fine".
    Impact = mentioners/37 × (NPS mentioners − NPS others):
    billing 12/37 × (−66.7 − 20.0) = −28.1 (others: 5 promoters of 25 → +20);
    delivery 5/37 × (100 − (−25.0)) = +16.9 (others: 2 − 10 of 32 → −25).
    Both threads, billing first. n = 6 shared 12 : 5 → quotas 4.24, 1.76 → 4 + 2 (largest remainder).
    """
    comments = (
        [f"invoice wrong {i}" for i in range(10)]
        + ["invoice fine", "invoice ok"]
        + [f"late but friendly {i}" for i in range(5)]
        + ["fine"] * 20
    )
    nps = [0] * 10 + [10] * 2 + [9] * 5 + [8] * 20
    n = len(comments)
    return pd.DataFrame(
        {
            "response_id": pd.array([f"R{i:02d}" for i in range(n)], dtype="string"),
            "submitted_at": pd.date_range("2026-01-01 12:00", periods=n, freq="D", tz=TZ),
            "touchpoint": pd.Categorical(["billing"] * n),
            "nps": pd.array(nps, dtype="Int64"),
            "comment": pd.array(comments, dtype="string"),
            "language": pd.Categorical(["en"] * n),
        }
    )


def test_threads_strongest_first_in_their_direction(threads):
    review = feedback_review(threads, n=6, period="2026-Q1", taxonomy=TAXONOMY, select="threads", threads=2)
    assert review["thread"].astype(str).tolist() == ["billing"] * 4 + ["delivery"] * 2
    # a costly theme is heard through its detractors, one that adds through its promoters
    assert review["nps_group"].astype(str).tolist() == ["detractor"] * 4 + ["promoter"] * 2
    assert review["comment"].iloc[:4].str.startswith("invoice wrong").all()
    assert review["comment"].iloc[4:].str.startswith("late").all()


def test_one_thread_and_the_seeded_top_up(threads):
    # threads=1: billing only (12 comments); n = 15 → 12 from the thread, 3 more without a thread
    review = feedback_review(threads, n=15, taxonomy=TAXONOMY, select="threads", threads=1)
    assert len(review) == 15
    assert (review["thread"].astype("string") == "billing").sum() == 12
    assert review["thread"].isna().sum() == 3
    assert review["thread"].iloc[:12].notna().all()  # the thread first, the top-up last


def test_default_is_the_stratified_review_and_select_is_checked(threads):
    default = feedback_review(threads, n=6, taxonomy=TAXONOMY)
    assert "thread" not in default.columns
    assert default.equals(feedback_review(threads, n=6, taxonomy=TAXONOMY, select="nps_groups"))
    with pytest.raises(ValueError, match="select must be 'nps_groups' or 'threads'"):
        feedback_review(threads, taxonomy=TAXONOMY, select="score_groups")


@pytest.mark.parametrize(("lang", "lead"), [("nl", "Rode draad: Facturen"), ("en", "Thread: Billing")])
def test_verbatims_name_the_thread(threads, lang, lead):
    review = feedback_review(threads, n=6, taxonomy=TAXONOMY, select="threads", threads=2)
    shown = display.verbatims(review, lang, taxonomy=TAXONOMY).data
    assert shown.count(lead) == 4
