"""Monthly employee pulse per team: anonymous answers 1-5 to five questions.

Each month each team member answers with probability PULSE_RESPONSE_RATE, in the first ten days
of the month. Latent mood = 0.5 + (team CSAT - 80) / 20 + question effect + N(0, 1), cut into
1..5. The snow month (January 2026) lowers workload by 1.0; the trained team's "development"
answers rise by 0.8 after its training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxlib.sample import truths
from cxlib.sample.company import (
    END,
    PULSE_QUESTIONS,
    PULSE_RESPONSE_RATE,
    PULSE_TEAM_SIZE,
    START,
    TEAMS,
    TeamPlan,
    team_plan,
)
from cxlib.sample.observations import team_csat

__all__ = [
    "QUESTION_EFFECT",
    "PULSE_CUTS",
    "SNOW_MONTH",
    "SNOW_WORKLOAD",
    "TRAINING_DEVELOPMENT",
    "Pulse",
    "make_pulse",
]

QUESTION_EFFECT = np.array([-0.3, 0.0, 0.4, -0.1, -0.2])
PULSE_CUTS = np.array([-1.8, -0.9, 0.1, 1.1])
SNOW_MONTH = np.datetime64("2026-01", "M")
SNOW_WORKLOAD = -1.0
TRAINING_DEVELOPMENT = 0.8


@dataclass
class Pulse:
    """One entry per answer, sorted by date and team."""

    day: np.ndarray
    team: np.ndarray
    question: np.ndarray
    score: np.ndarray


def make_pulse(rng: np.random.Generator, plan: TeamPlan | None = None) -> Pulse:
    """Answers of every team member who takes part in a month, all five questions each."""
    plan = plan or team_plan()
    months = np.arange(START.astype("datetime64[M]"), END.astype("datetime64[M]"))
    member_team = np.repeat(np.arange(len(plan)), np.array(PULSE_TEAM_SIZE)[plan.base])
    slot_team = np.tile(member_team, len(months))
    slot_month = np.repeat(months, len(member_team))
    takes_part = rng.random(len(slot_team)) < PULSE_RESPONSE_RATE
    team, month = slot_team[takes_part], slot_month[takes_part]
    day = month.astype("datetime64[D]") + rng.integers(0, 10, len(team)).astype("timedelta64[D]")

    n_q = len(PULSE_QUESTIONS)
    team, month, day = (np.repeat(a, n_q) for a in (team, month, day))
    question = np.tile(np.arange(n_q), len(team) // n_q)
    mood = 0.5 + (team_csat(team, day.astype("datetime64[s]"), plan) - 80.0) / 20.0
    mood += QUESTION_EFFECT[question]
    mood += SNOW_WORKLOAD * ((month == SNOW_MONTH) & (question == 0))
    trained = (team == TEAMS.index(truths.TRAINED_TEAM)) & (question == 4)
    mood += TRAINING_DEVELOPMENT * (trained & (day >= truths.TRAINING_DONE))
    score = 1 + np.searchsorted(PULSE_CUTS, mood + rng.standard_normal(len(team)), side="right")
    order = np.lexsort((question, team, day))
    return Pulse(day=day[order], team=team[order], question=question[order], score=score[order].astype(np.int8))
