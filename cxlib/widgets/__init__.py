"""ipywidgets explorers built on the library functions (exploratory notebooks only, never reports)."""

from __future__ import annotations

from cxlib.widgets.explorer import Explorer, explorer
from cxlib.widgets.monitor import MonitorPicker, monitor_picker
from cxlib.widgets.verbatims import VerbatimBrowser, verbatim_browser

__all__ = ["Explorer", "explorer", "MonitorPicker", "monitor_picker", "VerbatimBrowser", "verbatim_browser"]
