"""Read a Parquet file as a RawTable whose columns keep their Parquet types.

Method: ``pyarrow.parquet`` reads the columns the table's header maps to canonical names
(source.yaml renames apply to Parquet column names as to CSV headers), dictionary-encoded
where the column has few distinct values. Typed columns (integers, timestamps, booleans,
floats) reach ``cxlib.io.parse`` as typed pandas columns and are checked, not re-parsed; text
columns are parsed like CSV text. The row number in the file (first row = 1) is the ``line``
of a record, unless the file has a ``_line`` column (written by ``cx convert``: the line of
the CSV the row came from).
Reference: Apache Parquet format specification; Apache Arrow, "Reading and Writing the Apache
Parquet Format".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cxlib.io.csvread import RawTable
from cxlib.io.errors import SourceError
from cxlib.io.schemas import SCHEMAS, kind
from cxlib.io.source import TableSource, map_header

__all__ = ["LINE_COLUMN", "arrow_to_raw", "read_parquet"]

LINE_COLUMN = "_line"
"""Column holding each row's line in the CSV it was converted from (``cx convert``)."""


def read_parquet(path: Path, raw: bytes, table: TableSource, categorical: set[str]) -> RawTable:
    """The Parquet file ``raw`` (bytes of ``path``) as a RawTable of typed columns."""
    try:
        pf = pq.ParquetFile(pa.BufferReader(raw))
        names = pf.schema_arrow.names
        header = [n for n in names if n != LINE_COLUMN]
        canonical = map_header(header, table, path.name)
        wanted = [h for h, c in zip(header, canonical) if c is not None]
        schema = SCHEMAS[table.table]
        few = [h for h, c in zip(header, canonical) if c in categorical or (c is not None and kind(schema, c) == "ref")]
        data = pq.read_table(
            pa.BufferReader(raw), read_dictionary=few, columns=wanted + ([LINE_COLUMN] if LINE_COLUMN in names else [])
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise SourceError(
            path.name,
            f"this Parquet file cannot be read ({exc})",
            "a Parquet file written by pyarrow, DuckDB, Spark or pandas",
        ) from None
    return arrow_to_raw(path, data, header, canonical, table, "parquet")


def arrow_to_raw(
    path: Path, data: pa.Table, header: list[str], canonical: list[str | None], table: TableSource, encoding: str
) -> RawTable:
    """A RawTable from an Arrow table of the mapped columns (shared with database reads)."""
    if LINE_COLUMN in data.column_names:
        lines = data.column(LINE_COLUMN).to_numpy(zero_copy_only=False).astype(np.int64)
        data = data.drop_columns([LINE_COLUMN])
    else:
        lines = np.arange(1, data.num_rows + 1, dtype=np.int64)
    rename = dict(zip(header, canonical))
    data = data.rename_columns([rename[n] for n in data.column_names])
    missing = [m for m in table.missing if m != ""]
    columns = []
    for col in data.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            empty = pc.equal(col, "")
            if missing:
                empty = pc.or_(empty, pc.is_in(col, value_set=pa.array(missing)))
            col = pc.if_else(empty, pa.scalar(None, col.type), col)
        columns.append(col)
    data = pa.table(columns, names=data.column_names)
    frame = data.to_pandas(types_mapper=_pandas_type, self_destruct=True)
    ignored = [h for h, c in zip(header, canonical) if c is None]
    width = len(header)
    return RawTable(
        path,
        header,
        ignored,
        frame.reset_index(drop=True),
        lines,
        np.full(len(frame), width, np.int64),
        0,
        encoding,
        ",",
    )


def _pandas_type(arrow_type: pa.DataType):
    """Nullable pandas dtypes for Arrow integers and booleans (no float or object detour)."""
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    return None
