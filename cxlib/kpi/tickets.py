"""Ticket KPIs: time to first response and SLA attainment."""

from __future__ import annotations

import collections

import numpy as np
import pandas as pd

from cxlib.business_hours import BusinessCalendar, calendar_hours_between, local_timestamp
from cxlib.kpi.frame import as_list, ensure_columns, grouping, kpi_min_n, stack, tidy
from cxlib.periods import ALL, DEFAULT_FREQ, in_period, parse_period, resolve_freq
from cxlib.stats.intervals import quantile_bootstrap_sorted, wilson

__all__ = ["P90_MIN_N", "response_times"]

# Below this many timed tickets the bootstrap interval of the 90th percentile covers too rarely to
# be shown: simulated coverage of the 95% interval for lognormal(0, 0.8) response times (2,000
# runs each, tests/test_kpi_tickets.py) is 0.85 at n = 30, 0.91 at 50, 0.93 at 100, 0.94 at 200.
P90_MIN_N = 200
_NEVER = 1e12  # stands for "not answered (yet)": beyond every observed time


def _sorted_quantile(x: np.ndarray, offsets: np.ndarray, n: np.ndarray, q: float) -> np.ndarray:
    """Per-group quantile (linear, Hyndman & Fan type 7, as numpy) of values sorted within groups."""
    with np.errstate(invalid="ignore"):
        h = (n - 1) * q
        lo = np.floor(h).astype("int64")
        hi = np.minimum(lo + 1, n - 1)
        ok = n > 0
        lo_i = np.where(ok, offsets + lo, 0)
        hi_i = np.where(ok, offsets + hi, 0)
        if x.size == 0:
            return np.full(n.shape, np.nan)
        value = np.where(ok, x[lo_i] + (h - lo) * (x[hi_i] - x[lo_i]), np.nan)
        return np.where(value >= _NEVER, np.inf, value)


