"""NPS score groups of single responses (0-6 detractor, 7-8 passive, 9-10 promoter).

Temporary home: the NPS definition belongs to the KPI catalogue / cxlib.kpi; this module
should read it from there once it exists.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SCORE_GROUPS = ("detractor", "passive", "promoter")
SCORE_GROUP_DTYPE = pd.CategoricalDtype(list(SCORE_GROUPS), ordered=True)


def score_group(nps: pd.Series) -> pd.Series:
    """Score group per response from an NPS score 0-10; missing score -> missing group."""
    score = pd.to_numeric(nps, errors="coerce").astype("Float64")
    codes = np.select(
        [score.le(6).fillna(False), score.le(8).fillna(False), score.le(10).fillna(False)],
        [0, 1, 2],
        default=-1,
    )
    return pd.Series(
        pd.Categorical.from_codes(codes, dtype=SCORE_GROUP_DTYPE), index=nps.index,
        name="score_group",
    )
