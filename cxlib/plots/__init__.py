"""Seaborn charts that take tidy frames and return matplotlib Axes; they compute no statistics."""
from cxlib.plots.control import control_chart
from cxlib.plots.data import coverage_heatmap, rejections_bar
from cxlib.plots.goals import goal_bullets
from cxlib.plots.theme import set_theme

__all__ = ["control_chart", "coverage_heatmap", "goal_bullets", "rejections_bar", "set_theme"]
