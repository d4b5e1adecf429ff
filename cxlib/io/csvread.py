"""Read one CSV export as raw text, with the physical line number of every record.

Method, in three steps that each do one job:

1. ``cxlib.io.decode``: bytes → UTF-8 with LF line ends; undecodable bytes are kept track of
   (per line, never a whole-file fallback).
2. ``cxlib.io.records``: the physical records, found with numpy from the quotes and line ends
   alone, independently of any CSV parser. This count is the ``read`` of the summary; quoting
   faults (a quote that runs away, a malformed closing quote) are cut off at their line so
   that nothing is swallowed.
3. Values: Arrow's multithreaded CSV parser (``pyarrow.csv``) reads the well-formed records.
   Line ends inside quoted fields are first swapped for NUL (never present in a decoded file)
   so that Arrow can split blocks on line ends in parallel, and swapped back after. Records
   Arrow cannot take as they are (cut-off runaway quotes, fields over ``MAX_FIELD_BYTES``,
   another number of fields than the header) are read one by one with Python's ``csv``
   module. When Arrow's row count disagrees with the record count, every record is read that
   way: slower, never wrong.

Faults found while reading become rows of ``RawTable.problems`` (row, column, reason, value),
which the loader reports before any other problem of the same record.
Reference: RFC 4180 (CSV); Apache Arrow, "Reading CSV files" (pyarrow.csv).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from cxlib.io import records as rec_mod
from cxlib.io.decode import Decoded, decode
from cxlib.io.errors import SourceError
from cxlib.io.schemas import SCHEMAS, kind
from cxlib.io.source import DELIMITERS, TableSource, header_names, map_header

__all__ = ["MAX_FIELD_BYTES", "PROBLEM_COLUMNS", "RawTable", "decode_text", "read_raw", "sniff"]

MAX_FIELD_BYTES = 1 << 20
"""The longest field read (1 MiB, in UTF-8 bytes); a record with a longer field is rejected."""
PROBLEM_COLUMNS = ["row", "column", "reason", "value"]
_NL = 10
_SNIPPET = 80


@dataclass
class RawTable:
    """A file's records as raw text, before parsing.

    ``frame`` has one column per canonical column found in the header (``ignored`` lists the
    other header fields), values as text or a category of text (or already typed, for
    Parquet and databases); missing tokens are already missing. ``lines[i]`` is the physical
    line (1-based, header = its own line) where row ``i`` starts and ``fields[i]`` its number
    of fields. ``problems`` lists faults found while reading (row, column, reason, value).
    """

    file: Path
    header: list[str]
    ignored: list[str]
    frame: pd.DataFrame
    lines: np.ndarray
    fields: np.ndarray
    header_line: int
    encoding: str
    delimiter: str
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))


def sniff(header: bytes) -> str:
    """The delimiter that occurs most in the header line (',' on a tie)."""
    counts = [header.count(d.encode()) for d in DELIMITERS]
    return DELIMITERS[int(np.argmax(counts))] if max(counts) else ","


def read_raw(
    path: Path, raw: bytes, table: TableSource, categorical: set[str], max_field: int = MAX_FIELD_BYTES
) -> RawTable:
    """Read ``raw`` (the bytes of ``path``) as text records with canonical column names.

    ``categorical`` names canonical columns to read as a category of text: cheaper for
    low-cardinality columns, whose later parsing then works on the distinct values only
    (references are always read so: their ids are hashed once). The format is recognised
    from the first bytes (``cxlib.io.readers``): Parquet and .xlsx are read by their own
    readers; formats that cannot be read are named in a SourceError.
    """
    other = read_other(path, raw, table, categorical)
    if other is not None:
        return other
    schema = SCHEMAS[table.table]
    categorical = set(categorical) | {c for c in schema.columns if kind(schema, c) == "ref"}
    dec = decode(raw, path.name, table.encoding)
    buf = dec.buf
    delimiter = table.delimiter if table.delimiter != "auto" else sniff(_first_line(buf))
    recs = rec_mod.scan(buf, delimiter)
    if not len(recs):
        columns = [n for n, c in SCHEMAS[table.table].columns.items() if c.required]
        raise SourceError(path.name, "file is empty", f"a header row with columns {', '.join(columns)}")
    h = min(table.header_rows, len(recs))  # header lines (Qualtrics 3, SurveyMonkey 2)
    header = header_names([_header(path.name, buf, recs, dec, delimiter, i) for i in range(h)])
    canonical = map_header(header, table, path.name)
    body = recs.take(slice(h, None))
    width = len(header)
    used = {i: name for i, name in enumerate(canonical) if name is not None}
    frame, fields = _values(buf, body, delimiter, width, used, categorical, table.missing, max_field)
    names = [canonical[i] or header[i] for i in range(width)]
    problems = _problems(buf, body, dec, delimiter, names, frame, fields, max_field)
    ignored = [h for h, name in zip(header, canonical) if name is None]
    return RawTable(
        path, header, ignored, frame, body.lines, fields, int(recs.lines[0]), dec.encoding, delimiter, problems
    )


def decode_text(raw: bytes, file, encoding: str = "auto") -> tuple[bytes, str]:
    """(UTF-8 bytes with LF line ends, encoding read with): for inspecting a file without
    reading records (undecodable bytes are U+FFFD there; ``cxlib.io.decode`` keeps them)."""
    dec = decode(raw, file, encoding)
    return dec.buf, dec.encoding


def read_other(path: Path, raw: bytes, table: TableSource, categorical: set[str]):
    """A RawTable for Parquet or .xlsx bytes, None for text; SourceError for other formats."""
    from cxlib.io import readers

    return readers.read_other(path, raw, table, categorical)


def _first_line(buf: bytes) -> bytes:
    for line in buf.split(b"\n", 64):
        if line.strip():
            return line
    return b""


def _header(file: str, buf: bytes, recs, dec: Decoded, delimiter: str, i: int = 0) -> list[str]:
    """The fields of header line ``i`` (record ``i``), stripped."""
    start, stop = int(recs.starts[i]), int(recs.stops[i])
    line = int(recs.lines[i])
    if recs.fault[i]:
        raise SourceError(
            file, "the header row has an unclosed or malformed quote", "a header row of column names", line=line
        )
    bad = dec.bad[(dec.bad >= start) & (dec.bad < stop)]
    if bad.size:
        raise SourceError(
            file,
            f"byte 0x{int(dec.bad_bytes[dec.bad == bad[0]][0]):02x} cannot be decoded in the header row",
            dec.expected,
            line=line,
        )
    row = next(csv.reader([buf[start:stop].decode("utf-8")], delimiter=delimiter), [])
    return [name.strip() for name in row]


# --- values ----------------------------------------------------------------------------------


def _values(
    buf: bytes, body, delimiter: str, width: int, used: dict[int, str], categorical: set[str], missing, max_field: int
):
    """(frame of the used columns, fields per record) for the body records."""
    n = len(body)
    exact = (body.fault == rec_mod.UNCLOSED) | (body.stops - body.starts > max_field)
    fields = np.full(n, width, np.int64)
    fast = np.flatnonzero(~exact)
    table, invalid = _arrow(buf, body, fast, delimiter, width, used, categorical, missing)
    if invalid:  # Arrow skipped rows with another number of fields: find them ourselves
        counts = rec_mod.field_counts(buf, delimiter, body.take(fast))
        wrong = counts != width
        fields[fast] = counts
        if table is not None and table.num_rows == int((~wrong).sum()):
            exact[fast[wrong]] = True
            fast = fast[~wrong]
        else:
            table = None
    if table is None or table.num_rows != fast.size:  # disagreement: read every record exactly
        exact[:] = True
        fast = fast[:0]
        table = None
    columns = [used[i] for i in sorted(used)]
    parts, order = [], []
    if table is not None and fast.size:
        parts.append(_to_pandas(table, columns, categorical))
        order.append(fast)
    slow = np.flatnonzero(exact)
    if slow.size:
        rows = _read_exact(buf, body.starts[slow], body.stops[slow], delimiter)
        fields[slow] = [len(r) for r in rows]
        parts.append(_exact_frame(rows, width, used, missing))
        order.append(slow)
    if not parts:
        frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in columns})
    elif len(parts) == 1:
        frame = parts[0]
    else:
        frame = pd.concat([p.astype("str") for p in parts], ignore_index=True)
        frame = frame.iloc[np.argsort(np.concatenate(order), kind="stable")]
    frame = frame.reset_index(drop=True)
    for name in columns:
        if name in categorical and not isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype("category")
    return frame, fields


def _arrow(buf: bytes, body, rows: np.ndarray, delimiter: str, width: int, used, categorical, missing):
    """(Arrow table of ``rows`` of ``body``, number of rows Arrow found invalid)."""
    if not rows.size:
        return None, 0
    data = _arrow_input(buf, body, rows)
    names = [f"f{i}" for i in range(width)]
    text = pa.string()
    types = {f"f{i}": pa.dictionary(pa.int32(), text) if name in categorical else text for i, name in used.items()}
    invalid = []

    def skip(row) -> str:
        invalid.append(row.actual_columns)
        return "skip"

    block = int(min(max(16 << 20, 2 * (body.stops - body.starts).max(initial=0)), 1 << 30))
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=block, use_threads=True),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=True,
                invalid_row_handler=skip,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                include_columns=list(types),
                null_values=list(dict.fromkeys(missing)),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None, 0
    if body.inner.size:
        table = _restore_newlines(table, _inner_columns(buf, body, delimiter, used), body.inner.size)
    return table, len(invalid)


def _inner_columns(buf: bytes, body, delimiter: str, used: dict[int, str]) -> list[str]:
    """Arrow column names (``f<i>``) of the quoted fields that hold line ends, by counting the
    delimiters before each such field in its record (a guess: quoted delimiters earlier in the
    record miscount it; the caller checks the number of line ends restored)."""
    k = np.searchsorted(body.opens, body.inner, side="right") - 1
    opens = np.unique(body.opens[k[k >= 0]])
    rec = np.searchsorted(body.starts, opens, side="right") - 1
    opens, starts = opens[rec >= 0], body.starts[rec[rec >= 0]]
    lengths = opens - starts
    total = int(lengths.sum())
    if not total:
        return [f"f{i}" for i in sorted(used)][:1]
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    prefix = np.frombuffer(buf, np.uint8)[np.arange(total) + offsets]
    ends = np.cumsum(lengths)
    hits = np.concatenate(([0], np.cumsum(prefix == ord(delimiter))))
    index = np.unique(hits[ends] - hits[ends - lengths])
    return [f"f{i}" for i in index.tolist() if i in used]


def _arrow_input(buf: bytes, body, rows: np.ndarray) -> memoryview | bytes:
    """The bytes of ``rows`` (each with its line end), line ends inside quotes made NUL.

    Without faults, blank lines or skipped records this is one copy of the body (or none).
    """
    arr = np.frombuffer(buf, np.uint8)
    start, stop = int(body.starts[rows[0]]), int(body.stops[rows[-1]])
    gaps = body.starts[rows[1:]] - body.stops[rows[:-1]]
    contiguous = rows.size == len(body) and (gaps == 1).all()
    inner = body.inner[(body.inner >= start) & (body.inner < stop)]
    if contiguous and not inner.size:
        return memoryview(buf)[start:stop]
    out = arr.copy() if inner.size or not contiguous else arr
    out[inner] = 0
    if contiguous:
        return out[start:stop].data
    keep = np.zeros(arr.size + 1, np.int8)
    keep[body.starts[rows]] += 1  # each record from its start through its line end
    keep[np.minimum(body.stops[rows] + 1, arr.size)] -= 1
    return out[np.cumsum(keep[:-1]).astype(bool)].tobytes()


def _restore_newlines(table: pa.Table, guess: list[str], expected: int) -> pa.Table:
    """NUL back to line ends: in the ``guess`` columns, or in every column when the number
    of line ends restored there is not ``expected``."""
    count = 0
    columns = dict(zip(table.column_names, table.columns))
    for name in guess:
        columns[name], n = _restore_column(columns[name])
        count += n
    if count != expected:
        for name in table.column_names:
            if name not in guess:
                columns[name], n = _restore_column(columns[name])
    return pa.table(list(columns.values()), names=table.column_names)


def _restore_column(col: pa.ChunkedArray) -> tuple[pa.ChunkedArray, int]:
    """(column with NUL made line ends, number of NULs), dictionary columns on their words."""
    if pa.types.is_dictionary(col.type):
        chunks = [
            pa.DictionaryArray.from_arrays(c.indices, pc.replace_substring(c.dictionary, "\x00", "\n"))
            for c in col.chunks
        ]
        counts = [pc.sum(pc.take(pc.count_substring(c.dictionary, "\x00"), c.indices)).as_py() or 0 for c in col.chunks]
        return pa.chunked_array(chunks, col.type), int(sum(counts))
    n = pc.sum(pc.count_substring(col, "\x00")).as_py() or 0
    return (pc.replace_substring(col, "\x00", "\n") if n else col), int(n)


def _to_pandas(table: pa.Table, columns: list[str], categorical: set[str]) -> pd.DataFrame:
    frame = table.to_pandas(self_destruct=True)
    frame.columns = columns
    return frame


def _read_exact(buf: bytes, starts, stops, delimiter: str) -> list[list[str]]:
    """Each record read on its own by Python's csv module (slow, exact)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, int((stops - starts).max(initial=0)) + 1))
    try:
        return [
            next(csv.reader([buf[a:b].decode("utf-8")], delimiter=delimiter), [])
            for a, b in zip(starts.tolist(), stops.tolist())
        ]
    finally:
        csv.field_size_limit(limit)


