"""Shared statistics: intervals, two-sample comparisons, multiple testing (vectorised)."""

from .clustered import design_effect
from .compare import compare
from .intervals import (
    bootstrap_interval,
    nps_adjusted_wald,
    nps_bootstrap,
    poisson_exact,
    quantile_bootstrap,
    t_interval,
    wilson,
    z_value,
)
from .multiple import benjamini_hochberg, fcr_confidence
from .twosample import median_difference, nps_difference, proportion_difference, rate_difference, welch_difference

__all__ = [
    "wilson",
    "nps_adjusted_wald",
    "nps_bootstrap",
    "t_interval",
    "poisson_exact",
    "bootstrap_interval",
    "quantile_bootstrap",
    "z_value",
    "benjamini_hochberg",
    "fcr_confidence",
    "compare",
    "design_effect",
    "median_difference",
    "nps_difference",
    "proportion_difference",
    "welch_difference",
    "rate_difference",
]
