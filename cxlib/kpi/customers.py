"""Customer-base KPIs: churn rate and complaints per 1,000 active customers.

Both count, per group and period, the customers "at risk" with a difference array over period
indices: a customer adds +1 from the first period in which they count and −1 after the last,
and one cumulative sum gives every group × period total without looping over customers.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from cxlib.business_hours import local_timestamp, local_wall_time
from cxlib.kpi.frame import as_list, ensure_columns, grouping, kpi_min_n, tidy
from cxlib.periods import ALL, DEFAULT_FREQ, parse_period, period_codes, period_labels, resolve_freq
from cxlib.stats.intervals import poisson_exact, wilson

__all__ = ["churn_rate", "complaints"]


def _dates(customers: pd.DataFrame, column: str, required: bool) -> pd.Series:
    if column not in customers.columns:
        if required:
            raise KeyError(f"customers has no column {column!r}")
        return pd.Series(pd.NaT, index=customers.index, dtype="datetime64[ns, Europe/Amsterdam]")
    return customers[column]


def _window(freq, start, as_of, first_default, last_default, period=None):
    """Period codes c0..c1 covering [start, as_of] (for freq=None one code, 0).

    With a ``period`` label inside the window, c0 = c1 = its code (one period computed, with
    the window's own start and as_of, so its numbers equal those of the full computation); a
    label outside the window gives c0 > c1 (no periods).
    """
    start = local_timestamp(first_default if start is None else start)
    as_of = local_timestamp(last_default if as_of is None else as_of)
    if pd.isna(start) or pd.isna(as_of):
        raise ValueError("no dates to define the period window; pass start= and as_of=")
    if freq is None:
        return start, as_of, 0, 0
    c0 = int(period_codes(pd.Series([start]), freq)[0])
    c1 = int(period_codes(pd.Series([as_of]), freq)[0])
    if period is not None and period != ALL:
        code = parse_period(period)[1]
        c0, c1 = (code, code) if c0 <= code <= c1 else (code + 1, code)
    return start, as_of, c0, c1


def _codes(times: pd.Series, freq, start, as_of) -> np.ndarray:
    """Period code per date; for freq=None: −1 before ``start``, 0 inside the window, 1 after."""
    if freq is not None:
        return period_codes(times, freq)
    t = local_wall_time(times)
    s, e = local_wall_time(pd.Series([start, as_of]))
    out = np.where(t < s, -1, np.where(t > e, 1, 0)).astype("int64")
    return np.where(np.isnat(t), -1, out)


def _at_risk(gid, ngroups, first, last, n_periods):
    """Count per group × period of customers with first ≤ period index ≤ last (indices 0..P−1)."""
    first = np.clip(first, 0, None)
    last = np.clip(last, None, n_periods - 1)
    keep = first <= last
    width = n_periods + 1
    diff = np.bincount(gid[keep] * width + first[keep], minlength=ngroups * width) - np.bincount(
        gid[keep] * width + last[keep] + 1, minlength=ngroups * width
    )
    return np.cumsum(diff.reshape(ngroups, width), axis=1)[:, :n_periods]


def _expand(keys: pd.DataFrame, by, codes: np.ndarray, freq) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rows group × period (group-major) with the period labels."""
    g_idx = np.repeat(np.arange(len(keys)), codes.size)
    p_idx = np.tile(np.arange(codes.size), len(keys))
    out = keys[by].iloc[g_idx].reset_index(drop=True)
    out["period"] = pd.Series(period_labels(codes[p_idx], freq), dtype="string")
    return out, g_idx, p_idx


def churn_rate(
    customers: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    start=None,
    as_of=None,
    signup_col: str = "signup_date",
    churn_col: str = "churn_date",
) -> pd.DataFrame:
    """Churn rate: percent of customers active at a period's start who churned during it; lower is better.

    Active at the start of a period: signed up before the period starts and not churned before
    it; churned during it: churn date inside the period (up to ``as_of``). Customers who sign up
    in a period count from the next period on. n = customers active at the start; value =
    100·churned/n with a Wilson interval. Periods run from the one holding ``start`` to the one
    holding ``as_of`` (default: the latest signup or churn date; that last period may be
    partial). ``start`` defaults to the first recorded churn, since churn is observed only from
    there: earlier periods would show a false 0%; pass ``start`` to set the window yourself.
    ``freq=None`` is one window [start, as_of]. Group by customer columns (segment, region).
    ``period`` (a label) gives that period of the window only (none when it lies outside).
    Extra: successes (customers who churned).
    """
    grain = resolve_freq(period, freq)
    by = as_list(by)
    min_n = kpi_min_n("churn_rate", min_n)
    customers = ensure_columns(customers, by, None, "customers")
    signed, churned = _dates(customers, signup_col, True), _dates(customers, churn_col, False)
    last_seen = pd.concat([signed, churned]).max()
    first_seen = churned.min() if churned.notna().any() else signed.min()
    start, as_of, c0, c1 = _window(grain, start, as_of, first_seen, last_seen, period)
    g = grouping(customers, by, None)
    P = c1 - c0 + 1
    s_code = _codes(signed, grain, start, as_of)
    ch_code = _codes(churned, grain, start, as_of)
    # a churn after as_of has not happened yet at as_of: that customer is still active
    has_churn = churned.notna().to_numpy() & (local_wall_time(churned) <= local_wall_time(pd.Series([as_of]))[0])
    if grain is None:  # one window: active at start = signed up before it, not churned before it
        first = np.where(s_code < 0, 0, 1)
        last = np.where(has_churn, ch_code, 0)
    else:
        first = s_code + 1 - c0
        last = np.where(has_churn, ch_code - c0, P - 1)
    gid = g.row_group
    active = _at_risk(gid, g.ngroups, first, last, P)
    lost = has_churn & (last >= np.clip(first, 0, None)) & (last >= 0) & (last <= P - 1)
    churned_n = np.bincount(gid[lost] * P + last[lost], minlength=g.ngroups * P).reshape(g.ngroups, P)
    codes = np.arange(c0, c1 + 1, dtype="int64")
    keys, gi, pi = _expand(g.keys, by, codes, grain)
    n, x = active[gi, pi], churned_n[gi, pi]
    low, high = wilson(x, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * x / n
    out = tidy(keys, "churn_rate", n, value, 100.0 * low, 100.0 * high, min_n, {"successes": x})
    return out[out["n"] > 0].reset_index(drop=True)


def complaints(
    tickets: pd.DataFrame,
    customers: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    start=None,
    as_of=None,
    category: str = "complaint",
    time_col: str = "created_at",
    signup_col: str = "signup_date",
    churn_col: str = "churn_date",
) -> pd.DataFrame:
    """Complaints per 1,000 active customers (kpi ``complaint_rate``); lower is better.

    value = 1000·complaints/n, complaints = tickets of ``category`` created in the period,
    n = customers active during the period (signed up before its end, not churned before its
    start). Exact Poisson (Garwood 1936) interval on the count, scaled the same way. Each
    complaint counts in its customer's group, so ``by`` must name customer columns (segment,
    region). Periods run from ``start`` (default: the first ticket) to ``as_of`` (default: the
    last ticket). ``period`` (a label) gives that period of the window only. Extra: complaints
    (count). Tickets whose customer is unknown are left out with a warning. Without tickets
    (and without ``start``/``as_of``) there is no window: the frame is empty, not a false 0.
    """
    grain = resolve_freq(period, freq)
    by = as_list(by)
    min_n = kpi_min_n("complaint_rate", min_n)
    not_customer = [c for c in by if c not in customers.columns]
    if not_customer:
        raise KeyError(
            f"complaints per 1,000 customers can only be grouped by customer columns; {not_customer} "
            f"are not in customers (columns: {list(customers.columns)})"
        )
    signed, churned = _dates(customers, signup_col, True), _dates(customers, churn_col, False)
    made = tickets[time_col]
    g = grouping(customers, by, None)
    if start is None and as_of is None and not made.notna().any():  # no tickets: no periods (no false 0)
        keys, _, _ = _expand(g.keys, by, np.arange(0, dtype="int64"), grain)
        none = np.zeros(0)
        return tidy(
            keys, "complaint_rate", none.astype("int64"), none, none, none, min_n, {"complaints": none.astype("int64")}
        )
    start, as_of, c0, c1 = _window(grain, start, as_of, made.min(), made.max(), period)
    P = c1 - c0 + 1
    has_churn = churned.notna().to_numpy()
    s_code, ch_code = _codes(signed, grain, start, as_of), _codes(churned, grain, start, as_of)
    if grain is None:
        first = np.where(s_code <= 0, 0, 1)
        last = np.where(has_churn & (ch_code < 0), -1, 0)
    else:
        first = s_code - c0
        last = np.where(has_churn, ch_code - c0, P - 1)
    gid = g.row_group
    active = _at_risk(gid, g.ngroups, first, last, P)

    pos = pd.Index(customers["customer_id"]).get_indexer(tickets["customer_id"])
    unknown = pos < 0
    if unknown.any():
        warnings.warn(
            f"complaints: {int(unknown.sum())} ticket(s) name a customer_id not in customers; "
            "they are left out of the complaint rate",
            stacklevel=2,
        )
    is_complaint = (tickets["category"].astype("string") == category).fillna(False).to_numpy(dtype=bool)
    t_code = _codes(made, grain, start, as_of) - (c0 if grain is not None else 0)
    use = is_complaint & ~unknown & (t_code >= 0) & (t_code <= P - 1)
    counts = np.bincount(gid[pos[use]] * P + t_code[use], minlength=g.ngroups * P).reshape(g.ngroups, P)

    codes = np.arange(c0, c1 + 1, dtype="int64")
    keys, gi, pi = _expand(g.keys, by, codes, grain)
    n, k = active[gi, pi], counts[gi, pi]
    low, high = poisson_exact(k, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 1000.0 * k / n
    out = tidy(keys, "complaint_rate", n, value, 1000.0 * low, 1000.0 * high, min_n, {"complaints": k})
    return out[(out["n"] > 0) | (out["complaints"] > 0)].reset_index(drop=True)
