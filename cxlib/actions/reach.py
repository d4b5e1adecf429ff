"""Who an action reaches: rows of a period, and each customer's value and value tier.

Shared by the action rules (impact: customers and revenue reached) and the follow-up lists
(high-value customers). Value comes from ``cxlib.clv.historic_value`` (realised revenue up to the
end of the period) unless a customer value such as a CLV is given; tiers from
``cxlib.analysis.segments.segment`` (top 20% by value, ties together).
"""

from __future__ import annotations

import pandas as pd

from cxlib.actions.feedback_review import local_times
from cxlib.analysis.segments import segment
from cxlib.clv.summary import historic_value
from cxlib.periods import ALL, period_bounds

__all__ = ["period_end_date", "customer_value"]


def period_end_date(period: str | None, orders: pd.DataFrame | None = None) -> pd.Timestamp | None:
    """The last local day of ``period`` (inclusive); for None/"all" the last order date."""
    if period is None or period == ALL:
        if orders is None or orders.empty:
            return None
        return local_times(orders["order_date"]).max().normalize()
    return (period_bounds(period)[1] - pd.Timedelta(days=1)).normalize()


def customer_value(
    customers: pd.DataFrame, orders: pd.DataFrame | None, end=None, value=None, top: float = 0.2
) -> pd.DataFrame:
    """customer_id, value (EUR) and value_tier (top / middle / bottom) for every customer.

    ``value``: a Series indexed by customer_id (e.g. a CLV) or a frame with customer_id and clv;
    by default the historic value (Kumar & Reinartz 2018: the plain sum of order amounts) of
    the orders up to and including the local date ``end`` (customers without orders: 0).
    Tiers: ``segment(..., clv=value, top=top)``: "top" when fewer than ``top`` of the customers
    have a strictly higher value.
    """
    if value is None:
        if orders is None:
            raise ValueError("customer value needs orders or value=")
        hist = historic_value(orders, end=None if end is None else pd.Timestamp(end).tz_localize(None))
        ids = pd.Index(customers["customer_id"])
        value = hist["value"].reindex(ids).fillna(0.0)
    tiers = segment(customers[["customer_id", "signup_date"]], clv=value, top=top)
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"].astype("string").to_numpy(),
            "value": tiers["value"].to_numpy(dtype="float64"),
            "value_tier": tiers["value_tier"].array,
        }
    )
