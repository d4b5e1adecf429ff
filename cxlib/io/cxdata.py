"""CXData: the loaded, validated tables of one data folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = [
    "REJECTED_COLUMNS",
    "SUMMARY_COLUMNS",
    "CXData",
    "EVENT_COLUMNS",
    "table",
    "data_end",
    "rejected_frame",
    "summary_frame",
]

REJECTED_COLUMNS = ("table", "file", "line", "column", "value", "reason")
SUMMARY_COLUMNS = ("table", "file", "read", "accepted", "rejected", "ignored_columns", "defaults", "rows")
_SUMMARY_DTYPES = dict(
    zip(SUMMARY_COLUMNS, ("string", "string", "int64", "int64", "int64", "string", "string", "int64"), strict=True)
)


_REJECTED_DTYPES = dict(zip(REJECTED_COLUMNS, ("string", "string", "Int64", "string", "string", "string"), strict=True))


def rejected_frame(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The rejected rows (``REJECTED_COLUMNS``, typed) from per-file frames with those columns."""
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(REJECTED_COLUMNS))
    return frame.astype(_REJECTED_DTYPES)


def summary_frame(rows) -> pd.DataFrame:
    """The load summary (one row per table, ``SUMMARY_COLUMNS``, typed) from tuples or records."""
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)).astype(_SUMMARY_DTYPES)


@dataclass(frozen=True, repr=False)
class CXData:
    """One typed DataFrame per table (canonical names and dtypes, docs/data.md), plus provenance.

    ``rejected`` has one row per rejected record: table, file, line (physical line in the file
    where the record starts, header = 1), column, value (the raw text), reason.
    ``summary`` has one row per table: file (NA when absent), read, accepted, rejected
    (accepted + rejected == read), ignored_columns (header fields not in the contract),
    defaults (columns that got their documented default, or were derived) and rows (rows of the
    file; more than ``read`` for an event log, whose records are tickets).
    ``fingerprint`` is a sha256 over the bytes of every file read, for report provenance.
    """

    customers: pd.DataFrame
    orders: pd.DataFrame
    responses: pd.DataFrame
    tickets: pd.DataFrame
    observations: pd.DataFrame
    pulse: pd.DataFrame
    actions: pd.DataFrame
    teams: pd.DataFrame
    rejected: pd.DataFrame
    summary: pd.DataFrame
    path: Path
    fingerprint: str
    goals_path: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    """Table name → file read (present tables only)."""

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name → frame, for all eight tables."""
        from cxlib.io.schemas import TABLES

        return {name: getattr(self, name) for name in TABLES}

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(df):,}" for name, df in self.tables.items())
        return (
            f"CXData({str(self.path)!r}: {counts}; rejected={len(self.rejected):,}; "
            f"fingerprint={self.fingerprint[:12]})"
        )


# Event columns per table: what "the latest event in the data" looks at.
EVENT_COLUMNS = {
    "responses": ("submitted_at",),
    "tickets": ("created_at", "first_response_at"),
    "observations": ("observed_at",),
    "customers": ("signup_date", "churn_date"),
    "actions": ("created_on", "done_on"),
}


def table(data, name: str) -> pd.DataFrame | None:
    """Table ``name`` of a CXData, a mapping of frames or any object with that attribute (None if absent)."""
    if data is None:
        return None
    if isinstance(data, Mapping):
        return data.get(name)
    return getattr(data, name, None)


def data_end(data) -> pd.Timestamp | None:
    """The latest event time in the data (EVENT_COLUMNS), or None when there is none."""
    ends = []
    for name, columns in EVENT_COLUMNS.items():
        frame = table(data, name)
        if frame is not None:
            ends += [frame[c].max() for c in columns if c in frame.columns and frame[c].notna().any()]
    return max(ends) if ends else None
