"""From a file's raw text columns to a table's typed columns, as source.yaml says.

Per column, in this order: a constant; a copy of another export column (one column read as
several); a value map (with a default for unmapped values and an entry for the empty value);
a duration before the snapshot turned into a date; the column's own format; otherwise the
plain parsers of ``cxlib.io.parse``. Absent optional columns get their documented default
(``unknown`` for labels, the line number for a response id, one customer per response).

Dates: a date-only value in a datetime column is local midnight. Without an explicit format,
a column holding a date that reads only month-first (``09/30/2021``) is read in no order at
all: its dd/mm-looking values are rejected as of unclear order rather than read half one way.
Everything works on whole columns (categories: on their distinct values).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cxlib.io import checks
from cxlib.io.parse import parse
from cxlib.io.schemas import DATETIME, STRING, canonical_dtype, kind
from cxlib.io.source import EMPTY, EVENT_KIND, EVENT_TIME, TableSource
from cxlib.paths import TIMEZONE

__all__ = ["MONTH_FIRST", "Typed", "map_values", "type_columns"]

MONTH_FIRST = (
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m-%d-%Y",
    "%m-%d-%Y %H:%M",
    "%m-%d-%Y %H:%M:%S",
)
"""Month-first layouts tried on values that fail the default (day-first) formats."""
_DAY_MONTH = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b"


@dataclass
class Typed:
    """A table's typed columns (RangeIndex, one row per record), the problems found while
    typing them, and a note per column that got a default or was derived."""

    frame: pd.DataFrame
    problems: list[pd.DataFrame]
    defaults: list[str]
    derived: set[str]


def type_columns(schema: pa.DataFrameSchema, table: TableSource, raw: pd.DataFrame, lines: np.ndarray) -> Typed:
    """Typed columns of ``schema`` (plus an event log's time and kind) from ``raw`` text.

    ``raw`` has one column per name the header was mapped to (the first name of each export
    column); ``lines`` are the records' line numbers (for derived ids).
    """
    raw = _copies(raw, table)
    plain = replace(table, values={})
    out, problems, notes, derived = {}, [], [], set()
    n = len(raw)
    for name, column in schema.columns.items():
        k = kind(schema, name)
        meta = column.metadata
        if name in table.constants:
            out[name] = _constant(table, name, k, n)
        elif name in raw:
            values, found = _column(raw[name], k, table, plain, name)
            out[name] = values
            problems += found
            if meta["fill"] and values.isna().any():
                notes.append(f"{name}: {meta['fill']} where empty ({int(values.isna().sum()):,})")
                out[name] = _fill(values, meta["fill"])
        elif meta["fill"]:
            out[name] = _fill(pd.Series(pd.NA, index=raw.index, dtype="category"), meta["fill"])
            notes.append(f"{name}: {meta['fill']} (not in the file)")
        elif meta["derive"] == "line":
            out[name] = pd.Series(lines.astype(str), index=raw.index, dtype=STRING)
            notes.append(f"{name}: the record's line number (not in the file)")
            derived.add(name)
        elif meta["derive"]:
            out[name] = out[meta["derive"]].astype("category")
            notes.append(f"{name}: {meta['derive']} (not in the file; one per record)")
            derived.add(name)
        else:
            out[name] = pd.Series(pd.NA, index=raw.index, dtype=canonical_dtype(column))
    if table.events:
        time, found = _column(raw[EVENT_TIME], "datetime", table, plain, EVENT_TIME)
        out[EVENT_TIME] = time
        problems += found
        out[EVENT_KIND] = raw[EVENT_KIND].astype("string").str.strip().str.casefold()
    frame = pd.DataFrame(out, index=pd.RangeIndex(n))
    return Typed(frame, problems, notes, derived)


def _copies(raw: pd.DataFrame, table: TableSource) -> pd.DataFrame:
    """The raw frame with every further name of a multi-name export column as a copy."""
    extra = {t: raw[targets[0]] for targets in table.columns.values() if targets[0] in raw for t in targets[1:]}
    return raw.assign(**extra) if extra else raw


def _fill(values: pd.Series, label: str) -> pd.Series:
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    if label not in values.cat.categories:
        values = values.cat.add_categories([label])
    return values.fillna(label)


def _constant(table: TableSource, name: str, k: str, n: int) -> pd.Series:
    """One value for every record, read as the column's kind (dates in ISO)."""
    text = pd.Series([table.constants[name]], dtype=str)
    iso = replace(table, values={}, date_format=None, datetime_format=None)
    value, bad, reason = parse(text, k, iso, name)
    if bad[0] and k == "datetime":
        value, bad, reason = parse(text, "date", iso, name)
    if bad[0]:
        raise table.fail(
            f"constants.{name}",
            f"constant {table.constants[name]!r} for {name}: {reason}",
            f"a value {name} can hold",
            table.constants[name],
        )
    return pd.Series(value.array.take(np.zeros(n, dtype=np.int64)), dtype=value.dtype)


def _column(text: pd.Series, k: str, table: TableSource, plain: TableSource, name: str):
    """(typed values, problems) of one raw column."""
    mapping, default = table.values.get(name), table.value_defaults.get(name)
    mapped = None
    if mapping or default is not None:
        text, mapped = map_values(text, mapping or {}, default)
    if name in table.durations:
        return _duration(text, table, plain, name)
    dated = k in ("date", "datetime")
    fmt = table.formats.get(name)
    use = replace(plain, date_format=fmt, datetime_format=fmt) if fmt else plain
    values, bad, reason = parse(text, k, use, name)
    if mapped is not None and dated and mapped.any():  # mapped dates are written ISO in yaml
        iso = replace(plain, date_format=None, datetime_format=None)
        again, bad_mapped, _ = parse(text[mapped], k, iso, name)
        values = values.copy()
        values[mapped] = again
        bad = np.where(mapped, False, bad)
        bad[np.flatnonzero(mapped)] = bad_mapped
    if mapping and default is None and reason:  # "… (expected X)" → "… (expected X, or a value …)"
        reason = (
            reason[:-1] + ", or a value mapped in source.yaml)"
            if reason.endswith(")")
            else reason + " and not a value mapped in source.yaml"
        )
    found = []
    if dated and bad.any():
        values, bad, found = _dates_again(text, values, bad, k, use, name)
    if bad.any():
        found.insert(0, checks.problems(np.flatnonzero(bad), name, reason))
    return values, found


def map_values(text: pd.Series, mapping: dict[str, str], default: str | None):
    """(text with export values replaced by their mapped value, mask of replaced records).

    Matching ignores case and surrounding spaces. The key ``""`` maps the empty (missing)
    value; ``default`` replaces every other value not in ``mapping``; a value mapped to ``""``
    becomes missing. Works on the distinct values (a category stays a category).
    """
    if isinstance(text.dtype, pd.CategoricalDtype):
        codes, uniques = text.cat.codes.to_numpy(), pd.Series(text.cat.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(text)
        uniques = pd.Series(uniques, dtype=object)
    keys = uniques.astype(str).str.strip().str.casefold()
    new = keys.map(mapping)
    hit = new.notna().to_numpy()
    if default is not None:
        new = new.where(hit, default)
        hit = np.ones(len(new), bool)
    new = new.where(hit, uniques)
    # one more slot for the missing value (code -1)
    empty = mapping.get(EMPTY)
    new = pd.concat([new, pd.Series([empty if empty is not None else np.nan], dtype=object)], ignore_index=True)
    hit = np.append(hit, empty is not None)
    new = new.where(new.astype(str) != "", np.nan) if len(new) else new
    codes = np.where(codes < 0, len(new) - 1, codes)
    out_codes, out_uniques = pd.factorize(new)
    categories = pd.Index(out_uniques, dtype=str)
    values = pd.Series(pd.Categorical.from_codes(out_codes[codes], categories=categories), index=text.index)
    return values, hit[codes]


def _duration(text: pd.Series, table: TableSource, plain: TableSource, name: str):
    """Dates ``snapshot − duration`` (local midnight) from a column of durations."""
    unit = table.durations[name]
    amount, bad, _ = parse(text, "float", plain, name)
    amount = amount.to_numpy(dtype=float)
    whole = unit in ("months", "years")
    bad = bad | (amount < 0) | (whole & (np.round(amount) != amount) & ~np.isnan(amount))
    amount = np.where(bad, np.nan, amount)
    snap = pd.Timestamp(table.snapshot)
    ok = ~np.isnan(amount)
    dates = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if whole:
        months = amount[ok].astype(np.int64) * (12 if unit == "years" else 1)
        index = snap.year * 12 + snap.month - 1 - months
        first = pd.to_datetime(pd.DataFrame({"year": index // 12, "month": index % 12 + 1, "day": 1}))
        day = np.minimum(snap.day, first.dt.days_in_month.to_numpy())
        dates[ok] = (first + pd.to_timedelta(day - 1, unit="D")).to_numpy()
    else:
        days = amount[ok] * (7 if unit == "weeks" else 1)
        dates[ok] = (snap - pd.to_timedelta(days, unit="D")).normalize().to_numpy()
    local = dates.dt.tz_localize(TIMEZONE, ambiguous=np.ones(len(dates), bool), nonexistent="shift_forward").astype(
        DATETIME
    )
    reason = (
        f"not a duration (expected a {'whole ' if whole else ''}number of {unit} "
        f"before the snapshot {table.snapshot}, not negative)"
    )
    found = [checks.problems(np.flatnonzero(bad), name, reason)] if bad.any() else []
    return local, found


def _dates_again(text, values, bad, k, table: TableSource, name: str):
    """Second look at unreadable dates: a date-only value in a datetime column is local
    midnight; without an explicit format, values that read only month-first mean the column's
    day/month order is unclear, and then none of its dd/mm-looking values is accepted."""
    values = values.copy()
    fmt = table.date_format if k == "date" else table.datetime_format
    if k == "datetime":
        date_fmt = fmt.split(" ")[0] if fmt and "%" in fmt.split(" ")[0] else None
        retry = replace(table, date_format=date_fmt)
        again, still, _ = parse(text[bad], "date", retry, name)
        ok = np.flatnonzero(bad)[~still]
        values.iloc[ok] = again[~still].to_numpy()
        bad = bad.copy()
        bad[ok] = False
    if fmt or not bad.any():
        return values, bad, []
    distinct = pd.Series(pd.unique(text[bad].dropna().astype(str)), dtype=object)
    month_first = pd.Series(False, index=distinct.index)
    for f in MONTH_FIRST:
        month_first |= pd.to_datetime(distinct.str.strip(), format=f, errors="coerce").notna()
    if not month_first.any():
        return values, bad, []
    example = distinct[month_first].iloc[0]
    all_text = text.astype("string")
    parts = all_text.str.extract(_DAY_MONTH).astype("Float64")
    looks = parts[0].notna().to_numpy(dtype=bool)
    day_first = (parts[0] > 12).fillna(False).to_numpy(dtype=bool)
    if day_first.any():
        other = all_text[day_first].iloc[0]
        reason = f"unclear date order: '{other}' is dd/mm but '{example}' is mm/dd; set date_format in source.yaml"
    else:
        reason = (
            f"unclear date order: '{example}' is mm/dd, so no value is read as dd/mm; "
            "set date_format in source.yaml (e.g. %m/%d/%Y)"
        )
    unclear = looks & ~values.isna().to_numpy() | looks & bad
    values[unclear] = pd.NaT
    bad = bad & ~unclear
    return values, bad, [checks.problems(np.flatnonzero(unclear), name, reason)]
