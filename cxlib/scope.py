"""One unit's slice of the data: a region, segment or team, or the whole company.

Customer-level dimensions (segment, region, …) select customers and everything they did
(orders, responses, tickets); team-level tables (observations, pulse, actions) follow the teams
whose value matches in teams.csv (a team belongs to one region). A table that carries the
column itself is cut by its own value (``team``: the responses and tickets a team served), as
the KPI engine groups them. Vectorised ``isin`` filters.
"""
from __future__ import annotations

from dataclasses import replace

from cxlib.io.cxdata import CXData
from cxlib.io.schemas import CUSTOMER_TABLES, TEAM_TABLES

__all__ = ["subset"]


def subset(data: CXData, by: str | None, value: str | None) -> CXData:
    """The CXData restricted to rows where ``by == value``; ``value`` empty or None → unchanged."""
    if not by or value in (None, ""):
        return data
    changes = {}
    if by in data.customers.columns:
        customers = data.customers[data.customers[by].astype("string") == value]
        changes["customers"] = customers
        for name in CUSTOMER_TABLES:
            frame = getattr(data, name)
            changes[name] = frame[frame["customer_id"].isin(customers["customer_id"])]
    if by in data.teams.columns:
        teams = data.teams[data.teams[by].astype("string") == value]
        changes["teams"] = teams
        for name in TEAM_TABLES:
            frame = getattr(data, name)
            changes[name] = frame[frame["team"].isin(teams["team"])]
    for name in CUSTOMER_TABLES:  # e.g. by="team": the responses and tickets that team served
        frame = getattr(data, name)
        if name not in changes and by in frame.columns:
            changes[name] = frame[frame[by].astype("string") == value]
    if not changes:
        raise ValueError(f"unit dimension {by!r} is not a column of customers or teams")
    return replace(data, **changes)
