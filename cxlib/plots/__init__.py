"""Seaborn charts that take tidy frames and return matplotlib Axes or Figures; they compute no statistics."""
from cxlib.plots.analysis import change_waterfall, drivers_bar, importance_performance_matrix, peak_weeks, segments, trend
from cxlib.plots.control import control_chart
from cxlib.plots.data import coverage_heatmap, rejections_bar
from cxlib.plots.goals import goal_bullets
from cxlib.plots.monitoring import action_effect_chart, goal_table_chart, kpi_control_chart
from cxlib.plots.theme import localise_axis, set_theme

__all__ = ["action_effect_chart", "change_waterfall", "control_chart", "coverage_heatmap", "drivers_bar", "goal_bullets",
           "goal_table_chart", "importance_performance_matrix", "kpi_control_chart", "localise_axis", "peak_weeks",
           "rejections_bar", "segments", "set_theme", "trend"]
