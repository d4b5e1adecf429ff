"""Plant a small, fixed set of invalid rows so that validation has something to show.

Rows are chosen at fixed relative positions (a share of each table's length), so the same kinds
of problems exist at every sample size; data/sample/README.md lists the ids of the default
sample. Each problem is one the loader must reject: score out of range, no answer at all (no score, no comment),
unknown customer id, duplicate id, first response or resolution before creation, churn before
signup, negative amount, duplicate (observation_id, item), done action without done_on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.sample.actions import INVALID_ACTION

__all__ = ["unknown_customer", "plant_invalid_rows"]


def unknown_customer(customers: pd.DataFrame) -> str:
    """An id in the customer-id format that no customer has (C999999 in the default sample)."""
    width = len(customers["customer_id"].iloc[0]) - 1
    return "C" + "9" * width


def _row(frame: pd.DataFrame, share: float) -> int:
    return int(share * (len(frame) - 1))


def _set(frame: pd.DataFrame, row: int, column: str, value) -> None:
    """Set one cell by position (``iat`` avoids re-validating a whole string column)."""
    frame.iat[row, frame.columns.get_loc(column)] = value


def _get(frame: pd.DataFrame, row: int, column: str):
    return frame.iat[row, frame.columns.get_loc(column)]


def _duplicate_after(frame: pd.DataFrame, row: int, column: str, value) -> pd.DataFrame:
    """Insert a copy of ``row`` right after it, with ``column`` set to ``value``."""
    copy = frame.iloc[[row]].reset_index(drop=True)
    _set(copy, 0, column, value)
    return pd.concat([frame.iloc[: row + 1], copy, frame.iloc[row + 1 :]], ignore_index=True)


def plant_invalid_rows(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with the planted invalid rows (changed in place; duplicates are inserted)."""
    out = dict(frames)
    ghost = unknown_customer(out["customers"])

    r = out["responses"]
    _set(r, _row(r, 0.20), "nps", 11)
    _set(r, _row(r, 0.35), "ces", 8)
    for column in ("nps", "csat", "ces", "comment"):  # no answer at all
        _set(r, _row(r, 0.50), column, pd.NA)
    _set(r, _row(r, 0.65), "customer_id", ghost)
    dup = _row(r, 0.80)
    nps = _get(r, dup, "nps")
    out["responses"] = _duplicate_after(r, dup, "nps", 5 if pd.isna(nps) else (int(nps) + 1) % 11)

    t = out["tickets"]
    for share in (0.25, 0.55):
        _set(t, _row(t, share), "first_response_at", _get(t, _row(t, share), "created_at") - pd.Timedelta(hours=2))
    i = _row(t, 0.70)
    _set(t, i, "resolved_at", _get(t, i, "created_at") - pd.Timedelta(days=1))
    _set(t, _row(t, 0.85), "customer_id", ghost)

    c = out["customers"]
    churned = np.flatnonzero(c["churn_date"].notna().to_numpy())
    i = int(churned[len(churned) // 2])
    _set(c, i, "churn_date", _get(c, i, "signup_date") - pd.Timedelta(days=30))
    out["customers"] = _duplicate_after(c, _row(c, 0.40), "region", "West")

    o = out["orders"]
    _set(o, _row(o, 0.30), "amount", -_get(o, _row(o, 0.30), "amount"))
    _set(o, _row(o, 0.60), "customer_id", ghost)

    ob = out["observations"]
    row = _row(ob, 0.50)
    out["observations"] = _duplicate_after(ob, row, "passed", not _get(ob, row, "passed"))
    p = out["pulse"]
    _set(p, _row(p, 0.50), "score", 6)

    a = out["actions"]
    _set(a, int(np.flatnonzero(a["action_id"].to_numpy() == INVALID_ACTION)[0]), "done_on", pd.NaT)
    return out
