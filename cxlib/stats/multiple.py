"""Multiple testing: Benjamini–Hochberg false discovery rate and Benjamini–Yekutieli FCR intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["benjamini_hochberg", "fcr_confidence"]


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


def fcr_confidence(p_values, q: float = 0.05) -> float:
    """Confidence level of false-coverage-rate adjusted intervals (Benjamini & Yekutieli 2005).

    With R of the m hypotheses selected by Benjamini–Hochberg at level q, intervals at level
    1 − R·q/m keep the expected share of non-covering intervals among the selected at most q
    (BY 2005, JASA 100(469):71–81, Definition 1 and Theorem 1). cxlib shows *every* interval of
    the family at that one level (1 − q/m when nothing is selected): then an interval of a test
    dual to it excludes 0 exactly when its BH-adjusted p ≤ q, so a shown interval and the word
    "significant" cannot disagree. Missing p-values do not count towards m.
    """
    p = np.asarray(p_values, dtype="float64").ravel()
    p = p[~np.isnan(p)]
    if not len(p):
        return 1.0 - q
    selected = int(np.sum(stats.false_discovery_control(p, method="bh") <= q))
    return 1.0 - max(selected, 1) * q / len(p)
