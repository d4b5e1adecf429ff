"""The feedback review: a reproducible, stratified sample of verbatims to discuss as a team."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cxlib.actions.redact import as_text, redact
from cxlib.actions.themes import Taxonomy, theme_hits, theme_similarity
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
    return pd.util.hash_pandas_object(ids.astype("string"), index=False, hash_key=f"{int(seed):016d}").to_numpy()


def _thread_pick(
    df: pd.DataFrame, n: int, seed: int, taxonomy: Taxonomy, text_col: str, language_col: str, id_col: str, threads: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Rows (positions in ``df``), their thread, and the threads strongest first, for the
    ``select="threads"`` review."""
    from cxlib.actions.theme_impact import theme_impact

    impact = theme_impact(df, taxonomy, "nps", adjust=None, min_n=1, text_col=text_col, language_col=language_col)
    strength = impact["impact"].abs().fillna(0.0)
    ranked = impact.assign(strength=strength)[impact["n_mentions"] > 0]
    ranked = ranked.sort_values(["strength", "n_mentions"], ascending=False, kind="stable").head(threads)
    keys = ranked["theme"].astype(str).tolist()
    if not keys:
        return np.empty(0, dtype="int64"), np.empty(0, dtype=object), []
    hits = theme_hits(df, taxonomy, text_col, language_col)[keys].to_numpy()
    try:
        sims = theme_similarity(df, taxonomy, text_col)[keys].to_numpy()
    except ImportError:  # keyword-only install: the seeded order alone
        sims = np.zeros(hits.shape)
    rows, cols = np.nonzero(hits)
    group = nps_group(df["nps"] if "nps" in df else pd.Series(np.nan, index=df.index)).astype("string")
    sign = np.sign(ranked["impact"].fillna(0.0).to_numpy())
    expected = np.where(sign[cols] < 0, "detractor", np.where(sign[cols] > 0, "promoter", ""))
    cand = pd.DataFrame(
        {
            "row": rows,
            "thread": cols,
            "agrees": group.to_numpy(dtype=object, na_value="")[rows] == expected,  # the thread's direction
            "sim": np.nan_to_num(sims[rows, cols], nan=-2.0),
            "key": _sample_key(df[id_col], seed)[rows],
            "text": as_text(df[text_col]).str.strip().str.lower().to_numpy()[rows],
        }
    )
    cand = cand.sort_values(["thread", "agrees", "sim", "key"], ascending=[True, False, False, True], kind="stable")
    cand = cand.drop_duplicates("row")  # a comment represents its strongest thread only
    cand["repeat"] = cand.groupby(["thread", "text"]).cumcount()  # distinct texts first
    cand = cand.sort_values(["thread", "repeat"], kind="stable")
    sizes = np.bincount(cand["thread"].to_numpy(), minlength=len(keys))
    alloc = allocate(sizes, n, guaranteed=[True] * len(keys))
    rank = cand.groupby("thread").cumcount().to_numpy()
    picked = cand[rank < alloc[cand["thread"].to_numpy()]]
    rows = picked["row"].to_numpy()
    thread = np.asarray(keys, dtype=object)[picked["thread"].to_numpy()]
    if len(rows) < n:  # too few comments on the threads: the rest in the seeded order
        rest = np.setdiff1d(np.arange(len(df)), rows)
        rest = rest[np.argsort(_sample_key(df[id_col], seed)[rest], kind="stable")][: n - len(rows)]
        rows, thread = np.r_[rows, rest], np.r_[thread, np.full(len(rest), None, dtype=object)]
    return rows, thread, keys


def feedback_review(
    responses: pd.DataFrame,
    n: int = 10,
    seed: int = 0,
    period: str | None = None,
    group: Mapping | None = None,
    recent_days: int | None = None,
    *,
    as_of=None,
    taxonomy: Taxonomy = None,
    text_col: str = "comment",
    language_col: str = "language",
    time_col: str = "submitted_at",
    id_col: str = "response_id",
    select: str = "nps_groups",
    threads: int = 3,
) -> pd.DataFrame:
    """A reproducible sample of ``n`` verbatims for the feedback review.

    ``select="threads"``: the comments that represent the strongest common threads: the
    ``threads`` themes with the largest absolute NPS impact (:func:`theme_impact`, per-theme
    intervals), ``n`` shared among them in proportion to their mentions (at least one each);
    within a theme first the comments whose NPS group follows the thread's direction
    (detractors for a costly theme, promoters for one that adds), then those closest to its
    examples (semantic similarity; the seeded order without the text extra), each comment once
    and distinct texts before repeats; topped up in the seeded order when the threads hold fewer
    than ``n`` comments (``thread`` missing). Adds a ``thread`` column (theme key); rows follow
    the threads, strongest first. The default ``select="nps_groups"`` is the stratified sample:

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
        ref = local_times(pd.Series([pd.Timestamp(as_of)])).iloc[0] if as_of is not None else (times[keep].max())
        keep = keep & ((times > ref - pd.Timedelta(days=recent_days)) & (times <= ref)).to_numpy(dtype=bool)
    df, times = df[keep], times[keep]
    if select not in ("nps_groups", "threads"):
        raise ValueError(f"select must be 'nps_groups' or 'threads', got {select!r}")

    groups = nps_group(df["nps"] if "nps" in df else pd.Series(np.nan, index=df.index))
    stratum = pd.Categorical(groups, categories=list(_STRATA)).codes.astype("int64")
    stratum[stratum < 0] = len(_STRATA)  # no NPS score: its own stratum, no minimum
    if select == "threads":
        picked, thread, thread_keys = _thread_pick(df, n, seed, taxonomy, text_col, language_col, id_col, threads)
        order = np.argsort(picked, kind="stable")
        picked, thread = picked[order], thread[order]
    else:
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
    tagged = pd.Series(
        hits.to_numpy().astype(object) @ labels if len(hits.columns) else "", index=hits.index, dtype="string"
    ).str.removesuffix(", ")
    extra = [c for c in (group or {}) if c not in (id_col, time_col, *_COLUMNS)]
    out = pd.DataFrame({id_col: sample[id_col].astype("string"), time_col: times.iloc[picked].reset_index(drop=True)})
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
    keys = ["_stratum", time_col, id_col]
    if select == "threads":
        out["thread"] = pd.Categorical(thread, categories=thread_keys)
        keys = ["thread", *keys]
    out = out.sort_values(keys, ascending=[True] * (len(keys) - 2) + [False, True], na_position="last", kind="stable")
    return out.drop(columns="_stratum").reset_index(drop=True)
