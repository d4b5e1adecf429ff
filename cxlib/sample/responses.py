"""Survey responses: when, who, which touchpoint, channel and team (scores: :mod:`.scores`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxlib.sample import clock, truths
from cxlib.sample.company import FIELD_TOUCHPOINTS, RESPONSE_CHANNEL_P, TOUCHPOINT_P, TOUCHPOINTS, TeamPlan, team_index
from cxlib.sample.customers import CustomerPicker, Customers

__all__ = ["FIELD_CODES", "Responses", "weekday_of", "draw_choice", "make_responses"]

# submissions per hour of the day, 07:00 .. 22:59 (evening peak after the invitation e-mail)
_HOUR_WEIGHTS = np.array([2, 4, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 9, 9, 7, 4], dtype=float)
_WEEKDAY_WEIGHTS = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.5])  # Monday .. Sunday
FIELD_CODES = [TOUCHPOINTS.index(t) for t in FIELD_TOUCHPOINTS]


@dataclass
class Responses:
    """One entry per response, sorted by time. Indices point into company tuples."""

    at: np.ndarray  # local datetime64[s]
    customer: np.ndarray  # index into Customers
    touchpoint: np.ndarray
    channel: np.ndarray
    team: np.ndarray
    quarter: np.ndarray  # 0..7
    snow: np.ndarray  # submitted in the snow week

    def __len__(self) -> int:
        return len(self.at)

    @property
    def field(self) -> np.ndarray:
        """True for delivery and installation, the touchpoints served by field teams."""
        return np.isin(self.touchpoint, FIELD_CODES)

    def take(self, keep: np.ndarray) -> Responses:
        """The responses selected by a boolean mask or index array."""
        return Responses(**{k: v[keep] for k, v in vars(self).items()})


def weekday_of(days: np.ndarray) -> np.ndarray:
    """ISO weekday 0 (Monday) .. 6 (Sunday) of dates."""
    return (days.astype("datetime64[D]").astype(np.int64) + 3) % 7


def draw_choice(rng: np.random.Generator, cumulative: np.ndarray) -> np.ndarray:
    """Categorical draws, one per row of ``cumulative`` (row-wise cumulative probabilities)."""
    u = rng.random(len(cumulative))
    return (u[:, None] >= cumulative[:, :-1]).sum(axis=1).astype(np.int8)


def make_responses(
    rng: np.random.Generator, n: int, customers: Customers, plan: TeamPlan | None = None, home: np.ndarray | None = None
) -> Responses:
    """``n`` responses spread over the eight quarters, each from a customer signed up by then.

    ``plan``/``home``: more teams than the eight base teams; a response goes to the copy of its
    base team that serves the customer's ``home`` (see ``TeamPlan.team_of``).
    """
    days = clock.window_days()
    weights = _WEEKDAY_WEIGHTS[weekday_of(days)]
    day = days[rng.choice(len(days), n, p=weights / weights.sum())]
    hour = 7 + rng.choice(len(_HOUR_WEIGHTS), n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    at = np.sort(clock.at(day, hour * clock.HOUR + rng.integers(0, clock.HOUR, n)))
    day = at.astype("datetime64[D]")

    picker = CustomerPicker(customers, np.zeros(len(customers)), np.ones(len(customers), bool))
    customer = picker.pick(rng, day, np.zeros(n))
    segment, region = customers.segment[customer], customers.region[customer]
    touchpoint = draw_choice(rng, np.cumsum(TOUCHPOINT_P, axis=1)[segment])
    field = np.isin(touchpoint, FIELD_CODES)
    team = team_index(field.astype(np.int8), region).astype(np.int16)
    if plan is not None and home is not None:
        team = plan.team_of(team, home[customer])
    return Responses(
        at=at,
        customer=customer,
        touchpoint=touchpoint,
        channel=rng.choice(len(RESPONSE_CHANNEL_P), n, p=RESPONSE_CHANNEL_P).astype(np.int8),
        team=team,
        quarter=clock.quarter_of(at).astype(np.int8),
        snow=(day >= truths.SNOW_FIRST) & (day <= truths.SNOW_LAST),
    )
