"""Seaborn charts that take tidy frames and return matplotlib Axes or Figures; they compute no statistics.

Modules by chart family: trends, segments, drivers, peaks, change, control, goals, effects, data;
texts through :mod:`cxlib.plots.labels`; the one theme (and every colour) in :mod:`cxlib.plots.theme`.
"""

from cxlib.plots.change import change_waterfall
from cxlib.plots.control import control_chart, kpi_control_chart
from cxlib.plots.data import coverage_heatmap, rejections_bar
from cxlib.plots.drivers import drivers_bar, importance_performance_matrix
from cxlib.plots.effects import action_effect_chart
from cxlib.plots.goals import goal_bullets, goal_table_chart
from cxlib.plots.peaks import peak_weeks
from cxlib.plots.segments import segments
from cxlib.plots.theme import localise_axis, make_text_inert, set_theme
from cxlib.plots.trends import trend

__all__ = [
    "action_effect_chart",
    "change_waterfall",
    "control_chart",
    "coverage_heatmap",
    "drivers_bar",
    "goal_bullets",
    "goal_table_chart",
    "importance_performance_matrix",
    "kpi_control_chart",
    "localise_axis",
    "peak_weeks",
    "rejections_bar",
    "segments",
    "set_theme",
    "trend",
]

make_text_inert()  # chart text is data: never mathtext, from the first import on
