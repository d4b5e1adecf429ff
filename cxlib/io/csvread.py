"""Read one CSV export as raw text, with the physical line number of every record.

Method: the file's bytes are decoded (UTF-8 with or without BOM, UTF-16 with BOM, else cp1252,
or the encoding source.yaml names) and normalised to UTF-8. Records are found with numpy:
a newline ends a record when an even number of double quotes precedes it, so quoted
multi-line comments stay in one record; a record's line number is one plus the newlines before
it. Fields per record are the delimiters outside quotes plus one. pandas' C parser then reads the
values; when its row count disagrees with the record count (malformed quoting), the file is
re-read with Python's csv module, which reports line numbers itself.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.io.errors import SourceError
from cxlib.io.schemas import SCHEMAS
from cxlib.io.source import DELIMITERS, TableSource, header_names, map_header

__all__ = ["RawTable", "decode", "sniff", "read_raw"]

_NL, _QUOTE = 10, 34


@dataclass
class RawTable:
    """A file's records as raw text, before parsing.

    ``frame`` has one column per canonical column found in the header (``ignored`` lists the
    other header fields), values as text (``str``) or a category of text; missing tokens are
    already NaN. ``lines[i]`` is the physical line (1-based, header = its own line)
    where row ``i`` starts and ``fields[i]`` its number of fields.
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


def decode(raw: bytes, file, encoding: str = "auto") -> tuple[bytes, str]:
    """The file's bytes as UTF-8 (no BOM, CRLF turned into LF) and the encoding read with."""
    expected = "UTF-8 or cp1252 text" if encoding == "auto" else f"{encoding} text"
    if raw.startswith(codecs.BOM_UTF8) and encoding in ("auto", "utf-8", "utf-8-sig", "utf8"):
        raw, encoding = raw[len(codecs.BOM_UTF8):], "utf-8"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and encoding == "auto":
        encoding = "utf-16"
    candidates = ["utf-8", "cp1252"] if encoding == "auto" else [encoding]
    for i, enc in enumerate(candidates):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as exc:
            if i + 1 < len(candidates):
                continue
            line, column = _locate(raw, exc.start)
            raise SourceError(file, f"byte 0x{raw[exc.start:exc.start + 1].hex()} cannot be decoded",
                              expected, line=line, column=column) from None
        if "\x00" in text:
            line, column = _locate(raw, raw.find(b"\x00"))
            raise SourceError(file, "contains NUL bytes (a binary file?)",
                              f"a CSV file of {expected}", line=line, column=column)
        if codecs.lookup(enc).name != "utf-8":
            raw = text.encode("utf-8")
        if b"\r\n" in raw:
            raw = raw.replace(b"\r\n", b"\n")
        return raw, codecs.lookup(enc).name
    raise AssertionError("unreachable")


def _locate(raw: bytes, pos: int) -> tuple[int, str | None]:
    """Physical line of byte ``pos`` and, as far as the header tells, its column."""
    line_start = raw.rfind(b"\n", 0, pos) + 1
    header = raw.split(b"\n", 1)[0]
    delimiter = sniff(header)
    names = header.decode("latin-1").strip().split(delimiter)
    index = raw[line_start:pos].count(delimiter.encode())
    column = names[index].strip().strip('"') if index < len(names) else None
    return raw.count(b"\n", 0, pos) + 1, column


def sniff(header: bytes) -> str:
    """The delimiter that occurs most in the header line (',' on a tie)."""
    counts = [header.count(d.encode()) for d in DELIMITERS]
    return DELIMITERS[int(np.argmax(counts))] if max(counts) else ","


