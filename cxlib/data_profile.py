"""Step 2 of the method: what data there is. Coverage counts per period and dimension.

Pure functions over CXData: counts only (no KPIs), so an analyst sees where the data is thin
before reading any score.
"""

from __future__ import annotations

import pandas as pd

from cxlib.actions.redact import redact_columns
from cxlib.enrich import attach
from cxlib.io.cxdata import CXData
from cxlib.io.schemas import TIME_COLUMNS
from cxlib.periods import period_codes, period_labels

__all__ = ["sources", "rejections", "rejected_rows", "coverage"]


def sources(data: CXData) -> pd.DataFrame:
    """One row per table: file, rows read / accepted / rejected and the time span covered.

    The span is that of the table's time column (``cxlib.io.schemas.TIME_COLUMNS``: actions by
    their due date, as the KPIs count them); teams have none.
    """
    spans = []
    for table, column in TIME_COLUMNS.items():
        times = getattr(data, table)[column]
        spans.append({"table": table, "first": times.min(), "last": times.max()})
    return data.summary.merge(pd.DataFrame(spans), on="table", how="left")


def rejections(data: CXData) -> pd.DataFrame:
    """Rejected rows counted by table, column and reason (most frequent first)."""
    counts = data.rejected.groupby(["table", "column", "reason"], observed=True, dropna=False).size()
    return counts.rename("rows").reset_index().sort_values("rows", ascending=False, kind="stable", ignore_index=True)


def rejected_rows(data: CXData) -> pd.DataFrame:
    """The rejected rows for display: table, file, line, column, value, reason, with personal
    data in ``value`` and ``reason`` redacted (docs/privacy.md). ``data.rejected`` keeps the raw
    text, for the analyst who fixes the source (``cx validate --rejected FILE``)."""
    return redact_columns(data.rejected, ("value", "reason"))


def coverage(data: CXData, by: str, table: str = "responses", freq: str | None = "quarter") -> pd.DataFrame:
    """Row counts of ``table`` per period (grain ``freq``) × ``by`` (a column of the table or of customers).

    Returns a wide frame: one row per value of ``by``, one column per period label.
    """
    frame = getattr(data, table)
    if by not in frame.columns:
        frame = attach(frame, data.customers, columns=(by,))
    labels = pd.Series(
        period_labels(period_codes(frame[TIME_COLUMNS[table]], freq), freq), index=frame.index, name="period"
    )
    counts = pd.crosstab(frame[by].astype("string").fillna("(missing)"), labels)
    counts.columns.name = None
    counts.index.name = by
    return counts
