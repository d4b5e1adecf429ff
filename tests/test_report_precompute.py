"""Work done once per batch: a page given the batch's one-pass parts equals the page computed alone.

For every registered part (cxlib.report.sections) and every unit of the sample — by region and by
team, plus the whole company — the review page built with the batch's store must give the same
frame as the same page computed on its own from the unit's slice of the data (the code the
notebook runs by hand). The expected side is the page's own computation, not the store, so a part
that drifts from the page fails here. Each part must also have been taken from the store for at
least one unit (else the test would compare the page with itself).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib.io.snapshot import open_data, save_snapshot
from cxlib.report.page import ReviewPage, review_page
from cxlib.report.precompute import SECTIONS, UNIT, PageKey, precompute, section, units_frame

PERIOD = "2026-Q3"


@pytest.fixture(scope="module", params=["region", "team"])
def pages(request, sample):
    key = PageKey(PERIOD, request.param, "nl", 0.95, 30)
    return key, precompute(sample, key)


def _units(data, by: str) -> list[str]:
    table = data.customers if by in data.customers.columns else data.teams
    return ["", *sorted(str(v) for v in table[by].dropna().unique())]


def _same(got, expected, what: str) -> None:
    if expected is None:
        assert got is None, what
        return
    assert got is not None, what
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), obj=what)


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_precomputed_part_equals_the_page_computed_alone(sample, pages, name):
    key, store = pages
    assert store.frames.get(name), f"part {name} computed nothing by {key.unit_by}"
    taken = 0
    for unit in _units(sample, key.unit_by):
        args = (sample, key.period, key.unit_by, unit, key.lang, key.confidence, key.min_n)
        fed = ReviewPage(*args, store=store)
        alone = ReviewPage(*args)
        taken += bool(unit) and fed.precomputed(name)
        _same(fed[name], alone[name], f"{name} of unit {unit!r} by {key.unit_by}")
    assert taken > 0, f"no unit took part {name} from the batch by {key.unit_by}"


def test_page_takes_the_batch_slice_only_for_the_same_data_and_arguments(sample, tmp_path):
    calls = []

    @section("segments")
    def _probe(data, key):  # a stand-in: one recognisable row per region
        calls.append(key.period)
        counts = data.teams.groupby(key.unit_by, observed=True).size().rename("teams").reset_index()
        return units_frame(counts, key.unit_by)

    original = SECTIONS.pop("segments")
    SECTIONS["segments"] = _probe
    try:
        key = PageKey(PERIOD, "region")
        store = precompute(sample, key, sections=["segments"])
        snapshot = save_snapshot(sample, tmp_path / "snapshot.pkl", extras={"pages": store})
        bundle = open_data("", snapshot)
        page = review_page(bundle, PERIOD, "region", "Noord")
        assert page.precomputed("segments")
        assert page["segments"].to_dict("list") == {"teams": [2]}  # 2 teams per region (data/sample/README)
        other = review_page(bundle, "2026-Q2", "region", "Noord")  # other arguments: computed for the unit
        assert not other.precomputed("segments") and "nps" in set(other["segments"]["kpi"])
        plain = review_page(sample, PERIOD, "region", "Noord")  # data not from a snapshot: computed
        assert not plain.precomputed("segments")
        assert calls == [PERIOD]
    finally:
        SECTIONS["segments"] = original


def test_units_frame_puts_the_whole_company_first():
    frame = units_frame(pd.DataFrame({"region": ["Noord"], "x": [1]}), "region", whole=pd.DataFrame({"x": [9]}))
    assert frame.columns.tolist() == [UNIT, "x"] and frame[UNIT].tolist() == ["", "Noord"]
