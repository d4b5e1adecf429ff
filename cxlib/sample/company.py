"""Static facts of the fictional sample company, Warmtewijzer B.V. (a Dutch heat-pump installer).

Nothing here is random: regions, segments, touchpoints, teams, products and the calendar of the
eight quarters 2024-Q4 .. 2026-Q3. The planted effects and their sizes live in
:mod:`cxlib.sample.truths`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxlib.i18n import LANGUAGES  # comments are written in the report languages, in that order
from cxlib.paths import TIMEZONE

__all__ = [
    "LANGUAGES",
    "COMPANY",
    "TZ",
    "START",
    "END",
    "HISTORY_START",
    "QUARTERS",
    "QUARTER_STARTS",
    "OPEN_HOUR",
    "CLOSE_HOUR",
    "REGIONS",
    "REGION_P",
    "SEGMENTS",
    "SEGMENT_P",
    "ENGLISH_SHARE",
    "TOUCHPOINTS",
    "FIELD_TOUCHPOINTS",
    "TOUCHPOINT_P",
    "RESPONSE_CHANNELS",
    "RESPONSE_CHANNEL_P",
    "FUNCTIONS",
    "TEAMS",
    "TEAM_CODES",
    "AGENTS_PER_TEAM",
    "TICKET_CHANNELS",
    "TICKET_CHANNEL_P",
    "LIVE_CHANNELS",
    "TICKET_CATEGORIES",
    "TICKET_CATEGORY_P",
    "FIELD_TICKET_SHARE",
    "PRODUCTS",
    "PRODUCT_PRICE",
    "FIRST_PRODUCT_P",
    "REPEAT_PRODUCT_P",
    "SEGMENT_SPEND",
    "OBSERVATION_SOURCES",
    "SOURCE_P",
    "STANDARD_ITEMS",
    "BEHAVIOUR_ITEMS",
    "VISITS_PER_TEAM_MONTH",
    "PULSE_QUESTIONS",
    "PULSE_TEAM_SIZE",
    "PULSE_RESPONSE_RATE",
    "team_index",
    "TeamPlan",
    "team_plan",
]

COMPANY = "Warmtewijzer B.V."
TZ = TIMEZONE

START = np.datetime64("2024-10-01", "D")  # first day of 2024-Q4 (local)
END = np.datetime64("2026-10-01", "D")  # exclusive: the data export is taken at local midnight
HISTORY_START = np.datetime64("2019-01-01", "D")  # earliest customer signup
QUARTERS = ("2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3")
QUARTER_STARTS = np.array(
    ["2024-10-01", "2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01", "2026-04-01", "2026-07-01"],
    dtype="datetime64[D]",
)

# Business hours used to plan first responses and resolutions (Mon-Fri, Dutch public holidays off).
OPEN_HOUR, CLOSE_HOUR = 9, 17

REGIONS = ("Noord", "Oost", "Zuid", "West")
REGION_P = (0.20, 0.24, 0.24, 0.32)
SEGMENTS = ("consumer", "smb", "enterprise")
SEGMENT_P = (0.72, 0.18, 0.10)
ENGLISH_SHARE = 0.30  # share of customers who take surveys in English

TOUCHPOINTS = ("purchase", "delivery", "installation", "support", "billing")
FIELD_TOUCHPOINTS = ("delivery", "installation")  # served by the field team of the region
# touchpoint mix of survey invitations per segment (rows: SEGMENTS)
TOUCHPOINT_P = np.array(
    [
        [0.20, 0.18, 0.20, 0.27, 0.15],  # consumer
        [0.18, 0.17, 0.18, 0.25, 0.22],  # smb
        [0.12, 0.12, 0.14, 0.30, 0.32],  # enterprise: many invoice contacts
    ]
)
RESPONSE_CHANNELS = ("email", "app", "web", "phone")
RESPONSE_CHANNEL_P = (0.45, 0.25, 0.20, 0.10)

FUNCTIONS = ("service", "field")
# team index = function * len(REGIONS) + region index
TEAMS = tuple(f"{f.capitalize()} {r}" for f in FUNCTIONS for r in REGIONS)
TEAM_CODES = tuple(f"{f[0].upper()}{r[0]}" for f in FUNCTIONS for r in REGIONS)  # SN, SO, ... FW
AGENTS_PER_TEAM = (9, 9, 9, 9, 6, 6, 6, 6)

TICKET_CHANNELS = ("phone", "email", "chat", "web")
TICKET_CHANNEL_P = (0.20, 0.40, 0.10, 0.30)
LIVE_CHANNELS = (0, 2)  # phone and chat: only while the lines are open
TICKET_CATEGORIES = ("question", "complaint", "request")
# category mix per function (rows: service, field)
TICKET_CATEGORY_P = np.array([[0.55, 0.18, 0.27], [0.30, 0.25, 0.45]])
FIELD_TICKET_SHARE = 0.30

PRODUCTS = (
    "hybride warmtepomp",
    "all-electric warmtepomp",
    "zonnepanelen",
    "thuisbatterij",
    "slimme thermostaat",
    "onderhoudscontract",
    "servicebezoek",
)
PRODUCT_PRICE = (4200.0, 11500.0, 6800.0, 5200.0, 260.0, 189.0, 145.0)  # EUR, consumer median
FIRST_PRODUCT_P = (0.45, 0.22, 0.20, 0.13, 0.0, 0.0, 0.0)
REPEAT_PRODUCT_P = (0.02, 0.02, 0.08, 0.10, 0.18, 0.30, 0.30)
SEGMENT_SPEND = (1.0, 1.8, 6.0)  # order amount multiplier per segment

OBSERVATION_SOURCES = ("mystery_guest", "coach", "spot_check")
SOURCE_P = np.array([[0.40, 0.40, 0.20], [0.05, 0.45, 0.50]])  # rows: service, field
STANDARD_ITEMS = ("greeting", "identity_check", "clear_explanation", "next_steps_agreed", "case_recorded")
BEHAVIOUR_ITEMS = ("initiative", "follow_up", "resolved_before_escalation")
VISITS_PER_TEAM_MONTH = 10

PULSE_QUESTIONS = ("workload", "tools", "team_support", "recognition", "development")
PULSE_TEAM_SIZE = (14, 14, 14, 14, 10, 10, 10, 10)
PULSE_RESPONSE_RATE = 0.75


def team_index(function: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Team index (0..7) from function index (0 service, 1 field) and region index."""
    return function * len(REGIONS) + region


