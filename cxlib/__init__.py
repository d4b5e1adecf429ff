"""cxlib: the CX Workbench helper package.

The public API is flat, as in pandas and seaborn: ``import cxlib as cx; cx.nps(...)``.
The CLV models live in :mod:`cxlib.clv`; charts in :mod:`cxlib.plots`.
"""
from __future__ import annotations

__version__ = "0.1.0"

from cxlib import clv, paths, plots, profile
from cxlib.analysis import drivers, importance_performance
from cxlib.calendar import BusinessCalendar, business_hours_between, calendar_hours_between
from cxlib.catalogue import kpi_catalogue, kpi_info, kpi_keys, load_catalogue
from cxlib.enrich import attach
from cxlib.goals import GoalsError, goal_status, load_goals
from cxlib.io import CXData, SourceError, load
from cxlib.io.snapshot import open_data, save_snapshot
from cxlib.kpi import (action_progress, behaviour, ces, churn_rate, complaints, compliance, csat, nps,
                       period_bounds, response_times)
from cxlib.monitor import ewma_chart, nps_chart, p_chart, western_electric
from cxlib.stats import (benjamini_hochberg, bootstrap_interval, compare, nps_adjusted_wald, nps_bootstrap,
                         poisson_exact, quantile_bootstrap, t_interval, wilson)
from cxlib.units import subset
