"""`load`: read, map and validate a folder of CSV exports into a CXData.

Per table: read raw text with line numbers (csvread), map and type each column as source.yaml
says (mapping, with parse), collapse an event log to tickets (events), check the typed frame
with its pandera schema (checks), then check references to the tables loaded before it
(customers, teams): an id must be in that file, whether or not its own record there was
accepted; a derived id (one customer per response) refers to nothing and is not checked.
Each rejected record gets one row in ``rejected`` with the first problem found, in this order:
the record's shape (field count, empty row), unparseable values (column order), schema checks
(column order, then row checks), references. Duplicates are judged on all records read: the
first is kept as the record, later ones are rejected even if the first is itself rejected for
another reason. One file may be read as several tables (a survey export as responses and
customers).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cxlib.io import checks
from cxlib.io.convert import carry, known_ids, open_copy
from cxlib.io.csvread import read_raw
from cxlib.io.cxdata import REJECTED_COLUMNS, CXData, rejected_frame, summary_frame
from cxlib.io.database import open_database
from cxlib.io.engine import ENGINES
from cxlib.io.errors import SourceError
from cxlib.io.events import collapse
from cxlib.io.mapping import type_columns
from cxlib.io.parse import to_string
from cxlib.io.readers import locate
from cxlib.io.schemas import (
    REFERENCES,
    SCHEMAS,
    empty_frame,
    few_distinct,
    kind,
    schema_for,
)
from cxlib.io.source import EVENT_KIND, EVENT_TIME, TableSource, read_source
from cxlib.paths import SAMPLE_DATA

__all__ = ["GOALS_FILE", "load", "fingerprint"]

GOALS_FILE = "goals.yaml"


def load(path: str | Path | None = None, source=None, engine: str = "pandas"):
    """Load the data folder ``path`` (default: the sample company, data/sample/).

    ``source`` is a Source, a mapping in source.yaml form, or a path to a yaml file; by default
    ``path/source.yaml`` is used when it exists. Every table is optional: a table whose file is
    absent is empty (canonical columns and dtypes), unless source.yaml names it; at least one
    table must be present. Raises SourceError for whole-file problems; row-level problems end
    up in ``rejected``.
    ``engine="duckdb"`` returns a LazyData instead: the same contract, checked by DuckDB over
    the files where they lie (cxlib.io.engine), for data larger than memory.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)
    >>> print(data.summary[["table", "read", "accepted", "rejected"]].to_string(index=False))
           table  read  accepted  rejected
           teams     8         8         0
       customers  6001      5999         2
          orders  8130      8128         2
       responses 24001     23996         5
         tickets 18000     17996         4
    observations 15361     15360         1
           pulse  8690      8689         1
         actions    47        46         1
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    folder = Path(SAMPLE_DATA if path is None else path)
    if not folder.is_dir():
        raise SourceError(
            folder,
            "data folder not found",
            "a folder with the exports (CSV files, and a source.yaml saying how to read them)",
        )
    src = read_source(folder, source)
    if engine == "duckdb":
        from cxlib.io.engine import open_lazy

        return open_lazy(folder, src)
    copy = open_copy(folder, src)  # a verified cx convert copy: validated when it was written
    if copy is not None:
        return copy
    read: dict[str, bytes] = {}
    tables, rejected, summary, keys, files = {}, [], [], {}, {}
    carried = known_ids(folder)  # a cx convert copy: ids its original read but rejected
    db = open_database(src)  # source.yaml names a database: tables come from there
    for name, schema in SCHEMAS.items():
        table = src.tables[name]
        located = locate(folder, db, name, table, schema.metadata["file"])  # file or database table
        if located is None:
            if name in src.named:
                found = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_file()))
                raise table.fail(
                    "file",
                    f"file {table.file!r} of tables.{name} not found in {folder}",
                    "a file in the data folder",
                    found or "no files",
                )
            tables[name] = empty_frame(schema)
            summary.append((name, pd.NA, 0, 0, 0, "", "", 0))
            continue
        file, raw = located
        del located
        read[file.name] = file_digest(raw)
        files[name] = file
        schema, rt = read_table_file(name, table, file, raw)
        del raw  # read: a big file's bytes go back before its values are checked
        loaded = _load_table(name, schema, table, rt, keys)
        del rt
        tables[name] = loaded.frame
        key = loaded.key
        keys[name] = key if name not in carried else (key[0].append(carried[name]), key[1])
        rejected.append(loaded.rejected)
        summary.append(
            (
                name,
                file.name,
                loaded.read,
                loaded.read - len(loaded.rejected),
                len(loaded.rejected),
                ", ".join(loaded.ignored),
                "; ".join(loaded.defaults),
                loaded.rows,
            )
        )
    summary = _shared_files(summary)
    if not files:
        wanted = ", ".join(s.metadata["file"] for s in SCHEMAS.values())
        raise SourceError(folder, "no data files found", f"at least one of {wanted}, or files named in source.yaml")
    carry(folder, summary, rejected, read)  # the rejected rows a cx convert copy keeps
    goals = folder / GOALS_FILE
    for extra in (src.path, goals):
        if extra is not None and extra.is_file():
            read[extra.name] = extra.read_bytes()
    return CXData(
        **tables,
        rejected=rejected_frame(rejected),
        summary=summary_frame(summary),
        path=folder,
        fingerprint=fingerprint(read),
        goals_path=goals if goals.is_file() else None,
        files=files,
    )


