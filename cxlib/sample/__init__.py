"""The deterministic sample company (Warmtewijzer B.V.) with planted truths.

``generate`` returns the tables as DataFrames with canonical dtypes; ``write_sample`` writes them
in the on-disk sample format (data/sample/ by default). The planted truths and their sizes are
in :mod:`cxlib.sample.truths` and data/sample/README.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.sample import frames
from cxlib.sample.actions import actions_frame
from cxlib.sample.churn import plant_churn
from cxlib.sample.clock import BusinessClock
from cxlib.sample.comments import make_comments
from cxlib.sample.company import TEAMS, team_plan
from cxlib.sample.customers import Customers, make_customers
from cxlib.sample.goals import goals_frame
from cxlib.sample.invalid import plant_invalid_rows
from cxlib.sample.observations import make_observations
from cxlib.sample.orders import make_orders
from cxlib.sample.pulse import make_pulse
from cxlib.sample.responses import make_responses
from cxlib.sample.scores import make_scores
from cxlib.sample.tickets import make_tickets
from cxlib.sample.writer import write_csv, write_goals

DEFAULT_SEED = 20260105
DEFAULT_RESPONSES = 24_000
CUSTOMERS_PER_RESPONSE = 0.25
TICKETS_PER_RESPONSE = 0.75
TABLES = ("customers", "orders", "responses", "tickets", "observations", "pulse", "actions", "teams")
_STREAMS = (
    "customers",
    "responses",
    "scores",
    "churn",
    "comments",
    "tickets",
    "orders",
    "observations",
    "pulse",
    "teams",
)  # a new stream goes last: the others stay the same


def generate(
    seed: int = DEFAULT_SEED, responses: int | None = None, teams: int | None = None
) -> dict[str, pd.DataFrame]:
    """All sample tables (plus ``goals``), keyed by table name.

    ``responses`` survey responses (default 24,000, or 3,000 per team with ``teams``;
    customers = responses / 4 and tickets = 0.75 x responses scale with it; observations, pulse
    and actions do not). ``teams`` (≥ 8, default 8): copies of the eight base teams with their
    planted levels, customers spread evenly over a region's copies (``company.TeamPlan``); the
    observations and the pulse grow with the teams. Each table draws
    from its own child stream of ``numpy.random.SeedSequence(seed)``, so equal arguments give
    equal frames. The planted invalid rows are included (one of them a duplicate response). At
    very small sizes a few responses of churned customers are dropped when no staying customer of
    the same segment, region and language exists to take them over.
    """
    plan = team_plan(teams)
    default = DEFAULT_RESPONSES * len(plan) // len(TEAMS)
    n = default if responses is None else int(responses)
    if n < 1_000:
        raise ValueError(f"responses must be at least 1000, got {n}")
    rng = dict(zip(_STREAMS, (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS)))))
    customers = make_customers(rng["customers"], round(CUSTOMERS_PER_RESPONSE * n))
    home = rng["teams"].random(len(customers)) if len(plan) > len(TEAMS) else None
    ids = frames.customer_ids(len(customers))
    tables = {"responses": _responses(rng, n, customers, ids, plan, home)}  # also plants churn
    tables["customers"] = frames.customers_frame(customers, ids)
    tickets = make_tickets(rng["tickets"], round(TICKETS_PER_RESPONSE * n), customers, BusinessClock(), plan, home)
    tables["tickets"] = frames.tickets_frame(tickets, ids, plan)
    del tickets
    tables["orders"] = frames.orders_frame(make_orders(rng["orders"], customers), ids)
    tables["observations"] = frames.observations_frame(make_observations(rng["observations"], plan), plan)
    tables["pulse"] = frames.pulse_frame(make_pulse(rng["pulse"], plan), plan)
    tables["actions"] = actions_frame()
    tables["teams"] = frames.teams_frame(plan)
    tables = plant_invalid_rows({name: tables[name] for name in TABLES})
    tables["goals"] = goals_frame()
    return tables


def _responses(
    rng: dict[str, np.random.Generator], n: int, customers: Customers, ids: pd.Series, plan=None, home=None
) -> pd.DataFrame:
    """Responses with scores and comments; sets the customers' churn dates on the way."""
    resp = make_responses(rng["responses"], n, customers, plan, home)
    scores = make_scores(rng["scores"], resp, customers, plan)
    keep = plant_churn(rng["churn"], customers, resp, scores)
    if not keep.all():
        resp, scores = resp.take(keep), type(scores)(*(a[keep] for a in vars(scores).values()))
    language = customers.language[resp.customer]
    comment = make_comments(rng["comments"], resp, scores, language)
    return frames.responses_frame(resp, scores, comment, ids, language, plan)


def write_sample(
    out_dir: str | Path, responses: int | None = None, seed: int = DEFAULT_SEED, teams: int | None = None
) -> dict[str, Path]:
    """Generate the sample and write ``<table>.csv`` files, goals.yaml and the sample's own theme
    taxonomy (taxonomy.yaml, copied from cxlib/sample/taxonomy.yaml) into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = generate(seed=seed, responses=responses, teams=teams)
    paths = {name: write_csv(tables.pop(name), out / f"{name}.csv") for name in TABLES}
    paths["goals"] = write_goals(tables["goals"], out / "goals.yaml")
    paths["taxonomy"] = out / "taxonomy.yaml"
    paths["taxonomy"].write_bytes((Path(__file__).parent / "taxonomy.yaml").read_bytes())
    return paths


__all__ = ["DEFAULT_RESPONSES", "DEFAULT_SEED", "generate", "write_sample"]
