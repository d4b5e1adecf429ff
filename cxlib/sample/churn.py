"""Churn driven by the NPS group of a customer's answers (planted truth 3: detractor churn).

After each NPS answer a customer decides to leave with a hazard set by the answer's group
(truths.CHURN_HAZARD). The first such answer is the customer's last one: the responses the
customer would have given later move to a staying customer of the same segment, region and
language. The churn date follows 10 days + Exp(40 days) after that answer; a date past the
export leaves the customer active. Customers who never answered churn silently at a low rate.
"""

from __future__ import annotations

import numpy as np

from cxlib.sample import truths
from cxlib.sample.company import END, START
from cxlib.sample.customers import CustomerPicker, Customers, stratum_of
from cxlib.sample.responses import Responses
from cxlib.sample.scores import MISSING, Scores

__all__ = ["plant_churn", "reassign_after_churn"]

_GROUPS = ("detractor", "passive", "promoter")


def plant_churn(rng: np.random.Generator, c: Customers, r: Responses, s: Scores) -> np.ndarray:
    """Set ``c.churn``, move post-decision responses (``r.customer``); return the rows kept."""
    group = s.group
    hazard = np.array([truths.CHURN_HAZARD[g] for g in _GROUPS])[np.maximum(group, 0)]
    decides = (rng.random(len(r)) < hazard) & (group != MISSING)
    order = np.argsort(r.customer, kind="stable")  # by customer, then time (r is time-sorted)
    deciding = order[decides[order]]
    leavers, first = np.unique(r.customer[deciding], return_index=True)
    decided_at = np.full(len(c), np.datetime64("NaT"), dtype="datetime64[s]")
    decided_at[leavers] = r.at[deciding[first]]

    delay = truths.CHURN_DELAY_DAYS[0] + rng.exponential(truths.CHURN_DELAY_DAYS[1], len(leavers))
    churn = decided_at[leavers].astype("datetime64[D]") + np.ceil(delay).astype("timedelta64[D]")
    c.churn[leavers[churn < END]] = churn[churn < END]

    later = r.at > decided_at[r.customer]
    stratum = stratum_of(c, "segment", "region", "language")
    picker = CustomerPicker(c, stratum, np.isnat(decided_at))
    moved = picker.pick(rng, r.at[later].astype("datetime64[D]"), stratum[r.customer[later]])
    r.customer[later] = moved
    keep = r.customer >= 0

    silent = (
        (np.bincount(r.customer[keep], minlength=len(c)) == 0)
        & np.isnat(c.churn)
        & (rng.random(len(c)) < truths.SILENT_CHURN)
    )
    first_day = np.maximum(c.signup[silent], START) + np.timedelta64(1, "D")
    span = np.maximum((END - first_day).astype(np.int64), 1)
    c.churn[silent] = first_day + (rng.random(silent.sum()) * span).astype("timedelta64[D]")
    c.churn[c.churn >= END] = np.datetime64("NaT")
    return keep


def reassign_after_churn(
    rng: np.random.Generator, c: Customers, customer: np.ndarray, at: np.ndarray, stratum_attrs: tuple[str, ...]
) -> np.ndarray:
    """Events of churned customers on or after their churn date moved to staying customers.

    Returns the new customer index per event; an event keeps its customer in the (tiny-sample)
    case that no staying customer of its stratum had signed up by then.
    """
    churn = c.churn[customer]
    late = ~np.isnat(churn) & (at.astype("datetime64[D]") >= churn)
    stratum = stratum_of(c, *stratum_attrs)
    picker = CustomerPicker(c, stratum, np.isnat(c.churn))
    out = customer.copy()
    moved = picker.pick(rng, at[late].astype("datetime64[D]"), stratum[customer[late]])
    out[late] = np.where(moved >= 0, moved, customer[late])
    return out
