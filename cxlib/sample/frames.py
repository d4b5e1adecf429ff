"""Generator arrays -> DataFrames with the canonical dtypes of docs/architecture.md.

ids and team: ``string``; labels: ``category``; scores: ``Int64``; amount: ``float64`` (EUR);
booleans: ``boolean``; dates and datetimes: ``datetime64[s, Europe/Amsterdam]`` (dates at local
midnight).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.sample.company import (
    FUNCTIONS,
    LANGUAGES,
    OBSERVATION_SOURCES,
    PRODUCTS,
    PULSE_QUESTIONS,
    REGIONS,
    RESPONSE_CHANNELS,
    SEGMENTS,
    STANDARD_ITEMS,
    TICKET_CATEGORIES,
    TICKET_CHANNELS,
    TOUCHPOINTS,
    TZ,
    TeamPlan,
    team_plan,
)
from cxlib.sample.customers import Customers
from cxlib.sample.observations import ITEMS, Observations
from cxlib.sample.orders import Orders
from cxlib.sample.pulse import Pulse
from cxlib.sample.responses import Responses
from cxlib.sample.scores import MISSING, Scores
from cxlib.sample.strings import codes
from cxlib.sample.tickets import Tickets

__all__ = [
    "ID_WIDTH",
    "id_width",
    "ids",
    "labels",
    "local",
    "scores",
    "take",
    "customer_ids",
    "customers_frame",
    "responses_frame",
    "tickets_frame",
    "orders_frame",
    "observations_frame",
    "pulse_frame",
    "teams_frame",
    "team_names",
]

ID_WIDTH = {"C": 6, "R": 7, "T": 7, "O": 7, "OB": 6, "P": 6}


def id_width(prefix: str, count: int) -> int:
    """Digits of the ids of a table: the default width, wider for big samples."""
    return max(ID_WIDTH[prefix], len(str(count)))


def ids(prefix: str, numbers: np.ndarray, width: int) -> pd.Series:
    """Ids like C000042 from 1-based numbers, pandas ``string`` dtype."""
    return pd.Series(codes(prefix, numbers, width), dtype="string")


def labels(index: np.ndarray, categories: tuple[str, ...]) -> pd.Categorical:
    """Categorical from integer codes into ``categories`` (-1 = missing)."""
    return pd.Categorical.from_codes(index.astype(np.int64), categories=list(categories))


def local(ts: np.ndarray) -> pd.Series:
    """Naive local wall-clock times (or dates) -> tz-aware Europe/Amsterdam, NaT kept."""
    return pd.Series(ts.astype("datetime64[s]")).dt.tz_localize(TZ)


def scores(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Score array with MISSING -> ``Int64`` NA."""
    return pd.arrays.IntegerArray(values.astype(np.int64), mask=values == MISSING)


def take(id_column: pd.Series, index: np.ndarray) -> pd.Series:
    """The ids at the given positions of an id column, ``string`` dtype."""
    return pd.Series(id_column.to_numpy()[index], dtype="string")


def customer_ids(n: int) -> pd.Series:
    """Ids of ``n`` customers in signup order: C000001, C000002, ..."""
    return ids("C", np.arange(1, n + 1), id_width("C", n))


def customers_frame(c: Customers, customer_id: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": customer_id,
            "segment": labels(c.segment, SEGMENTS),
            "region": labels(c.region, REGIONS),
            "signup_date": local(c.signup),
            "churn_date": local(c.churn),
        }
    )


def team_names(team: np.ndarray, plan: TeamPlan | None) -> pd.Series:
    """Team names for team indices, ``string`` dtype."""
    return pd.Series(np.array((plan or team_plan()).names, dtype=object)[team], dtype="string")


def responses_frame(
    r: Responses,
    s: Scores,
    comment: np.ndarray,
    customer_ids: pd.Series,
    language: np.ndarray,
    plan: TeamPlan | None = None,
) -> pd.DataFrame:
    n = len(r)
    has_comment = np.strings.str_len(comment) > 0
    return pd.DataFrame(
        {
            "response_id": ids("R", np.arange(1, n + 1), id_width("R", n)),
            "customer_id": take(customer_ids, r.customer),
            "submitted_at": local(r.at),
            "touchpoint": labels(r.touchpoint, TOUCHPOINTS),
            "channel": labels(r.channel, RESPONSE_CHANNELS),
            "team": team_names(r.team, plan),
            "nps": scores(s.nps),
            "csat": scores(s.csat),
            "ces": scores(s.ces),
            "comment": pd.Series(np.where(has_comment, comment.astype(object), None), dtype="string"),
            "language": labels(language, LANGUAGES),
        }
    )


def tickets_frame(t: Tickets, customer_ids: pd.Series, plan: TeamPlan | None = None) -> pd.DataFrame:
    n = len(t)
    agent_names = np.array(
        [f"{code}{k + 1:02d}" for code in (plan or team_plan()).codes for k in range(20)], dtype=object
    )
    agent = np.where(t.agent >= 0, agent_names[t.team.astype(np.int64) * 20 + t.agent], None)
    return pd.DataFrame(
        {
            "ticket_id": ids("T", np.arange(1, n + 1), id_width("T", n)),
            "customer_id": take(customer_ids, t.customer),
            "team": team_names(t.team, plan),
            "agent_id": pd.Series(agent, dtype="string"),
            "channel": labels(t.channel, TICKET_CHANNELS),
            "category": labels(t.category, TICKET_CATEGORIES),
            "created_at": local(t.created),
            "first_response_at": local(t.first_response),
            "resolved_at": local(t.resolved),
            "escalated": pd.array(t.escalated, dtype="boolean"),
        }
    )


def orders_frame(o: Orders, customer_ids: pd.Series) -> pd.DataFrame:
    n = len(o.day)
    return pd.DataFrame(
        {
            "order_id": ids("O", np.arange(1, n + 1), id_width("O", n)),
            "customer_id": take(customer_ids, o.customer),
            "order_date": local(o.day),
            "amount": o.amount.astype(np.float64),
            "product": labels(o.product, PRODUCTS),
        }
    )


def observations_frame(ob: Observations, plan: TeamPlan | None = None) -> pd.DataFrame:
    n_visits = int(ob.visit.max()) + 1
    return pd.DataFrame(
        {
            "observation_id": ids("OB", ob.visit + 1, id_width("OB", n_visits)),
            "observed_at": local(ob.at),
            "team": team_names(ob.team, plan),
            "source": labels(ob.source, OBSERVATION_SOURCES),
            "category": labels((ob.item >= len(STANDARD_ITEMS)).astype(np.int64), ("standard", "behaviour")),
            "item": labels(ob.item, ITEMS),
            "passed": pd.array(ob.passed, dtype="boolean"),
        }
    )


def pulse_frame(p: Pulse, plan: TeamPlan | None = None) -> pd.DataFrame:
    n = len(p.day)
    return pd.DataFrame(
        {
            "pulse_id": ids("P", np.arange(1, n + 1), id_width("P", n)),
            "submitted_on": local(p.day),
            "team": team_names(p.team, plan),
            "question": labels(p.question, PULSE_QUESTIONS),
            "score": pd.array(p.score.astype(np.int64), dtype="Int64"),
        }
    )


def teams_frame(plan: TeamPlan | None = None) -> pd.DataFrame:
    plan = plan or team_plan()
    n_regions = len(REGIONS)
    idx = plan.base
    return pd.DataFrame(
        {
            "team": pd.Series(plan.names, dtype="string"),
            "region": labels(idx % n_regions, REGIONS),
            "function": labels(idx // n_regions, FUNCTIONS),
        }
    )
