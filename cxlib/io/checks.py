"""Row-level problems as a frame of (row, column, reason), from pandera and cross-table checks.

pandera validates a typed table lazily; its failure cases carry the row index, which maps them
back to records. Reasons come from each check's ``error`` text; pandera's built-in checks get
plain-language reasons here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

__all__ = ["PROBLEMS", "problems", "schema_problems", "reference_problems", "isin"]

PROBLEMS = ["row", "column", "reason"]


def problems(rows, column, reason) -> pd.DataFrame:
    """A problems frame: ``rows`` (positions) all blamed on ``column`` with ``reason``."""
    rows = np.asarray(rows, dtype=np.int64)
    return pd.DataFrame({"row": rows, "column": column, "reason": reason}, columns=PROBLEMS)


def schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """Failures of ``schema`` on ``frame`` (RangeIndex), in schema order: columns, then rows."""
    try:
        schema.validate(frame, lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return problems([], None, None)
    if cases["index"].isna().any():  # a dtype or presence failure: the loader's own bug
        raise AssertionError(
            f"{schema.name}: frame does not match its schema:\n{cases[cases['index'].isna()].to_string()}"
        )
    columns = list(schema.columns)
    blame = {check.error: check.name for check in schema.checks}
    key = ", ".join(schema.unique or [])
    rows, column, reason, rank = [], [], [], []
    for (context, col, check), group in cases.groupby(["schema_context", "column", "check"], sort=False, dropna=False):
        if context == "Column":
            who, why, order = col, _reason(check, col), columns.index(col)
        elif check == "multiple_fields_uniqueness":
            who, why, order = key, f"duplicate ({key}) (first occurrence kept)", len(columns)
        else:
            who, why = blame[check], check
            order = len(columns) + 1 + [c.error for c in schema.checks].index(check)
        idx = group["index"].astype(np.int64).unique()
        rows.append(idx)
        column += [who] * len(idx)
        reason += [why] * len(idx)
        rank.append(np.full(len(idx), order))
    out = pd.DataFrame({"row": np.concatenate(rows), "column": column, "reason": reason, "rank": np.concatenate(rank)})
    out = out.sort_values(["rank", "row"], kind="stable")
    return out[PROBLEMS].reset_index(drop=True)


def _reason(check: str, column: str) -> str:
    if check == "not_nullable":
        return "missing value (required)"
    if check == "field_uniqueness":
        return f"duplicate {column} (first occurrence kept)"
    return check


def reference_problems(values: pd.Series, column: str, known: pd.Index, file: str) -> pd.DataFrame:
    """Rows whose ``values`` (ids) are not among the ``known`` ids of the table in ``file``."""
    unknown = np.flatnonzero(values.notna().to_numpy() & ~isin(values, known))
    return problems(unknown, column, f"unknown {column} (not in {file})")


def isin(values: pd.Series, keys: pd.Index) -> np.ndarray:
    """``values.isin(keys)`` as a bool array; missing values are never in ``keys``.

    A category is checked once per distinct value; other values with Arrow's hash-based
    ``is_in`` (no detour through Python objects for a million string ids).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        known = np.append(_arrow_isin(values.cat.categories, keys), False)  # code -1 picks False
        return known[values.cat.codes.to_numpy()]
    return _arrow_isin(values, keys)


def _arrow_isin(values, keys) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(pd.Series(values, dtype="str"))
    value_set = pa.array(pd.Series(keys, dtype="str")).drop_null()
    hit = pc.is_in(text, value_set=value_set, skip_nulls=True)
    return hit.fill_null(False).to_numpy(zero_copy_only=False)
