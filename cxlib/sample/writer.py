"""Write sample frames to the on-disk format of docs/architecture.md, fast and byte-stable.

UTF-8, ',' delimiter, '\\n' line ends, header row, minimal RFC 4180 quoting; datetimes as
ISO 8601 with the Amsterdam offset (2026-01-05T09:13:00+01:00); dates YYYY-MM-DD; booleans
true/false; amounts with two decimals; empty field = missing. Columns are formatted with
vectorised numpy/pandas; rows are joined by C-level ``str.join`` (as ``csv.writer`` would), in
chunks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.sample.company import TZ
from cxlib.sample.strings import csv_quote, digits, fixed_width, join, put_digits, to_text

__all__ = [
    "DATE_COLUMNS",
    "CHUNK",
    "format_datetimes",
    "format_integers",
    "format_amounts",
    "format_column",
    "write_csv",
    "write_goals",
]

DATE_COLUMNS = frozenset({"signup_date", "churn_date", "order_date", "submitted_on", "created_on", "due_on", "done_on"})
CHUNK = 500_000
_TEMPLATE = "0000-00-00T00:00:00+00:00"


def format_datetimes(values: pd.Series, date_only: bool) -> np.ndarray:
    """tz-aware datetimes -> ISO strings with offset, or YYYY-MM-DD; NaT -> ''."""
    wall = values.dt.tz_localize(None).to_numpy().astype("datetime64[s]")
    missing = np.isnat(wall)
    wall = np.where(missing, np.datetime64(0, "s"), wall)
    day = wall.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]").astype(np.int64) + 1970
    buf = fixed_width(_TEMPLATE[:10] if date_only else _TEMPLATE, len(wall))
    put_digits(buf, 0, year, 4)
    put_digits(buf, 5, month.astype(np.int64) % 12 + 1, 2)
    put_digits(buf, 8, (day - month.astype("datetime64[D]")).astype(np.int64) + 1, 2)
    if not date_only:
        utc = values.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[s]")
        offset = (wall - np.where(missing, np.datetime64(0, "s"), utc)).astype(np.int64)
        seconds = (wall - day).astype(np.int64)
        put_digits(buf, 11, seconds // 3600, 2)
        put_digits(buf, 14, seconds // 60 % 60, 2)
        put_digits(buf, 17, seconds % 60, 2)
        buf[:, 19] = np.where(offset < 0, ord("-"), ord("+"))
        put_digits(buf, 20, np.abs(offset) // 3600, 2)
        put_digits(buf, 23, np.abs(offset) // 60 % 60, 2)
    text = to_text(buf)
    text[missing] = ""
    return text


def format_integers(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Integers -> decimal strings ('' where missing); small ones via a lookup table."""
    if len(values) and 0 <= values.min() and values.max() < 100:
        text = np.array([str(i) for i in range(100)], dtype=object)[values]
    else:
        text = values.astype(str).astype(object)
    text[missing] = ""
    return text


def format_amounts(values: np.ndarray) -> np.ndarray:
    """Floats -> strings with exactly two decimals ('-12.50'); NaN -> ''."""
    cents = np.round(np.nan_to_num(values) * 100).astype(np.int64)
    text = join(np.where(cents < 0, "-", ""), np.abs(cents) // 100, ".", digits(np.abs(cents) % 100, 2)).astype(object)
    text[np.isnan(values)] = ""
    return text


def format_column(name: str, values: pd.Series) -> np.ndarray:
    """One column as a CSV-ready object array of str ('' for missing, quoted where needed)."""
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return format_datetimes(values.dt.tz_convert(TZ), name in DATE_COLUMNS)
    if isinstance(dtype, pd.CategoricalDtype):
        table = np.append(values.cat.categories.astype(str).to_numpy(dtype=object), "")
        return csv_quote(table)[values.cat.codes.to_numpy()]  # code -1 picks the trailing ''
    if pd.api.types.is_bool_dtype(dtype):
        flags = values.astype("boolean")
        code = np.where(flags.isna().to_numpy(), 2, flags.fillna(False).to_numpy(bool))
        return np.array(["false", "true", ""], dtype=object)[code]
    if pd.api.types.is_integer_dtype(dtype):
        ints = values.astype("Int64")
        return format_integers(ints.fillna(0).to_numpy(np.int64), ints.isna().to_numpy())
    if pd.api.types.is_float_dtype(dtype):
        return format_amounts(values.to_numpy(np.float64))
    return csv_quote(values.to_numpy(dtype=object, na_value=""))


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as a sample CSV file, CHUNK rows at a time."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(csv_quote(np.array(frame.columns, dtype=object))) + "\n")
        for start in range(0, len(frame), CHUNK):
            part = frame.iloc[start : start + CHUNK]
            cells = [format_column(c, part[c]) for c in frame.columns]
            handle.write("\n".join(map(",".join, zip(*cells))) + "\n")
    return path


def write_goals(goals: pd.DataFrame, path: Path) -> Path:
    """goals.yaml from the tidy goals frame (goal, kpi, target, direction, cadence)."""
    lines = ["# Goals of the sample company and their KPIs (keys from the KPI catalogue).", "goals:"]
    for name, kpis in goals.groupby("goal", sort=False):
        lines += [f"  - name: {name}", "    kpis:"]
        lines += [
            f"      - {{kpi: {k.kpi}, target: {k.target:g}, direction: {k.direction}, cadence: {k.cadence}}}"
            for k in kpis.itertuples()
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
