"""Shared statistics: intervals, two-sample comparisons, multiple testing (vectorised)."""
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
from .multiple import benjamini_hochberg
from .twosample import nps_difference, proportion_difference, rate_difference, welch_difference

__all__ = ["wilson", "nps_adjusted_wald", "nps_bootstrap", "t_interval", "poisson_exact",
           "bootstrap_interval", "quantile_bootstrap", "z_value", "benjamini_hochberg", "compare",
           "nps_difference", "proportion_difference", "welch_difference", "rate_difference"]
