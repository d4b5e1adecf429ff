"""Overdue actions at the end of a review period: one list that the tile, the table and the signal count.

The review looks at the actions as they stood at the end of the period, or at the end of the
data when the period is not over yet (:func:`review_as_of`). An action is overdue then when it
was due before that moment, not cancelled and not done by then (``cxlib.kpi.actions.overdue``,
the one definition). Each overdue action is listed with its owner, due date and days overdue,
so that a count on the page always has the names behind it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.business_hours import local_timestamp
from cxlib.io.cxdata import data_end, table
from cxlib.kpi.actions import overdue
from cxlib.periods import period_bounds

__all__ = ["review_as_of", "overdue_actions", "OVERDUE_COLUMNS"]

OVERDUE_COLUMNS = [
    "action_id",
    "team",
    "owner",
    "kpi",
    "description",
    "status",
    "created_on",
    "due_on",
    "days_overdue",
    "earlier_period",
]


def review_as_of(data, period: str) -> pd.Timestamp:
    """The moment a review of ``period`` looks at: the end of the period, or the end of the data if earlier.

    Local (Europe/Amsterdam) time; the same cutoff as the alerts' overdue count.
    """
    end = period_bounds(period)[1]
    last = data_end(data)
    return end if last is None else min(end, local_timestamp(last))


def overdue_actions(data, period: str, as_of=None) -> pd.DataFrame:
    """The actions overdue at the end of ``period`` (``as_of``: default :func:`review_as_of`).

    One row per action, most overdue first: action_id, team, owner, kpi, description, status,
    created_on, due_on, days_overdue (calendar days from the due date to the last day before
    ``as_of``: the period's last day, or the data's), earlier_period
    (due before the period began). Empty (same columns) without an actions table.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> late = cx.overdue_actions(data, "2026-Q3")
    >>> print(late[["action_id", "team", "owner", "days_overdue"]].to_string(index=False))
    action_id          team          owner  days_overdue
         A025    Field Zuid  Joost Verbeek           285
         A036    Field Zuid  Joost Verbeek           124
         A039 Service Noord     Ingrid Bos            61
         A045    Field Zuid  Joost Verbeek             5
    """
    actions = table(data, "actions")
    if actions is None or actions.empty or "due_on" not in actions.columns:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in OVERDUE_COLUMNS})
    as_of = review_as_of(data, period) if as_of is None else local_timestamp(as_of)
    late = actions[overdue(actions, as_of)]
    start = period_bounds(period)[0]
    due = late["due_on"]
    last_day = (as_of - pd.Timedelta(microseconds=1)).tz_localize(None).normalize()  # the last day reviewed
    days = (last_day - due.dt.tz_localize(None).dt.normalize()).dt.days.to_numpy(dtype="int64")
    out = pd.DataFrame(
        {
            c: late[c] if c in late.columns else pd.Series(pd.NA, index=late.index, dtype="string")
            for c in OVERDUE_COLUMNS[:-2]
        }
    )
    out["days_overdue"] = days
    out["earlier_period"] = (due < start).to_numpy(dtype=bool)
    order = np.lexsort((out["action_id"].astype(str).to_numpy(), -days))
    return out.iloc[order].reset_index(drop=True)