def _exact_frame(rows: list[list[str]], width: int, used: dict[int, str], missing) -> pd.DataFrame:
    padded = [r[:width] + [""] * (width - len(r)) for r in rows]
    frame = pd.DataFrame({name: pd.Series([r[i] for r in padded], dtype="str") for i, name in sorted(used.items())})
    return frame.where(~frame.isin(list(missing)))


# --- faults found while reading -----------------------------------------------------------


def _problems(
    buf: bytes,
    body,
    dec: Decoded,
    delimiter: str,
    names: list[str],
    frame: pd.DataFrame,
    fields: np.ndarray,
    max_field: int,
) -> pd.DataFrame:
    """Read faults per record, in the order the loader reports them (first one wins)."""
    out = []
    for code in (rec_mod.UNCLOSED, rec_mod.MALFORMED):
        for row in np.flatnonzero(body.fault == code):
            at = int(body.fault_at[row])
            start = _field_start(body, at, delimiter, buf)
            column = _column_at(buf, int(body.starts[row]), start, delimiter, names)
            if code == rec_mod.UNCLOSED:
                first, last = int(body.lines[row]), int(body.runs_to[row])
                reason = (
                    f"unclosed quote (the field opened on line {first} would run to line "
                    f"{last}; expected a closing quote before the end of the line)"
                )
            else:
                reason = (
                    'malformed quoting (expected "" for a quote inside a quoted field and '
                    "a delimiter or line end after the closing quote)"
                )
            out.append((row, column, reason, _snippet(buf, start)))
    if dec.bad.size:
        rec = np.searchsorted(body.starts, dec.bad, side="right") - 1
        inside = (rec >= 0) & (dec.bad < body.stops[np.maximum(rec, 0)])
        for row in np.unique(rec[inside]):
            mine = inside & (rec == row)
            at = int(dec.bad[mine][0])
            values = " ".join(f"\\x{int(b):02x}" for b in dec.bad_bytes[mine][:8])
            start = _field_start(body, at, delimiter, buf)
            out.append(
                (
                    int(row),
                    _column_at(buf, int(body.starts[row]), start, delimiter, names),
                    f"undecodable bytes {values} (expected {dec.expected})",
                    _escaped(buf, start, dec.bad[mine], dec.bad_bytes[mine], delimiter),
                )
            )
    for row in np.flatnonzero(body.stops - body.starts > max_field):
        fields_text = _read_exact(buf, body.starts[row : row + 1], body.stops[row : row + 1], delimiter)[0]
        sizes = [len(f.encode("utf-8")) for f in fields_text]
        too_long = [i for i, s in enumerate(sizes) if s > max_field]
        if too_long:
            i = too_long[0]
            column = names[i] if i < len(names) else None
            reason = f"field too long ({sizes[i]:,} bytes; expected at most {max_field:,} bytes)"
            out.append((int(row), column, reason, _cut(fields_text[i])))
    return pd.DataFrame(out, columns=PROBLEM_COLUMNS).astype({"row": np.int64})


