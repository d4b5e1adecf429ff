"""Observation KPIs: compliance with service standards and service behaviour."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.kpi.frame import as_list, ensure_columns, grouping, kpi_min_n, rows_in_period, tidy
from cxlib.periods import DEFAULT_FREQ
from cxlib.stats.intervals import wilson

__all__ = ["behaviour", "compliance", "pass_rate_finish"]


def _pass_rate(observations, kpi, category, by, period, freq, confidence, min_n, time_col):
    by = as_list(by)
    min_n = kpi_min_n(kpi, min_n)
    for col in ("category", "passed", time_col):
        if col not in observations.columns:
            raise KeyError(f"observations has no column {col!r}")
    observations, grain = rows_in_period(observations, period, freq, time_col)
    observations = ensure_columns(observations, by, None, "observations")
    rows = observations[(observations["category"].astype("string") == category).fillna(False).to_numpy(dtype=bool)]
    passed = rows["passed"].astype("boolean")
    known = passed.notna().to_numpy()
    ok = passed.fillna(False).to_numpy(dtype=bool)
    g = grouping(rows, by, grain, time_col)
    return pass_rate_finish(g.keys, kpi, g.count(known), g.count(ok), confidence, min_n)


def pass_rate_finish(keys: pd.DataFrame, kpi: str, n, x, confidence: float, min_n: int) -> pd.DataFrame:
    """The compliance or behaviour frame from its sufficient statistics per group: ``n`` items
    with a known result, ``x`` of them passed (shared with the engine path, cxlib.kpi.lazy)."""
    low, high = wilson(x, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * x / n
    return tidy(keys, kpi, n, value, 100.0 * low, 100.0 * high, min_n, {"successes": x})


def compliance(
    observations: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    time_col: str = "observed_at",
) -> pd.DataFrame:
    """Service-standard compliance: percent of observed "standard" items passed; higher is better.

    value = 100·passed/n over rows with category "standard" and a known result (mystery guest,
    coach, spot check; cut with ``by="source"``, ``"team"`` or ``"item"``). Wilson interval
    (Wilson 1927). Extra: successes (items passed). ``period``, ``freq`` and ``min_n`` as in
    :func:`cxlib.nps`.
    """
    return _pass_rate(observations, "compliance", "standard", by, period, freq, confidence, min_n, time_col)


def behaviour(
    observations: pd.DataFrame,
    by=None,
    period: str | None = None,
    freq: str | None = DEFAULT_FREQ,
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    time_col: str = "observed_at",
) -> pd.DataFrame:
    """Service behaviour: percent of observed "behaviour" items passed; higher is better.

    Items such as initiative, follow-up and resolved before escalation (category "behaviour");
    value = 100·passed/n over rows with a known result; Wilson interval (Wilson 1927).
    Cut with ``by="item"``, ``"team"`` or ``"source"``. Extra: successes (items passed).
    ``period``, ``freq`` and ``min_n`` as in :func:`cxlib.nps`.
    """
    return _pass_rate(observations, "behaviour", "behaviour", by, period, freq, confidence, min_n, time_col)
