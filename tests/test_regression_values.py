"""Behaviour did not change: the sample's numbers equal those recorded before the conventions pass.

The expected values in tests/data/regression/ were produced by the code before issue 11 (see the
README there): the one place where code output is the reference, because these tests guard
against change, not for correctness (every other test derives its values by hand).
"""
from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxlib as cx
from cxlib import paths

FIXTURES = Path(__file__).parent / "data" / "regression"
NUMBER = re.compile(r"[−+-]?\d[\d.,]*")


def visible_text(page: str) -> str:
    """The text a reader sees: images, styles, scripts and tags removed, whitespace collapsed."""
    page = re.sub(r"<img[^>]*>", " ", page)
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", text).strip()


def report_numbers(page: str) -> list[str]:
    """Every number token of a unit's page, without the provenance footer (time of the run)."""
    page = re.sub(r'<div class="cx-footer">.*?</div>', " ", page, flags=re.S)
    return NUMBER.findall(visible_text(page))


def index_status(page: str) -> dict[str, str]:
    """Report file name → status line of the batch index."""
    rows = re.findall(r'<tr class="(?:ok|failed)"><td>(?:<a href="([^"]+)">)?(.*?)(?:</a>)?</td>'
                      r'<td class="\w+">(.*?)</td></tr>', page)
    return {(href or title): html.unescape(status) for href, title, status in rows}


@pytest.mark.slow
def test_report_batch_numbers_unchanged(tmp_path):
    from cxlib.report import run_batch

    period = "2026-Q3"
    expected = json.loads((FIXTURES / "report_values.json").read_text(encoding="utf-8"))[period]
    status = run_batch(period=period, by="region", lang="nl", data=paths.SAMPLE_DATA, out=tmp_path, workers=2)
    assert status == 0
    folder = tmp_path / period
    shown = index_status((folder / "index.html").read_text(encoding="utf-8"))
    assert sorted(shown) == sorted(f"{slug}.html" for slug in expected)
    for slug, before in expected.items():
        assert shown[f"{slug}.html"] == before["records"]["headline"] == before["index_status"], slug
        numbers = report_numbers((folder / f"{slug}.html").read_text(encoding="utf-8"))
        assert numbers == before["numbers"], slug


def _clean(value):
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), 6)
    return str(value)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    columns = [c for c in columns if c in frame.columns]
    return [{c: _clean(row[c]) for c in columns} for _, row in frame.iterrows()]


# Codes renamed by issue 11 (names only, no number changed): goal status keys without spaces and a
# key for a KPI without a goal; the whole company in alerts is the group key "all", not its
# translated label.
RENAMED = {"status": {"at risk": "at_risk", "no data": "no_data", None: "no_target"},
           "group": {"Hele bedrijf": "all"}}


def _same(actual: list[dict], expected: list[dict], what: str) -> None:
    assert len(actual) == len(expected), what
    for i, (a, e) in enumerate(zip(actual, expected)):
        for column, value in e.items():
            got = a.get(column)
            value = RENAMED.get(column, {}).get(value, value)
            if isinstance(value, float) and isinstance(got, float):
                assert got == pytest.approx(value, rel=1e-9, abs=1e-6), f"{what} row {i} {column}"
            else:
                assert got == value, f"{what} row {i} {column}: {got!r} != {value!r}"


@pytest.fixture(scope="module")
def expected_library():
    return json.loads((FIXTURES / "library_values.json").read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2026-Q3", "2026-Q1"])
def test_library_values_unchanged(sample, expected_library, period):
    regions = sorted(str(v) for v in sample.customers["region"].dropna().unique())
    for unit in ["", *regions]:
        scope = cx.subset(sample, "region", unit)
        before = expected_library[f"{period}|{unit}"]
        review = cx.review_table(scope, period, lang="nl")
        _same(_records(review, list(before["review_table"][0])), before["review_table"], f"review {unit}")
        found = cx.alerts(scope, period, lang="nl")
        _same(_records(found, list(before["alerts"][0])) if before["alerts"] else [], before["alerts"],
              f"alerts {unit}")
        proposed = cx.propose_actions(scope, period, lang="nl")
        _same(_records(proposed, list(before["proposals"][0])) if before["proposals"] else [],
              before["proposals"], f"proposals {unit}")


@pytest.mark.slow
def test_effects_and_goals_unchanged(sample, expected_library):
    effects = cx.action_effects(sample, sample.actions)
    _same(_records(effects, list(expected_library["action_effects"][0])), expected_library["action_effects"],
          "action effects")
    goals = cx.goal_attainment(sample, "2026-Q3")
    _same(_records(goals, list(expected_library["goal_attainment"][0])), expected_library["goal_attainment"],
          "goal attainment")
