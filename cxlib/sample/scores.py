"""Survey scores from three latent variables: effort, satisfaction and loyalty.

effort       E = touchpoint + segment + friction + snow + N(0, 1)            -> CES 1..7 (7 easiest)
satisfaction S = 0.55 E + own, own = 0.8 N(0, 1) + snow + team level       -> CSAT 1..5
loyalty      L = 0.85 E + 0.35 own + 0.30 customer loyalty + 0.6 N(0, 1)   -> NPS 0..10

Team levels are calibrated so that each team's CSAT (% answering 4-5) equals its planted value;
quarter shifts of L are calibrated so that the enterprise x billing NPS follows the planted line
and the total NPS stays at the planted level. Effort carries most of the NPS variance (truth 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from cxlib.sample import truths
from cxlib.sample.company import QUARTERS, SEGMENTS, TEAMS, TOUCHPOINTS, TeamPlan, team_plan
from cxlib.sample.customers import Customers
from cxlib.sample.responses import Responses

__all__ = [
    "TOUCHPOINT_EFFORT",
    "SEGMENT_EFFORT",
    "CES_CUTS",
    "CSAT_CUTS",
    "NPS_CUTS",
    "MISSING",
    "Scores",
    "make_scores",
    "csat_groups",
    "nps_of_shift",
    "shift_for_nps",
]

TOUCHPOINT_EFFORT = np.array([0.45, 0.20, 0.10, -0.25, -0.40])
SEGMENT_EFFORT = np.array([0.0, 0.0, -0.10])
_CES_CUMULATIVE = np.array([0.03, 0.08, 0.16, 0.30, 0.55, 0.82])  # P(CES <= k) at mean 0
CES_CUTS = norm.ppf(_CES_CUMULATIVE) * np.hypot(1.0, truths.FRICTION_EFFORT)
CSAT_CUTS = np.array([-1.6, -0.9, 0.0, 1.0])  # boundaries 1|2, 2|3, 3|4, 4|5
NPS_CUTS = np.array([-2.85, -2.6, -2.35, -2.1, -1.8, -1.5, -1.14, -0.6, 0.11, 0.8])  # k-1|k
_DETRACTOR_CUT, _PROMOTER_CUT = NPS_CUTS[6], NPS_CUTS[8]  # below 7 / from 9 on
# which scores a response carries: (nps, csat, ces) and the share of each pattern
_PATTERNS = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=bool)
_PATTERN_P = np.array([0.86, 0.04, 0.03, 0.02, 0.02, 0.02, 0.01])
MISSING = -1


@dataclass
class Scores:
    """Scores per response (MISSING = not answered) and the NPS group (0 D, 1 P, 2 promoter)."""

    nps: np.ndarray
    csat: np.ndarray
    ces: np.ndarray

    @property
    def group(self) -> np.ndarray:
        """-1 no NPS answer, 0 detractor (0-6), 1 passive (7-8), 2 promoter (9-10)."""
        g = (self.nps >= 7).astype(np.int8) + (self.nps >= 9)
        return np.where(self.nps == MISSING, MISSING, g).astype(np.int8)


def make_scores(rng: np.random.Generator, r: Responses, c: Customers, plan: TeamPlan | None = None) -> Scores:
    """Draw the latent variables, calibrate the planted levels and cut them into scores."""
    n = len(r)
    field_snow = r.snow & r.field
    support_snow = r.snow & (r.touchpoint == TOUCHPOINTS.index("support"))
    effort = (
        TOUCHPOINT_EFFORT[r.touchpoint]
        + SEGMENT_EFFORT[c.segment[r.customer]]
        + truths.FRICTION_EFFORT * c.friction[r.customer]
        + truths.SNOW_EFFORT_SHIFT * field_snow
        + truths.SNOW_SUPPORT_EFFORT_SHIFT * support_snow
        + rng.standard_normal(n)
    )
    own = 0.8 * rng.standard_normal(n) + truths.SNOW_SATISFACTION_SHIFT * field_snow
    has = _PATTERNS[rng.choice(len(_PATTERN_P), n, p=_PATTERN_P)]

    own += _team_levels(truths.SATISFACTION_FROM_EFFORT * effort + own, r, has[:, 1], plan)
    satisfaction = truths.SATISFACTION_FROM_EFFORT * effort + own
    loyalty = (
        truths.EFFORT_WEIGHT * effort
        + truths.SATISFACTION_WEIGHT * own
        + truths.LOYALTY_WEIGHT * c.loyalty[r.customer]
        + truths.NOISE_WEIGHT * rng.standard_normal(n)
    )
    loyalty += _quarter_shifts(rng, loyalty, r, c, has[:, 0])

    def cut(latent: np.ndarray, cuts: np.ndarray, lowest: int, answered: np.ndarray) -> np.ndarray:
        score = lowest + np.searchsorted(cuts, latent, side="right")
        return np.where(answered, score, MISSING).astype(np.int8)

    return Scores(
        nps=cut(loyalty, NPS_CUTS, 0, has[:, 0]),
        csat=cut(satisfaction, CSAT_CUTS, 1, has[:, 1]),
        ces=cut(effort, CES_CUTS, 1, has[:, 2]),
    )


def csat_groups(r: Responses, plan: TeamPlan | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Calibration group per response (team, or N = trained team after training) and targets (%).

    A copy of a base team ("Service Oost 2") has the base team's level; only the named team
    itself (team index < 8) is trained.
    """
    plan = plan or team_plan()
    trained = TEAMS.index(truths.TRAINED_TEAM)
    after = (r.team == trained) & (r.at >= truths.TRAINING_DONE.astype("datetime64[s]"))
    targets = np.array([truths.TEAM_CSAT[TEAMS[b]] for b in plan.base] + [truths.TRAINED_CSAT_AFTER])
    return np.where(after, len(plan), r.team), targets