def response_times(
    tickets: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    hours: str = "business",
    calendar: BusinessCalendar | None = None,
    sla_hours: float = 4.0,
    as_of=None,
    n_resamples: int = 2000,
    seed: int = 0,
    customers: pd.DataFrame | None = None,
    time_col: str = "created_at",
    response_col: str = "first_response_at",
    stream_by=None,
) -> pd.DataFrame:
    """Time to first response (kpi ``first_response_time``) and SLA attainment (``sla_attainment``).

    Two rows per group and period, told apart by ``kpi``; periods follow the creation time
    (``time_col``).
    - ``first_response_time``: median hours from creation to first response; lower is better.
      n = answered tickets plus unanswered ones already past the SLA target at ``as_of``, which
      are censored (counted as slower than every answered ticket: the Kaplan-Meier median
      while the median is below the target). Hours are business hours on ``calendar``
      (default Mon–Fri 09:00–17:00, Dutch holidays) or, with ``hours="calendar"``, elapsed hours.
      Seeded percentile-bootstrap interval (Efron & Tibshirani 1993), all groups at once
      (``cxlib.stats.quantile_bootstrap``).
      Extras: p90 with its bootstrap interval (NaN below ``P90_MIN_N`` = 200 tickets, where
      its interval does not cover), mean and sd (of the answered tickets), unanswered (tickets
      without a first response). compare() and the control charts use the median too.
    - ``sla_attainment``: percent answered within ``sla_hours`` (same kind of hours); higher is
      better. n = answered tickets plus unanswered ones already past the target at ``as_of``
      (default: the latest time in the tickets); unanswered tickets still inside the target are
      left out. Wilson interval. Extras: successes, unanswered.

    ``period`` (a label) computes that period only: response hours are worked out for its
    tickets alone, and the bootstrap draws are those of the full computation (every group and
    period draws its resamples in turn), so a period's interval does not depend on whether it
    was computed alone. ``stream_by`` (some of the ``by`` columns): each value draws its own
    resamples and (without ``as_of``) is censored at its own latest time, as a computation of its
    tickets alone would (``cx.subset``), so its numbers do not depend on the other values either
    (the report batch computes every unit at once this way). ``freq``, ``min_n`` (None: each KPI's
    catalogue minimum) and ``by`` as in :func:`cxlib.nps`.
    """
    if hours not in ("business", "calendar"):
        raise ValueError(f"hours must be 'business' or 'calendar', got {hours!r}")
    by = as_list(by)
    grain = resolve_freq(period, freq)
    min_frt, min_sla = kpi_min_n("first_response_time", min_n), kpi_min_n("sla_attainment", min_n)
    for col in (time_col, response_col):
        if col not in tickets.columns:
            raise KeyError(f"tickets has no column {col!r}")
    start, first = tickets[time_col], tickets[response_col]
    early = (first < start).fillna(False).to_numpy(dtype=bool)
    if early.any():
        row = int(np.flatnonzero(early)[0])
        raise ValueError(
            f"tickets.{response_col} lies before {time_col} in {int(early.sum())} row(s), "
            f"e.g. row {row}: {first.iloc[row]} < {start.iloc[row]}"
        )
    as_of_default = as_of is None
    if as_of is None:
        as_of = pd.concat([start, first]).max()  # from every ticket, also when one period is asked
    as_of = local_timestamp(as_of)
    answered_all = (start.notna() & first.notna()).to_numpy(dtype=bool)
    one = period is not None and period != ALL
    chosen = in_period(start, period) if one else np.ones(len(tickets), dtype=bool)

    # groups over every ticket (cheap: codes and counts only), so the bootstrap draws are the same
    # whichever period is asked; the hours are computed for the chosen rows only (and the waiting
    # time for the unanswered ones, which decide how many tickets every group draws from)
    grouped = ensure_columns(tickets, by, customers, "tickets")
    g = grouping(grouped, by, grain, time_col)
    cal = calendar or BusinessCalendar()
    between = cal.business_hours_between if hours == "business" else calendar_hours_between
    rows = tickets[chosen]
    elapsed = np.full(len(tickets), np.nan)
    elapsed[chosen] = np.asarray(between(rows[time_col], rows[response_col]), dtype="float64")
    waiting = chosen | ~answered_all
    rows = tickets[waiting]
    waited = np.full(len(tickets), np.nan)
    until = pd.Series(as_of, index=rows.index)
    if stream_by and as_of_default:  # each value's own latest time, as its tickets alone would give
        latest = pd.concat([start, first], axis=1).max(axis=1)
        keys = [grouped[c].to_numpy(dtype=object) for c in as_list(stream_by)]
        until = latest.groupby(keys, dropna=False).transform("max")[waiting]
    waited[waiting] = np.asarray(between(rows[time_col], until), dtype="float64")
    answered = answered_all & chosen

    _, mean, sd = g.moments(np.where(answered, elapsed, 0.0), answered)
    # Unanswered tickets are censored, not dropped: one that has waited past the SLA target
    # counts as answered later than any observed time (_NEVER). For the median this is the
    # Kaplan-Meier median (Kaplan & Meier 1958, JASA 53:457) whenever the median lies below the
    # target; unanswered tickets still inside the target are not yet decided and left out.
    decided_all = answered_all | (waited > sla_hours)
    decided = decided_all & chosen
    n_all = g.count(decided_all)
    wanted = np.ones(g.ngroups, dtype=bool) if not one else g.period_code == parse_period(period)[1]
    timed = np.where(answered, elapsed, _NEVER)
    n = g.count(decided)
    order = np.lexsort((timed[decided], g.gid[decided]))
    x = timed[decided][order]
    offsets = np.concatenate([[0], np.cumsum(n)[:-1]]).astype("int64")
    median = _sorted_quantile(x, offsets, n, 0.5)
    p90 = _sorted_quantile(x, offsets, n, 0.9)
    # bootstrap intervals of median and p90 for all groups at once (suppressed groups skipped)
    rng, streams = np.random.default_rng(seed), None
    if stream_by:
        streams, _ = pd.MultiIndex.from_frame(g.keys[as_list(stream_by)]).factorize()
        rng = collections.defaultdict(lambda: np.random.default_rng(seed))  # one stream per value
    alpha = 1.0 - confidence
    shown = np.where(n_all >= max(min_frt, 2), n_all, 0)
    shown90 = np.where(n_all >= max(min_frt, P90_MIN_N), n_all, 0)
    lows, highs = zip(
        *(
            quantile_bootstrap_sorted(x, offsets, m, q, alpha, n_resamples, rng, use=wanted, streams=streams)
            for q, m in ((0.5, shown), (0.9, shown90))
        )
    )
    lows, highs = ([np.where(v >= _NEVER, np.inf, v) for v in arr] for arr in (lows, highs))
    unanswered = g.count(~answered_all & chosen)
    keys = g.keys[wanted].reset_index(drop=True)

    def pick(values):
        return np.asarray(values)[wanted]

    frt = tidy(
        keys,
        "first_response_time",
        pick(n),
        pick(median),
        pick(lows[0]),
        pick(highs[0]),
        min_frt,
        {
            "p90": pick(np.where(n >= P90_MIN_N, p90, np.nan)),
            "p90_ci_low": pick(lows[1]),
            "p90_ci_high": pick(highs[1]),
            "mean": pick(mean),
            "sd": pick(sd),
            "unanswered": pick(unanswered),
        },
    )

    met = answered & (elapsed <= sla_hours)
    sla_n, sla_x = g.count(decided), g.count(met)
    low, high = wilson(sla_x, sla_n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 100.0 * sla_x / sla_n
    sla = tidy(
        keys,
        "sla_attainment",
        pick(sla_n),
        pick(share),
        pick(100.0 * low),
        pick(100.0 * high),
        min_sla,
        {"successes": pick(sla_x), "unanswered": pick(unanswered)},
    )
    return stack([frt, sla], by)
