"""cxlib: the CX Workbench helper package.

The public API is flat, as in pandas and seaborn: ``import cxlib as cx; cx.nps(...)``,
``cx.measure(data, "nps", by="region", period="2026-Q3")``. The CLV models live in
:mod:`cxlib.clv`; charts in :mod:`cxlib.plots`; HTML fragments for notebooks and reports in
:mod:`cxlib.display`; ipywidgets explorers in :mod:`cxlib.widgets`.

Importing cxlib is cheap: every name is imported on first use (PEP 562 module ``__getattr__``),
so ``cx --help`` does not load pandas, scipy or seaborn. ``from cxlib import nps`` works as usual.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# flat name → the module that defines it (imported on first use)
_EXPORTS: dict[str, str] = {
    # io: loading and the data contract
    **dict.fromkeys(("CXData", "SourceError", "load"), "cxlib.io"),
    **dict.fromkeys(("open_data", "save_snapshot"), "cxlib.io.snapshot"),
    "subset": "cxlib.scope",
    "attach": "cxlib.enrich",
    # periods and business hours
    **dict.fromkeys(("in_period", "shift_period", "period_bounds", "parse_period"), "cxlib.periods"),
    **dict.fromkeys(("BusinessCalendar", "business_hours_between", "calendar_hours_between"), "cxlib.business_hours"),
    # the KPI catalogue and engine
    **dict.fromkeys(("kpi_catalogue", "kpi_info", "kpi_keys", "load_catalogue"), "cxlib.catalogue"),
    **dict.fromkeys(
        (
            "measure",
            "measure_many",
            "nps",
            "csat",
            "ces",
            "churn_rate",
            "complaints",
            "response_times",
            "compliance",
            "behaviour",
            "action_progress",
            "nps_group",
        ),
        "cxlib.kpi",
    ),
    **dict.fromkeys(("GoalsError", "goal_status", "load_goals"), "cxlib.goals"),
    # statistics
    **dict.fromkeys(
        (
            "benjamini_hochberg",
            "bootstrap_interval",
            "compare",
            "nps_adjusted_wald",
            "nps_bootstrap",
            "poisson_exact",
            "quantile_bootstrap",
            "t_interval",
            "wilson",
        ),
        "cxlib.stats",
    ),
    # analysis
    **dict.fromkeys(
        (
            "Peaks",
            "churn_by_nps_group",
            "churn_ratio",
            "drivers",
            "importance_performance",
            "nps_change",
            "nps_groups",
            "peaks",
            "episodes",
            "segment",
            "value_at_stake",
            "value_by_nps_group",
        ),
        "cxlib.analysis",
    ),
    # actions
    **dict.fromkeys(
        (
            "accept_actions",
            "contains_pii",
            "detect_language",
            "escape_html",
            "feedback_review",
            "follow_up_list",
            "load_rules",
            "load_taxonomy",
            "propose_actions",
            "redact",
            "referral_list",
            "safe_text",
            "set_action_status",
            "suggest_themes",
            "tag_themes",
            "theme_impact",
            "themes",
        ),
        "cxlib.actions",
    ),
    # monitoring
    **dict.fromkeys(
        (
            "action_effects",
            "alerts",
            "chart_kind",
            "diff_in_diff",
            "effect_cells",
            "ewma_chart_frame",
            "goal_attainment",
            "goal_history",
            "kpi_chart_frame",
            "nps_chart_frame",
            "p_chart_frame",
            "review_table",
            "western_electric",
            "signals",
            "triage",
            "overdue_actions",
            "review_as_of",
            "review_story",
        ),
        "cxlib.monitor",
    ),
}
_SUBMODULES = (
    "actions",
    "analysis",
    "business_hours",
    "catalogue",
    "cli",
    "clv",
    "dashboard",
    "data_profile",
    "display",
    "enrich",
    "goals",
    "i18n",
    "io",
    "kpi",
    "monitor",
    "paths",
    "periods",
    "plots",
    "report",
    "sample",
    "scope",
    "stats",
    "widgets",
    "workshop",
)

__all__ = ["__version__", *_EXPORTS, *_SUBMODULES]


def __getattr__(name: str):
    """Import a flat name (or a subpackage) on first use and keep it (PEP 562)."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"cxlib.{name}")
    else:
        raise AttributeError(f"module 'cxlib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
