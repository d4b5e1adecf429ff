"""Observation KPIs: compliance with service standards and service behaviour."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats.intervals import wilson
from .frame import as_list, ensure_columns, grouping, tidy

__all__ = ["behaviour", "compliance", "pass_rate_finish"]


def _pass_rate(observations, kpi, category, by, period, confidence, min_n, time, customers=None):
    by = as_list(by)
    observations = ensure_columns(observations, by, customers, "observations")
    for col in ("category", "passed", time):
        if col not in observations.columns:
            raise KeyError(f"observations has no column {col!r}")
    rows = observations[(observations["category"].astype("string") == category).fillna(False).to_numpy(dtype=bool)]
    passed = rows["passed"].astype("boolean")
    known = passed.notna().to_numpy()
    ok = passed.fillna(False).to_numpy(dtype=bool)
    g = grouping(rows, by, period, time)
    return pass_rate_finish(g.keys, kpi, g.count(known), g.count(ok), confidence, min_n)


def pass_rate_finish(keys: pd.DataFrame, kpi: str, n, x, confidence: float = 0.95,
                     min_n: int = 30) -> pd.DataFrame:
    """The compliance or behaviour frame from its sufficient statistics per group: ``n`` items
    with a known result, ``x`` of them passed (shared with the engine path, cxlib.kpi.lazy)."""
    low, high = wilson(x, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * x / n
    return tidy(keys, kpi, n, value, 100.0 * low, 100.0 * high, min_n, {"successes": x})


def compliance(observations: pd.DataFrame, by=None, period=None, confidence: float = 0.95, min_n: int = 30, *,
               time: str = "observed_at") -> pd.DataFrame:
    """Service-standard compliance: percent of observed "standard" items passed; higher is better.

    value = 100·passed/n over rows with category "standard" and a known result (mystery guest,
    coach, spot check; cut with ``by="source"``, ``"team"`` or ``"item"``). Wilson interval
    (Wilson 1927). Extra: successes (items passed).
    """
    return _pass_rate(observations, "compliance", "standard", by, period, confidence, min_n, time)


def behaviour(observations: pd.DataFrame, by=None, period=None, confidence: float = 0.95, min_n: int = 30, *,
              time: str = "observed_at") -> pd.DataFrame:
    """Service behaviour: percent of observed "behaviour" items passed; higher is better.

    Items such as initiative, follow-up and resolved before escalation (category "behaviour");
    value = 100·passed/n over rows with a known result; Wilson interval (Wilson 1927).
    Cut with ``by="item"``, ``"team"`` or ``"source"``. Extra: successes (items passed).
    """
    return _pass_rate(observations, "behaviour", "behaviour", by, period, confidence, min_n, time)