def _team_levels(
    satisfaction: np.ndarray, r: Responses, answered: np.ndarray, plan: TeamPlan | None = None
) -> np.ndarray:
    """Per-response shift that sets each team's share answering 4-5 to its planted CSAT."""
    group, targets = csat_groups(r, plan)
    shift = np.zeros(len(targets))
    for g, target in enumerate(targets):
        values = satisfaction[(group == g) & answered]
        if len(values):
            shift[g] = CSAT_CUTS[2] - np.quantile(values, 1 - target / 100)
    return shift[group]


def nps_of_shift(sorted_latent: np.ndarray, shift: float) -> float:
    """NPS (points) of latent loyalty values (sorted) after adding ``shift``."""
    n = len(sorted_latent)
    detractors = np.searchsorted(sorted_latent, _DETRACTOR_CUT - shift, side="right")
    promoters = n - np.searchsorted(sorted_latent, _PROMOTER_CUT - shift, side="right")
    return 100.0 * (promoters - detractors) / n


def shift_for_nps(latent: np.ndarray, target: float) -> float:
    """Shift of the latent loyalty that brings its NPS closest to ``target`` (bisection)."""
    values = np.sort(latent)
    lo, hi = -6.0, 6.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if nps_of_shift(values, mid) < target else (lo, mid)
    return (lo + hi) / 2


def _quarter_shifts(
    rng: np.random.Generator, loyalty: np.ndarray, r: Responses, c: Customers, answered: np.ndarray
) -> np.ndarray:
    """Shifts putting enterprise x billing on its falling line and the total NPS on its level."""
    hidden = (c.segment[r.customer] == SEGMENTS.index("enterprise")) & (r.touchpoint == TOUCHPOINTS.index("billing"))
    q_index = np.arange(len(QUARTERS))
    hidden_target = (
        truths.HIDDEN_NPS_START
        + truths.HIDDEN_NPS_SLOPE * q_index
        + rng.normal(0, truths.HIDDEN_NPS_JITTER, len(QUARTERS))
    )
    total_target = truths.TOTAL_NPS + rng.normal(0, truths.TOTAL_NPS_JITTER, len(QUARTERS))
    shift = np.zeros(len(loyalty))
    for q in q_index:
        in_q = (r.quarter == q) & answered
        h, rest = in_q & hidden, in_q & ~hidden
        hidden_nps = 0.0
        if h.any():
            shift[h] = shift_for_nps(loyalty[h], hidden_target[q])
            hidden_nps = nps_of_shift(np.sort(loyalty[h] + shift[h]), 0.0)
        if rest.any():
            need = (total_target[q] * in_q.sum() - hidden_nps * h.sum()) / rest.sum()
            shift[rest] = shift_for_nps(loyalty[rest], need)
    return shift
