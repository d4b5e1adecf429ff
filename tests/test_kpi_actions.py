"""action_progress: share of due actions done and the overdue count."""

import pandas as pd
import pytest

import cxlib.kpi as kpi

TZ = "Europe/Amsterdam"


def test_done_share_and_overdue_by_hand():
    d = lambda s: pd.Timestamp(s, tz=TZ)  # noqa: E731
    actions = pd.DataFrame(
        {
            "action_id": pd.array(list("abcdef"), dtype="string"),
            "team": pd.array(["t1"] * 6, dtype="string"),
            "status": pd.Categorical(["done", "open", "in_progress", "cancelled", "done", "open"]),
            "created_on": [d("2026-01-05")] * 6,
            "due_on": [
                d("2026-02-01"),
                d("2026-02-15"),
                d("2026-03-01"),
                d("2026-02-01"),
                d("2026-05-01"),
                d("2026-05-01"),
            ],
            "done_on": [d("2026-01-30"), pd.NaT, pd.NaT, pd.NaT, d("2026-03-10"), pd.NaT],
        }
    )
    out = kpi.action_progress(actions, min_n=1, as_of=d("2026-03-15"), freq=None)
    row = out.iloc[0]
    # counted: a (due, done), b (due, open), c (due, in progress), e (done early); d cancelled,
    # f not yet due → n 4, done 2 → 50%; overdue: b and c
    assert (row["n"], row["successes"], row["overdue"]) == (4, 2, 2)
    assert row["value"] == pytest.approx(50.0)
    by_month = kpi.action_progress(actions, freq="month", min_n=1, as_of=d("2026-03-15"))
    assert by_month["period"].tolist() == ["2026-02", "2026-03", "2026-05"]
    assert by_month["n"].tolist() == [2, 1, 1]
