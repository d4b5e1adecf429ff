"""cxlib: the CX Workbench helper package.

The public API is flat, as in pandas and seaborn: ``import cxlib as cx; cx.nps(...)``.
The CLV models live in :mod:`cxlib.clv`; charts in :mod:`cxlib.plots`; HTML fragments for
notebooks and reports in :mod:`cxlib.display`; ipywidgets explorers in :mod:`cxlib.widgets`.
"""
from __future__ import annotations

__version__ = "0.1.0"

from cxlib import clv, display, i18n, paths, plots, profile, workshop
from cxlib.actions import (accept_actions, contains_pii, detect_language, escape_html, feedback_review, follow_up_list,
                           load_rules, load_taxonomy, propose_actions, redact, referral_list, safe_text, suggest_themes,
                           tag_themes, theme_impact, themes)
from cxlib.analysis import (Peaks, churn_by_nps_group, churn_ratio, drivers, importance_performance, nps_change,
                            nps_groups, peaks, segment, value_at_stake, value_by_nps_group)
from cxlib.calendar import BusinessCalendar, business_hours_between, calendar_hours_between
from cxlib.catalogue import kpi_catalogue, kpi_info, kpi_keys, load_catalogue
from cxlib.enrich import attach
from cxlib.goals import GoalsError, goal_status, load_goals
from cxlib.io import CXData, SourceError, load
from cxlib.io.snapshot import open_data, save_snapshot
from cxlib.kpi import (action_progress, behaviour, ces, churn_rate, complaints, compliance, csat, nps,
                       period_bounds, response_times)
from cxlib.kpi.periods import in_period, shift_period
from cxlib.monitor import (action_effects, alerts, chart_kind, diff_in_diff, effect_cells, ewma_chart, goal_attainment,
                           goal_history, kpi_chart, nps_chart, p_chart, review_table, western_electric)
from cxlib.stats import (benjamini_hochberg, bootstrap_interval, compare, nps_adjusted_wald, nps_bootstrap,
                         poisson_exact, quantile_bootstrap, t_interval, wilson)
from cxlib.units import subset
