"""Monitoring (step 5): control charts, alerts, goal attainment, action effects, the review table."""
from cxlib.monitor.alerts import alerts
from cxlib.monitor.attainment import goal_attainment, goal_history
from cxlib.monitor.control import nps_chart, p_chart
from cxlib.monitor.effects import action_effects, diff_in_diff, effect_cells
from cxlib.monitor.ewma import ewma_chart
from cxlib.monitor.kpi_charts import chart_kind, kpi_chart
from cxlib.monitor.review import review_table
from cxlib.monitor.rules import western_electric

__all__ = ["ewma_chart", "nps_chart", "p_chart", "western_electric", "kpi_chart", "chart_kind", "alerts",
           "goal_history", "goal_attainment", "effect_cells", "diff_in_diff", "action_effects", "review_table"]
