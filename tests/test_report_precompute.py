"""Work done once per batch: every precomputed section equals the per-unit computation.

For every registered section (cxlib.report.sections) and every unit of the sample — by region
and by team, plus the whole company — the slice of the one-pass frame must equal what the unit's
notebook computes from its own slice of the data (``Section.one_unit``, the code the notebook ran
before the batch precomputed anything). A new section is covered by registering it.
"""
from __future__ import annotations

import pandas as pd
import pytest

from cxlib.io.snapshot import open_data, save_snapshot
from cxlib.report.precompute import (
    SECTIONS,
    UNIT,
    PageKey,
    precompute,
    report_page,
    section,
    units_frame,
)
from cxlib.scope import subset

PERIOD = "2026-Q3"


@pytest.fixture(scope="module", params=["region", "team"])
def pages(request, sample):
    key = PageKey(PERIOD, request.param, "nl", 0.95, 30)
    return key, precompute(sample, key)


def _units(data, by: str) -> list[str]:
    table = data.customers if by in data.customers.columns else data.teams
    return ["", *sorted(str(v) for v in table[by].dropna().unique())]


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_precomputed_section_equals_the_per_unit_computation(sample, pages, name):
    key, store = pages
    assert store.frames[name], f"section {name} computed nothing"
    for unit in _units(sample, key.unit_by):
        expected = SECTIONS[name].one_unit(sample, subset(sample, key.unit_by, unit), key)
        got = store.get(name, unit)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True),
                                      obj=f"{name} of unit {unit!r} by {key.unit_by}")


def test_page_takes_the_batch_slice_only_for_the_same_data_and_arguments(sample, tmp_path):
    calls = []

    def one(data, scope, key):
        calls.append(len(scope.teams))
        return pd.DataFrame({"teams": [len(scope.teams)], "period": [key.period]})

    @section("_probe_teams", one_unit=one)
    def _all(data, key):
        counts = data.teams.groupby(key.unit_by, observed=True).size().rename("teams").reset_index()
        return units_frame(counts.assign(period=key.period), key.unit_by,
                           whole=pd.DataFrame({"teams": [len(data.teams)], "period": [key.period]}))

    try:
        key = PageKey(PERIOD, "region")
        store = precompute(sample, key, sections=["_probe_teams"])
        snapshot = save_snapshot(sample, tmp_path / "snapshot.pkl", extras={"pages": store})
        bundle = open_data("", snapshot)
        page = report_page(bundle, PERIOD, "region", "Noord")
        assert page.precomputed("_probe_teams") and calls == []
        assert page["_probe_teams"].to_dict("list") == {"teams": [2], "period": [PERIOD]}  # 2 teams per region
        assert report_page(bundle, PERIOD, "region", "")["_probe_teams"]["teams"].tolist() == [8]
        other = report_page(bundle, "2026-Q2", "region", "Noord")  # other arguments: computed for the unit
        assert not other.precomputed("_probe_teams")
        assert other["_probe_teams"].to_dict("list") == {"teams": [2], "period": ["2026-Q2"]} and calls == [2]
        plain = report_page(sample, PERIOD, "region", "Noord")  # data not from a snapshot: computed
        assert not plain.precomputed("_probe_teams")
        with pytest.raises(KeyError, match="no report section 'nope'"):
            page["nope"]
    finally:
        SECTIONS.pop("_probe_teams", None)


def test_units_frame_puts_the_whole_company_first():
    frame = units_frame(pd.DataFrame({"region": ["Noord"], "x": [1]}), "region",
                        whole=pd.DataFrame({"x": [9]}))
    assert frame.columns.tolist() == [UNIT, "x"] and frame[UNIT].tolist() == ["", "Noord"]
