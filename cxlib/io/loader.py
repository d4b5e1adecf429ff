"""`load`: read, map and validate a folder of CSV exports into a CXData.

Per table: read raw text with line numbers (csvread), parse each column into its canonical dtype
(parse), check the typed frame with its pandera schema (checks), then check references to the
tables loaded before it (customers, teams): an id must be in that file, whether or not its own
record there was accepted. Each rejected record gets one row in ``rejected``
with the first problem found, in this order: the record's shape (field count, empty row),
unparseable values (column order), schema checks (column order, then row checks),
references. Duplicates are judged on all records read: the first is kept as the record, later
ones are rejected even if the first is itself rejected for another reason.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cxlib.io import checks
from cxlib.io.csvread import read_raw
from cxlib.io.cxdata import REJECTED_COLUMNS, SUMMARY_COLUMNS, CXData
from cxlib.io.errors import SourceError
from cxlib.io.parse import parse
from cxlib.io.schemas import REFERENCES, SCHEMAS, canonical_dtype, empty_frame, few_distinct, kind
from cxlib.io.source import TableSource, read_source
from cxlib.paths import SAMPLE_DATA

__all__ = ["GOALS_FILE", "load", "fingerprint"]

GOALS_FILE = "goals.yaml"


def load(path: str | Path | None = None, source=None) -> CXData:
    """Load the data folder ``path`` (default: the sample company, data/sample/).

    ``source`` is a Source, a mapping in source.yaml form, or a path to a yaml file; by default
    ``path/source.yaml`` is used when it exists. customers.csv and responses.csv are required;
    other tables are optional and empty (with canonical columns and dtypes) when absent.
    Raises SourceError for whole-file problems; row-level problems end up in ``rejected``.

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
    folder = Path(SAMPLE_DATA if path is None else path)
    if not folder.is_dir():
        raise SourceError(folder, "data folder not found", "a folder with customers.csv and "
                          "responses.csv")
    src = read_source(folder, source)
    read: dict[str, bytes] = {}
    tables, rejected, summary, keys, files = {}, [], [], {}, {}
    for name, schema in SCHEMAS.items():
        table = src.tables[name]
        file = folder / table.file
        if not file.is_file():
            if schema.metadata["required"]:
                wanted = ", ".join(n for n, c in schema.columns.items() if c.required)
                raise SourceError(table.file, f"required file not found in {folder}",
                                  f"a CSV file with columns {wanted}")
            tables[name] = empty_frame(schema)
            summary.append((name, pd.NA, 0, 0, 0, ""))
            continue
        read[table.file] = raw = file.read_bytes()
        files[name] = file
        frame, bad, read_count, ignored, key = _load_table(schema, table, file, raw, keys)
        tables[name] = frame
        keys[name] = key
        rejected.append(bad)
        summary.append((name, table.file, read_count, read_count - len(bad), len(bad),
                        ", ".join(ignored)))
    goals = folder / GOALS_FILE
    for extra in (src.path, goals):
        if extra is not None and extra.is_file():
            read[extra.name] = extra.read_bytes()
    return CXData(
        **tables,
        rejected=_rejected_frame(rejected),
        summary=_summary_frame(summary),
        path=folder,
        fingerprint=fingerprint(read),
        goals_path=goals if goals.is_file() else None,
        files=files,
    )


def fingerprint(contents: dict[str, bytes]) -> str:
    """sha256 over (name, size, bytes) of each file, in name order: stable across runs."""
    digest = hashlib.sha256()
    for name in sorted(contents):
        data = contents[name]
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _load_table(schema: pa.DataFrameSchema, table: TableSource, file: Path, raw: bytes,
                keys: dict):
    """(accepted frame, rejected rows, rows read, ignored header fields, key pair).

    The key pair (all ids read, file name) lets later tables check their references to this one.
    """
    categorical = {c for c in schema.columns if few_distinct(schema, c)}
    rt = read_raw(file, raw, table, categorical)
    if table.decimal == "auto":  # Excel writes decimal commas where it separates with ';'
        table = replace(table, decimal="," if rt.delimiter == ";" else ".")
    found = _shape_problems(rt)
    typed, unreadable = _parse_columns(schema, table, rt.frame)
    found += unreadable
    found.append(checks.schema_problems(schema, typed))
    for column, target in REFERENCES.items():
        if column in typed and target in keys and kind(schema, column) == "ref":
            known, target_file = keys[target]
            found.append(checks.reference_problems(typed[column], column, known, target_file))
    found = (pd.concat([f for f in found if len(f)] or [checks.problems([], None, None)],
                       ignore_index=True)
             .drop_duplicates("row", keep="first").sort_values("row", kind="stable"))
    keep = np.ones(len(typed), bool)
    keep[found["row"].to_numpy()] = False
    frame = _finish(schema, typed[keep].reset_index(drop=True))
    key_column = next((c for c in schema.columns if kind(schema, c) == "key"), None)
    key = None if key_column is None else (pd.Index(typed[key_column].dropna()), file.name)
    return frame, _describe(found, rt, schema.name, file.name), len(typed), rt.ignored, key


def _shape_problems(rt) -> list[pd.DataFrame]:
    """Records with another number of fields than the header, and records with no values."""
    width = len(rt.header)
    wrong = np.flatnonzero(rt.fields != width)
    empty = np.array([], dtype=np.int64)
    if rt.frame.shape[1]:
        candidates = np.flatnonzero(rt.frame.iloc[:, 0].isna().to_numpy())
        empty = candidates[rt.frame.iloc[candidates].isna().all(axis=1).to_numpy()]
    return [checks.problems(wrong, None, f"wrong number of fields (expected {width})"),
            checks.problems(empty, None, "empty row")]


def _parse_columns(schema: pa.DataFrameSchema, table: TableSource, raw: pd.DataFrame):
    """(typed frame with every canonical column, problems of values that do not parse)."""
    typed, found = {}, []
    for name, column in schema.columns.items():
        if name not in raw:
            typed[name] = pd.Series(pd.NA, index=raw.index, dtype=canonical_dtype(column))
            continue
        values, bad, reason = parse(raw[name], kind(schema, name), table, name)
        typed[name] = values
        if bad.any():
            found.append(checks.problems(np.flatnonzero(bad), name, reason))
    return pd.DataFrame(typed, index=pd.RangeIndex(len(raw))), found


def _finish(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical dtypes: references become strings; closed label sets get their fixed
    categories, open ones the categories in use, sorted."""
    for name, column in schema.columns.items():
        s = frame[name]
        if kind(schema, name) == "ref":
            frame[name] = s.astype(canonical_dtype(column))
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
    return pd.DataFrame({
        "table": table, "file": file, "line": rt.lines[rows].astype(np.int64),
        "column": found["column"].astype("string").to_numpy(), "value": value.to_numpy(),
        "reason": found["reason"].astype("string").to_numpy(),
    }, columns=list(REJECTED_COLUMNS))


def _rejected_frame(parts: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=list(REJECTED_COLUMNS))
    return frame.astype({"table": "string", "file": "string", "line": "Int64",
                         "column": "string", "value": "string", "reason": "string"})


def _summary_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    return frame.astype({"table": "string", "file": "string", "read": "int64",
                         "accepted": "int64", "rejected": "int64",
                         "ignored_columns": "string"})
