"""One unit's slice of the data: a region, segment or team, or the whole company.

Customer-level dimensions (segment, region, …) select customers and everything they did
(orders, responses, tickets); team-level tables (observations, pulse, actions) follow the teams
whose value matches in teams.csv (a team belongs to one region). The other customer tables are
cut as the KPI engine (``cx.measure``) groups their rows: by their own column when they carry
it (``team``: the responses and tickets a team served), else through their ``team`` column when
``by`` is a teams.csv column (``function``: the responses and tickets served by those teams).
Customers then stay whole, so the customer-base KPIs (churn, complaints per customer) are not
the unit's own. Vectorised ``isin`` filters.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cxlib.io.cxdata import CXData
from cxlib.io.schemas import CUSTOMER_TABLES, TEAM_TABLES

__all__ = ["subset"]


def _mask(selected: pd.Series) -> pd.Series:
    """A plain boolean mask (a missing value selects nothing)."""
    return selected.fillna(False).astype(bool)


def subset(data: CXData, by: str | None, value: str | None) -> CXData:
    """The CXData restricted to rows where ``by == value``; ``value`` empty or None → unchanged."""
    if not by or value in (None, ""):
        return data
    changes = {}
    teams = None
    if by in data.customers.columns:
        customers = data.customers[_mask(data.customers[by].astype("string") == value)]
        changes["customers"] = customers
        for name in CUSTOMER_TABLES:
            frame = getattr(data, name)
            changes[name] = frame[frame["customer_id"].isin(customers["customer_id"])]
    if by in data.teams.columns:
        teams = data.teams[_mask(data.teams[by].astype("string") == value)]
        changes["teams"] = teams
        for name in TEAM_TABLES:
            frame = getattr(data, name)
            changes[name] = frame[frame["team"].isin(teams["team"])]
    for name in CUSTOMER_TABLES:  # not cut through customers: by their own column, or the teams they name
        frame = getattr(data, name)
        if name in changes:
            continue
        if by in frame.columns:
            changes[name] = frame[_mask(frame[by].astype("string") == value)]
        elif teams is not None and "team" in frame.columns:
            changes[name] = frame[_mask(frame["team"].isin(teams["team"]))]
    if not changes:
        raise ValueError(f"unit dimension {by!r} is not a column of customers or teams")
    return replace(data, **changes)
