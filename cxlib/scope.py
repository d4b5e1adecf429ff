"""One unit's slice of the data: a region, segment, team, touchpoint, … or the whole company.

A unit is a value of a label column (``by``) of any table (:func:`unit_columns` lists them):

- a customers column (segment, region, …) selects customers and everything they did (orders,
  responses, tickets); team-level tables (observations, pulse, actions) follow the teams whose
  value matches in teams.csv when teams.csv has the column too (a team belongs to one region);
- a teams.csv column (team, region, function) selects those teams, the team-level tables, and
  the customer tables' rows the teams served (their ``team`` column);
- a column of another table (touchpoint, channel, category, source, …) selects that table's
  rows, and every other table that carries the column.

:func:`unit_tables` says which tables follow the unit. A table that does not (tickets for a
touchpoint, customers for a team) stays whole in the slice, for looking up attributes (a
response's segment), so its own KPIs are not the unit's: the report leaves them out rather
than label the company's figure with the unit's name. Vectorised ``isin`` filters.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cxlib.io.cxdata import CXData
from cxlib.io.schemas import CUSTOMER_TABLES, SCHEMAS, TABLES, TEAM_TABLES

__all__ = ["subset", "unit_tables", "unit_columns"]


def _mask(selected: pd.Series) -> pd.Series:
    """A plain boolean mask (a missing value selects nothing)."""
    return selected.fillna(False).astype(bool)


def _frame(data, name: str) -> pd.DataFrame | None:
    frame = getattr(data, name, None)
    return frame if isinstance(frame, pd.DataFrame) else None


def _has(data, name: str, by: str) -> bool:
    frame = _frame(data, name)
    return frame is not None and by in frame.columns


def unit_columns(data) -> dict[str, tuple[str, ...]]:
    """The label columns a unit can be cut by: column → the tables that hold it with a value.

    Label columns (category kind in the schemas, cxlib/io/schemas.py) and ``team``; ids, free
    text, dates and numbers are not units.
    """
    found: dict[str, list[str]] = {}
    for name in TABLES:
        frame = _frame(data, name)
        if frame is None or frame.empty:
            continue
        schema = SCHEMAS.get(name)
        for column in frame.columns:
            spec = schema.columns.get(column) if schema is not None else None
            kind = spec.metadata.get("kind") if spec is not None and spec.metadata else None
            if (kind == "label" or column == "team") and frame[column].notna().any():
                found.setdefault(str(column), []).append(name)
    return {c: tuple(t) for c, t in sorted(found.items())}


def unit_tables(data, by: str | None) -> tuple[str, ...]:
    """The tables whose rows follow a unit of ``by`` in :func:`subset` (every table without ``by``)."""
    if not by:
        return tuple(TABLES)
    out = []
    if _has(data, "customers", by):
        out += ["customers", *CUSTOMER_TABLES]
    if _has(data, "teams", by):
        out += ["teams", *TEAM_TABLES, *(n for n in CUSTOMER_TABLES if _has(data, n, "team"))]
    out += [n for n in TABLES if _has(data, n, by)]
    return tuple(dict.fromkeys(n for n in out if n in TABLES))


def subset(data: CXData, by: str | None, value: str | None) -> CXData:
    """The CXData restricted to the unit ``by == value`` (module docstring); ``value`` empty or None → unchanged.

    A ValueError names the usable columns when ``by`` is not a label column of any table.
    """
    if not by or value in (None, ""):
        return data
    changes: dict[str, pd.DataFrame] = {}
    teams = None
    if _has(data, "customers", by):
        customers = data.customers[_mask(data.customers[by].astype("string") == value)]
        changes["customers"] = customers
        for name in CUSTOMER_TABLES:
            frame = getattr(data, name)
            changes[name] = frame[frame["customer_id"].isin(customers["customer_id"])]
    if _has(data, "teams", by):
        teams = data.teams[_mask(data.teams[by].astype("string") == value)]
        changes["teams"] = teams
        for name in TEAM_TABLES:
            frame = getattr(data, name)
            changes[name] = frame[frame["team"].isin(teams["team"])]
    for name in TABLES:  # tables not cut yet: by their own column, or through the teams they name
        frame = _frame(data, name)
        if frame is None or name in changes:
            continue
        if by in frame.columns:
            changes[name] = frame[_mask(frame[by].astype("string") == value)]
        elif teams is not None and name in CUSTOMER_TABLES and "team" in frame.columns:
            changes[name] = frame[_mask(frame["team"].isin(teams["team"]))]
    if not changes:
        usable = ", ".join(unit_columns(data)) or "none"
        raise ValueError(f"unit dimension {by!r} is not a label column of the data; usable: {usable}")
    return replace(data, **changes)
