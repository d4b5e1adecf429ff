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

from ..io.schemas import SCHEMAS, canonical_dtype, kind
from .frame import CORE, as_list
from .observations import pass_rate_finish
from .periods import check_period, period_labels
from .survey import ces_finish, csat_finish, nps_finish

__all__ = ["ENGINE_KPIS", "measure", "observation_statistics", "survey_statistics"]

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
"""Score columns of the survey family and their scales."""
ENGINE_KPIS = ("nps", "csat", "ces", "compliance", "behaviour")
"""Catalogue keys the engine path computes; the others need the rows (quantiles, at-risk
populations) and are computed in memory."""
_PER = {"month": 12, "quarter": 4, "year": 1}


def _period_code(ts, period: str | None):
    """Ibis expression of the period code (cxlib.kpi.periods): 4·year + quarter − 1, …"""
    if period is None:
        return ts.isnull().ifelse(-1, 0)
    year = ts.year().cast("int64")
    if period == "year":
        return year
    if period == "quarter":
        return year * 4 + ts.quarter().cast("int64") - 1
    return year * 12 + ts.month().cast("int64") - 1


def _with_customers(data, table, by: list[str]):
    """``table`` with the ``by`` columns it lacks joined from the accepted customers."""
    missing = [c for c in by if c not in table.columns]
    if not missing:
        return table
    clash = [c for c in by if c in CORE]
    if clash:
        raise ValueError(f"cannot group by {clash}: the tidy KPI frame uses these names itself")
    customers = data.customers
    unknown = [c for c in missing if c not in customers.columns or c == "_line"]
    if unknown:
        raise KeyError(f"no column(s) {unknown} to group by in the table or in customers")
    right = customers.select("customer_id", *missing)
    return table.left_join(right, table.customer_id == right.customer_id).select(
        *[c for c in table.columns], *missing)


def _categories(data, by: list[str], home: str) -> dict[str, pd.CategoricalDtype | None]:
    """The dtype of each ``by`` column in memory: closed label sets in schema order, open ones
    the sorted values in use (one small DISTINCT query), ids as strings (None)."""
    out = {}
    for column in by:
        table = home if column in SCHEMAS[home].columns else "customers"
        spec = SCHEMAS[table].columns.get(column)
        if spec is None or kind(SCHEMAS[table], column) != "label":
            out[column] = None
            continue
        dtype = canonical_dtype(spec)
        if dtype.categories is None:
            used = data.con.raw_sql(f'SELECT DISTINCT "{column}" FROM {table} '
                                    f'WHERE "{column}" IS NOT NULL').df().iloc[:, 0]
            dtype = pd.CategoricalDtype(sorted(used.astype(str)))
        out[column] = dtype
    return out


def _keys(stats: pd.DataFrame, by: list[str], period: str | None, dtypes: dict):
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
        keys[column] = (pd.Series(pd.Categorical(values, dtype=dtype)) if dtype is not None
                        else values.astype("string"))
    keys["period"] = pd.Series(period_labels(pcode[order], period), dtype="string")
    return pd.DataFrame(keys), order


def survey_statistics(data, by=None, period=None):
    """(keys, {score: histogram}) for NPS, CSAT and CES per group and period, from ONE Ibis
    aggregation over the accepted responses. Histogram columns: missing (0), then each value."""
    by = as_list(by)
    check_period(period)
    cache = getattr(data, "cache", None)
    if cache is not None and ("survey", tuple(by), period) in cache:
        return cache[("survey", tuple(by), period)]
    t = _with_customers(data, data.responses, by)
    aggregates = {f"_{score}_{v}": (t[score] == v).sum().cast("int64")
                  for score, (low, high) in SCALES.items() for v in range(low, high + 1)}
    expr = t.group_by([*(t[c] for c in by), _period_code(t.submitted_at, period).name("_period")])
    stats = expr.aggregate(**aggregates).to_pandas()
    keys, order = _keys(stats, by, period, _categories(data, by, "responses"))
    hists = {}
    for score, (low, high) in SCALES.items():
        counts = [stats[f"_{score}_{v}"].to_numpy(dtype="int64")[order] for v in range(low, high + 1)]
        hists[score] = np.column_stack([np.zeros(len(order), "int64"), *counts])
    if cache is not None:  # NPS, CSAT and CES of one grouping share the one query
        cache[("survey", tuple(by), period)] = (keys, hists)
    return keys, hists


def observation_statistics(data, by=None, period=None):
    """{category: (keys, n known, n passed)} for standard and behaviour items, from ONE Ibis
    aggregation over the accepted observations."""
    by = as_list(by)
    check_period(period)
    t = data.observations
    t = t.filter(t.category.isin(("standard", "behaviour")))
    expr = t.group_by([*(t[c] for c in by), t.category,
                       _period_code(t.observed_at, period).name("_period")])
    stats = expr.aggregate(_n=t.passed.notnull().sum().cast("int64"),
                           _x=(t.passed == True).sum().cast("int64")).to_pandas()
    dtypes = _categories(data, by, "observations")
    out = {}
    for category in ("standard", "behaviour"):
        part = stats[stats["category"] == category].reset_index(drop=True)
        keys, order = _keys(part, by, period, dtypes)
        out[category] = (keys, part["_n"].to_numpy("int64")[order], part["_x"].to_numpy("int64")[order])
    return out


def measure(data, key: str, by=None, period=None, confidence: float = 0.95, min_n: int = 30,
            **options) -> pd.DataFrame:
    """The tidy frame of catalogue KPI ``key`` on lazy ``data`` (see the module docstring).

    ``options`` are those of the in-memory function (``method``, ``n_resamples``, ``seed``
    for NPS). Keys outside ENGINE_KPIS raise NotImplementedError naming the way out.
    """
    if key in SCALES:
        keys, hists = survey_statistics(data, by, period)
        finish = {"nps": nps_finish, "csat": csat_finish, "ces": ces_finish}[key]
        return finish(keys, hists[key], confidence, min_n, **options)
    if key in ("compliance", "behaviour"):
        category = "standard" if key == "compliance" else "behaviour"
        keys, n, x = observation_statistics(data, by, period)[category]
        return pass_rate_finish(keys, key, n, x, confidence, min_n)
    raise NotImplementedError(f"KPI {key!r} is not computed in the engine (it needs the rows); "
                              f"collect the data (data.collect()) or load with engine='pandas'")
