"""Read an export for inspection (`cx init`): CSV, or .xlsx through openpyxl, as text.

The header lines are found here: a Qualtrics CSV has three (names, question texts, ImportId
JSON), a SurveyMonkey CSV two (questions, answer options); otherwise one, unless the second
line is text above columns of numbers. Values come back as text (``""`` = empty) so that the
role guesses see what the loader will see.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.io.csvread import decode_text, sniff
from cxlib.io.errors import SourceError
from cxlib.io.source import header_names

__all__ = ["EXTENSIONS", "Sheet", "read_sheet"]

EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx")
XLSX_ROWS = 20_000
"""Rows of an .xlsx sheet inspected (openpyxl reads cell by cell)."""
_SURVEYMONKEY = {"response", "open-ended response"}


@dataclass
class Sheet:
    """One export as text: column ``names``, the texts of its header lines per column
    (``questions``), the ``values`` (a frame of text, one column per name position) and how
    it was read."""

    file: str
    names: list[str]
    questions: list[str]
    values: pd.DataFrame
    header_rows: int = 1
    encoding: str = "utf-8"
    delimiter: str = ","
    rows: int = 0
    tool: str = ""
    """``qualtrics`` or ``surveymonkey`` when the header says so."""
    notes: list[str] = field(default_factory=list)


def read_sheet(path: Path) -> Sheet:
    """Read ``path`` (CSV or .xlsx) for inspection; SourceError when it cannot be read."""
    if path.suffix.lower() == ".xlsx":
        return _from_rows(path.name, _xlsx_rows(path), "xlsx", "")
    buf, encoding = decode_text(path.read_bytes(), path.name)
    first = buf.split(b"\n", 1)[0]
    delimiter = sniff(first)
    try:
        frame = pd.read_csv(
            io.BytesIO(buf),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            encoding="utf-8",
            quotechar='"',
            on_bad_lines="skip",
            index_col=False,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        rows = list(csv.reader(io.StringIO(buf.decode("utf-8"), newline=""), delimiter=delimiter))
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in rows if any(r)], dtype=str)
    if frame.empty:
        raise SourceError(path.name, "file is empty", "a header row and records")
    return _from_frame(path.name, frame.fillna(""), encoding, delimiter)


def _xlsx_rows(path: Path) -> pd.DataFrame:
    """The first sheet's first XLSX_ROWS rows as text, as the loader will see them (cxlib.io.xlsxread)."""
    from cxlib.io.xlsxread import CellText, worksheet_rows

    rows, _ = worksheet_rows(path, limit=XLSX_ROWS + 3)
    text = CellText()
    rows = [["" if v is None else text(v).strip() for v in row] for row in rows]
    width = max(len(r) for r in rows)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)


def _from_rows(name: str, frame: pd.DataFrame, encoding: str, delimiter: str) -> Sheet:
    if frame.empty:
        raise SourceError(name, "sheet is empty", "a header row and records")
    return _from_frame(name, frame, encoding, delimiter)


def _from_frame(name: str, frame: pd.DataFrame, encoding: str, delimiter: str) -> Sheet:
    top = frame.head(4).astype(str).to_numpy()
    h, tool = _header_rows(top, frame)
    header = [list(r) for r in top[:h]]
    names = header_names(header)
    questions = (
        [" ".join(r[i].strip() for r in header[1:] if not r[i].strip().startswith("{")) for i in range(len(names))]
        if h > 1
        else [""] * len(names)
    )
    values = frame.iloc[h:].reset_index(drop=True)
    values.columns = range(values.shape[1])
    return Sheet(name, names, questions, values, h, encoding, delimiter, len(values), tool)


def _header_rows(top: np.ndarray, frame: pd.DataFrame) -> tuple[int, str]:
    """How many lines are header, and the survey tool that wrote them if recognisable."""
    if len(top) >= 3 and sum(v.strip().startswith('{"ImportId"') for v in top[2]) >= 2:
        return 3, "qualtrics"
    if (
        len(top) >= 2
        and sum(v.strip().casefold() in _SURVEYMONKEY for v in top[1]) >= 1
        and any("respondent" in v.casefold() for v in top[0])
    ):
        return 2, "surveymonkey"
    if len(frame) >= 4:  # text above columns of numbers: a second header line
        second = pd.Series(top[1])
        body = frame.iloc[2 : min(len(frame), 200)]
        numeric = body.apply(
            lambda c: pd.to_numeric(c.str.replace(",", ".", regex=False), errors="coerce").notna().mean() > 0.9
        )
        texty = ~pd.to_numeric(second.str.replace(",", ".", regex=False), errors="coerce").notna() & (
            second.str.strip() != ""
        )
        both = numeric.to_numpy() & texty.to_numpy()[: len(numeric)]
        if both.sum() >= 2 and both.sum() >= numeric.sum() / 2:
            return 2, ""
    return 1, ""
