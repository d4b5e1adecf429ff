"""The sample company's goals and KPI targets (goals.yaml), against the planted data.

Status in 2026-Q3 (see data/sample/README.md): some targets met, some at risk, some missed.
The CSAT target (75%) is the one the trained team missed before its training.
"""

from __future__ import annotations

import pandas as pd

from cxlib.sample import truths

__all__ = ["GOALS", "goals_frame"]

# goal, kpi, target, direction, cadence
GOALS = (
    ("Lower churn", "churn_rate", 2.5, "lower", "quarter"),
    ("Lower churn", "nps", 35.0, "higher", "quarter"),
    ("More efficient support", "first_response_time", 3.0, "lower", "quarter"),
    ("More efficient support", "sla_attainment", 87.0, "higher", "quarter"),
    ("More efficient support", "complaint_rate", 100.0, "lower", "quarter"),
    ("More cross-sell", "csat", truths.CSAT_TARGET, "higher", "quarter"),
    ("More cross-sell", "ces", 5.3, "higher", "quarter"),
)


def goals_frame() -> pd.DataFrame:
    """One row per goal and KPI."""
    frame = pd.DataFrame(GOALS, columns=["goal", "kpi", "target", "direction", "cadence"])
    return frame.astype({"goal": "string", "kpi": "category", "direction": "category", "cadence": "category"})
