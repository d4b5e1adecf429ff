"""The NPS groups of single answers: the one definition every part of cxlib uses.

On the 0–10 question "how likely are you to recommend us?": detractors answer 0–6, passives
7–8, promoters 9–10 (Reichheld 2003, "The one number you need to grow", Harvard Business
Review 81(12)). :func:`cxlib.nps` counts them; the customer segments, the follow-up lists, the
feedback review and the themes label answers and customers with :func:`nps_group`, in one
column named ``nps_group``.

Examples
--------
>>> import pandas as pd
>>> nps_group(pd.Series([0, 6, 7, 8, 9, 10, None])).tolist()
['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter', nan]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["NPS_GROUPS", "NPS_GROUP_DTYPE", "DETRACTOR_MAX", "PASSIVE_MAX", "nps_group"]

DETRACTOR_MAX = 6
"""Highest score of a detractor (0–6)."""
PASSIVE_MAX = 8
"""Highest score of a passive (7–8); promoters answer above it (9–10)."""
NPS_GROUPS = ("promoter", "passive", "detractor")
"""The groups, in the order tables and charts show them."""
NPS_GROUP_DTYPE = pd.CategoricalDtype(list(NPS_GROUPS))
"""The dtype of an ``nps_group`` column."""


def nps_group(scores) -> pd.Series:
    """NPS group per answer from scores 0–10 (a Series or array); a missing score gives a missing group.

    Returns a categorical Series (categories ``NPS_GROUPS``) named ``nps_group`` with the index
    of ``scores``.
    """
    index = scores.index if isinstance(scores, pd.Series) else None
    values = pd.to_numeric(pd.Series(scores, index=index), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    codes = np.select(
        [values <= DETRACTOR_MAX, values <= PASSIVE_MAX, values <= 10],
        [NPS_GROUPS.index("detractor"), NPS_GROUPS.index("passive"), NPS_GROUPS.index("promoter")],
        default=-1,
    )
    return pd.Series(pd.Categorical.from_codes(codes, dtype=NPS_GROUP_DTYPE), index=index, name="nps_group")
