"""The control chart for each KPI: pick the chart from the catalogue and run it on a tidy KPI frame.

| catalogue test | KPI kind | chart |
|---|---|---|
| two_proportion_z | share of n (csat, sla_attainment, compliance, …) | ``p_chart_frame`` |
| nps_z | NPS | ``nps_chart_frame`` |
| welch | mean (ces) | ``ewma_chart_frame`` (λ = ``lam``) |
| median_z | median (first_response_time) | ``ewma_chart_frame`` of the medians, σ from their 95% intervals |
| poisson_z | rate per 1,000 customers (complaint_rate) | u-chart: ``ewma_chart_frame`` with λ = 1 and Poisson σ |

The u-chart for a rate: a customer's count in a period is Poisson with mean ū, so its sd is
√ū; with the rate in per-1,000 units the sd of one customer is √(1000·rateᵢ). Fed to
``ewma_chart_frame`` with λ = 1 (a Shewhart chart of the period values), the pooled sd gives the
u-chart limits ū ± 3·√(ū/nᵢ) (Montgomery, *Introduction to Statistical Quality Control*,
control chart for nonconformities per unit; NIST/SEMATECH e-Handbook 6.3.3.1), and the four
Western Electric rules apply as on any Shewhart chart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.catalogue import kpi_info
from cxlib.monitor.ewma import ewma_chart_frame
from cxlib.monitor.shewhart import nps_chart_frame, p_chart_frame

CHARTS = {"two_proportion_z": "p", "nps_z": "nps", "welch": "ewma", "poisson_z": "u", "median_z": "median"}
# the period's own value per chart
STATISTIC = {"p": "p", "nps": "nps", "ewma": "value", "u": "value", "median": "value"}

__all__ = ["chart_kind", "kpi_chart_frame", "CHARTS"]


def chart_kind(kpi: str) -> str:
    """ "p", "nps", "ewma" or "u": the control chart for catalogue KPI ``kpi``."""
    return CHARTS[kpi_info(kpi).test]


def _groups(frame: pd.DataFrame) -> list[str]:
    cols = list(frame.columns)
    if "period" not in cols or "kpi" not in cols:
        raise KeyError("kpi_chart_frame needs a tidy KPI frame with 'period' and 'kpi' columns")
    return cols[: cols.index("period")]


def kpi_chart_frame(
    frame: pd.DataFrame, baseline=None, *, lam: float = 0.2, L: float = 3.0, rules=None
) -> pd.DataFrame:
    """Control-chart frame(s) for a tidy KPI frame (one or more KPIs), each with its own chart.

    The group columns are those before ``period`` (tidy-frame convention); each group is
    charted on its own. ``baseline`` as in ``p_chart_frame`` (period labels). ``lam`` and ``L`` are the
    EWMA parameters of the mean KPIs. ``rules`` defaults to the charts' own defaults (1–4 for
    Shewhart charts, rule 1 for EWMA). Returns the chart frames stacked, with a ``statistic``
    column (the period's own value in the KPI's unit: p, NPS or the period mean) so that
    every chart can be read the same way. See the module docstring for the chart per KPI.
    """
    by = _groups(frame) or None
    parts = []
    for key in pd.unique(frame["kpi"]):
        sub = frame[frame["kpi"] == key].reset_index(drop=True)
        kind = chart_kind(str(key))
        if kind == "p":
            chart = p_chart_frame(sub, by=by, baseline=baseline, **({} if rules is None else {"rules": rules}))
        elif kind == "nps":
            chart = nps_chart_frame(sub, by=by, baseline=baseline, **({} if rules is None else {"rules": rules}))
        elif kind == "ewma":
            on = kpi_info(str(key)).compare_on  # the column compare() tests (value unless the catalogue says)
            chart = ewma_chart_frame(
                sub, value_col=on, lam=lam, L=L, by=by, baseline=baseline, **({} if rules is None else {"rules": rules})
            )
        elif kind == "median":  # EWMA of the medians; per-answer sd from the median's interval
            half = (sub["ci_high"] - sub["ci_low"]).to_numpy(dtype="float64", na_value=np.nan) / (2 * 1.959964)
            sub = sub.assign(sd=half * np.sqrt(sub["n"].to_numpy(dtype="float64")))
            chart = ewma_chart_frame(
                sub, lam=lam, L=L, by=by, baseline=baseline, **({} if rules is None else {"rules": rules})
            )
        else:  # u-chart: Shewhart chart of the rate with Poisson sd per customer
            rate = sub["value"].to_numpy(dtype="float64", na_value=np.nan)
            sub = sub.assign(sd=np.sqrt(1000.0 * rate))
            chart = ewma_chart_frame(
                sub, lam=1.0, L=L, by=by, baseline=baseline, rules=(1, 2, 3, 4) if rules is None else rules
            )
        chart["statistic"] = chart[STATISTIC[kind]].to_numpy(dtype="float64", na_value=np.nan)
        parts.append(chart)
    if not parts:
        raise ValueError("the frame is empty: nothing to chart")
    return pd.concat(parts, ignore_index=True)
