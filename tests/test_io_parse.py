"""Parsing raw text into canonical dtypes (cxlib.io.parse), including DST."""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib.io.parse import parse
from cxlib.io.source import TableSource

AMS = "Europe/Amsterdam"


def run(texts, kind, categorical=False, **options):
    raw = pd.Series(texts, dtype=str)
    if categorical:
        raw = raw.astype("category")
    table = TableSource(table="responses", file="responses.csv", **options)
    typed, bad, reason = parse(raw, kind, table, "x")
    return typed, bad.tolist(), reason


def test_datetimes_with_and_without_offsets_in_one_column():
    typed, bad, _ = run(
        [
            "2026-01-05T09:13:00+01:00",
            "2026-07-05T07:13:00Z",
            "2026-07-05 09:13",
            " 2026-01-05T09:13:00+01:00 ",
            None,
            "5 januari",
        ],
        "datetime",
    )
    assert typed.tolist()[:4] == [
        pd.Timestamp("2026-01-05 09:13", tz=AMS),
        pd.Timestamp("2026-07-05 09:13", tz=AMS),
        pd.Timestamp("2026-07-05 09:13", tz=AMS),
        pd.Timestamp("2026-01-05 09:13", tz=AMS),
    ]
    assert pd.isna(typed[4]) and pd.isna(typed[5])
    assert bad == [False, False, False, False, False, True]
    assert str(typed.dtype) == "datetime64[us, Europe/Amsterdam]"


def test_dst_gap_and_repeat():
    typed, bad, _ = run(["2026-03-29 02:30", "2026-10-25 02:30", "2026-10-25 03:30"], "datetime")
    offsets = [t.utcoffset() / pd.Timedelta(hours=1) for t in typed]
    assert [t.strftime("%H:%M") for t in typed] == ["03:00", "02:30", "03:30"]
    assert offsets == [2, 2, 1]
    assert not any(bad)


def test_dates_are_midnight_and_dayfirst():
    typed, bad, reason = run(["2026-03-29", "29-03-2026", "29/03/2026", "03-29-2026"], "date", categorical=True)
    assert typed.tolist()[:3] == [pd.Timestamp("2026-03-29", tz=AMS)] * 3
    assert bad == [False, False, False, True]
    assert reason == "unparseable date (expected YYYY-MM-DD or DD-MM-YYYY)"


def test_configured_format():
    typed, bad, reason = run(["05.01.2026 09:13", "2026-01-05T09:13"], "datetime", datetime_format="%d.%m.%Y %H:%M")
    assert typed[0] == pd.Timestamp("2026-01-05 09:13", tz=AMS)
    assert bad == [False, True] and reason == "unparseable datetime (expected %d.%m.%Y %H:%M)"


@pytest.mark.parametrize("categorical", [False, True])
def test_scores(categorical):
    typed, bad, reason = run(["7", " 8 ", "7.5", "zeven", "", None, "10,0"], "int", categorical)
    assert typed.tolist()[:2] == [7, 8] and typed.dtype == "Int64"
    assert typed.isna().tolist() == [False, False, True, True, True, True, True]
    assert bad == [False, False, True, True, False, False, True]
    assert reason == "not a whole number (expected digits, such as 7)"
    # integer scores only from integer text (issue 15): 10,0 and 1e1 equal 10 but are not written
    # as whole numbers, so they are rejected rather than silently read as 10
    typed, bad, _ = run(["10,0", "1e1", "+7", "007", "1 0"], "int", categorical, decimal=",")
    assert typed.tolist()[2:4] == [7, 7] and bad == [True, True, False, False, True]


def test_value_maps_ignore_case_and_spaces():
    values = {"x": {"zeer tevreden": "5", "tevreden": "4"}}
    typed, bad, reason = run(["Zeer Tevreden ", "tevreden", "3", "blij"], "int", True, values=values)
    assert typed.tolist()[:3] == [5, 4, 3] and bad == [False, False, False, True]
    assert reason == "not a whole number (expected digits, such as 7, or a value mapped in source.yaml)"


def test_booleans():
    typed, bad, _ = run(["Ja", "nee", "TRUE", "0", "misschien", None], "bool", True)
    assert typed.tolist()[:4] == [True, False, True, False] and typed.dtype == "boolean"
    assert bad == [False, False, False, False, True, False]


def test_ids_are_stripped_text_is_not():
    typed, _, _ = run([" C1 ", "C1", "007", "  "], "ref")
    assert typed.astype(object).where(typed.notna(), None).tolist() == ["C1", "C1", "007", None]
    assert isinstance(typed.dtype, pd.CategoricalDtype)  # a string once the checks are done
    typed, _, _ = run([" hallo ", "  "], "text")
    assert typed.tolist() == [" hallo ", "  "] and typed.dtype == "string"
