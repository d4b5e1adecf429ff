"""Is a load a failed read? Tables that reject too much, with the likely cause and an example.

A table fails when it rejects every record, or more than ``max_rejected`` (a share, default
0.5) of them; a column whose dates are of unclear order (dd/mm and mm/dd) fails whatever the
share. The cause is the most frequent (column, reason) among the rejected records, said in
the export's own column name, with the first value and its line and what to change in
source.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from cxlib.io.source import Source

__all__ = ["MAX_REJECTED", "Failure", "failed_reads"]

MAX_REJECTED = 0.5
"""Default share of rejected records above which a table counts as a failed read."""

_NOT = {
    "unparseable datetime": "dates",
    "unparseable date": "dates",
    "not a whole number": "whole numbers",
    "not a number": "numbers",
    "not a boolean": "yes/no values",
    "not a duration": "durations",
}
_HINTS = (
    ("unparseable date ", "set date_format in source.yaml (or formats: {{{column}: ...}})"),
    ("unparseable datetime", "set datetime_format in source.yaml (or formats: {{{column}: ...}})"),
    ("unclear date order", ""),
    (
        "not a whole number",
        ("check the columns mapping and the decimal separator, or map the values under values: in source.yaml"),
    ),
    ("not a number", "check the decimal separator (decimal: in source.yaml)"),
    ("not a boolean", "list the file's words under booleans: in source.yaml"),
    ("not a duration", "check the durations unit and the snapshot in source.yaml"),
    ("wrong number of fields", "check delimiter and header_rows in source.yaml"),
    ("empty row", "check header_rows and the delimiter in source.yaml"),
    ("duplicate", ("is the id column right? An event log (one row per change) needs events: in source.yaml")),
    ("unknown value", "map the values under values: in source.yaml ('*' for all others)"),
    ("out of range", "is it this score? Map the column to another score, or as a rating"),
    ("missing value", "map another column, or set a constant in source.yaml"),
    ("unknown customer_id", "the ids do not match the customers file: map the right column"),
    ("unknown team", "the teams do not match teams.csv: map the right column"),
    ("no answer", "map the score, rating or comment columns in source.yaml"),
)


@dataclass(frozen=True)
class Failure:
    """One failed table: its name, file, counts and the message that says why."""

    table: str
    file: str
    read: int
    rejected: int
    message: str


def failed_reads(data, source: Source | None = None, max_rejected: float = MAX_REJECTED) -> list[Failure]:
    """The tables of ``data`` (a CXData) whose read failed, each with its likely cause.

    ``source`` (the Source used) lets the message name the export's column instead of the
    canonical one.
    """
    out = []
    rejected = data.rejected
    for row in data.summary.itertuples(index=False):
        if pd.isna(row.file) or row.read == 0:
            continue
        mine = rejected[rejected["table"] == row.table]
        unclear = mine["reason"].str.startswith("unclear date order").fillna(False)
        if not (row.rejected == row.read or row.rejected > max_rejected * row.read or unclear.any()):
            continue
        head = (
            f"{row.table} ({row.file}): {row.rejected:,} of {row.read:,} records rejected "
            f"({100 * row.rejected / row.read:.0f}%"
        )
        head += (
            ")"
            if row.rejected == row.read or unclear.any()
            else (f", more than the {100 * max_rejected:.0f}% allowed)")
        )
        cause = _cause(mine[unclear] if unclear.any() else mine, row.read, row.table, source)
        out.append(Failure(row.table, row.file, int(row.read), int(row.rejected), f"{head}; {cause}"))
    return out


def _cause(rejected: pd.DataFrame, read: int, table: str, source: Source | None) -> str:
    """The most frequent (column, reason), in words, with its first value and line."""
    groups = rejected.fillna({"column": ""}).groupby(["column", "reason"], sort=False)
    (column, reason), count = max(groups.size().items(), key=lambda kv: kv[1])
    first = (
        rejected[(rejected["column"].fillna("") == column) & (rejected["reason"] == reason)].sort_values("line").iloc[0]
    )
    name = _export_name(column, table, source)
    what = next((w for prefix, w in _NOT.items() if reason.startswith(prefix)), None)
    value = "" if pd.isna(first["value"]) else str(first["value"])
    where = f"column '{name}': " if name else ""
    if what:
        text = f"{where}{count:,} of {read:,} values are not {what}"
    else:
        text = f"{where}{count:,} of {read:,} records: {reason}"
    text += f"; the first is '{value}' (line {first['line']})" if value else (f"; the first on line {first['line']}")
    expected = re.search(r"\(expected (.*)\)$", reason)
    if what and expected:
        text += f"; expected {expected.group(1)}"
    hint = next((h for prefix, h in _HINTS if reason.startswith(prefix)), "")
    return f"{text}; {hint.format(column=column)}" if hint else text


def _export_name(column: str, table: str, source: Source | None) -> str:
    """The export column read as ``column`` (several columns joined), else ``column``."""
    if not column or source is None:
        return column
    exports = {}
    for export, targets in source.tables[table].columns.items():
        for t in targets:
            exports.setdefault(t, export)
    return ", ".join(exports.get(c, c) for c in column.split(", "))
