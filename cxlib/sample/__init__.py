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
TABLES = ("customers", "orders", "responses", "tickets", "observations", "pulse", "actions",
          "teams")
_STREAMS = ("customers", "responses", "scores", "churn", "comments", "tickets", "orders",
            "observations", "pulse")


def generate(seed: int = DEFAULT_SEED, responses: int | None = None) -> dict[str, pd.DataFrame]:
    """All sample tables (plus ``goals``), keyed by table name.

    ``responses`` survey responses (default 24,000; customers = responses / 4 and tickets =
    0.75 x responses scale with it; observations, pulse and actions do not). Each table draws
    from its own child stream of ``numpy.random.SeedSequence(seed)``, so equal arguments give
    equal frames. The planted invalid rows are included (one of them a duplicate response). At
    very small sizes a few responses of churned customers are dropped when no staying customer of
    the same segment, region and language exists to take them over.
    """
    n = DEFAULT_RESPONSES if responses is None else int(responses)
    if n < 1_000:
        raise ValueError(f"responses must be at least 1000, got {n}")
    rng = dict(zip(_STREAMS, (np.random.default_rng(s)
                              for s in np.random.SeedSequence(seed).spawn(len(_STREAMS)))))
    customers = make_customers(rng["customers"], round(CUSTOMERS_PER_RESPONSE * n))
    ids = frames.customer_ids(len(customers))
    tables = {"responses": _responses(rng, n, customers, ids)}  # also plants churn
    tables["customers"] = frames.customers_frame(customers, ids)
    tickets = make_tickets(rng["tickets"], round(TICKETS_PER_RESPONSE * n), customers,
                           BusinessClock())
    tables["tickets"] = frames.tickets_frame(tickets, ids)
    del tickets
    tables["orders"] = frames.orders_frame(make_orders(rng["orders"], customers), ids)
    tables["observations"] = frames.observations_frame(make_observations(rng["observations"]))
    tables["pulse"] = frames.pulse_frame(make_pulse(rng["pulse"]))
    tables["actions"] = actions_frame()
    tables["teams"] = frames.teams_frame()
    tables = plant_invalid_rows({name: tables[name] for name in TABLES})
    tables["goals"] = goals_frame()
    return tables


def _responses(rng: dict[str, np.random.Generator], n: int, customers: Customers,
               ids: pd.Series) -> pd.DataFrame:
    """Responses with scores and comments; sets the customers' churn dates on the way."""
    resp = make_responses(rng["responses"], n, customers)
    scores = make_scores(rng["scores"], resp, customers)
    keep = plant_churn(rng["churn"], customers, resp, scores)
    if not keep.all():
        resp, scores = resp.take(keep), type(scores)(*(a[keep] for a in vars(scores).values()))
    language = customers.language[resp.customer]
    comment = make_comments(rng["comments"], resp, scores, language)
    return frames.responses_frame(resp, scores, comment, ids, language)


def write_sample(out_dir: str | Path, responses: int | None = None,
                 seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Generate the sample and write ``<table>.csv`` files, goals.yaml and the sample's own theme
    taxonomy (taxonomy.yaml, copied from cxlib/sample/taxonomy.yaml) into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = generate(seed=seed, responses=responses)
    paths = {name: write_csv(tables.pop(name), out / f"{name}.csv") for name in TABLES}
    paths["goals"] = write_goals(tables["goals"], out / "goals.yaml")
    paths["taxonomy"] = out / "taxonomy.yaml"
    paths["taxonomy"].write_bytes((Path(__file__).parent / "taxonomy.yaml").read_bytes())
    return paths


__all__ = ["DEFAULT_RESPONSES", "DEFAULT_SEED", "generate", "write_sample"]
