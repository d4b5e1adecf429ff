"""Observations of service standards and behaviour (mystery guests, coaches, spot checks).

Each team gets VISITS_PER_TEAM_MONTH visits a month on business days, 09:00-17:00; each visit
scores all five standard items and the three behaviour items. The pass probability of an item
rises with the team's planted CSAT (truth 7: compliance goes with CSAT), apart from the weak
follow-up team, whose follow_up item passes with WEAK_FOLLOW_UP_PASS only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxlib.sample import clock, truths
from cxlib.sample.company import (
    BEHAVIOUR_ITEMS,
    REGIONS,
    SOURCE_P,
    STANDARD_ITEMS,
    TEAMS,
    VISITS_PER_TEAM_MONTH,
    TeamPlan,
    team_plan,
)
from cxlib.sample.responses import draw_choice

__all__ = ["ITEMS", "Observations", "team_csat", "pass_probability", "make_observations"]

ITEMS = STANDARD_ITEMS + BEHAVIOUR_ITEMS


@dataclass
class Observations:
    """One entry per (visit, item), sorted by time; ``visit`` numbers the visits 0.."""

    visit: np.ndarray
    at: np.ndarray
    team: np.ndarray
    source: np.ndarray
    item: np.ndarray  # index into ITEMS
    passed: np.ndarray


def team_csat(team: np.ndarray, at: np.ndarray, plan: TeamPlan | None = None) -> np.ndarray:
    """The planted CSAT (%) of each team at each moment (the trained team steps up).

    Copies of a base team have its level; only the named team itself is trained.
    """
    plan = plan or team_plan()
    level = np.array([truths.TEAM_CSAT[TEAMS[b]] for b in plan.base])[team]
    trained = (team == TEAMS.index(truths.TRAINED_TEAM)) & (at >= truths.TRAINING_DONE.astype("datetime64[s]"))
    return np.where(trained, truths.TRAINED_CSAT_AFTER, level)


def pass_probability(team: np.ndarray, at: np.ndarray, item: np.ndarray, plan: TeamPlan | None = None) -> np.ndarray:
    """Pass probability per observed item: base + slope x (team CSAT - 80) / 100."""
    params = [truths.STANDARD_PASS] * len(STANDARD_ITEMS) + [truths.BEHAVIOUR_PASS[i] for i in BEHAVIOUR_ITEMS]
    base, slope = np.array(params).T
    p = base[item] + slope[item] * (team_csat(team, at, plan) - 80.0) / 100.0
    weak = (team == TEAMS.index(truths.WEAK_FOLLOW_UP_TEAM)) & (item == ITEMS.index("follow_up"))
    return np.clip(np.where(weak, truths.WEAK_FOLLOW_UP_PASS, p), 0.0, 1.0)


def make_observations(rng: np.random.Generator, plan: TeamPlan | None = None) -> Observations:
    """Visits per team and month, each scoring every item."""
    plan = plan or team_plan()
    days = clock.window_days()
    open_days = days[clock.business_days(days)]
    month = open_days.astype("datetime64[M]")
    months = np.unique(month)
    team = np.tile(np.repeat(np.arange(len(plan)), VISITS_PER_TEAM_MONTH), len(months))
    visit_month = np.repeat(months, len(plan) * VISITS_PER_TEAM_MONTH)
    lo = np.searchsorted(month, visit_month, side="left")
    hi = np.searchsorted(month, visit_month, side="right")
    day = open_days[lo + np.floor(rng.random(len(team)) * (hi - lo)).astype(np.int64)]
    at = clock.at(day, rng.integers(9 * clock.HOUR, 17 * clock.HOUR, len(team)))
    function = plan.base[team] // len(REGIONS)
    source = draw_choice(rng, np.cumsum(SOURCE_P, axis=1)[function])
    order = np.argsort(at, kind="stable")
    at, team, source = at[order], team[order], source[order]

    n_items = len(ITEMS)
    visit = np.repeat(np.arange(len(at)), n_items)
    item = np.tile(np.arange(n_items), len(at))
    p = pass_probability(team[visit], at[visit], item, plan)
    return Observations(
        visit=visit, at=at[visit], team=team[visit], source=source[visit], item=item, passed=rng.random(len(item)) < p
    )
