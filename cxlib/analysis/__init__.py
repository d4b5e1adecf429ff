"""Step 3 of the method: analysis functions (frames in, frames out)."""

from __future__ import annotations

from cxlib.analysis.change import nps_change
from cxlib.analysis.key_drivers import drivers, importance_performance
from cxlib.analysis.money import (
    answer_followups,
    churn_by_nps_group,
    churn_hazard_ratio,
    churn_ratio,
    churn_survival,
    value_at_stake,
    value_by_nps_group,
)
from cxlib.analysis.peaks import Peaks, episodes, peaks
from cxlib.analysis.segments import nps_groups, segment

__all__ = [
    "drivers",
    "importance_performance",
    "segment",
    "nps_groups",
    "churn_by_nps_group",
    "value_by_nps_group",
    "churn_ratio",
    "value_at_stake",
    "answer_followups",
    "churn_hazard_ratio",
    "churn_survival",
    "peaks",
    "Peaks",
    "episodes",
    "nps_change",
]
