"""Add customer attributes to any frame with a ``customer_id``, so KPIs can be cut ``by=`` them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = ["attach"]


def attach(
    frame: pd.DataFrame, customers: pd.DataFrame, columns: Sequence[str] = ("segment", "region")
) -> pd.DataFrame:
    """``frame`` with ``columns`` of ``customers`` added, joined on ``customer_id``.

    Method: a vectorised left join (an index lookup on the customers' ids). The result keeps
    ``frame``'s rows, their order and its index; dtypes of the added columns are kept
    (categories stay categories). Rows whose customer is not in ``customers`` get missing
    values. ``frame`` itself is not changed.

    Raises ValueError when ``frame`` or ``customers`` lacks ``customer_id``, when a column is
    not in ``customers`` or already in ``frame``, or when customer ids are not unique.
    """
    columns = [columns] if isinstance(columns, str) else list(columns)
    for name, table in (("frame", frame), ("customers", customers)):
        if "customer_id" not in table:
            raise ValueError(f"attach: {name} has no customer_id column")
    missing = [c for c in columns if c not in customers]
    if missing:
        raise ValueError(f"attach: customers has no column(s) {', '.join(missing)}")
    clash = [c for c in columns if c in frame]
    if clash:
        raise ValueError(f"attach: frame already has column(s) {', '.join(clash)}")
    lookup = customers.set_index("customer_id")[columns]
    if not lookup.index.is_unique:
        dup = lookup.index[lookup.index.duplicated()].unique()[:5].tolist()
        raise ValueError(f"attach: customer_id is not unique in customers (e.g. {dup})")
    added = lookup.reindex(pd.Index(frame["customer_id"])).set_axis(frame.index)
    return pd.concat([frame, added], axis=1)
