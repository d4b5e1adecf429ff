"""The parts of the review page the batch computes once for every unit (see :mod:`cxlib.report.precompute`).

Each part is the computation :class:`cxlib.report.page.ReviewPage` makes for one unit, made once
with the unit dimension as an extra ``by`` column (``cx.measure`` attaches it to the KPI's rows)
and once without it for the whole company. tests/test_report_precompute.py checks, unit by unit,
that a page given these slices equals the page computed on its own (sample by region and team).

Parts (page frame names):

- ``review``: the review table (tiles, story, index status): ``cx.review_table`` with
  ``family="group"`` (each unit's KPIs their own Benjamini–Hochberg family, response times
  resampled and censored per unit, as in a review of that unit alone), on the KPIs that follow
  the unit and the goals judged at the page's grain. A page uses it only when its own KPI list
  is the one the batch used.
- ``trends``: the survey KPIs over the periods a trend shows.
- ``segments``, ``touchpoints``: NPS of the period by segment and by touchpoint.
- ``standards``, ``conduct``: compliance by source and behaviour by item in the period.

Computed per unit (no vectorised counterpart here): signals, story, episodes, weeks, change,
drivers, proposals, overdue actions, the response-time trend, feedback, themes, theme impact,
action effects.
"""

from __future__ import annotations

import pandas as pd

from cxlib.catalogue import kpi_info
from cxlib.kpi.measure import Unavailable, measure, measure_many
from cxlib.report.precompute import section, units_frame

__all__: list[str] = []

_NOT_BY = (Unavailable, KeyError, ValueError)  # the data cannot give the part by this dimension


def _whole_page(data, key):
    from cxlib.report.page import ReviewPage

    return ReviewPage(data, key.period, key.unit_by, "", key.lang, key.confidence, key.min_n)


def _unit_kpis(data, key, whole) -> list[str]:
    """The KPIs of a unit's page (``ReviewPage.kpis`` before the unit's own input check)."""
    from cxlib.scope import unit_tables

    follow = set(unit_tables(data, key.unit_by))
    return [k for k in whole.kpis if kpi_info(k).groups in follow]


def _args(key) -> dict:
    return {"confidence": key.confidence, "min_n": key.min_n}


@section("review")
def _review_all(data, key):
    from cxlib.monitor.review_table import review_table

    whole = _whole_page(data, key)
    if whole["review"] is None:
        return None
    kpis = _unit_kpis(data, key, whole)
    try:
        by_unit = review_table(
            data,
            key.period,
            by=key.unit_by,
            lang=key.lang,
            kpis=kpis,
            goals=whole._goals(),
            family="group",
            **_args(key),
        )
    except _NOT_BY:
        return None
    frame = units_frame(by_unit, key.unit_by, whole["review"])
    frame.attrs["meta"] = kpis
    return frame


@section("trends")
def _trends_all(data, key):
    from cxlib.report.page import TREND_KPIS

    whole = _whole_page(data, key)
    try:
        frames = measure_many(
            data, list(TREND_KPIS), by=key.unit_by, freq=whole.grain, skip_unavailable=True, **_args(key)
        )
    except _NOT_BY:
        return None
    periods = whole._history_periods()
    frames = [f[f["period"].isin(periods)] for f in frames.values()]
    frames = [f for f in frames if len(f)]
    if not frames:
        return None
    return units_frame(pd.concat(frames, ignore_index=True), key.unit_by, whole["trends"])


def _cut_all(name: str, kpi: str, column: str):
    def all_units(data, key):
        if key.unit_by == column:
            return None
        try:
            by_unit = measure(data, kpi, by=[key.unit_by, column], period=key.period, **_args(key))
        except _NOT_BY:
            return None
        return units_frame(by_unit, key.unit_by, _whole_page(data, key)[name])

    section(name)(all_units)


_cut_all("segments", "nps", "segment")
_cut_all("touchpoints", "nps", "touchpoint")
_cut_all("standards", "compliance", "source")
_cut_all("conduct", "behaviour", "item")
