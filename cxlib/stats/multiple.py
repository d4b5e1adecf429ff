"""Multiple testing: Benjamini–Hochberg false discovery rate."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["benjamini_hochberg"]


def benjamini_hochberg(p_values):
    """Benjamini–Hochberg adjusted p-values (false discovery rate), same shape as the input.

    adjusted p₍ᵢ₎ = min over j ≥ i of m·p₍ⱼ₎/j, capped at 1, via
    ``scipy.stats.false_discovery_control(method="bh")``. Missing p-values stay missing and do
    not count towards m. A hypothesis is rejected at FDR level q when its adjusted p ≤ q.
    Reference: Benjamini & Hochberg (1995), JRSS B 57:289–300.
    """
    index = p_values.index if isinstance(p_values, pd.Series) else None
    p = np.asarray(p_values, dtype="float64")
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    if index is not None:
        return pd.Series(out, index=index, name=getattr(p_values, "name", None))
    return float(out) if out.ndim == 0 else out
