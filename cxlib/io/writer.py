"""Validated writes into a data folder's canonical CSV files (dashboard forms, the action ledger).

A write goes through the same validation as a read: the file as it would be after the write is
read by the loader's own table reader (``cxlib.io.loader``: parse each column, the pandera
schema, references to teams and customers) before it replaces the file. A record the loader
would reject is not written; ``RecordError`` names the file, line, column, value and reason.

The existing bytes are kept: new records are appended after them, and a changed record is
replaced in place (other records keep their bytes, quoting and line ends). Each write holds the
folder's lock (``cxlib.atomic.locked``) from reading the file to replacing it, and replaces it
atomically (``write_atomic``): two users writing at once take turns, and neither loses the
other's change. Only tables read in the canonical format (no renames or value maps in
source.yaml, comma-separated UTF-8) can be written; others raise ``SourceError``.

Layout of what is written (docs/architecture.md): ``,``, ``\\n``, minimal quoting, dates
``YYYY-MM-DD``, datetimes ISO 8601 with the Amsterdam offset, booleans ``true``/``false``,
empty = missing; a field never holds a line break (whitespace runs become one space).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from contextlib import nullcontext
from pathlib import Path

import pandas as pd

from cxlib.atomic import locked, write_atomic
from cxlib.io.errors import SourceError
from cxlib.io.loader import _load_table, read_table_file
from cxlib.io.schemas import REFERENCES, SCHEMAS, kind
from cxlib.io.source import read_source
from cxlib.paths import TIMEZONE

__all__ = ["RecordError", "append_records", "checklist_records", "csv_field", "record_spans", "replace_record"]

_BOM = b"\xef\xbb\xbf"
_LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")


class RecordError(ValueError):
    """A record would be rejected by the loader; ``rejected`` holds the loader's rows
    (table, file, line, column, value, reason)."""

    def __init__(self, rejected: pd.DataFrame):
        self.rejected = rejected
        parts = [
            f"{r.file}, line {r.line}, column '{r.column}': {r.reason} (value {r.value!r})"
            for r in rejected.itertuples(index=False)
        ]  # the few rows of one write
        super().__init__("; ".join(parts) or "record rejected")


def csv_field(value, column_kind: str = "text") -> str:
    """The text of one field as the loader reads it (``column_kind`` from cxlib.io.schemas)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if column_kind in ("date", "datetime"):
        ts = pd.Timestamp(value)
        ts = ts.tz_localize(TIMEZONE) if ts.tzinfo is None else ts.tz_convert(TIMEZONE)
        return ts.strftime("%Y-%m-%d") if column_kind == "date" else ts.isoformat(timespec="seconds")
    return " ".join(str(value).split())


def record_spans(text: str) -> list[tuple[int, int]]:
    """Start and end offsets (characters) of each CSV record in ``text``, header first.

    Parsed with the csv module, so a quoted field may hold commas and line breaks; an end
    offset includes the record's line end.
    """
    lines = _LINES.findall(text)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    reader = csv.reader(iter(lines))
    spans, start = [], 0
    for _ in reader:
        spans.append((offsets[start], offsets[reader.line_num]))
        start = reader.line_num
    return spans


def _writable(folder: Path, name: str):
    """The table's source; refuses a table that is not read in the canonical format."""
    table = read_source(folder).tables[name]
    if (
        table.columns
        or table.values
        or table.delimiter not in ("auto", ",")
        or table.encoding not in ("auto", "utf-8", "utf-8-sig")
    ):
        raise SourceError(
            table.file,
            "table is mapped in source.yaml (renamed columns, value maps, another delimiter or encoding)",
            "a table in the canonical format to write to",
        )
    return table


def _fields(text: str, span: tuple[int, int]) -> list[str]:
    return next(csv.reader(io.StringIO(text[span[0] : span[1]], newline="")), [])