def _field_start(body, at: int, delimiter: str, buf: bytes) -> int:
    """Start of the field holding byte ``at``: after the last delimiter outside quotes."""
    k = np.searchsorted(body.opens, at, side="right") - 1
    if k >= 0 and at <= body.closes[k]:
        return int(body.opens[k])  # inside a quoted field: its opening quote
    line_start = buf.rfind(b"\n", 0, at) + 1
    return max(buf.rfind(delimiter.encode(), 0, at) + 1, line_start)


def _column_at(buf: bytes, record_start: int, field_start: int, delimiter: str, names: list[str]) -> str | None:
    prefix = buf[record_start:field_start].decode("utf-8", "replace")
    index = len(next(csv.reader([prefix + "x"], delimiter=delimiter), [""])) - 1
    return names[index] if index < len(names) else None


def _snippet(buf: bytes, start: int) -> str:
    end = buf.find(b"\n", start)
    return _cut(buf[start : end if end >= 0 else len(buf)].decode("utf-8", "replace"))


def _escaped(buf: bytes, start: int, bad: np.ndarray, values: np.ndarray, delimiter: str) -> str:
    """The field from ``start`` with each undecodable byte shown as ``\\xNN``."""
    end = len(buf)
    for stop_char in (b"\n", delimiter.encode()):
        k = buf.find(stop_char, max(start, int(bad[-1]) + 3) if bad.size else start)
        if k >= 0:
            end = min(end, k)
    parts, pos = [], start
    for at, value in zip(bad.tolist(), values.tolist()):
        if start <= at < end:
            parts += [buf[pos:at].decode("utf-8", "replace"), f"\\x{value:02x}"]
            pos = at + 3
    parts.append(buf[pos:end].decode("utf-8", "replace"))
    return _cut("".join(parts))


def _cut(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"
