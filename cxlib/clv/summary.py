"""From an order log to per-customer summaries: RFM summary (lifetimes conventions), historic value."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["summary_from_orders", "historic_value"]


def _require(orders: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The named columns of ``orders``; missing columns or missing values are errors."""
    absent = [c for c in columns if c not in orders.columns]
    if absent:
        raise ValueError(f"orders: missing column(s) {absent}; found {list(orders.columns)}")
    frame = orders[columns]
    for column in columns:
        nulls = frame[column].isna()
        if nulls.any():
            raise ValueError(
                f"orders: column {column!r} has {int(nulls.sum())} missing value(s), "
                f"first at row {nulls.idxmax()!r}; expected a value in every row"
            )
    return frame


def _wall_clock(dates: pd.Series, end=None):
    """Dates (and ``end``) as naive local wall-clock times, so periods follow the local calendar."""
    dates = pd.to_datetime(dates)
    tz = dates.dt.tz
    if end is not None:
        end = pd.Timestamp(end)
        if tz is not None:
            end = end.tz_localize(tz) if end.tz is None else end.tz_convert(tz)
        elif end.tz is not None:
            raise ValueError("observation_end is tz-aware but the order dates are naive")
        end = end.tz_localize(None)
    if tz is not None:
        dates = dates.dt.tz_localize(None)
    return dates, end


def summary_from_orders(
    orders: pd.DataFrame,
    observation_end,
    freq: str = "W",
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    amount_col: str | None = "amount",
    freq_multiplier: float = 1.0,
) -> pd.DataFrame:
    """Per-customer frequency, recency, T and monetary_value from an order log (lifetimes conventions).

    Orders are binned into calendar periods of ``freq`` ("D", "W" = Monday-Sunday weeks, "M", ...)
    in local wall-clock time; orders after ``observation_end`` are left out (a hold-out period).
    Several orders in one period count as one purchase, with their amounts summed.

    - frequency: number of repeat purchase periods (periods with a purchase, minus the first);
    - recency: periods from the first to the last purchase period;
    - T: periods from the first purchase period to the period of ``observation_end``;
    - monetary_value: mean amount of the repeat purchase periods, 0 without repeat purchases.

    Time is in units of ``freq`` divided by ``freq_multiplier``: ``freq="D", freq_multiplier=7``
    gives exact weeks (the convention of Fader, Hardie & Lee 2005 on CDNOW). This is the input of
    ``BetaGeoModel`` and ``GammaGammaModel``; compare lifetimes' summary_data_from_transaction_data.
    """
    columns = [customer_col, date_col] + ([amount_col] if amount_col else [])
    frame = _require(orders, columns)
    dates, end = _wall_clock(frame[date_col], observation_end)
    period = dates.dt.to_period(freq).array.asi8
    end_period = end.to_period(freq).ordinal
    keep = period <= end_period
    amount = frame[amount_col].to_numpy(dtype=float)[keep] if amount_col else np.zeros(keep.sum())
    per_period = (
        pd.DataFrame({customer_col: frame[customer_col].to_numpy()[keep], "period": period[keep], "amount": amount})
        .groupby([customer_col, "period"], sort=True)["amount"]
        .sum()
        .reset_index()
    )
    by_customer = per_period.groupby(customer_col, sort=True)
    first = by_customer["period"].min()
    periods = by_customer["period"].size()
    repeat_amount = by_customer["amount"].sum() - by_customer["amount"].first()
    summary = pd.DataFrame(
        {
            "frequency": (periods - 1).astype(float),
            "recency": (by_customer["period"].max() - first) / freq_multiplier,
            "T": (end_period - first) / freq_multiplier,
        }
    )
    if amount_col:
        summary["monetary_value"] = np.where(periods > 1, repeat_amount / (periods - 1).clip(lower=1), 0.0)
    return summary.astype(float)


def historic_value(
    orders: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    amount_col: str = "amount",
    start=None,
    end=None,
    margin: float = 1.0,
) -> pd.DataFrame:
    """Historic (realised) value per customer: the sum of order amounts, times ``margin``.

    Method: "past customer value" (Kumar & Reinartz 2018, Customer Relationship Management,
    3rd ed.) without compounding: a plain sum of past revenue. ``start``/``end``
    limit the orders to dates in [start, end] (local dates, inclusive). Returns one row per
    customer: orders, revenue (EUR), value (revenue x margin, EUR), first_order, last_order.
    """
    frame = _require(orders, [customer_col, date_col, amount_col])
    dates, _ = _wall_clock(frame[date_col])
    keep = np.ones(len(frame), dtype=bool)
    if start is not None:
        keep &= (dates >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        keep &= (dates.dt.normalize() <= pd.Timestamp(end)).to_numpy()
    frame = frame[keep]
    grouped = frame.groupby(customer_col, sort=True)
    result = pd.DataFrame(
        {
            "orders": grouped.size(),
            "revenue": grouped[amount_col].sum().astype(float),
            "first_order": grouped[date_col].min(),
            "last_order": grouped[date_col].max(),
        }
    )
    result.insert(2, "value", result["revenue"] * margin)
    return result