def _line(values: list[str]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerow(values)
    return buffer.getvalue()


def _row_text(record: Mapping, header: list[str], name: str) -> str:
    schema = SCHEMAS[name]
    return _line([csv_field(record.get(c), kind(schema, c) if c in schema.columns else "text") for c in header])


def _check_table(name: str, table, file: Path, raw: bytes, keys: dict):
    """The loader's result for ``raw`` as the bytes of ``file`` (accepted, rejected, key pair)."""
    schema, rt = read_table_file(name, table, file, raw)
    return _load_table(name, schema, table, rt, keys)


def _keys(folder: Path, name: str) -> dict:
    """Ids of the tables that ``name`` refers to (as the loader builds them): target → (ids, file)."""
    keys = {}
    src = read_source(folder)
    for column, target in REFERENCES.items():
        if column not in SCHEMAS[name].columns or target == name:
            continue
        table = src.tables.get(target)
        file = folder / table.file if table is not None else None
        if file is not None and file.is_file():
            keys[target] = _check_table(target, table, file, file.read_bytes(), {}).key
    return keys


def _check(
    folder: Path, name: str, table, path: Path, data: bytes, first_line: int, last_line: int | None = None
) -> None:
    """Raise RecordError when the loader rejects a record starting on ``first_line``..``last_line``."""
    rejected = _check_table(name, table, path, data, _keys(folder, name)).rejected
    lines = rejected["line"].astype("int64")
    mine = rejected[(lines >= first_line) & ((lines <= last_line) if last_line else True)]
    if len(mine):
        raise RecordError(mine.reset_index(drop=True))


def append_records(folder, name: str, records: pd.DataFrame) -> Path:
    """Append ``records`` (canonical columns of table ``name``) to its file in ``folder``.

    The file keeps its bytes and its column order; a column the records have and the file lacks
    (e.g. an optional ``observer``) is added to the header, with an empty field in every existing
    record. A missing file is created with a header of the schema's columns that the records
    have. Raises RecordError (nothing written) when the loader would reject any new record,
    including a duplicate key. Returns the file's path.
    """
    folder = Path(folder)
    schema = SCHEMAS[name]
    unknown = [c for c in records.columns if c not in schema.columns]
    if unknown:
        raise ValueError(f"{name}: unknown column(s) {', '.join(unknown)}; expected {', '.join(schema.columns)}")
    table = _writable(folder, name)
    path = folder / table.file
    with locked(folder):
        raw = path.read_bytes() if path.exists() else b""
        bom, text = (_BOM, raw[3:].decode("utf-8")) if raw.startswith(_BOM) else (b"", raw.decode("utf-8"))
        spans = record_spans(text) if text.strip() else []
        if spans:
            header = _fields(text, spans[0])
            extra = [c for c in records.columns if c not in header]
            if extra:
                text = _add_columns(text, spans, extra)
                header += extra
        else:
            header = [c for c in schema.columns if c in records.columns]
            text = _line(header)
        if text and not text.endswith("\n"):
            text += "\n"
        first_line = text.count("\n") + 1
        rows = records.to_dict("records")  # the few rows of one form
        text += "".join(_row_text(r, header, name) for r in rows)
        data = bom + text.encode("utf-8")
        _check(folder, name, table, path, data, first_line)
        write_atomic(path, data)
    return path


def _add_columns(text: str, spans: list[tuple[int, int]], extra: list[str]) -> str:
    """``text`` with ``extra`` columns appended to the header and an empty field in each record."""
    out, at = [], 0
    for i, (start, end) in enumerate(spans):
        record = text[start:end]
        body = record.rstrip("\r\n")
        ending = record[len(body) :]
        add = "," + ",".join(extra) if i == 0 else "," * len(extra)
        out.append(text[at:start] + body + add + ending)
        at = end
    return "".join(out) + text[at:]


def replace_record(
    folder,
    name: str,
    key_column: str,
    key: str,
    changes: Mapping,
    *,
    expected: Mapping | None = None,
    lock: bool = True,
) -> tuple[dict, dict]:
    """Change fields of the one record whose ``key_column`` is ``key``; return (before, after).

    ``changes``: column → new value (the column must be in the file). ``expected``: column →
    the text the field must hold now (e.g. the status a user saw); when it differs, ValueError
    (someone else changed it first) and nothing is written. The record keeps its place; the
    others keep their bytes. Raises KeyError for an unknown key, RecordError when the loader
    would reject the changed record. ``lock=False`` when the caller already holds the folder's
    lock (``cxlib.atomic.locked``).
    """
    folder = Path(folder)
    table = _writable(folder, name)
    path = folder / table.file
    with locked(folder) if lock else nullcontext():
        raw = path.read_bytes() if path.exists() else b""
        bom, text = (_BOM, raw[3:].decode("utf-8")) if raw.startswith(_BOM) else (b"", raw.decode("utf-8"))
        spans = record_spans(text)
        if not spans:
            raise KeyError(f"{path}: no records")
        header = _fields(text, spans[0])
        missing = [c for c in [key_column, *changes] if c not in header]
        if missing:
            raise ValueError(f"{path}: line 1: no column {', '.join(missing)}; found {', '.join(header)}")
        at = header.index(key_column)
        hits = [i for i, span in enumerate(spans[1:], 1) if (f := _fields(text, span)) and len(f) > at and f[at] == key]
        if len(hits) != 1:
            raise KeyError(f"{path}: {key_column} {key!r} found {len(hits)} times (expected once)")
        start, end = spans[hits[0]]
        fields = _fields(text, (start, end))
        fields += [""] * (len(header) - len(fields))
        before = dict(zip(header, fields))
        for column, value in (expected or {}).items():
            if before.get(column, "") != csv_field(value):
                raise ValueError(
                    f"{path}: {key_column} {key}: {column} is {before.get(column, '')!r} now, "
                    f"not {csv_field(value)!r} (changed by someone else)"
                )
        schema = SCHEMAS[name]
        after = dict(before)
        for column, value in changes.items():
            after[column] = csv_field(value, kind(schema, column) if column in schema.columns else "text")
        record = _line([after[c] for c in header])
        old = text[start:end]
        if not old.endswith("\n"):
            record = record[:-1]
        line = text.count("\n", 0, start) + 1
        text = text[:start] + record + text[end:]
        data = bom + text.encode("utf-8")
        _check(folder, name, table, path, data, line, line)
        write_atomic(path, data)
    return before, after


def checklist_records(
    team: str,
    source: str,
    results: Mapping[str, bool],
    categories: Mapping[str, str],
    observer: str,
    observed_at=None,
    observation_id: str | None = None,
) -> pd.DataFrame:
    """Observation records (table ``observations``) for one filled-in checklist.

    ``results``: item → passed (items left out were not observed and get no record).
    ``categories``: item → ``standard`` or ``behaviour``. ``observed_at`` defaults to now
    (Europe/Amsterdam); ``observation_id`` to a new unique id (``OB-`` and 12 hex digits).
    Raises ValueError for an item without a category or an empty checklist.
    """
    import uuid

    if not results:
        raise ValueError("the checklist has no observed items")
    unknown = sorted(set(results) - set(categories))
    if unknown:
        raise ValueError(f"item(s) {', '.join(unknown)} have no category (expected one of {', '.join(categories)})")
    items = list(results)
    at = pd.Timestamp.now(tz=TIMEZONE) if observed_at is None else pd.Timestamp(observed_at)
    return pd.DataFrame(
        {
            "observation_id": observation_id or f"OB-{uuid.uuid4().hex[:12]}",
            "observed_at": at.floor("s"),
            "team": team,
            "source": source,
            "category": [categories[i] for i in items],
            "item": items,
            "passed": [bool(results[i]) for i in items],
            "observer": observer,
        }
    )
