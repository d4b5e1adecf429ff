"""Monitoring (step 5): control charts, alerts, goal attainment, action effects, the review table."""

from cxlib.monitor.alerts import alerts
from cxlib.monitor.attainment import goal_attainment, goal_history
from cxlib.monitor.chart_frames import chart_kind, kpi_chart_frame
from cxlib.monitor.effects import action_effects, diff_in_diff, effect_cells
from cxlib.monitor.ewma import ewma_chart_frame
from cxlib.monitor.overdue import overdue_actions, review_as_of
from cxlib.monitor.review_table import review_table
from cxlib.monitor.shewhart import nps_chart_frame, p_chart_frame
from cxlib.monitor.signals import signals, triage
from cxlib.monitor.story import review_story
from cxlib.monitor.western_electric import western_electric

__all__ = [
    "ewma_chart_frame",
    "nps_chart_frame",
    "p_chart_frame",
    "western_electric",
    "kpi_chart_frame",
    "chart_kind",
    "alerts",
    "goal_history",
    "goal_attainment",
    "effect_cells",
    "diff_in_diff",
    "action_effects",
    "review_table",
    "signals",
    "triage",
    "overdue_actions",
    "review_as_of",
    "review_story",
]
