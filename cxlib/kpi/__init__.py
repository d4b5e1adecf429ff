"""KPI functions returning tidy frames (group columns, period, kpi, n, value, ci_low, ci_high,
suppressed, extras); see docs/kpis.md and the catalogue in cxlib/data/kpis.yaml."""
from .actions import action_progress
from .customers import churn_rate, complaints
from .observations import behaviour, compliance
from cxlib.periods import period_bounds
from .survey import ces, csat, nps
from .tickets import response_times

__all__ = ["nps", "csat", "ces", "churn_rate", "complaints", "response_times", "compliance",
           "behaviour", "action_progress", "period_bounds"]
