"""Seaborn charts that take tidy frames and return matplotlib Axes; they compute no statistics."""
from cxlib.plots.control import control_chart
from cxlib.plots.theme import set_theme

__all__ = ["control_chart", "set_theme"]