@dataclass(frozen=True)
class TeamPlan:
    """The teams of a sample with ``n`` teams (``cx sample --teams N``, N ≥ 8).

    Team j is a copy of base team ``j % 8`` (one of TEAMS: function x region): teams 0..7 are
    the eight base teams themselves; team 8 + k is "<base name> 2", and so on. A copy has its
    base team's planted levels (CSAT, standards, pulse mood, team size); the one-off truths stay
    with the named base team (Service Oost's training, Field Zuid's weak follow-up, the action
    ledger). Customers of a region are spread evenly over the copies of its teams.
    """

    names: tuple[str, ...]
    base: np.ndarray  # base team index (0..7) per team
    copy: np.ndarray  # 0 for a base team, 1 for "<name> 2", ...

    def __len__(self) -> int:
        return len(self.names)

    @property
    def codes(self) -> tuple[str, ...]:
        """Agent-id prefix per team: SN for Service Noord, SN2- for Service Noord 2, ..."""
        return tuple(TEAM_CODES[b] + (f"{c + 1}-" if c else "") for b, c in zip(self.base, self.copy))

    def team_of(self, base: np.ndarray, home: np.ndarray) -> np.ndarray:
        """Team per event from its base team and the customer's home in [0, 1) (even spread)."""
        base = np.asarray(base, dtype=np.int64)
        copies = np.bincount(self.base, minlength=len(TEAMS))[base]
        k = np.minimum(np.floor(np.asarray(home) * copies).astype(np.int64), copies - 1)
        return (base + len(TEAMS) * k).astype(np.int16)


def team_plan(n: int | None = None) -> TeamPlan:
    """The plan for ``n`` teams (default: the eight base teams)."""
    n = len(TEAMS) if n is None else int(n)
    if n < len(TEAMS):
        raise ValueError(f"teams must be at least {len(TEAMS)} (one per function and region), got {n}")
    j = np.arange(n)
    base, copy = j % len(TEAMS), j // len(TEAMS)
    names = tuple(TEAMS[b] + (f" {c + 1}" if c else "") for b, c in zip(base, copy))
    return TeamPlan(names=names, base=base, copy=copy)
