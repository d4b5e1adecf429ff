"""The precomputed sections of the quarterly review page (see :mod:`cxlib.report.precompute`).

Each section pairs the computation the notebook makes for one unit (``one_unit``: the call the
notebook made before anything was precomputed, on the unit's slice of the data) with one pass
that makes it for every unit at once: the same function with ``by=unit_by`` on the tables the
KPI engine attaches the unit column to (``cxlib.kpi.measure.kpi_tables``), and once without
``by`` for the whole company. tests/test_report_precompute.py checks that they agree, unit by
unit, for the sample by region and by team.

Sections (the notebook cell each one feeds):

- ``review``: the review table (KPI tiles, index status line): ``cx.review_table``; the batch
  computes every unit with ``family="group"`` (each unit's KPIs are their own
  Benjamini–Hochberg family and response times are resampled and censored per unit, as in a
  review of that unit alone). A unit gets the KPIs that can be
  cut by the unit dimension: churn and complaints group customers, so a team's page has none
  (before, it showed the company's churn as if it were the team's).
- ``trend.nps``, ``trend.csat``, ``trend.ces``: the quarterly series of the trend charts.
- ``trend.sla_attainment``: the monthly SLA attainment of the process chart.
- ``segments.nps``: NPS by customer segment in the period.
- ``standards``, ``conduct``: compliance by source and behaviour by item in the period.
- ``actions.progress``: the share of due actions done in the period.
"""
from __future__ import annotations

import pandas as pd

from cxlib.catalogue import kpi_keys
from cxlib.kpi import action_progress, behaviour, ces, compliance, csat, nps, response_times
from cxlib.kpi.measure import Unavailable, kpi_tables
from cxlib.monitor.review_table import review_table
from cxlib.report.precompute import section, units_frame

__all__ = ["cuttable_kpis"]


def cuttable_kpis(data, unit_by: str) -> list[str]:
    """The catalogue KPIs the data gives per value of ``unit_by`` (``cx.measure`` can cut them)."""
    keys = []
    for key in kpi_keys():
        try:
            kpi_tables(data, key, unit_by)
        except Unavailable:
            continue
        keys.append(key)
    return keys


def _rows(data, kpi: str, unit_by: str) -> pd.DataFrame:
    """The table whose rows KPI ``kpi`` groups, with the ``unit_by`` column attached."""
    return kpi_tables(data, kpi, unit_by)[0]


def _whole(scope, data) -> bool:
    return scope is data  # cx.subset returns the data itself for the whole company


# ---- review -------------------------------------------------------------------------------------
def _review_one(data, scope, key):
    kpis = None if _whole(scope, data) else cuttable_kpis(data, key.unit_by)
    return review_table(scope, key.period, lang=key.lang, confidence=key.confidence, min_n=key.min_n, kpis=kpis)


@section("review", one_unit=_review_one)
def _review_all(data, key):
    by_unit = review_table(data, key.period, by=key.unit_by, lang=key.lang, confidence=key.confidence,
                           min_n=key.min_n, family="group")
    whole = review_table(data, key.period, lang=key.lang, confidence=key.confidence, min_n=key.min_n)
    return units_frame(by_unit, key.unit_by, whole)


# ---- KPI series -----------------------------------------------------------------------------------
_SURVEY = {"nps": nps, "csat": csat, "ces": ces}


def _survey_trend(kpi: str):
    function = _SURVEY[kpi]

    def one(data, scope, key):
        return function(scope.responses, freq="quarter", confidence=key.confidence, min_n=key.min_n)

    def all_units(data, key):
        by_unit = function(_rows(data, kpi, key.unit_by), by=key.unit_by, freq="quarter",
                           confidence=key.confidence, min_n=key.min_n)
        return units_frame(by_unit, key.unit_by, one(data, data, key))

    section(f"trend.{kpi}", one_unit=one)(all_units)


for _kpi in _SURVEY:
    _survey_trend(_kpi)


def _sla_one(data, scope, key):
    frame = response_times(scope.tickets, freq="month", confidence=key.confidence, min_n=key.min_n)
    return frame[frame["kpi"] == "sla_attainment"].reset_index(drop=True)


@section("trend.sla_attainment", one_unit=_sla_one)
def _sla_all(data, key):
    frame = response_times(_rows(data, "sla_attainment", key.unit_by), by=key.unit_by, freq="month",
                           confidence=key.confidence, min_n=key.min_n, stream_by=key.unit_by)
    return units_frame(frame[frame["kpi"] == "sla_attainment"], key.unit_by, _sla_one(data, data, key))


def _segments_one(data, scope, key):
    return nps(scope.responses, by="segment", period=key.period, customers=scope.customers,
               confidence=key.confidence, min_n=key.min_n)


@section("segments.nps", one_unit=_segments_one)
def _segments_all(data, key):
    by_unit = nps(_rows(data, "nps", key.unit_by), by=[key.unit_by, "segment"], period=key.period,
                  customers=data.customers, confidence=key.confidence, min_n=key.min_n)
    return units_frame(by_unit, key.unit_by, _segments_one(data, data, key))


def _observed(function, kpi: str, column: str):
    def one(data, scope, key):
        return function(scope.observations, by=column, period=key.period, confidence=key.confidence,
                        min_n=key.min_n)

    def all_units(data, key):
        by_unit = function(_rows(data, kpi, key.unit_by), by=[key.unit_by, column], period=key.period,
                           confidence=key.confidence, min_n=key.min_n)
        return units_frame(by_unit, key.unit_by, one(data, data, key))

    return one, all_units


_one, _all = _observed(compliance, "compliance", "source")
section("standards", one_unit=_one)(_all)
_one, _all = _observed(behaviour, "behaviour", "item")
section("conduct", one_unit=_one)(_all)


def _progress_one(data, scope, key):
    return action_progress(scope.actions, period=key.period, confidence=key.confidence, min_n=1)


@section("actions.progress", one_unit=_progress_one)
def _progress_all(data, key):
    by_unit = action_progress(_rows(data, "actions_done", key.unit_by), by=key.unit_by, period=key.period,
                              confidence=key.confidence, min_n=1)
    return units_frame(by_unit, key.unit_by, _progress_one(data, data, key))
