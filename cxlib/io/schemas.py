"""The canonical tables, declared once as pandera schemas.

Each column is built by a helper that fixes its canonical dtype, its checks and its *kind*
(stored in the column's metadata). The loader reads the kind to know how to parse the raw
text (`cxlib.io.parse`) and how to read it fast (`csvread`); pandera then checks the typed
frame. Row checks (one column compared with another) carry the column they blame as their
``name`` and the reason as their ``error``.

Kinds: ``key`` (unique id), ``ref`` (id pointing elsewhere), ``label`` (category),
``text`` (free text), ``int`` (score), ``float`` (money), ``bool``, ``date`` (local midnight),
``datetime``. The metadata also says whether a column has few distinct values (``few``), the
label an absent or empty optional label gets (``fill``: "unknown"), and how an absent id is
derived (``derive``: "line" = the record's line number, or another column's name).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from cxlib.paths import TIMEZONE

__all__ = [
    "DATETIME",
    "STRING",
    "UNKNOWN",
    "SCHEMAS",
    "TABLES",
    "REFERENCES",
    "TIME_COLUMNS",
    "CUSTOMER_TABLES",
    "TEAM_TABLES",
    "SCORES",
    "answer_check",
    "schema_for",
    "derived",
    "kind",
    "few_distinct",
    "empty_frame",
    "canonical_dtype",
    "key",
    "ref",
    "label",
    "text",
    "score",
    "money",
    "flag",
    "date",
    "moment",
    "not_before",
    "row_check",
]

DATETIME = pd.DatetimeTZDtype("us", TIMEZONE)
"""Every date and datetime column: microseconds, Europe/Amsterdam."""

STRING = pd.StringDtype(na_value=pd.NA)
"""Ids and free text: the ``"string"`` dtype (missing is ``pd.NA``)."""


UNKNOWN = "unknown"
"""The label of an optional label column that is absent or empty (touchpoint, channel, …)."""


def _column(
    dtype,
    kind: str,
    checks=None,
    *,
    optional: bool = False,
    nullable: bool | None = None,
    unique: bool = False,
    categories: tuple[str, ...] | None = None,
    few: bool = False,
    check_dtype: bool = True,
    fill: str | None = None,
    derive: str | None = None,
) -> pa.Column:
    return pa.Column(
        dtype if check_dtype else None,
        checks,
        required=not optional,
        nullable=optional if nullable is None else nullable,
        unique=unique,
        report_duplicates="exclude_first",
        metadata={"kind": kind, "dtype": dtype, "categories": categories, "few": few, "fill": fill, "derive": derive},
    )


def key(derive: str | None = None) -> pa.Column:
    """Unique id of the table's records (string); ``derive="line"``: the line number when absent."""
    return _column(STRING, "key", unique=True, derive=derive)


def ref(optional: bool = False, few: bool = False, derive: str | None = None) -> pa.Column:
    """Id that points to a record elsewhere: customer, team, agent, owner (string).

    While it is checked the column is a category (the reference check then looks at each
    distinct id once), so pandera does not check its dtype; the loader makes it a string.
    ``few``: the column has few distinct values (teams, agents), so it is read as a category.
    ``derive``: the column copied when this one is absent (one customer per response).
    """
    return _column(STRING, "ref", optional=optional, few=few, check_dtype=False, derive=derive)


def label(*values: str, optional: bool = False, fill: str | None = None) -> pa.Column:
    """Low-cardinality label (category); with ``values`` the set is closed.

    ``fill``: the label of records where the column is absent or empty (optional columns).
    """
    checks = None
    if values:
        checks = pa.Check.isin(values, error=f"unknown value (expected one of {', '.join(values)})")
    cats = values or None
    return _column(
        "category", "label", checks, optional=optional or fill is not None, categories=cats, few=True, fill=fill
    )


def text(optional: bool = False) -> pa.Column:
    """Free text, kept verbatim; may be empty even when the column is required."""
    return _column(STRING, "text", optional=optional, nullable=True)


def score(low: int, high: int, optional: bool = False) -> pa.Column:
    """Whole-number score on ``low``..``high`` (nullable Int64)."""
    rng = pa.Check.in_range(low, high, error=f"out of range (expected {low}–{high})")
    return _column("Int64", "int", rng, optional=optional, few=True)


