"""Monitoring: control charts (more to come: alerts, goal attainment, action effects)."""
from cxlib.monitor.control import nps_chart, p_chart
from cxlib.monitor.ewma import ewma_chart
from cxlib.monitor.rules import western_electric

__all__ = ["ewma_chart", "nps_chart", "p_chart", "western_electric"]
