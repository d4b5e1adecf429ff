"""Collapse an event log (one row per state change) to one ticket per id.

created_at is the first event (or, when created_at is mapped, that column's earliest value);
first_response_at the first event of a kind listed under ``first_response``; resolved_at the
first of ``resolved``; escalated is true when any event is of an ``escalated`` kind (or a mapped
escalated column is true anywhere). Every other column takes the ticket's first non-missing
value in time order. An event without a ticket id is a record of its own (and is rejected
for the missing id). Vectorised: one sort and groupby reductions, no loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlib.io.source import EVENT_KIND, EVENT_TIME, EventLog

__all__ = ["Collapsed", "collapse"]


@dataclass
class Collapsed:
    """Tickets (one row per record, RangeIndex), the record of each event row, and the event
    row that stands for each record (its first event in the file)."""

    frame: pd.DataFrame
    record_of_row: np.ndarray
    first_row: np.ndarray


def collapse(events: pd.DataFrame, log: EventLog, mapped: set[str]) -> Collapsed:
    """Tickets from the typed ``events`` (ticket columns plus the event time and kind).

    ``mapped``: ticket columns read from the file (a mapped created_at or escalated column is
    used as well as the events).
    """
    ids = events["ticket_id"]
    codes, uniques = pd.factorize(ids)  # records in the order of their first event
    missing = np.flatnonzero(codes < 0)
    codes = codes.copy()
    codes[missing] = len(uniques) + np.arange(len(missing))  # an id-less event: its own record
    n_records = len(uniques) + len(missing)
    rows = np.arange(len(events))
    time = events[EVENT_TIME]
    stamp = np.where(time.isna().to_numpy(), np.iinfo(np.int64).max, time.array.asi8)
    order = np.lexsort((rows, stamp, codes))  # by record, then time (events without a time last)
    ordered = events.iloc[order].drop(columns=[EVENT_TIME, EVENT_KIND])
    by = codes[order]
    tickets = ordered.groupby(by, sort=True, observed=True).first()
    kinds = events[EVENT_KIND]

    def first_of(wanted) -> pd.Series:
        hit = kinds.isin(list(wanted)).to_numpy(dtype=bool) if wanted else np.zeros(len(events), bool)
        return time.where(hit).groupby(codes).min().reindex(range(n_records))

    created = time.groupby(codes).min()
    if "created_at" in mapped:  # an opened-at column wins over the first event
        created = events["created_at"].groupby(codes).min().fillna(created)
    tickets["created_at"] = created.reindex(range(n_records)).astype(time.dtype)
    tickets["first_response_at"] = first_of(log.first_response).astype(time.dtype)
    tickets["resolved_at"] = first_of(log.resolved).astype(time.dtype)
    if log.escalated or "escalated" in mapped:
        flag = kinds.isin(list(log.escalated)).to_numpy(dtype=bool)
        if "escalated" in mapped:
            flag |= events["escalated"].fillna(False).to_numpy(dtype=bool)
        tickets["escalated"] = pd.Series(flag).groupby(codes).any().reindex(range(n_records)).astype("boolean")
    first_row = pd.Series(rows).groupby(codes).min().reindex(range(n_records)).to_numpy()
    frame = tickets.reindex(range(n_records))[list(events.columns.drop([EVENT_TIME, EVENT_KIND]))]
    for name in frame.columns:  # groupby keeps dtypes, but a category may come back as object
        if frame[name].dtype != events[name].dtype and isinstance(events[name].dtype, pd.CategoricalDtype):
            frame[name] = pd.Categorical(frame[name], categories=events[name].cat.categories)
    return Collapsed(frame.reset_index(drop=True), codes, first_row)
