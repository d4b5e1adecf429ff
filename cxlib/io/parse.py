"""Turn a raw text column into its canonical dtype, flagging values that do not parse.

Each parser takes text (NaN = missing) and returns the typed values and a mask of values that
were present but could not be read. Columns read as categories are parsed on their distinct
values only and expanded by their codes, which is what makes 1M-row files fast.

Scores are whole numbers only when written as whole numbers (``1e1`` and ``7.0`` are not).
Dates before 1990 or after the moment of loading are implausible and flagged (except planned
dates, ``PLANNED``). Ids and labels holding a control, zero-width or direction-changing
character are flagged: they would look like another id or label. Typed columns (Parquet,
databases) are checked, not re-parsed.

Naive datetimes are Europe/Amsterdam local time. In the hour skipped in March they are moved
forward to 03:00; in the hour repeated in October they are read as the first occurrence
(summer time, +02:00). Datetimes with an offset (``+01:00``, ``Z``) are converted.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxlib.io.inert import INVISIBLE
from cxlib.io.schemas import DATETIME, STRING
from cxlib.io.source import TableSource
from cxlib.paths import TIMEZONE

__all__ = ["DATE_FORMATS", "DATETIME_FORMATS", "SAMPLE_DATETIME", "parse"]

DATE_FORMATS = ("ISO8601", "%d-%m-%Y", "%d/%m/%Y")
DATETIME_FORMATS = ("ISO8601", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")
SAMPLE_DATETIME = "%Y-%m-%dT%H:%M:%S%z"
"""The sample files' datetime layout (docs/architecture.md)."""
_THOUSANDS = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?"
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)\s*$")
_WHOLE = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)"
WHOLE_REASON = "not a whole number (expected digits, such as 7)"
INVISIBLE_REASON = "invisible or control character (expected printable text)"
EARLIEST = pd.Timestamp("1990-01-01", tz=TIMEZONE)
"""Dates before this are implausible for CX data (a typo such as 0202 or 1900 defaults)."""
PLANNED = frozenset({"due_on"})
"""Date columns that may lie in the future (planned, not observed)."""


def parse(raw: pd.Series, kind: str, table: TableSource, column: str):
    """(typed values, bad mask, reason) for one raw column of ``kind`` (see schemas).

    References (``ref``) come back as a category of ids; the loader turns them into strings.
    """
    if not _is_text(raw):
        return _typed(raw, kind, column)
    parser, reason = _parser(kind, table)
    mapping = table.values.get(column)
    if mapping and reason:  # "... (expected X)" → "... (expected X, or a value mapped in source.yaml)"
        reason = reason[:-1] + ", or a value mapped in source.yaml)"

    def run(text: pd.Series):
        if mapping:
            mapped = text.str.strip().str.casefold().map(mapping)
            text = mapped.where(mapped.notna(), text)
        return parser(text)

    if kind == "ref" and not isinstance(raw.dtype, pd.CategoricalDtype):
        codes, uniques = pd.factorize(raw)
        raw = pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=str)), index=raw.index)
    if isinstance(raw.dtype, pd.CategoricalDtype):
        values, bad = _on_categories(raw, run, kind)
    else:
        values, bad = run(raw)
        values = pd.Series(values, index=raw.index, dtype="category" if kind == "label" else None)
    bad = np.asarray(bad, bool)
    if kind in ("key", "ref", "label"):
        hidden = _invisible(raw)
        if hidden.any():
            bad = bad | hidden
            reason = INVISIBLE_REASON
    elif kind in ("date", "datetime"):
        return _plausible(values, bad, reason, kind, column)
    return values, bad, reason


def _is_text(raw: pd.Series) -> bool:
    dtype = raw.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)


