"""Answers that come in clusters (the same customer answering repeatedly): the design effect.

Kish's design effect deff = (cluster-robust variance of a mean) / (its independent-sample
variance). An interval computed on the effective sample size n/deff (Wilson, Wald, t) then
allows for the clustering (Kish 1965, Survey Sampling, ch. 8; Korn & Graubard 1998, Survey
Methodology 24(2):193-201, for Wilson-type intervals on n/deff). The cluster-robust variance is
the sandwich of Liang & Zeger (1986), Biometrika 73:13-22, for a mean:
G/(G - 1) · sum_c (sum_{i in c} (y_i - ybar))² / n², with the small-sample factor G/(G - 1) of
Cameron & Miller (2015), J. Human Resources 50(2):317-372.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["design_effect"]


def design_effect(values, groups, clusters) -> pd.DataFrame:
    """Per group: n, events (sum of values), customers (clusters) and deff, floored at 1.

    ``values``: numbers per answer (0/1 for a share); ``groups``: the group of each answer (the
    estimate's cell, e.g. NPS group or team × quarter); ``clusters``: the customer of each
    answer. deff >= 1 always, so that clustering never narrows an interval; with one answer per
    customer deff = G/(G - 1). Index: the groups in order of appearance.
    """
    frame = pd.DataFrame({"g": np.asarray(groups), "c": np.asarray(clusters), "y": np.asarray(values, dtype=float)})
    per = frame.groupby("g", observed=True, sort=False).agg(
        n=("y", "size"), events=("y", "sum"), customers=("c", "nunique")
    )
    mean = (per["events"] / per["n"]).reindex(frame["g"]).to_numpy()
    resid = frame.assign(r=frame["y"].to_numpy() - mean).groupby(["g", "c"], observed=True, sort=False)["r"].sum()
    ss = (resid**2).groupby(level=0, observed=True, sort=False).sum().reindex(per.index)
    g = per["customers"]
    robust = g / (g - 1).clip(lower=1) * ss / per["n"] ** 2
    var_one = frame.groupby("g", observed=True, sort=False)["y"].var(ddof=0).reindex(per.index)
    naive = var_one / per["n"]
    per["deff"] = np.where(naive > 0, np.maximum(robust / naive.where(naive > 0), 1.0), 1.0)
    return per