def _records(buf: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Record spans (start, stop) and line numbers; quote positions for later use."""
    arr = np.frombuffer(buf, np.uint8)
    newlines = np.flatnonzero(arr == _NL)
    quotes = np.flatnonzero(arr == _QUOTE)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if quotes.size else newlines
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    if starts[-1] >= len(buf):  # file ends with a newline
        starts, stops = starts[:-1], stops[:-1]
    lines = np.searchsorted(newlines, starts) + 1
    return starts, stops, lines, quotes


def _blank(buf: bytes, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """True for records holding only whitespace (pandas skips them; so do we)."""
    blank = np.zeros(len(starts), bool)
    short = np.flatnonzero(stops - starts <= 16)
    blank[short] = [not buf[a:b].strip() for a, b in zip(starts[short], stops[short])]
    return blank


def _fields(buf: bytes, delimiter: str, starts, stops, quotes) -> np.ndarray:
    """Number of fields per record: delimiters outside quotes, plus one.

    All delimiters are counted per record, then those inside quoted regions (between quote
    2k and quote 2k+1) are subtracted from the record where the region opens.
    """
    delims = np.flatnonzero(np.frombuffer(buf, np.uint8) == ord(delimiter))
    count = np.searchsorted(delims, stops) - np.searchsorted(delims, starts)
    if quotes.size:
        opens = quotes[0::2]
        closes = np.append(quotes[1::2], len(buf))[:len(opens)]
        inside = np.searchsorted(delims, closes) - np.searchsorted(delims, opens)
        record = np.searchsorted(starts, opens, side="right") - 1
        count -= np.bincount(record, weights=inside, minlength=len(starts)).astype(np.int64)
    return count + 1


def _quotes_regular(buf: bytes, quotes: np.ndarray, delimiter: str) -> bool:
    """True when every quote opens a field, closes one, or is half of a doubled quote.

    Only then does the quote-parity rule above split records and fields the way a CSV parser
    does; a quote inside an unquoted field (5" screen) sends the file down the exact path.
    """
    if not quotes.size:
        return True
    arr = np.frombuffer(buf, np.uint8)
    edge = np.array([ord(delimiter), _NL, _QUOTE], dtype=np.uint8)
    before = np.where(quotes > 0, arr[np.maximum(quotes - 1, 0)], _NL)
    after = np.where(quotes < len(arr) - 1, arr[np.minimum(quotes + 1, len(arr) - 1)], _NL)
    return bool((np.isin(before, edge) | np.isin(after, edge)).all())


def _split_header(record: bytes, delimiter: str) -> list[str]:
    row = next(csv.reader(io.StringIO(record.decode("utf-8").rstrip("\r\n")), delimiter=delimiter))
    return [name.strip() for name in row]


def read_raw(path: Path, raw: bytes, table: TableSource, categorical: set[str]) -> RawTable:
    """Read ``raw`` (the bytes of ``path``) as text records with canonical column names.

    ``categorical`` names canonical columns to read as a category of text: cheaper for
    low-cardinality columns, whose later parsing then works on the distinct values only.
    """
    buf, encoding = decode(raw, path.name, table.encoding)
    starts, stops, lines, quotes = _records(buf)
    keep = ~_blank(buf, starts, stops)
    starts, stops, lines = starts[keep], stops[keep], lines[keep]
    if not len(starts):
        columns = [n for n, c in SCHEMAS[table.table].columns.items() if c.required]
        raise SourceError(path.name, "file is empty", f"a header row with columns {', '.join(columns)}")
    header_bytes = buf[starts[0]:stops[0]]
    delimiter = sniff(header_bytes) if table.delimiter == "auto" else table.delimiter
    h = min(table.header_rows, len(starts))  # header lines (Qualtrics 3, SurveyMonkey 2)
    header = header_names([_split_header(buf[a:b], delimiter) for a, b in zip(starts[:h], stops[:h])])
    canonical = map_header(header, table, path.name)
    used = {f"f{i}": name for i, name in enumerate(canonical) if name is not None}
    wanted = [f for f, name in used.items() if name in categorical]
    fields = _fields(buf, delimiter, starts, stops, quotes)
    width = max(len(header), int(fields.max()))
    names = [f"f{i}" for i in range(width)]
    frame = None
    if _quotes_regular(buf, quotes, delimiter):
        frame = _read_fast(buf[stops[h - 1] + 1:], delimiter, names, wanted, table.missing)
    if frame is None or len(frame) != len(starts) - h:
        frame, lines, fields = _read_python(buf, delimiter, table.missing, list(used), wanted, h)
    for f in wanted:  # all-true/false categories come back as bools: make them text again
        cats = frame[f].cat.categories
        if cats.dtype == bool:
            frame[f] = frame[f].cat.rename_categories(["true" if c else "false" for c in cats])
    frame = frame[list(used)].rename(columns=used).reset_index(drop=True)
    ignored = [h for h, name in zip(header, canonical) if name is None]
    return RawTable(path, header, ignored, frame, lines[h:], fields[h:], int(lines[0]), encoding,
                    delimiter)


def _read_fast(body: bytes, delimiter: str, names: list[str], wanted: list[str],
               missing) -> pd.DataFrame | None:
    """pandas' C parser on the records after the header; None when it sees more fields in a
    record than were counted (the caller then takes the exact path): one column beyond the
    widest record catches that. Every column is read (pandas' usecols hides extra fields)."""
    names = names + ["overflow"]
    try:
        frame = pd.read_csv(
            io.BytesIO(body), sep=delimiter, header=None, names=names,
            dtype={f: ("category" if f in wanted else str) for f in names},
            keep_default_na=False, na_values=list(missing), index_col=False,
            skip_blank_lines=True, on_bad_lines="error", quotechar='"', encoding="utf-8",
            thousands="\x01",  # any thousands option stops pandas turning "007" categories into 7
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    return None if frame["overflow"].notna().any() else frame


def _read_python(buf: bytes, delimiter: str, missing, used, categorical, header_rows: int = 1):
    """Slow exact path for files whose quoting the fast path cannot follow."""
    reader = csv.reader(io.StringIO(buf.decode("utf-8"), newline=""), delimiter=delimiter)
    rows, lines, previous = [], [], 0
    for row in reader:
        start, previous = previous + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        rows.append(row)
        lines.append(start)
    fields = np.array([len(r) for r in rows], dtype=np.int64)
    width = int(fields.max())
    body = [r + [""] * (width - len(r)) for r in rows[header_rows:]]
    frame = pd.DataFrame(body, columns=[f"f{i}" for i in range(width)], dtype=str)[used]
    frame = frame.where(~frame.isin(list(missing)))
    for name in categorical:
        frame[name] = frame[name].astype("category")
    return frame, np.array(lines, dtype=np.int64), fields