def _shared_files(summary: list[tuple]) -> list[tuple]:
    """A file read as several tables ignores only the columns that none of them reads."""
    ignored: dict[str, set[str]] = {}
    for row in summary:
        if not pd.isna(row[1]):
            names = set(row[5].split(", ")) if row[5] else set()
            ignored[row[1]] = ignored.get(row[1], names) & names
    return [
        row
        if pd.isna(row[1])
        else row[:5] + (", ".join(c for c in row[5].split(", ") if c in ignored[row[1]]),) + row[6:]
        for row in summary
    ]


def file_digest(data: bytes) -> tuple[int, str]:
    """(size, sha256) of one file's bytes: what the fingerprint keeps of it (not the bytes)."""
    return len(data), hashlib.sha256(data).hexdigest()


def fingerprint(contents: dict) -> str:
    """sha256 over (name, size, sha256) of each file, in name order: stable across runs.

    ``contents``: name → the file's bytes, or its ``file_digest`` (so that a big file's bytes
    need not be kept until every table is loaded).
    """
    digest = hashlib.sha256()
    for name in sorted(contents):
        data = contents[name]
        size, sha = data if isinstance(data, tuple) else file_digest(data)
        digest.update(f"{name}\0{size}\0{sha}\0".encode())
    return digest.hexdigest()


@dataclass
class _Loaded:
    frame: pd.DataFrame
    rejected: pd.DataFrame
    read: int
    """Records: rows of the file, or tickets of an event log (plus events without an id)."""
    rows: int
    """Rows of the file (records before an event log is collapsed)."""
    ignored: list[str]
    defaults: list[str]
    key: tuple | None
    """(all ids read, file name): lets later tables check their references to this one."""


def read_table_file(name: str, table: TableSource, file: Path, raw: bytes):
    """(schema with the table's ratings, csvread.RawTable) of one table's file bytes: the read
    step of ``load``, also used by validated writes (``cxlib.io.writer``)."""
    schema = schema_for(name, table.ratings, table.rating_scale)
    categorical = {c for c in schema.columns if few_distinct(schema, c)} | {EVENT_KIND}
    return schema, read_raw(file, raw, table, categorical)


