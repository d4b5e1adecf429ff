"""``cx.measure``: any catalogue KPI from the data, through the one function the catalogue names.

The KPI catalogue (cxlib/data/kpis.yaml) declares per KPI its function, its tables (in argument
order), the table whose rows ``by=`` groups, the columns it needs, the options its function
takes and its minimum n. ``measure`` finds the tables in a ``CXData`` (or a mapping of table
name → DataFrame), attaches ``by`` columns the rows lack (customer columns through
``customer_id``, teams.csv columns through ``team``), checks the needed columns and calls the
function. Every part of cxlib that computes a catalogue KPI (monitoring, goals, action
proposals, widgets) goes through here, so the same question always gets the same number.

Examples
--------
>>> import cxlib as cx
>>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
>>> frame = cx.measure(data, "nps", by="region", period="2026-Q3")
>>> print(frame[["region", "period", "n", "value"]].round(1).to_string(index=False))
region  period   n  value
 Noord 2026-Q3 592   33.6
  Oost 2026-Q3 721   27.9
  West 2026-Q3 981   34.0
  Zuid 2026-Q3 686   29.4
>>> frames = cx.measure_many(data, ["first_response_time", "sla_attainment"], period="2026-Q3")
>>> [(k, int(f["n"].iloc[0])) for k, f in frames.items()]  # one call of response_times gives both
[('first_response_time', 2191), ('sla_attainment', 2191)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from cxlib.catalogue import KPI, kpi_info, kpi_keys
from cxlib.kpi.frame import as_list
from cxlib.periods import DEFAULT_FREQ, resolve_freq

__all__ = ["measure", "measure_many", "measure_groups", "kpi_tables", "Unavailable", "TOTAL"]

TOTAL = "all"
"""The group key of the whole data in :func:`measure_groups` (translated only when shown)."""


class Unavailable(ValueError):
    """The data cannot give this KPI: a table or column is missing, or it cannot be cut by ``by``."""


def _table(data, name: str) -> pd.DataFrame | None:
    if data is None:
        return None
    if isinstance(data, Mapping):
        return data.get(name)
    return getattr(data, name, None)


def _attach(data, name: str, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` (rows of table ``name``) with the ``columns`` it lacks, from customers or teams."""
    from cxlib.enrich import attach
    from cxlib.io.schemas import CUSTOMER_TABLES

    customers, teams = _table(data, "customers"), _table(data, "teams")
    for column in columns:
        if column in frame.columns:
            continue
        if (
            name in CUSTOMER_TABLES
            and customers is not None
            and column in customers.columns
            and "customer_id" in frame.columns
        ):
            frame = attach(frame, customers, [column])
        elif "team" in frame.columns and teams is not None and column in teams.columns:
            lookup = teams.drop_duplicates("team").set_index("team")[column]
            values = lookup.reindex(pd.Index(frame["team"])).to_numpy()
            frame = frame.assign(**{column: pd.array(values, dtype=lookup.dtype)})
        else:
            raise Unavailable(
                f"{name} has no column {column!r}, and it cannot be attached from customers "
                f"(by customer_id) or teams (by team)"
            )
    return frame


def kpi_tables(data, key: str | KPI, by=None) -> list[pd.DataFrame]:
    """The tables of KPI ``key`` in argument order, the grouped table carrying the ``by`` columns.

    Raises :class:`Unavailable` (a ValueError) naming what is missing.
    """
    info = key if isinstance(key, KPI) else kpi_info(key)
    tables = [_table(data, name) for name in info.tables]
    absent = [name for name, frame in zip(info.tables, tables) if frame is None]
    if absent:
        raise Unavailable(f"KPI {info.key!r} needs the table(s) {absent}")
    for name, frame in zip(info.tables, tables):
        lacking = [c for c in info.columns.get(name, ()) if c not in frame.columns]
        if lacking:
            raise Unavailable(f"KPI {info.key!r} needs column(s) {lacking} in {name}; it has {list(frame.columns)}")
    cols = as_list(by)
    i = info.tables.index(info.groups)
    if info.groups == "customers":  # these KPIs group customers: by= must be customer columns
        lacking = [c for c in cols if c not in tables[i].columns]
        if lacking:
            raise Unavailable(
                f"KPI {info.key!r} groups customers and can only be cut by customer columns; "
                f"{lacking} are not in customers"
            )
    elif cols:
        tables[i] = _attach(data, info.groups, tables[i], cols)
    return tables


