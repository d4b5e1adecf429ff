"""Action-plan KPI: share of due actions done, and the overdue count."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.business_hours import local_timestamp, local_wall_time
from cxlib.kpi.frame import as_list, ensure_columns, grouping, kpi_min_n, rows_in_period, tidy
from cxlib.periods import DEFAULT_FREQ
from cxlib.stats.intervals import wilson

__all__ = ["action_progress", "overdue"]


def overdue(actions: pd.DataFrame, as_of, time_col: str = "due_on") -> np.ndarray:
    """Per action (bool array): overdue at ``as_of``: due before it, not cancelled, and not done by then.

    The one definition of "overdue", shared by :func:`action_progress`, the alerts, the report's
    list of overdue actions and the dashboard. An action whose ``done_on`` lies after ``as_of``
    was still open then (a review of an earlier period sees it as it was).
    """
    status = actions["status"].astype("string")
    limit = local_wall_time(pd.Series([local_timestamp(as_of)]))[0]
    done = (status == "done").fillna(False).to_numpy(dtype=bool)
    if "done_on" in actions.columns:
        done_on = local_wall_time(actions["done_on"])
        done &= np.isnat(done_on) | (done_on <= limit)
    cancelled = (status == "cancelled").fillna(False).to_numpy(dtype=bool)
    due = local_wall_time(actions[time_col])
    return ~cancelled & ~done & ~np.isnat(due) & (due < limit)


def action_progress(
    actions: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    as_of=None,
    time_col: str = "due_on",
) -> pd.DataFrame:
    """Actions done (kpi ``actions_done``): percent of due actions that are done; higher is better.

    n = actions not cancelled that are due on or before ``as_of`` or already done; value =
    100·done/n with a Wilson interval (Wilson 1927). Periods follow the due date. ``as_of``
    defaults to the latest created_on or done_on in the frame (the last recorded event).
    Extras: successes (done) and overdue (not done, not cancelled, due before ``as_of``).
    ``period`` (a label) computes that period only (``as_of`` still from every action); ``freq``
    and ``min_n`` as in :func:`cxlib.nps`.
    """
    by = as_list(by)
    min_n = kpi_min_n("actions_done", min_n)
    for col in ("status", time_col):
        if col not in actions.columns:
            raise KeyError(f"actions has no column {col!r}")
    if as_of is None:
        events = [actions[c] for c in ("created_on", "done_on") if c in actions.columns]
        as_of = pd.concat(events).max() if events else actions[time_col].max()
    actions, grain = rows_in_period(actions, period, freq, time_col)
    actions = ensure_columns(actions, by, None, "actions")
    status = actions["status"].astype("string")
    done = (status == "done").fillna(False).to_numpy(dtype=bool)
    cancelled = (status == "cancelled").fillna(False).to_numpy(dtype=bool)
    due = local_wall_time(actions[time_col])
    limit = local_wall_time(pd.Series([local_timestamp(as_of)]))[0]
    due_by = ~np.isnat(due) & (due <= limit)
    counted = ~cancelled & (due_by | done)
    late = overdue(actions, as_of, time_col)
    g = grouping(actions, by, grain, time_col)
    n, x = g.count(counted), g.count(counted & done)
    low, high = wilson(x, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * x / n
    return tidy(
        g.keys, "actions_done", n, value, 100.0 * low, 100.0 * high, min_n, {"successes": x, "overdue": g.count(late)}
    )