def _invisible(raw: pd.Series) -> np.ndarray:
    """True where an id or label holds a character from INVISIBLE (distinct values only).

    ASCII values need no pattern: for them "invisible" is "not printable" (Arrow's
    ``ascii_is_printable``); the pattern runs on the other values only.
    """
    if isinstance(raw.dtype, pd.CategoricalDtype):
        hit = np.append(_invisible(pd.Series(raw.cat.categories, dtype="str")), False)
        return hit[raw.cat.codes.to_numpy()]
    arr = pa.array(raw.astype("str"), type=pa.large_string())
    ascii_ = pc.fill_null(pc.string_is_ascii(arr), True)
    hidden = pc.and_(ascii_, pc.invert(pc.fill_null(pc.ascii_is_printable(arr), True)))
    if not pc.all(ascii_).as_py():
        pattern = pc.fill_null(pc.match_substring_regex(arr, INVISIBLE), False)
        hidden = pc.or_(hidden, pc.and_(pc.invert(ascii_), pattern))
    return hidden.to_numpy(zero_copy_only=False)


def _plausible(values: pd.Series, bad: np.ndarray, reason, kind: str, column: str):
    """Flag dates before EARLIEST or after now (except PLANNED columns); reasons per bad row."""
    early = (values < EARLIEST).to_numpy(dtype=bool, na_value=False)
    late = np.zeros(len(values), bool)
    if column not in PLANNED:
        late = (values > pd.Timestamp.now(tz=TIMEZONE)).to_numpy(dtype=bool, na_value=False)
    odd = (early | late) & ~bad
    if not odd.any():
        return values, bad, reason
    why = implausible_reason(kind, column)
    bad = bad | odd
    return values, bad, np.where(odd[bad], why, reason)


def implausible_reason(kind: str, column: str) -> str:
    """The reason given for a date or datetime outside EARLIEST .. now (PLANNED: no upper end)."""
    upper = "" if column in PLANNED else " up to the time of loading"
    return f"implausible {kind} (expected from {EARLIEST:%Y-%m-%d}{upper})"


def _typed(raw: pd.Series, kind: str, column: str):
    """(values, bad, reason) for a column that arrives typed (Parquet, a database)."""
    none = np.zeros(len(raw), bool)
    if (
        kind in ("key", "ref", "text", "label")
        or (kind == "bool" and not pd.api.types.is_bool_dtype(raw.dtype))
        or (kind in ("date", "datetime") and not pd.api.types.is_datetime64_any_dtype(raw.dtype))
    ):
        text = raw.astype(STRING).astype("str").where(raw.notna())
        return parse(text, kind, _PLAIN, column)
    if kind == "int":
        if pd.api.types.is_integer_dtype(raw.dtype):
            return raw.astype("Int64"), none, None
        num = pd.to_numeric(raw, errors="coerce").astype("float64")
        bad = (raw.notna() & ~(num == num.round())).to_numpy(bool)
        return num.where(~bad).astype("Int64"), bad, WHOLE_REASON
    if kind == "float":
        num = pd.to_numeric(raw, errors="coerce").astype("float64")
        bad = (raw.notna() & num.isna()).to_numpy(bool)
        return num, bad, "not a number (expected digits and a decimal point, such as 12.50)"
    if kind == "bool":
        return raw.astype("boolean"), none, None
    if kind in ("date", "datetime"):
        if raw.dt.tz is None:
            values = raw.dt.tz_localize(TIMEZONE, ambiguous=np.ones(len(raw), bool), nonexistent="shift_forward")
        else:
            values = raw.dt.tz_convert(TIMEZONE)
        values = values.astype(DATETIME)
        if kind == "date":
            values = values.dt.normalize()
        return _plausible(values, none, None, kind, column)
    raise ValueError(f"unknown column kind {kind!r}")


_PLAIN = TableSource(table="typed", file="")