def measure(
    data,
    key: str,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    **options,
) -> pd.DataFrame:
    """KPI ``key`` of the catalogue as a tidy frame, computed by its catalogue function.

    - ``data``: a ``CXData`` (``cx.load``) or a mapping of table name → DataFrame.
    - ``by``: column(s) to group by; columns the KPI's rows lack are attached from customers
      (segment, region, …) or teams (region, function).
    - ``period``: a label ("2026-Q3", "2026-03", "2026"): that period only; None: every period
      at grain ``freq`` ("month", "quarter", "year", or None for one period "all").
    - ``min_n``: None = the catalogue's minimum n for the KPI.
    - ``options``: passed to the function (e.g. ``as_of``, ``sla_hours``, ``method``).

    Returns the tidy KPI frame (by columns, period, kpi, n, value, ci_low, ci_high, suppressed,
    extras). Raises KeyError for an unknown key and :class:`Unavailable` when the data cannot
    give the KPI (missing table or column, or a ``by`` that does not apply).
    """
    info = kpi_info(key)
    resolve_freq(period, freq)  # a bad label or a contradicting freq fails before any work
    if _lazy(data):  # cx.load(..., engine="duckdb"): statistics in the engine, intervals here
        from cxlib.kpi.lazy import measure as measure_lazy

        return measure_lazy(data, key, by, period, freq, confidence, min_n, **options)
    frame = _call(info, kpi_tables(data, info, by), by, period, freq, confidence, min_n, options)
    return frame[frame["kpi"] == key].reset_index(drop=True)


def _lazy(data) -> bool:
    """True for the lazy tables of ``cx.load(..., engine="duckdb")``."""
    from cxlib.io.engine import LazyData

    return isinstance(data, LazyData)


def _call(info: KPI, tables, by, period, freq, confidence, min_n, options) -> pd.DataFrame:
    from cxlib import kpi as functions

    function = getattr(functions, info.function)
    return function(*tables, by=by, period=period, freq=freq, confidence=confidence, min_n=min_n, **options)


def measure_many(
    data,
    keys: Iterable[str] | None = None,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    skip_unavailable: bool | None = None,
    **options,
) -> dict[str, pd.DataFrame]:
    """Several KPIs at once: catalogue key → tidy frame, each function called once.

    KPIs that share a function (``first_response_time`` and ``sla_attainment`` both come from
    ``response_times``) are computed by one call. ``keys`` defaults to the whole catalogue.
    ``skip_unavailable``: leave out the KPIs the data cannot give (missing tables, or a ``by``
    that does not apply) instead of raising; default: skip when ``keys`` is None. ``options``
    go to the functions whose catalogue entry lists them (``as_of`` reaches response_times,
    action_progress, churn_rate and complaints); an option no KPI takes is a TypeError.
    Other arguments as :func:`measure`.
    """
    skip = keys is None if skip_unavailable is None else skip_unavailable
    wanted = list(kpi_keys() if keys is None else keys)
    infos = [kpi_info(k) for k in wanted]  # a KeyError names the known keys
    resolve_freq(period, freq)
    unknown = set(options) - {o for info in infos for o in info.options}
    if unknown:
        raise TypeError(f"option(s) {sorted(unknown)} are taken by none of the KPIs {wanted}")
    computed: dict[str, pd.DataFrame | None] = {}
    out = {}
    if _lazy(data):  # one engine query serves NPS, CSAT and CES of one grouping (cached)
        from cxlib.kpi.lazy import ENGINE_KPIS

        return {
            info.key: measure(
                data,
                info.key,
                by,
                period,
                freq,
                confidence,
                min_n,
                **{k: v for k, v in options.items() if k in info.options},
            )
            for info in infos
            if info.key in ENGINE_KPIS or not skip
        }
    for info in infos:
        if info.function not in computed:
            try:
                tables = kpi_tables(data, info, by)
            except Unavailable:
                if not skip:
                    raise
                computed[info.function] = None
            else:
                mine = {k: v for k, v in options.items() if k in info.options}
                computed[info.function] = _call(info, tables, by, period, freq, confidence, min_n, mine)
        frame = computed[info.function]
        if frame is not None:
            out[info.key] = frame[frame["kpi"] == info.key].reset_index(drop=True)
    return out


def measure_groups(
    data,
    keys: Iterable[str] | None = None,
    by: str | None = None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    total: str | None = None,
    **options,
) -> dict[str, pd.DataFrame]:
    """:func:`measure_many` with the ``by`` values in one string column ``group`` (first column).

    ``total``: also compute every KPI for the whole data (no ``by``) with ``group = total``
    (a key such as :data:`TOTAL`, translated only when shown); with ``by=None`` every row gets
    ``total`` (default :data:`TOTAL`). KPIs that cannot be cut by ``by`` then appear with their
    total rows only; KPIs the data cannot give at all are left out.
    """
    parts: dict[str, list[pd.DataFrame]] = {}
    runs = []
    if by is not None:
        runs.append((by, None))
    if by is None or total is not None:
        runs.append((None, total if total is not None else TOTAL))
    for column, name in runs:
        frames = measure_many(data, keys, column, period, freq, confidence, min_n, skip_unavailable=True, **options)
        for key, frame in frames.items():
            if column is None:
                frame = frame.assign(group=name)
            else:
                frame = frame.rename(columns={column: "group"})
            group = frame.pop("group").astype("string")
            frame.insert(0, "group", group)
            parts.setdefault(key, []).append(frame)
    return {k: pd.concat(v, ignore_index=True) for k, v in parts.items()}
