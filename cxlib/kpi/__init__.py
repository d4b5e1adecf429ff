"""KPI functions returning tidy frames (group columns, period, kpi, n, value, ci_low, ci_high,
suppressed, extras); see docs/kpis.md and the catalogue in cxlib/data/kpis.yaml.

Every KPI function takes ``(table(s), by=None, period=None, freq="quarter", confidence=0.95,
min_n=None, *, ..., <name>_col=...)``: ``period`` is a label or None, ``freq`` the grain.
:func:`measure` computes any catalogue KPI from a CXData through these functions.
"""

from cxlib.kpi.actions import action_progress
from cxlib.kpi.customers import churn_rate, complaints
from cxlib.kpi.measure import TOTAL, Unavailable, kpi_tables, measure, measure_groups, measure_many
from cxlib.kpi.nps_groups import NPS_GROUPS, nps_group
from cxlib.kpi.observations import behaviour, compliance
from cxlib.kpi.survey import ces, csat, nps
from cxlib.kpi.tickets import response_times

__all__ = [
    "nps",
    "csat",
    "ces",
    "churn_rate",
    "complaints",
    "response_times",
    "compliance",
    "behaviour",
    "action_progress",
    "measure",
    "measure_many",
    "measure_groups",
    "kpi_tables",
    "Unavailable",
    "TOTAL",
    "nps_group",
    "NPS_GROUPS",
]
