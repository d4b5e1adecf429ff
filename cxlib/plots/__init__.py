"""Seaborn charts that take tidy frames and return matplotlib Axes; they compute no statistics."""
from cxlib.plots.theme import set_theme

__all__ = ["set_theme"]
