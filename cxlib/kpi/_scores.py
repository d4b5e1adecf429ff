"""Reading bounded integer score columns (NPS 0–10, CSAT 1–5, CES 1–7) as histogram codes."""

from __future__ import annotations

import numpy as np
import pandas as pd


def score_codes(frame: pd.DataFrame, column: str, low: int, high: int, what: str = "responses") -> np.ndarray:
    """Code per row: 0 = missing, 1 + (score − low) otherwise (int8 for small scales).

    A ValueError names the values outside the whole numbers low..high; nothing is dropped.
    """
    if column not in frame.columns:
        raise KeyError(f"{what} has no column {column!r}")
    s = frame[column]
    if pd.api.types.is_integer_dtype(s.dtype):
        values = s.to_numpy(dtype="int64", na_value=low - 1)
        bad = None
        if values.size and (
            values.min() < low - 1 or values.max() > high or ((values == low - 1) & s.notna().to_numpy()).any()
        ):
            bad = np.flatnonzero(((values < low) | (values > high)) & s.notna().to_numpy())
    else:
        floats = s.to_numpy(dtype="float64", na_value=np.nan)
        bad_mask = ~np.isnan(floats) & ((floats < low) | (floats > high) | (floats != np.round(floats)))
        bad = np.flatnonzero(bad_mask) if bad_mask.any() else None
        values = np.where(np.isnan(floats), low - 1, floats).astype("int64")
    if bad is not None and bad.size:
        raise ValueError(
            f"{what}.{column}: {bad.size} value(s) outside the whole numbers {low}–{high}, "
            f"e.g. row {bad[0]}: {s.iloc[bad[0]]!r}"
        )
    codes = values - (low - 1)  # a new array: to_numpy may share memory with the caller's column
    return codes.astype(np.int8) if high - low < 120 else codes


def histogram_moments(hist: np.ndarray, low: int):
    """n, mean and sample sd (ddof 1) per row of a score histogram (column 0 = missing).

    Exact: sums of scores and squared scores are whole numbers, so the variance
    (n·Σx² − (Σx)²)/(n(n − 1)) is formed in integer arithmetic before dividing.
    """
    scores = np.arange(low, low + hist.shape[1] - 1, dtype="int64")
    counts = hist[:, 1:].astype("int64")
    n = counts.sum(axis=1)
    s1 = counts @ scores
    s2 = counts @ (scores * scores)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = s1 / n
        var = (n * s2 - s1 * s1) / (n * (n - 1.0))
    return n, mean, np.where(n >= 2, np.sqrt(var), np.nan)
