"""Tickets: daily volume with the snow week and the autumn peak, first responses in business hours.

Daily volume = weekday weight x holiday weight x weekly noise x peak factor, apportioned
exactly (largest remainder), so the weekly series has no sampling noise beyond the planted
Uniform(0.95, 1.05) weekly wobble: a robust rule (median + 3 MAD) flags only the peaks.
First-response delays are lognormal in business hours (median per channel), x3 in the snow week,
drawn stratified per (channel, snow week) so that realised medians sit close to the planted ones.
Resolution follows the first response by a lognormal number of business hours per category.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from cxlib.sample import clock, truths
from cxlib.sample.churn import reassign_after_churn
from cxlib.sample.company import (
    AGENTS_PER_TEAM,
    CLOSE_HOUR,
    END,
    FIELD_TICKET_SHARE,
    LIVE_CHANNELS,
    OPEN_HOUR,
    TICKET_CATEGORY_P,
    TICKET_CHANNEL_P,
    TICKET_CHANNELS,
    TeamPlan,
    team_index,
)
from cxlib.sample.customers import CustomerPicker, Customers
from cxlib.sample.responses import draw_choice, weekday_of

__all__ = [
    "HOLIDAY_WEIGHT",
    "RESOLUTION_MEDIAN",
    "RESOLUTION_SIGMA",
    "ESCALATED_RESOLUTION",
    "ESCALATION_P",
    "SNOW_ESCALATION",
    "SNOW_COMPLAINTS",
    "NEVER_RESOLVED",
    "Tickets",
    "daily_volume",
    "make_tickets",
    "stratified_normal",
]

_WEEKDAY_WEIGHTS = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.35, 0.2])
HOLIDAY_WEIGHT = 0.4
_HOUR_WEIGHTS = np.array([2, 6, 9, 9, 8, 7, 7, 8, 7, 6, 5, 4, 3, 3, 2, 2], dtype=float)  # 07..22h
RESOLUTION_MEDIAN = np.array([3.0, 16.0, 8.0])  # business hours per category
RESOLUTION_SIGMA = 0.9
ESCALATED_RESOLUTION = 2.5
ESCALATION_P = np.array([0.05, 0.20, 0.05])  # per category
SNOW_ESCALATION = 0.05
SNOW_COMPLAINTS = 0.10  # share of questions that become complaints in the snow week
NEVER_RESOLVED = 0.03


@dataclass
class Tickets:
    """One entry per ticket, sorted by creation; NaT / -1 mean missing."""

    created: np.ndarray
    customer: np.ndarray
    team: np.ndarray
    agent: np.ndarray  # agent number within the team, -1 = none
    channel: np.ndarray
    category: np.ndarray
    first_response: np.ndarray
    resolved: np.ndarray
    escalated: np.ndarray

    def __len__(self) -> int:
        return len(self.created)


def daily_volume(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The window's dates and the number of tickets created on each (summing to ``n``)."""
    days = clock.window_days()
    weight = _WEEKDAY_WEIGHTS[weekday_of(days)]
    weight = np.where(np.isin(days, clock.dutch_holidays(days[0], days[-1])), weight * HOLIDAY_WEIGHT, weight)
    week = ((clock.monday_of(days) - clock.monday_of(days[:1])) // 7).astype(np.int64)
    weight *= rng.uniform(1 - truths.WEEK_NOISE, 1 + truths.WEEK_NOISE, week.max() + 1)[week]
    weight *= np.where((days >= truths.SNOW_FIRST) & (days <= truths.SNOW_LAST), truths.SNOW_TICKET_FACTOR, 1.0)
    weight *= np.where((days >= truths.PEAK_FIRST) & (days <= truths.PEAK_LAST), truths.PEAK_TICKET_FACTOR, 1.0)
    return days, clock.apportion(n, weight)


def _creation(rng: np.random.Generator, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Channel and creation time; phone and chat only on business days within opening hours."""
    n = len(day)
    channel = rng.choice(len(TICKET_CHANNEL_P), n, p=TICKET_CHANNEL_P).astype(np.int8)
    closed = ~clock.business_days(day)
    live = np.isin(channel, LIVE_CHANNELS)
    email, web = TICKET_CHANNELS.index("email"), TICKET_CHANNELS.index("web")
    channel[closed & live] = np.where(rng.random((closed & live).sum()) < 0.6, email, web)
    live = np.isin(channel, LIVE_CHANNELS)
    hour = 7 + rng.choice(len(_HOUR_WEIGHTS), n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    live_hour = rng.integers(OPEN_HOUR, CLOSE_HOUR, n)
    seconds = np.where(live, live_hour, hour) * clock.HOUR + rng.integers(0, clock.HOUR, n)
    return channel, clock.at(day, seconds)


def make_tickets(
    rng: np.random.Generator,
    n: int,
    c: Customers,
    business: clock.BusinessClock,
    plan: TeamPlan | None = None,
    home: np.ndarray | None = None,
) -> Tickets:
    """``n`` tickets; customers with more friction raise more of them (best of two draws).

    ``plan``/``home``: more than eight teams; a ticket goes to the copy of its base team that
    serves the customer's ``home`` (see ``TeamPlan.team_of``).
    """
    days, counts = daily_volume(rng, n)
    day = np.repeat(days, counts)
    channel, created = _creation(rng, day)
    order = np.argsort(created, kind="stable")
    channel, created, day = channel[order], created[order], day[order]
    snow = (day >= truths.SNOW_FIRST) & (day <= truths.SNOW_LAST)

    picker = CustomerPicker(c, np.zeros(len(c)), np.ones(len(c), bool))
    first, second = picker.pick(rng, day, np.zeros(n)), picker.pick(rng, day, np.zeros(n))
    customer = np.where(c.friction[first] >= c.friction[second], first, second)
    customer = reassign_after_churn(rng, c, customer, created, ("region",))

    field = (rng.random(n) < FIELD_TICKET_SHARE).astype(np.int8)
    base = team_index(field, c.region[customer]).astype(np.int16)
    team = base if plan is None or home is None else plan.team_of(base, home[customer])
    category = draw_choice(rng, np.cumsum(TICKET_CATEGORY_P, axis=1)[field])
    category[snow & (category == 0) & (rng.random(n) < SNOW_COMPLAINTS)] = 1
    escalated = rng.random(n) < ESCALATION_P[category] + SNOW_ESCALATION * snow

    median = np.array(truths.FIRST_RESPONSE_MEDIAN)[channel]
    median = median * np.where(snow, truths.SNOW_DELAY_FACTOR, 1.0)
    noise = stratified_normal(rng, channel.astype(np.int64) * 2 + snow)
    delay = median * np.exp(truths.FIRST_RESPONSE_SIGMA * noise)
    answered = rng.random(n) >= np.where(snow, truths.SNOW_UNANSWERED, truths.UNANSWERED)
    first_response = business.add(created, np.maximum(np.round(delay * clock.HOUR), 60))
    first_response = _until_export(first_response, answered)

    work = RESOLUTION_MEDIAN[category] * np.where(escalated, ESCALATED_RESOLUTION, 1.0)
    work = work * np.exp(RESOLUTION_SIGMA * rng.standard_normal(n))
    resolved = business.add(
        np.where(np.isnat(first_response), created, first_response), np.maximum(np.round(work * clock.HOUR), 300)
    )
    resolved = _until_export(resolved, ~np.isnat(first_response) & (rng.random(n) >= NEVER_RESOLVED))

    agents = np.array(AGENTS_PER_TEAM)[base]
    agent = np.where(np.isnat(first_response), -1, np.floor(rng.random(n) * agents))
    return Tickets(
        created=created,
        customer=customer,
        team=team,
        agent=agent.astype(np.int16),
        channel=channel,
        category=category,
        first_response=first_response,
        resolved=resolved,
        escalated=escalated,
    )


def stratified_normal(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """Standard-normal draws, stratified within each group (one draw per 1/n quantile slice).

    The realised quantiles of every group then match the planted distribution closely, so that
    e.g. the snow week's median first response is close to exactly 3x the normal one.
    """
    out = np.empty(len(group))
    for g in np.unique(group):
        members = np.flatnonzero(group == g)
        slices = rng.permutation(len(members)) + rng.random(len(members))
        out[members] = norm.ppf(slices / len(members))
    return out


def _until_export(ts: np.ndarray, happened: np.ndarray) -> np.ndarray:
    """NaT where the event did not happen or lies after the export (END, local midnight)."""
    return np.where(happened & (ts < END.astype("datetime64[s]")), ts, np.datetime64("NaT", "s"))