def money() -> pa.Column:
    """Amount in EUR (float64), not negative."""
    return _column("float64", "float", pa.Check.ge(0, error="negative amount (expected ≥ 0)"))


def flag(optional: bool = False) -> pa.Column:
    """Yes/no (nullable boolean)."""
    return _column("boolean", "bool", optional=optional, few=True)


def date(optional: bool = False) -> pa.Column:
    """Calendar date, stored as local midnight in Europe/Amsterdam."""
    return _column(DATETIME, "date", optional=optional, few=True)


def moment(optional: bool = False) -> pa.Column:
    """Point in time, tz-aware Europe/Amsterdam."""
    return _column(DATETIME, "datetime", optional=optional)


def not_before(column: str, reference: str) -> pa.Check:
    """Row check: ``column`` is empty or not earlier than ``reference``."""
    return pa.Check(lambda d: ~(d[column] < d[reference]), name=column, error=f"{column} before {reference}")


def row_check(column: str, reason: str, fn) -> pa.Check:
    """Row check blaming ``column`` with ``reason`` where ``fn(frame)`` is False."""
    return pa.Check(fn, name=column, error=reason)


def _table(name: str, file: str, required: bool, columns: dict, checks=(), unique=None, *, time: str | None = None):
    """A table schema; ``time`` names the column that places a row in time (periods, coverage, data end)."""
    if time is not None and time not in columns:
        raise ValueError(f"{name}: time column {time!r} is not one of its columns")
    return pa.DataFrameSchema(
        columns,
        checks=list(checks),
        unique=unique,
        report_duplicates="exclude_first",
        name=name,
        metadata={"file": file, "required": required, "time": time},
    )


SCORES = ("nps", "csat", "ces")


def answer_check(ratings: tuple[str, ...] = ()) -> pa.Check:
    """Row check of responses: at least one score, rating or (non-blank) comment.

    A comment without a score is kept: it counts for themes and the feedback review, not for
    the scores.
    """
    columns = list(SCORES) + list(ratings)
    wanted = ", ".join(list(SCORES) + (["a rating"] if ratings else []) + ["comment"])

    def answered(d):
        comment = d["comment"].str.strip().ne("").fillna(False).astype(bool)
        return d[columns].notna().any(axis=1) | comment

    return row_check(", ".join(list(SCORES) + ["comment"]), f"no answer (expected at least one of {wanted})", answered)


TEAMS = _table(
    "teams",
    "teams.csv",
    False,
    {
        "team": key(),
        "region": label(),
        "function": label("service", "field"),
    },
    time=None,
)

CUSTOMERS = _table(
    "customers",
    "customers.csv",
    False,
    {
        "customer_id": key(derive="line"),
        "segment": label(fill=UNKNOWN),
        "region": label(fill=UNKNOWN),
        "signup_date": date(optional=True),
        "churn_date": date(optional=True),
    },
    checks=[not_before("churn_date", "signup_date")],
    time="signup_date",
)

ORDERS = _table(
    "orders",
    "orders.csv",
    False,
    {
        "order_id": key(),
        "customer_id": ref(),
        "order_date": date(),
        "amount": money(),
        "product": label(),
    },
    time="order_date",
)

RESPONSES = _table(
    "responses",
    "responses.csv",
    False,
    {
        "response_id": key(derive="line"),
        "customer_id": ref(optional=True, derive="response_id"),
        "submitted_at": moment(),
        "touchpoint": label(fill=UNKNOWN),
        "channel": label(fill=UNKNOWN),
        "team": ref(optional=True, few=True),
        "nps": score(0, 10, optional=True),
        "csat": score(1, 5, optional=True),
        "ces": score(1, 7, optional=True),
        "comment": text(optional=True),
        "language": label(optional=True),
    },
    checks=[answer_check()],
    time="submitted_at",
)

TICKETS = _table(
    "tickets",
    "tickets.csv",
    False,
    {
        "ticket_id": key(),
        "customer_id": ref(optional=True),
        "team": ref(optional=True, few=True),
        "agent_id": ref(optional=True, few=True),
        "channel": label(fill=UNKNOWN),
        "category": label("question", "complaint", "request", optional=True),
        "created_at": moment(),
        "first_response_at": moment(optional=True),
        "resolved_at": moment(optional=True),
        "escalated": flag(optional=True),
    },
    checks=[
        not_before("first_response_at", "created_at"),
        not_before("resolved_at", "created_at"),
        not_before("resolved_at", "first_response_at"),
    ],
    time="created_at",
)