def to_string(values: pd.Series) -> pd.Series:
    """A category of ids as the ``string`` dtype, by an Arrow take of the categories (no
    Python objects; pandas' astype goes through them)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype(STRING)
    words = pa.array(values.cat.categories.astype("str"), type=pa.large_string())
    codes = pa.array(values.cat.codes.to_numpy(), mask=(values.cat.codes.to_numpy() < 0))
    taken = pc.take(words, codes)
    return pd.Series(pd.array(taken, dtype=STRING), index=values.index)


def _on_categories(raw: pd.Series, run, kind: str):
    """Parse the distinct values of a categorical column and expand them by code.

    A missing value is parsed as one more distinct value (NaN), so every code has a result.
    Labels and references stay categories (references become strings after the checks).
    """
    cats = raw.cat.categories
    codes = raw.cat.codes.to_numpy()
    codes = np.where(codes < 0, len(cats), codes)
    distinct = pd.Series(np.append(cats.to_numpy(dtype=object), np.nan), dtype=str)
    values, bad = run(distinct)
    bad = np.asarray(bad, bool)[codes]
    if kind in ("label", "ref"):
        new_codes, uniques = pd.factorize(values.astype(object))
        out = pd.Categorical.from_codes(new_codes[codes], categories=pd.Index(uniques, dtype=str))
    else:
        out = pd.Series(values).array.take(codes)
    return pd.Series(out, index=raw.index), bad


def _parser(kind: str, table: TableSource):
    if kind in ("key", "ref"):
        return _identifier, None
    if kind == "text":
        return lambda s: (s.astype(STRING), np.zeros(len(s), bool)), None
    if kind == "label":
        return _label, None
    decimal = "," if table.decimal == "," else "."
    if kind == "int":
        return (lambda s: _integer(s, decimal)), WHOLE_REASON
    if kind == "float":
        return (lambda s: _numeric(s, decimal)), (
            "not a number (expected a decimal comma, such as 12,50)"
            if decimal == ","
            else "not a number (expected digits and a decimal point, such as 12.50)"
        )
    if kind == "bool":
        return (lambda s: _boolean(s, table)), (
            f"not a boolean (expected one of {', '.join(table.true + table.false)})"
        )
    if kind in ("date", "datetime"):
        fmt = table.date_format if kind == "date" else table.datetime_format
        default = (
            "YYYY-MM-DD or DD-MM-YYYY"
            if kind == "date"
            else ("ISO 8601 (YYYY-MM-DDTHH:MM[:SS][+HH:MM]) or DD-MM-YYYY HH:MM[:SS]")
        )
        return (lambda s: _moment(s, fmt, kind)), f"unparseable {kind} (expected {fmt or default})"
    raise ValueError(f"unknown column kind {kind!r}")


def _blank_to_na(s: pd.Series) -> pd.Series:
    s = s.str.strip()
    return s.where(s != "")


def _identifier(s: pd.Series):
    return _blank_to_na(s).astype(STRING), np.zeros(len(s), bool)


def _label(s: pd.Series):
    return _blank_to_na(s), np.zeros(len(s), bool)


def _numeric(s: pd.Series, decimal: str):
    """Numbers; with a decimal comma a '.' is read only as a thousands separator (1.234,5).

    Only plain decimal text counts: ``1e3``, ``1.23457E+11`` (Excel's rounded display of a big
    number), ``inf`` and ``0x10`` are not numbers here.
    """
    s = _blank_to_na(s)
    if decimal == ",":
        dotted = s.str.contains(".", regex=False, na=False)
        if dotted.any():
            grouped = s[dotted].str.fullmatch(_THOUSANDS).astype(bool)
            s = s.mask(dotted, s[dotted].str.replace(".", "", regex=False).where(grouped, "x"))
        s = s.str.replace(",", ".", regex=False)
    plain = (s.str.fullmatch(_DECIMAL).astype("boolean").fillna(False) | s.isna()).to_numpy(dtype=bool)
    s = s.where(plain, "x")
    num = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = s.notna().to_numpy() & ~np.isfinite(num.to_numpy())
    return num.where(~bad), bad


def _integer(s: pd.Series, decimal: str):
    """Whole numbers from whole-number text only: ``7``, ``+7``, ``007``; not ``7.0`` or ``1e1``."""
    s = _blank_to_na(s)
    whole = (s.str.fullmatch(_WHOLE).astype("boolean").fillna(False) | s.isna()).to_numpy(dtype=bool)
    num = pd.to_numeric(s.where(whole), errors="coerce")
    bad = s.notna().to_numpy() & (~whole | num.isna().to_numpy())
    return num.astype("Int64"), bad


def _boolean(s: pd.Series, table: TableSource):
    lookup = {**{t: False for t in table.false}, **{t: True for t in table.true}}
    s = _blank_to_na(s)
    keys = s.str.casefold()
    values = keys.map(lookup)
    bad = (s.notna() & values.isna()).to_numpy()
    return values.astype("boolean"), bad


def _moment(s: pd.Series, fmt: str | None, kind: str, strip: bool = True):
    """Tz-aware Europe/Amsterdam values; date-only kinds are floored to local midnight.

    Formats are tried in turn on the values still unparsed; values that fail all of them are
    retried once with surrounding whitespace removed (cheaper than stripping every value).
    """
    if fmt:
        formats = [fmt]
    elif kind == "date":
        formats = list(DATE_FORMATS)
    else:  # the sample's own layout first: exact, fast, and it cannot misread a naive time
        formats = [SAMPLE_DATETIME] + list(DATETIME_FORMATS)
    todo = s.notna().to_numpy()
    out = pd.Series(pd.NaT, index=s.index, dtype=DATETIME)
    for f in formats:
        if not todo.any():
            break
        if todo.all():
            out = _aware(s, f) if f == SAMPLE_DATETIME else _to_local(s, f)
        else:
            part = s[todo]
            out.loc[todo] = _aware(part, f) if f == SAMPLE_DATETIME else _to_local(part, f)
        todo = todo & out.isna().to_numpy()
    if strip and todo.any():
        retry = _blank_to_na(s[todo])
        again, bad = _moment(retry, fmt, kind, strip=False)
        out.loc[todo] = again
        todo[todo] = bad
    if kind == "date":
        out = out.dt.normalize()
    return out, todo


def _to_local(s: pd.Series, fmt: str) -> pd.Series:
    """Parse with one format; offsets are converted, naive values localised (see module doc)."""
    if "%z" in fmt:
        return _aware(s, fmt)
    codes, tails = pd.factorize(s.str.slice(-8))  # few distinct tails: test those only
    has_offset = np.asarray(pd.Index(tails, dtype=str).str.contains(_OFFSET), dtype=bool)[codes]
    if has_offset.all():
        return _aware(s, fmt)
    if not has_offset.any():
        return _naive(s, fmt)
    out = pd.Series(pd.NaT, index=s.index, dtype=DATETIME)
    out.loc[has_offset] = _aware(s[has_offset], fmt)
    out.loc[~has_offset] = _naive(s[~has_offset], fmt)
    return out


CHUNK = 1 << 20
"""Rows parsed per call of pandas' strptime: it turns text into Python strings first, so big
columns are parsed in chunks to keep that copy small (10M rows: ~80 MB instead of ~800 MB)."""


def _aware(s: pd.Series, fmt: str) -> pd.Series:
    if len(s) > CHUNK:
        return pd.concat([_aware(s.iloc[i : i + CHUNK], fmt) for i in range(0, len(s), CHUNK)])
    parsed = pd.to_datetime(s, format=fmt, utc=True, errors="coerce")
    return parsed.dt.tz_convert(TIMEZONE).astype(DATETIME)


def _naive(s: pd.Series, fmt: str) -> pd.Series:
    try:
        parsed = pd.to_datetime(s, format=fmt, errors="coerce")
    except ValueError:  # an offset the tail test missed ("…+01:00 x"): unreadable as a group
        return pd.Series(pd.NaT, index=s.index, dtype=DATETIME)
    if parsed.dt.tz is not None:  # a format such as %Z that carries its own zone
        return parsed.dt.tz_convert(TIMEZONE).astype(DATETIME)
    local = parsed.dt.tz_localize(TIMEZONE, ambiguous=np.ones(len(parsed), bool), nonexistent="shift_forward")
    return local.astype(DATETIME)
