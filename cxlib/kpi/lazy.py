"""KPIs on lazy data (``load(DIR, engine="duckdb")``): sufficient statistics in the engine,
intervals in cxlib.

Method: a KPI is two steps. The *statistics* step reduces the rows to a few numbers per
group and period that determine the KPI and its interval exactly: counts per score value for
NPS, CSAT and CES (from which n, shares, means and standard deviations follow in integer
arithmetic), items known and passed for compliance and behaviour. Here that step is ONE Ibis
expression per KPI family (``survey_statistics``, ``observation_statistics``), run where the
data lies: DuckDB locally, or any Ibis backend (a warehouse, Spark) when the tables live
there. The *finish* step (``nps_finish``, ``csat_finish``, ``ces_finish``,
``pass_rate_finish``) computes values and intervals in cxlib and is the same code the
in-memory functions call, so both paths give the same frame: same groups in the same order,
same dtypes, same numbers.

Periods are local (Europe/Amsterdam) calendar periods: the engine's session time zone is set
to Europe/Amsterdam (cxlib.io.engine), so EXTRACT(quarter FROM ts) is the local quarter.
Reference: Ibis, "Aggregating and grouping"; sufficient statistics as in Casella & Berger
(2002), Statistical Inference, §6.2.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.io.schemas import SCHEMAS, canonical_dtype, kind
from cxlib.kpi.frame import CORE, as_list, kpi_min_n
from cxlib.kpi.observations import pass_rate_finish
from cxlib.kpi.survey import ces_finish, csat_finish, nps_finish
from cxlib.periods import ALL, DEFAULT_FREQ, parse_period, period_labels, resolve_freq

__all__ = ["ENGINE_KPIS", "measure", "observation_statistics", "survey_statistics"]

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
"""Score columns of the survey family and their scales."""
ENGINE_KPIS = ("nps", "csat", "ces", "compliance", "behaviour")
"""Catalogue keys the engine path computes; the others need the rows (quantiles, at-risk
populations) and are computed in memory."""
_PER = {"month": 12, "quarter": 4, "year": 1}


def _period_code(ts, freq: str | None):
    """Ibis expression of the period code (cxlib.periods): 4·year + quarter − 1, …"""
    if freq is None:
        return ts.isnull().ifelse(-1, 0)
    year = ts.year().cast("int64")
    if freq == "year":
        return year
    if freq == "quarter":
        return year * 4 + ts.quarter().cast("int64") - 1
    return year * 12 + ts.month().cast("int64") - 1


def _in_period(table, ts_col: str, period: str | None):
    """``table`` filtered to the period label ``period`` (None or "all": every row)."""
    if period is None or period == ALL:
        return table
    grain, code = parse_period(period)
    return table.filter(_period_code(table[ts_col], grain) == code)


def _attach(data, table, by: list[str]):
    """``table`` with the ``by`` columns it lacks, joined from the accepted customers (by
    customer_id) or teams (by team), as ``cx.measure`` attaches them in memory."""
    clash = [c for c in by if c in CORE]
    if clash:
        raise ValueError(f"cannot group by {clash}: the tidy KPI frame uses these names itself")
    for column in by:
        if column in table.columns:
            continue
        for home, key in (("customers", "customer_id"), ("teams", "team")):
            other = data[home]
            if key in table.columns and column in other.columns and column != "_line":
                right = other.select(key, column).rename({f"_{key}": key})
                table = table.left_join(right, table[key] == right[f"_{key}"]).select(*table.columns, column)
                break
        else:
            raise KeyError(f"no column {column!r} to group by in the table, customers or teams")
    return table


def _categories(data, by: list[str], home: str) -> dict[str, pd.CategoricalDtype | None]:
    """The dtype of each ``by`` column in memory: closed label sets in schema order, open ones
    the sorted values in use (one small DISTINCT query), ids as strings (None)."""
    out = {}
    for column in by:
        table = next(t for t in (home, "customers", "teams") if column in SCHEMAS[t].columns)
        spec = SCHEMAS[table].columns.get(column)
        if spec is None or kind(SCHEMAS[table], column) != "label":
            out[column] = None
            continue
        dtype = canonical_dtype(spec)
        if dtype.categories is None:
            used = (
                data.con.raw_sql(f'SELECT DISTINCT "{column}" FROM {table} WHERE "{column}" IS NOT NULL')
                .df()
                .iloc[:, 0]
            )
            dtype = pd.CategoricalDtype(sorted(used.astype(str)))
        out[column] = dtype
    return out


def _keys(stats: pd.DataFrame, by: list[str], freq: str | None, dtypes: dict):
    """(keys frame in the in-memory group order and dtypes, row order of ``stats``)."""
    sort = []
    for column in by:
        values = stats[column]
        dtype = dtypes[column]
        if dtype is None:
            ranks = pd.Series(values.astype("string")).rank(method="dense", na_option="bottom")
        else:
            codes = pd.Series(pd.Categorical(values, dtype=dtype).codes)
            ranks = codes.where(codes >= 0, len(dtype.categories))
        sort.append(ranks.to_numpy())
    pcode = stats["_period"].fillna(-1).to_numpy(dtype="int64")
    sort.append(np.where(pcode < 0, np.iinfo("int64").max, pcode))
    order = np.lexsort(sort[::-1]) if sort else np.arange(len(stats))
    keys = {}
    for column in by:
        values = stats[column].to_numpy(dtype=object)[order]
        values = pd.Series(values).where(pd.Series(values).notna(), None)
        dtype = dtypes[column]
        keys[column] = pd.Series(pd.Categorical(values, dtype=dtype)) if dtype is not None else values.astype("string")
    keys["period"] = pd.Series(period_labels(pcode[order], freq), dtype="string")
    return pd.DataFrame(keys), order


def survey_statistics(data, by=None, period=None, freq=DEFAULT_FREQ):
    """(keys, {score: histogram}) for NPS, CSAT and CES per group and period, from ONE Ibis
    aggregation over the accepted responses. Histogram columns: missing (0), then each value.
    ``period``: a label (that period only) or None; ``freq``: the grain (cxlib.periods)."""
    by = as_list(by)
    grain = resolve_freq(period, freq)
    cache = getattr(data, "cache", None)
    if cache is not None and ("survey", tuple(by), period, grain) in cache:
        return cache[("survey", tuple(by), period, grain)]
    t = _attach(data, _in_period(data.responses, "submitted_at", period), by)
    aggregates = {
        f"_{score}_{v}": (t[score] == v).sum().cast("int64")
        for score, (low, high) in SCALES.items()
        for v in range(low, high + 1)
    }
    expr = t.group_by([*(t[c] for c in by), _period_code(t.submitted_at, grain).name("_period")])
    stats = expr.aggregate(**aggregates).to_pandas()
    keys, order = _keys(stats, by, grain, _categories(data, by, "responses"))
    hists = {}
    for score, (low, high) in SCALES.items():
        counts = [stats[f"_{score}_{v}"].to_numpy(dtype="int64")[order] for v in range(low, high + 1)]
        hists[score] = np.column_stack([np.zeros(len(order), "int64"), *counts])
    if cache is not None:  # NPS, CSAT and CES of one grouping share the one query
        cache[("survey", tuple(by), period, grain)] = (keys, hists)
    return keys, hists


def observation_statistics(data, by=None, period=None, freq=DEFAULT_FREQ):
    """{category: (keys, n known, n passed)} for standard and behaviour items, from ONE Ibis
    aggregation over the accepted observations."""
    by = as_list(by)
    grain = resolve_freq(period, freq)
    t = _attach(data, _in_period(data.observations, "observed_at", period), by)
    t = t.filter(t.category.isin(("standard", "behaviour")))
    expr = t.group_by([*(t[c] for c in by), t.category, _period_code(t.observed_at, grain).name("_period")])
    stats = expr.aggregate(
        _n=t.passed.notnull().sum().cast("int64"), _x=t.passed.cast("int64").sum().coalesce(0).cast("int64")
    ).to_pandas()
    dtypes = _categories(data, by, "observations")
    out = {}
    for category in ("standard", "behaviour"):
        part = stats[stats["category"] == category].reset_index(drop=True)
        keys, order = _keys(part, by, grain, dtypes)
        out[category] = (keys, part["_n"].to_numpy("int64")[order], part["_x"].to_numpy("int64")[order])
    return out


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
    """The tidy frame of catalogue KPI ``key`` on lazy ``data``; ``cx.measure`` comes here for
    lazy data. Arguments as ``cx.measure``: ``period`` a label or None, ``freq`` the grain,
    ``min_n`` None for the catalogue's. ``options`` are those of the in-memory function
    (``method``, ``n_resamples``, ``seed`` for NPS). Keys outside ENGINE_KPIS raise
    NotImplementedError naming the way out.
    """
    if key in SCALES or key in ("compliance", "behaviour"):
        min_n = kpi_min_n(key, min_n)
    if key in SCALES:
        keys, hists = survey_statistics(data, by, period, freq)
        finish = {"nps": nps_finish, "csat": csat_finish, "ces": ces_finish}[key]
        return finish(keys, hists[key], confidence, min_n, **options)
    if key in ("compliance", "behaviour"):
        category = "standard" if key == "compliance" else "behaviour"
        keys, n, x = observation_statistics(data, by, period, freq)[category]
        return pass_rate_finish(keys, key, n, x, confidence, min_n)
    raise NotImplementedError(
        f"KPI {key!r} is not computed in the engine (it needs the rows); "
        f"collect the data (data.collect()) or load with engine='pandas'"
    )