OBSERVATIONS = _table(
    "observations",
    "observations.csv",
    False,
    {
        "observation_id": ref(),
        "observed_at": moment(),
        "team": ref(few=True),
        "source": label("mystery_guest", "coach", "spot_check"),
        "category": label("standard", "behaviour"),
        "item": label(),
        "passed": flag(),
        "observer": ref(optional=True, few=True),
    },
    unique=["observation_id", "item"],
    time="observed_at",
)

PULSE = _table(
    "pulse",
    "pulse.csv",
    False,
    {
        "pulse_id": key(),
        "submitted_on": date(),
        "team": ref(few=True),
        "question": label(),
        "score": score(1, 5),
    },
    time="submitted_on",
)

ACTIONS = _table(
    "actions",
    "actions.csv",
    False,
    {
        "action_id": key(),
        "created_on": date(),
        "team": ref(few=True),
        "owner": ref(few=True),
        "kpi": label(),
        "trigger": text(),
        "description": text(),
        "status": label("open", "in_progress", "done", "cancelled"),
        "due_on": date(),
        "done_on": date(optional=True),
    },
    checks=[
        row_check("done_on", "status done without done_on", lambda d: ~((d["status"] == "done") & d["done_on"].isna())),
        not_before("done_on", "created_on"),
    ],
    time="due_on",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    s.name: s for s in (TEAMS, CUSTOMERS, ORDERS, RESPONSES, TICKETS, OBSERVATIONS, PULSE, ACTIONS)
}
"""All tables in load order: teams and customers first, as others refer to them."""

TABLES = tuple(SCHEMAS)

REFERENCES = {"customer_id": "customers", "team": "teams"}
"""Cross-table references checked by the loader: column → table whose key it must match."""

TIME_COLUMNS: dict[str, str] = {name: s.metadata["time"] for name, s in SCHEMAS.items() if s.metadata["time"]}
"""Table → the column that places its rows in time. The KPI functions group periods by the same
columns (their ``time_col`` defaults; actions by ``due_on``, the due date, as ``action_progress``)."""

CUSTOMER_TABLES = tuple(name for name, s in SCHEMAS.items() if name != "customers" and "customer_id" in s.columns)
"""Tables whose rows belong to a customer (``customer_id``): customer columns can be attached to them."""

TEAM_TABLES = tuple(
    name for name, s in SCHEMAS.items() if name != "teams" and "team" in s.columns and "customer_id" not in s.columns
)
"""Tables whose rows belong to a team and to no customer: a unit of teams selects them by team."""


def schema_for(table: str, ratings: tuple[str, ...] = (), scale: tuple[int, int] = (0, 10)) -> pa.DataFrameSchema:
    """The schema of ``table`` with its attribute ratings (Int64 on ``scale``), if any."""
    base = SCHEMAS[table]
    if not ratings:
        return base
    columns = {**base.columns, **{r: score(*scale, optional=True) for r in ratings}}
    return _table(
        base.name,
        base.metadata["file"],
        base.metadata["required"],
        columns,
        [answer_check(ratings)],
        base.unique,
        time=base.metadata["time"],
    )


def derived(table: str) -> set[str]:
    """Columns of ``table`` that are derived when the file lacks them (see ``derive``)."""
    return {n for n, c in SCHEMAS[table].columns.items() if c.metadata["derive"]}


def kind(schema: pa.DataFrameSchema, column: str) -> str:
    """The column's kind (see module docstring)."""
    return schema.columns[column].metadata["kind"]


def few_distinct(schema: pa.DataFrameSchema, column: str) -> bool:
    """True when the column has few distinct values: read it as a category, parse the distinct
    values once (a high-cardinality category would be slower to read than plain text)."""
    return schema.columns[column].metadata["few"]


def empty_frame(schema: pa.DataFrameSchema) -> pd.DataFrame:
    """An empty frame with the table's canonical columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=canonical_dtype(col)) for name, col in schema.columns.items()})


def canonical_dtype(column: pa.Column):
    """The pandas dtype of a column in CXData (closed label sets get their fixed categories)."""
    cats = column.metadata["categories"]
    if cats:
        return pd.CategoricalDtype(list(cats))
    return pd.api.types.pandas_dtype(column.metadata["dtype"])
