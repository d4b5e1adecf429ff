"""Helpers shared by the chart modules: group columns, one KPI of a stacked frame, group levels."""

from __future__ import annotations

import pandas as pd


def group_columns(frame: pd.DataFrame) -> list[str]:
    cols = list(frame.columns)
    return cols[: cols.index("period")] if "period" in cols else []


def one_kpi(frame: pd.DataFrame, kpi: str | None) -> tuple[pd.DataFrame, str | None]:
    if "kpi" not in frame.columns:
        return frame, kpi
    kpis = list(pd.unique(frame["kpi"].dropna()))
    if kpi is None:
        if len(kpis) != 1:
            raise ValueError(f"the frame holds several KPIs {kpis}: pass kpi=")
        kpi = str(kpis[0])
    return frame[frame["kpi"] == kpi], kpi


def group_levels(series: pd.Series) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        present = set(series.dropna())
        out = [c for c in series.cat.categories if c in present]
    else:
        out = sorted(series.dropna().unique(), key=str)
    return out + ([None] if series.isna().any() else [])


def rows_of(frame: pd.DataFrame, column: str, level) -> pd.Series:
    return frame[column].isna() if level is None else (frame[column] == level).fillna(False)
