"""Shared plumbing for the chart functions: ordering, groups, suppression, baseline, output."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlib.monitor.western_electric import western_electric

_BASE = "__baseline__"


@dataclass(frozen=True)
class Prepared:
    """A KPI frame ready for charting: sorted by group and period, one int code per group."""

    frame: pd.DataFrame
    keys: list[str]
    period_col: str
    group: np.ndarray  # int group code per row, rows of a group contiguous
    suppressed: np.ndarray  # bool, from the frame's ``suppressed`` column
    in_baseline: np.ndarray  # bool, the row's period is in the baseline (before validity)

    def number(self, column: str) -> np.ndarray:
        """A column as float64, missing values as NaN."""
        return self.frame[column].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)

    def group_sum(self, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Per-row sum of ``values`` over the rows of its group where ``mask`` holds."""
        sums = np.bincount(self.group, weights=np.where(mask, values, 0.0), minlength=self.group.max() + 1)
        return sums[self.group]


def prepare(data: pd.DataFrame, period_col: str, by, columns: list[str], baseline) -> Prepared:
    """Check columns, sort by group and period, and resolve suppression and the baseline.

    ``baseline`` is None (all periods), a collection of period labels, or a boolean
    array-like with one value per row of ``data``.
    """
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    missing = [c for c in [*keys, period_col, *columns] if c not in data.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the frame; it has {list(data.columns)}")
    if len(data) == 0:
        raise ValueError("the frame is empty: nothing to chart")
    frame = data.copy()
    frame[_BASE] = _baseline_mask(data, period_col, baseline)
    frame = frame.sort_values([*keys, period_col], kind="stable").reset_index(drop=True)
    dup = frame.duplicated([*keys, period_col])
    if dup.any():
        row = frame.loc[dup.idxmax(), [*keys, period_col]].to_dict()
        raise ValueError(f"more than one row for {row}; chart one series per group (pass by=)")
    group = (
        frame.groupby(keys, sort=False, observed=True, dropna=False).ngroup().to_numpy(dtype=np.int64)
        if keys
        else np.zeros(len(frame), dtype=np.int64)
    )
    suppressed = (
        frame["suppressed"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        if "suppressed" in frame.columns
        else np.zeros(len(frame), dtype=bool)
    )
    in_baseline = frame.pop(_BASE).to_numpy(dtype=bool)
    return Prepared(frame, keys, period_col, group, suppressed, in_baseline)


def _baseline_mask(data: pd.DataFrame, period_col: str, baseline) -> np.ndarray:
    if baseline is None:
        return np.ones(len(data), dtype=bool)
    if isinstance(baseline, (str, bytes)):
        baseline = [baseline]
    values = np.asarray(list(baseline))
    if values.dtype == bool:
        if len(values) != len(data):
            raise ValueError(f"boolean baseline has {len(values)} values for {len(data)} rows")
        return values
    mask = data[period_col].isin(list(values)).to_numpy(dtype=bool)
    if not mask.any():
        raise ValueError(f"no period of the frame is in the baseline {list(values)}")
    return mask


def assemble(
    s: Prepared,
    chart: str,
    columns: dict[str, np.ndarray],
    valid: np.ndarray,
    base: np.ndarray,
    z: np.ndarray,
    rules,
    L: float = 3.0,
) -> pd.DataFrame:
    """The tidy chart frame: groups, period, kpi, chart, statistics, flags and rule texts."""
    ident = [*s.keys, s.period_col] + (["kpi"] if "kpi" in s.frame.columns and "kpi" not in s.keys else [])
    out = s.frame[ident].copy()
    out["chart"] = chart
    for name, values in columns.items():
        out[name] = values
    out["z"] = np.where(valid, z, np.nan)
    out["suppressed"] = ~valid
    out["baseline"] = base
    flags = western_electric(out["z"], s.group, rules=rules, L=L)
    return pd.concat([out, flags.set_axis(out.index)], axis=1)
