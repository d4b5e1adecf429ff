"""The feedback review: a reproducible, stratified sample of verbatims to discuss as a team."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cxlib.actions.redact import as_text, redact
from cxlib.actions.themes import Taxonomy, theme_hits
from cxlib.kpi.nps_groups import NPS_GROUPS, nps_group
from cxlib.paths import TIMEZONE
from cxlib.periods import period_bounds

__all__ = ["feedback_review", "allocate", "local_times"]

_COLUMNS = ("customer_id", "touchpoint")
_SCORES = ("nps", "csat", "ces")
_STRATA = NPS_GROUPS[::-1]  # detractor, passive, promoter: the order of the strata and of the result


def local_times(times: pd.Series) -> pd.Series:
    """Datetimes in Europe/Amsterdam (text parsed as ISO 8601; naive times taken as local)."""
    if not pd.api.types.is_datetime64_any_dtype(times):
        return pd.to_datetime(times, utc=True, format="ISO8601").dt.tz_convert(TIMEZONE)
    if times.dt.tz is None:
        return times.dt.tz_localize(TIMEZONE)
    return times.dt.tz_convert(TIMEZONE)


def allocate(sizes, n: int, guaranteed) -> np.ndarray:
    """Sample size per stratum: proportional (largest remainder), at least one for each
    guaranteed non-empty stratum while ``n`` allows, never more than the stratum holds."""
    sizes = np.asarray(sizes, dtype="int64")
    if n >= sizes.sum():
        return sizes.copy()
    quota = n * sizes / sizes.sum()
    alloc = np.floor(quota).astype("int64")
    floor = (np.asarray(guaranteed, dtype=bool) & (sizes > 0)).astype("int64")
    if floor.sum() > n:  # too few draws for one of each: keep the largest strata
        keep = np.argsort(-quota, kind="stable")[:n]
        floor = np.isin(np.arange(len(sizes)), keep).astype("int64") * floor
    alloc = np.maximum(alloc, floor)
    while alloc.sum() > n:  # the minimum pushed us over: take back where most over quota
        excess = np.where(alloc > floor, alloc - quota, -np.inf)
        alloc[np.argmax(excess)] -= 1
    while alloc.sum() < n:  # hand out the rest by largest remainder
        room = np.where(alloc < sizes, quota - alloc, -np.inf)
        alloc[np.argmax(room)] += 1
    return alloc


def _sample_key(ids: pd.Series, seed: int) -> np.ndarray:
    """Pseudo-random uint64 per id, fixed by the seed: independent of row order."""
    if not 0 <= int(seed) < 10**16:
        raise ValueError(f"seed must be an integer in [0, 1e16), got {seed!r}")
    return pd.util.hash_pandas_object(
        ids.astype("string"), index=False, hash_key=f"{int(seed):016d}"
    ).to_numpy()


def feedback_review(
    responses: pd.DataFrame, n: int = 10, seed: int = 0, period: str | None = None,
    group: Mapping | None = None, recent_days: int | None = None, *, as_of=None,
    taxonomy: Taxonomy = None, text_col: str = "comment", language_col: str = "language",
    time_col: str = "submitted_at", id_col: str = "response_id",
) -> pd.DataFrame:
    """A reproducible, stratified sample of ``n`` verbatims for the feedback review.

    Keeps responses with a non-empty comment from ``group`` ({column: value or list}),
    ``period`` (``2026-Q1``, ``2026-01``, ``2026``) and the last ``recent_days`` days up to
    ``as_of`` (default: the latest response kept). Strata are the NPS score groups (plus
    responses without NPS), sampled in proportion with at least one detractor, passive and
    promoter when available. Within a stratum the responses with the smallest seeded hash of
    their id are taken, so the sample depends on seed and data, not on row order.

    Returns id, customer_id, submitted_at, touchpoint, the group columns, nps_group, nps,
    csat, ces, comment (redacted) and themes (theme keys, ", "-separated); detractors first,
    newest first within an NPS group.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> review = cx.feedback_review(data.responses, n=10, period="2026-Q3", seed=0)
    >>> len(review), review["nps_group"].value_counts().sort_index().to_dict()
    (10, {'promoter': 5, 'passive': 3, 'detractor': 2})
    """
    df = responses
    for column, value in (group or {}).items():
        values = list(value) if isinstance(value, (list, tuple, set, pd.Index)) else [value]
        df = df[df[column].isin(values).fillna(False).to_numpy(dtype=bool)]
    times = local_times(df[time_col])
    keep = as_text(df[text_col]).str.strip().str.len().gt(0).fillna(False).to_numpy(dtype=bool)
    if period is not None and period != "all":
        start, end = period_bounds(period)
        keep = keep & ((times >= start) & (times < end)).to_numpy(dtype=bool)
    if recent_days is not None:
        ref = local_times(pd.Series([pd.Timestamp(as_of)])).iloc[0] if as_of is not None else (
            times[keep].max()
        )
        keep = keep & ((times > ref - pd.Timedelta(days=recent_days)) & (times <= ref)).to_numpy(
            dtype=bool
        )
    df, times = df[keep], times[keep]

    groups = nps_group(df["nps"] if "nps" in df else pd.Series(np.nan, index=df.index))
    stratum = pd.Categorical(groups, categories=list(_STRATA)).codes.astype("int64")
    stratum[stratum < 0] = len(_STRATA)  # no NPS score: its own stratum, no minimum
    sizes = np.bincount(stratum, minlength=len(_STRATA) + 1)
    alloc = allocate(sizes, n, guaranteed=[True] * len(_STRATA) + [False])

    order = pd.DataFrame(
        {"stratum": stratum, "key": _sample_key(df[id_col], seed), "id": df[id_col].astype("string")}
    ).reset_index(drop=True)
    order = order.sort_values(["stratum", "key", "id"], kind="stable")
    rank = order.groupby("stratum").cumcount().to_numpy()
    picked = np.sort(order.index.to_numpy()[rank < alloc[order["stratum"].to_numpy()]])

    sample = df.iloc[picked].reset_index(drop=True)
    hits = theme_hits(sample, taxonomy, text_col, language_col)
    labels = np.asarray([f"{key}, " for key in hits.columns], dtype=object)
    tagged = pd.Series(hits.to_numpy().astype(object) @ labels if len(hits.columns) else "",
                       index=hits.index, dtype="string").str.removesuffix(", ")
    extra = [c for c in (group or {}) if c not in (id_col, time_col, *_COLUMNS)]
    out = pd.DataFrame({id_col: sample[id_col].astype("string"),
                        time_col: times.iloc[picked].reset_index(drop=True)})
    for column in (*_COLUMNS, *extra):
        if column in sample:
            out[column] = sample[column]
    out["nps_group"] = groups.iloc[picked].reset_index(drop=True)
    for column in _SCORES:
        if column in sample:
            out[column] = sample[column]
    out["comment"] = redact(sample[text_col])
    out["themes"] = tagged
    out["_stratum"] = stratum[picked]
    out = out.sort_values(["_stratum", time_col, id_col], ascending=[True, False, True], kind="stable")
    return out.drop(columns="_stratum").reset_index(drop=True)
