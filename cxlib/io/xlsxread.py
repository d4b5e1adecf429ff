"""Read the first worksheet of an Excel workbook (.xlsx) as raw text records (openpyxl).

Method: openpyxl streams the sheet (read-only mode, cached values of formulas). Row 1 holds the
column names; a sheet row is a record and its row number is the record's ``line``, so the
messages point at the row Excel shows. Empty rows are not records. Typed cells are written as
the text the CSV reader would see: numbers with the table's decimal separator (whole numbers
without a fraction, as Excel stores every number as a double), dates and times in ISO 8601 (no
offset: local Amsterdam time), booleans as the table's first true/false token. The loader then
parses and validates them exactly like CSV text.
Reference: ECMA-376 (Office Open XML); openpyxl, "Read-only mode".
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.io.csvread import RawTable
from cxlib.io.errors import SourceError
from cxlib.io.source import TableSource, map_header

__all__ = ["CellText", "read_xlsx", "worksheet_rows"]


def worksheet_rows(path: Path, raw: bytes | None = None, limit: int | None = None) -> tuple[list[tuple], list[int]]:
    """The non-empty rows of the workbook's first worksheet as openpyxl values, and their row numbers.

    ``raw``: the file's bytes (else read from ``path``); ``limit``: stop after this many sheet rows.
    SourceError when the workbook cannot be opened or the sheet is empty.
    """
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a core dependency
        raise SourceError(
            path.name, "this is an Excel workbook and openpyxl is not installed", "pip install 'cxlib' (openpyxl)"
        ) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw) if raw is not None else path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged or encrypted workbook, whatever openpyxl raises
        raise SourceError(
            path.name,
            f"this Excel workbook cannot be opened ({type(exc).__name__})",
            "an .xlsx workbook saved by Excel or LibreOffice",
        ) from None
    rows, lines = [], []
    try:
        for number, row in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
            if limit is not None and number > limit:
                break
            if any(v is not None and str(v).strip() for v in row):
                rows.append(row)
                lines.append(number)
    finally:
        book.close()
    if not rows:
        raise SourceError(path.name, "the first worksheet is empty", "a header row in row 1 of the first worksheet")
    return rows, lines


def read_xlsx(path: Path, raw: bytes, table: TableSource, categorical: set[str]) -> RawTable:
    """The first worksheet of the workbook ``raw`` (bytes of ``path``) as a RawTable."""
    rows, lines = worksheet_rows(path, raw)
    header = [("" if v is None else str(v)).strip() for v in rows[0]]
    while header and not header[-1]:
        header.pop()
    canonical = map_header(header, table, path.name)
    width = len(header)
    fields = np.array([_width(r) for r in rows[1:]], dtype=np.int64)
    fmt = CellText.for_table(table)
    columns = {}
    for i, name in enumerate(canonical):
        if name is None:
            continue
        text = pd.Series([fmt(r[i]) if i < len(r) else None for r in rows[1:]], dtype="str")
        text = text.where(~text.isin(list(table.missing)))
        columns[name] = text.astype("category") if name in categorical else text
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(rows) - 1))
    ignored = [h for h, name in zip(header, canonical) if name is None]
    return RawTable(
        path, header, ignored, frame, np.array(lines[1:], np.int64), np.maximum(fields, width), lines[0], "xlsx", ","
    )


def _width(row: tuple) -> int:
    """Cells up to the last non-empty one (Excel pads rows to the sheet's width)."""
    filled = [i for i, v in enumerate(row) if v is not None and str(v) != ""]
    return filled[-1] + 1 if filled else 0


class CellText:
    """A typed cell as the text the CSV reader would see (``decimal``: the decimal separator;
    ``true``/``false``: the tokens written for booleans)."""

    def __init__(self, decimal: str = ".", true: str = "true", false: str = "false"):
        self.decimal, self.true, self.false = decimal, true, false

    @classmethod
    def for_table(cls, table: TableSource) -> CellText:
        """The text for ``table``'s decimal separator and its first true/false tokens."""
        return cls("," if table.decimal == "," else ".", table.true[0], table.false[0])

    def __call__(self, value) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            return self.true if value else self.false
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            text = str(int(value)) if value.is_integer() else repr(value)
            return text.replace(".", self.decimal)
        if isinstance(value, dt.datetime):
            return value.isoformat(sep="T")
        if isinstance(value, (dt.date, dt.time)):
            return value.isoformat()
        return str(value)
