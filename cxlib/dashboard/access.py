"""Who sees what: the scopes (company → region → team) a user may open, decided on the server.

- leader: every scope; writes for every team.
- team lead: the company's totals and their own team; writes for their own team.
- viewer: read only; every scope, or (with ``team:`` or ``region:`` in dashboard.yaml) the
  company's totals and their own team or region (with its teams).

"Totals" means the company's KPI tiles, trends and company-level signals: figures summed over
all teams. Rows that belong to another team (actions, comments, team signals) are never part of
a restricted user's view. Every scope a browser asks for (widget value, URL query argument) goes
through ``resolve``; nothing here trusts the client.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cxlib.dashboard.users import User, Users, UsersError

__all__ = [
    "COMPANY",
    "Scope",
    "allowed",
    "check_users",
    "children",
    "parent",
    "resolve",
    "totals_only",
    "tree",
    "writable_teams",
]


@dataclass(frozen=True)
class Scope:
    """A unit of the drill-down: the company (``by`` None), a region or a team."""

    by: str | None = None
    unit: str | None = None

    @property
    def key(self) -> str:
        """``company``, ``region:Noord`` or ``team:Service West`` (the value a widget carries)."""
        return "company" if self.by is None else f"{self.by}:{self.unit}"

    @classmethod
    def parse(cls, key: str) -> Scope:
        """The scope of a key (ValueError for anything else)."""
        if key == "company":
            return COMPANY
        by, sep, unit = str(key).partition(":")
        if not sep or by not in ("region", "team") or not unit:
            raise ValueError(f"scope {key!r}: expected company, region:<name> or team:<name>")
        return cls(by, unit)


COMPANY = Scope()


def tree(teams: pd.DataFrame) -> list[Scope]:
    """Company, then each region followed by its teams (sorted by name)."""
    out = [COMPANY]
    frame = teams[["team", "region"]].astype("string").dropna().sort_values(["region", "team"])
    for region, group in frame.groupby("region", sort=True):
        out.append(Scope("region", str(region)))
        out += [Scope("team", str(t)) for t in group["team"]]
    return out


def allowed(user: User, teams: pd.DataFrame) -> list[Scope]:
    """The scopes ``user`` may open, in drill-down order."""
    every = tree(teams)
    if user.role == "leader" or (user.role == "viewer" and not (user.team or user.region)):
        return every
    if user.team:
        return [COMPANY] + [s for s in every if s == Scope("team", user.team)]
    region_teams = set(teams.loc[teams["region"].astype("string") == user.region, "team"].astype(str))
    return [COMPANY] + [
        s for s in every if s == Scope("region", user.region) or (s.by == "team" and s.unit in region_teams)
    ]


def totals_only(user: User, scope: Scope) -> bool:
    """True where ``user`` sees only the totals of ``scope`` (the company, for a restricted user)."""
    return scope.by is None and bool(user.team or user.region)


def resolve(user: User, key: str, teams: pd.DataFrame) -> Scope:
    """The scope named by ``key`` (from a widget or URL); PermissionError when ``user`` may not open it."""
    try:
        scope = Scope.parse(key)
    except ValueError:
        raise PermissionError(f"{user.name}: unknown scope {key!r}") from None
    if scope not in allowed(user, teams):
        raise PermissionError(f"{user.name}: no access to {scope.key}")
    return scope


def writable_teams(user: User, teams: pd.DataFrame, scope: Scope) -> list[str]:
    """Teams for which ``user`` may record observations and tick off actions within ``scope``."""
    if not user.can_write:
        return []
    if user.role == "team_lead":
        return [user.team] if scope in (COMPANY, Scope("team", user.team)) else []
    if scope.by == "team":
        return [scope.unit]
    return [
        s.unit for s in tree(teams) if s.by == "team" and (scope.by is None or _region(teams, s.unit) == scope.unit)
    ]


def _region(teams: pd.DataFrame, team: str) -> str | None:
    region = teams.loc[teams["team"].astype(str) == team, "region"]
    return str(region.iloc[0]) if len(region) else None


def children(scope: Scope, teams: pd.DataFrame, user: User) -> list[Scope]:
    """The scopes one level below ``scope`` that ``user`` may open (for a team lead: their team)."""
    mine = allowed(user, teams)
    if scope.by is None:
        return [s for s in mine if s.by == "region"] or [s for s in mine if s.by == "team"]
    if scope.by == "region":
        return [s for s in mine if s.by == "team" and _region(teams, s.unit) == scope.unit]
    return []


def parent(scope: Scope, teams: pd.DataFrame, user: User) -> Scope | None:
    """The scope one level up that ``user`` may open (None at the top)."""
    if scope.by is None:
        return None
    if scope.by == "team":
        up = Scope("region", _region(teams, scope.unit))
        if up in allowed(user, teams):
            return up
    return COMPANY


def check_users(users: Users, teams: pd.DataFrame) -> None:
    """UsersError naming each user whose team or region is not in teams.csv."""
    known_teams = set(teams["team"].astype(str))
    known_regions = set(teams["region"].astype(str))
    problems = [
        f"user {u.name!r}: team {u.team!r}" for u in users.users.values() if u.team and u.team not in known_teams
    ]
    problems += [
        f"user {u.name!r}: region {u.region!r}"
        for u in users.users.values()
        if u.region and u.region not in known_regions
    ]
    if problems:
        raise UsersError(
            f"{users.path}: {'; '.join(problems)} not in teams.csv; expected one of "
            f"{', '.join(sorted(known_teams))} (teams) or {', '.join(sorted(known_regions))} (regions)"
        )
