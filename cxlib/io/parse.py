"""Turn a raw text column into its canonical dtype, flagging values that do not parse.

Each parser takes text (NaN = missing) and returns the typed values and a mask of values that
were present but could not be read. Columns read as categories are parsed on their distinct
values only and expanded by their codes, which is what makes 1M-row files fast.

Naive datetimes are Europe/Amsterdam local time. In the hour skipped in March they are moved
forward to 03:00; in the hour repeated in October they are read as the first occurrence
(summer time, +02:00). Datetimes with an offset (``+01:00``, ``Z``) are converted.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cxlib.io.schemas import DATETIME, STRING
from cxlib.io.source import TableSource
from cxlib.paths import TIMEZONE

__all__ = ["DATE_FORMATS", "DATETIME_FORMATS", "SAMPLE_DATETIME", "parse"]

DATE_FORMATS = ("ISO8601", "%d-%m-%Y", "%d/%m/%Y")
DATETIME_FORMATS = ("ISO8601", "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d/%m/%Y %H:%M:%S",
                    "%d/%m/%Y %H:%M")
SAMPLE_DATETIME = "%Y-%m-%dT%H:%M:%S%z"
"""The sample files' datetime layout (docs/architecture.md)."""
_THOUSANDS = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?"
_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)\s*$")


def parse(raw: pd.Series, kind: str, table: TableSource, column: str):
    """(typed values, bad mask, reason) for one raw column of ``kind`` (see schemas).

    References (``ref``) come back as a category of ids; the loader turns them into strings.
    """
    parser, reason = _parser(kind, table)
    mapping = table.values.get(column)
    if mapping and reason:
        reason += " and not a value mapped in source.yaml"

    def run(text: pd.Series):
        if mapping:
            mapped = text.str.strip().str.casefold().map(mapping)
            text = mapped.where(mapped.notna(), text)
        return parser(text)

    if kind == "ref" and not isinstance(raw.dtype, pd.CategoricalDtype):
        codes, uniques = pd.factorize(raw)
        raw = pd.Series(pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=str)),
                        index=raw.index)
    if isinstance(raw.dtype, pd.CategoricalDtype):
        values, bad = _on_categories(raw, run, kind)
    else:
        values, bad = run(raw)
        values = pd.Series(values, index=raw.index, dtype="category" if kind == "label" else None)
    return values, np.asarray(bad, bool), reason


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
        return (lambda s: _integer(s, decimal)), "not a whole number"
    if kind == "float":
        return (lambda s: _numeric(s, decimal)), "not a number" + (
            " (expected a decimal comma)" if decimal == "," else "")
    if kind == "bool":
        return (lambda s: _boolean(s, table)), (
            f"not a boolean (expected one of {', '.join(table.true + table.false)})")
    if kind in ("date", "datetime"):
        fmt = table.date_format if kind == "date" else table.datetime_format
        default = "YYYY-MM-DD or DD-MM-YYYY" if kind == "date" else (
            "ISO 8601 (YYYY-MM-DDTHH:MM[:SS][+HH:MM]) or DD-MM-YYYY HH:MM[:SS]")
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
    """Numbers; with a decimal comma a '.' is read only as a thousands separator (1.234,5)."""
    s = _blank_to_na(s)
    if decimal == ",":
        dotted = s.str.contains(".", regex=False, na=False)
        if dotted.any():
            grouped = s[dotted].str.fullmatch(_THOUSANDS).astype(bool)
            s = s.mask(dotted, s[dotted].str.replace(".", "", regex=False).where(grouped, "x"))
        s = s.str.replace(",", ".", regex=False)
    num = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = s.notna().to_numpy() & ~np.isfinite(num.to_numpy())
    return num.where(~bad), bad


def _integer(s: pd.Series, decimal: str):
    num, bad = _numeric(s, decimal)
    whole = num.isna() | (num == num.round())
    bad = bad | ~whole.to_numpy()
    return num.where(~bad).astype("Int64"), bad


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


def _aware(s: pd.Series, fmt: str) -> pd.Series:
    parsed = pd.to_datetime(s, format=fmt, utc=True, errors="coerce")
    return parsed.dt.tz_convert(TIMEZONE).astype(DATETIME)


def _naive(s: pd.Series, fmt: str) -> pd.Series:
    try:
        parsed = pd.to_datetime(s, format=fmt, errors="coerce")
    except ValueError:  # an offset the tail test missed ("…+01:00 x"): unreadable as a group
        return pd.Series(pd.NaT, index=s.index, dtype=DATETIME)
    if parsed.dt.tz is not None:  # a format such as %Z that carries its own zone
        return parsed.dt.tz_convert(TIMEZONE).astype(DATETIME)
    local = parsed.dt.tz_localize(TIMEZONE, ambiguous=np.ones(len(parsed), bool),
                                  nonexistent="shift_forward")
    return local.astype(DATETIME)
