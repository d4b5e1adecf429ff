"""KPI frames for monitoring: every catalogue KPI of a CXData, cut by one column, via the KPI engine.

The monitoring functions (alerts, review table, goal attainment, action effects) read the data
through here, so that each KPI is computed by its own catalogue function and nowhere else.

A ``by`` column reaches a table in one of three ways:
- the table has it (``team`` in responses, tickets, observations, actions);
- it is a customer column (segment, region, …): attached to responses and tickets with
  ``cxlib.enrich.attach``; the customer-base KPIs (churn_rate, complaint_rate) group customers;
- it is a column of teams.csv (region, function): attached to tables with a ``team`` column.
A KPI whose tables cannot be cut by ``by`` is left out (churn_rate and complaint_rate by team).
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from cxlib import kpi as kpi_functions
from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.business_hours import local_timestamp
from cxlib.enrich import attach
from cxlib.io.cxdata import data_end as _data_end
from cxlib.io.cxdata import table
from cxlib.periods import period_bounds, shift_period

# the column that places a row of each table in time (the KPI functions' defaults)
TIME_COLUMNS = {"responses": "submitted_at", "tickets": "created_at", "observations": "observed_at",
                "actions": "due_on"}
CUSTOMER_TABLES = ("responses", "tickets", "orders")
# event times that say how far the data reaches (as cxlib.goals: due dates may lie ahead)
def with_column(data, name: str, frame: pd.DataFrame, by: str | None) -> pd.DataFrame | None:
    """``frame`` (table ``name``) with the ``by`` column, attached if needed; None if it cannot be."""
    if by is None or by in frame.columns:
        return frame
    customers, teams = table(data, "customers"), table(data, "teams")
    if name in CUSTOMER_TABLES and customers is not None and by in customers.columns and "customer_id" in frame:
        return attach(frame, customers, [by])
    if "team" in frame.columns and teams is not None and by in teams.columns:
        lookup = teams.drop_duplicates("team").set_index("team")[by]
        values = lookup.reindex(pd.Index(frame["team"])).to_numpy()
        return frame.assign(**{by: pd.array(values, dtype=lookup.dtype)})
    return None


def kpi_tables(data, key: str, by: str | None) -> list[pd.DataFrame] | None:
    """The input tables of KPI ``key`` ready to be cut by ``by``; None when they cannot be."""
    info = kpi_info(key)
    tables = [table(data, t) for t in info.inputs]
    if any(t is None for t in tables):
        return None
    if by is None:
        return tables
    if "customers" in info.inputs:  # churn and complaints group customers, not rows
        customers = tables[info.inputs.index("customers")]
        return tables if by in customers.columns else None
    first = with_column(data, info.inputs[0], tables[0], by)
    return None if first is None else [first, *tables[1:]]


def kpi_frames(data, kpis: Iterable[str] | None = None, by: str | None = None, period: str | None = "quarter",
               confidence: float = 0.95, min_n: int = 30) -> dict[str, pd.DataFrame]:
    """Tidy KPI frames keyed by catalogue key, each from its catalogue function (``cxlib.kpi``).

    ``kpis`` defaults to the whole catalogue. KPIs whose tables are missing, or that cannot be
    cut by ``by``, are left out of the result. One function call per function (response_times
    gives first_response_time and sla_attainment at once).
    """
    keys = list(kpi_keys() if kpis is None else kpis)
    for key in keys:
        kpi_info(key)  # a KeyError names the known keys
    by_function: dict[str, pd.DataFrame | None] = {}
    out = {}
    for key in keys:
        info = kpi_info(key)
        if info.function not in by_function:
            tables = kpi_tables(data, key, by)
            by_function[info.function] = None if tables is None else getattr(kpi_functions, info.function)(
                *tables, by=by, period=period, confidence=confidence, min_n=min_n)
        frame = by_function[info.function]
        if frame is not None:
            out[key] = frame[frame["kpi"] == key].reset_index(drop=True)
    return out


def group_frames(data, kpis=None, by: str | None = None, period: str | None = "quarter", confidence: float = 0.95,
                 min_n: int = 30, *, total: str | None = None) -> dict[str, pd.DataFrame]:
    """``kpi_frames`` with the ``by`` values in one string column ``group`` (first column).

    ``total``: also compute every KPI for the whole data (no ``by``) and label those rows
    ``group = total``; with ``by=None`` every row gets ``total`` (default "all"). KPIs that
    cannot be cut by ``by`` then appear with their total rows only.
    """
    parts: dict[str, list[pd.DataFrame]] = {}
    runs = []
    if by is not None:
        runs.append((by, None))
    if by is None or total is not None:
        runs.append((None, total if total is not None else "all"))
    for column, label in runs:
        frames = kpi_frames(data, kpis, column, period, confidence, min_n)
        for key, frame in frames.items():
            if column is None:
                frame = frame.assign(group=label)
            else:
                frame = frame.rename(columns={column: "group"})
            group = frame.pop("group").astype("string")
            frame.insert(0, "group", group)
            parts.setdefault(key, []).append(frame)
    return {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}


shift = shift_period  # one definition, in cxlib.periods


def last_day(label: str) -> pd.Timestamp:
    """Local midnight of the last day of period ``label``."""
    return period_bounds(label)[1] - pd.Timedelta(days=1)


def data_end(data) -> pd.Timestamp | None:
    """The latest event time in the data, in Europe/Amsterdam (see cxlib.io.cxdata.EVENT_COLUMNS)."""
    end = _data_end(data)
    return None if end is None else local_timestamp(end)