def _load_table(name: str, schema: pa.DataFrameSchema, table: TableSource, rt, keys: dict) -> _Loaded:
    """Map, type and check one table's file read as ``rt`` (csvread.RawTable); see the module
    docstring."""
    file = rt.file
    if table.decimal == "auto":  # Excel writes decimal commas where it separates with ';'
        table = replace(table, decimal="," if rt.delimiter == ";" else ".")
    typed = type_columns(schema, table, rt.frame, rt.lines)
    # positions are rows of the file; faults found while reading come first
    row_found = [rt.problems] + _shape_problems(rt) + typed.problems
    records, record_of_row, first_row = typed.frame, None, None
    if table.events:
        mapped = {t for targets in table.columns.values() for t in targets}
        c = collapse(typed.frame, table.events, mapped)
        records, record_of_row, first_row = c.frame, c.record_of_row, c.first_row
    record_found = [checks.schema_problems(schema, records)]  # positions are records
    for column, target in REFERENCES.items():
        if column in records and target in keys and kind(schema, column) == "ref" and column not in typed.derived:
            known, target_file = keys[target]
            record_found.append(checks.reference_problems(records[column], column, known, target_file))
    if first_row is not None:  # a ticket's problem is shown at its first event
        record_found = [f.assign(row=first_row[f["row"].to_numpy()]) for f in record_found]
    found = pd.concat(
        [f for f in row_found + record_found if len(f)] or [checks.problems([], None, None)], ignore_index=True
    )
    rows = found["row"].to_numpy()
    found["record"] = rows if record_of_row is None else record_of_row[rows]
    found = found.drop_duplicates("record", keep="first").sort_values("row", kind="stable")
    keep = np.ones(len(records), bool)
    keep[found["record"].to_numpy()] = False
    frame = _finish(schema, records[keep].reset_index(drop=True))
    key_column = next((c for c in schema.columns if kind(schema, c) == "key"), None)
    key = None if key_column is None else (pd.Index(records[key_column].dropna()), file.name)
    described = _describe(found, rt, name, file.name)
    if table.events:  # name the event log's own columns, not their internal names
        described["column"] = described["column"].replace(
            {EVENT_TIME: table.events.time, EVENT_KIND: table.events.kind}
        )
    return _Loaded(frame, described, len(records), len(rt.frame), rt.ignored, typed.defaults, key)


def _shape_problems(rt) -> list[pd.DataFrame]:
    """Records with another number of fields than the header, and records with no values."""
    width = len(rt.header)
    wrong = np.flatnonzero(rt.fields != width)
    empty = np.array([], dtype=np.int64)
    if rt.frame.shape[1]:
        candidates = np.flatnonzero(rt.frame.iloc[:, 0].isna().to_numpy())
        empty = candidates[rt.frame.iloc[candidates].isna().all(axis=1).to_numpy()]
    return [
        checks.problems(wrong, None, f"wrong number of fields (expected {width})"),
        checks.problems(empty, None, "empty row"),
    ]


def _finish(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes: references become strings; closed label sets get their fixed
    categories, open ones the categories in use, sorted."""
    for name, column in schema.columns.items():
        s = frame[name]
        if kind(schema, name) == "ref":
            frame[name] = to_string(s)
        elif kind(schema, name) == "label":
            cats = column.metadata["categories"]
            used = s.cat.remove_unused_categories()
            frame[name] = s.cat.set_categories(list(cats) if cats else sorted(used.cat.categories))
    return frame


def _describe(found: pd.DataFrame, rt, table: str, file: str) -> pd.DataFrame:
    """Rejected rows with file, physical line and the raw text of the blamed column(s).

    A problem blamed on several columns ("observation_id, item") shows their values joined.
    """
    rows = found["row"].to_numpy()
    value = pd.Series(pd.NA, index=found.index, dtype="string")
    for column, idx in found.groupby("column", sort=False).groups.items():
        parts = [c for c in column.split(", ") if c in rt.frame]
        if not parts:
            continue
        at = found.loc[idx, "row"].to_numpy()
        joined = None
        for part in parts:
            text = rt.frame[part].iloc[at].astype("string").reset_index(drop=True)
            joined = text if joined is None else (joined + ", " + text).fillna(joined).fillna(text)
        value.loc[idx] = joined.to_numpy()
    shape = found["reason"].str.startswith("wrong number of fields").to_numpy(dtype=bool)
    value[shape] = pd.Series(rt.fields[rows[shape]]).astype(str).add(" fields").to_numpy()
    if "value" in found:  # faults found while reading carry their own text
        given = found["value"].notna().to_numpy()
        value[given] = found["value"][given].astype(str).to_numpy()
    return pd.DataFrame(
        {
            "table": table,
            "file": file,
            "line": rt.lines[rows].astype(np.int64),
            "column": found["column"].astype("string").to_numpy(),
            "value": value.to_numpy(),
            "reason": found["reason"].astype("string").to_numpy(),
        },
        columns=list(REJECTED_COLUMNS),
    )
