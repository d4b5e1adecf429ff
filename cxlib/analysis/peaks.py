"""Peak moments: find peak weeks in ticket volume and compare service in peak and normal weeks.

Rule (robust z-score, Hampel 1974; Leys et al. 2013): a week is a peak when its ticket volume
exceeds median + k · 1.4826 · MAD, with the median and the median absolute deviation (MAD) taken
over the complete weeks of the whole history (or, with ``window``, over a centred window of that
many weeks). 1.4826 makes the MAD a consistent estimate of the standard deviation under normal
noise; k = 3 is Leys et al.'s "very conservative" cut-off. Median and MAD ignore the peaks they
are meant to find (50% breakdown point), unlike mean ± k·sd.

The comparison reuses the KPI engine: ``response_times`` (first response median/p90 and SLA
attainment), ``csat`` and ``ces`` by a ``moment`` column (normal / peak), and ``compare`` for the
differences with tests and the Benjamini–Hochberg adjustment.

References
- Hampel, F. R. (1974). The influence curve and its role in robust estimation. JASA 69:383-393.
- Leys, C., Ley, C., Klein, O., Bernard, P. & Licata, L. (2013). Detecting outliers: do not use
  standard deviation around the mean, use absolute deviation around the median. Journal of
  Experimental Social Psychology 49(4):764-766.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from cxlib.business_hours import local_wall_time
from cxlib.kpi import ces, csat, response_times
from cxlib.paths import TIMEZONE
from cxlib.periods import period_bounds
from cxlib.stats.compare import compare

__all__ = ["peaks", "Peaks", "episodes", "EPISODE_COLUMNS", "MAD_SCALE", "MOMENTS"]

MAD_SCALE = 1.4826  # 1 / Φ⁻¹(3/4): MAD → sd under normality
MOMENTS = ("normal", "peak")
_FREQ = {"D": "D", "W": "W-SUN", "M": "M"}


class Peaks(NamedTuple):
    """Result of ``peaks``: ``weeks`` (every period with its volume and the rule), ``kpis`` (tidy
    KPI frames by ``moment``) and ``comparison`` (``compare`` of peak against normal)."""

    weeks: pd.DataFrame
    kpis: pd.DataFrame
    comparison: pd.DataFrame

    @property
    def peak_weeks(self) -> pd.DataFrame:
        """The rows of ``weeks`` flagged as peaks."""
        return self.weeks[self.weeks["peak"]].reset_index(drop=True)


def _period_index(times: pd.Series, freq: str) -> np.ndarray:
    wall = pd.Series(local_wall_time(times))
    return wall.dt.to_period(_FREQ[freq]).array.asi8


def _rolling(values: np.ndarray, usable: np.ndarray, window: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Median and MAD per period: over all usable periods, or over a centred window of them."""
    x = np.where(usable, values, np.nan).astype("float64")
    if window is None:
        med = np.nanmedian(x)
        mad = np.nanmedian(np.abs(x - med))
        return np.full(x.shape, med), np.full(x.shape, mad)
    if window < 3 or window % 2 == 0:
        raise ValueError(f"window must be an odd number of periods >= 3, got {window}")
    half = window // 2
    padded = np.concatenate([np.full(half, np.nan), x, np.full(half, np.nan)])
    views = sliding_window_view(padded, window)  # (periods, window), no copy
    med = np.nanmedian(views, axis=1)
    mad = np.nanmedian(np.abs(views - med[:, None]), axis=1)
    return med, mad


def volume(
    tickets: pd.DataFrame, freq: str = "W", k: float = 3.0, *, window: int | None = None, created: str = "created_at"
) -> pd.DataFrame:
    """Ticket volume per period with the robust peak rule (see the module docstring).

    One row per period between the first and the last ticket (periods without tickets count 0):
    start, end (local midnight, Europe/Amsterdam, of the first and last day), tickets, complete
    (the period lies wholly inside the data: partial first and last periods are neither used for
    the baseline nor flagged), baseline (median), mad, threshold = baseline + k·1.4826·mad,
    score = (tickets − baseline) / (1.4826·mad) (robust z), peak (complete and tickets >
    threshold) and episode (1, 2, … for runs of consecutive peak periods; 0 otherwise). With
    mad = 0 any period above the median is a peak (the rule has no spread to scale by).
    """
    if freq not in _FREQ:
        raise ValueError(f"freq must be one of {sorted(_FREQ)}, got {freq!r}")
    if created not in tickets.columns:
        raise KeyError(f"tickets has no column {created!r}")
    times = tickets[created].dropna()
    if times.empty:
        raise ValueError("peaks: no tickets with a creation time")
    codes = _period_index(times, freq)
    first, last = int(codes.min()), int(codes.max())
    counts = np.bincount(codes - first, minlength=last - first + 1)
    index = pd.period_range(pd.Period(ordinal=first, freq=_FREQ[freq]), periods=counts.size, freq=_FREQ[freq])
    start, end = index.start_time.normalize(), index.end_time.normalize()
    wall = local_wall_time(times)
    lo, hi = pd.Timestamp(wall.min()).normalize(), pd.Timestamp(wall.max()).normalize()
    complete = np.asarray((start >= lo) & (end <= hi))
    baseline, mad = _rolling(counts, complete, window)
    scale = MAD_SCALE * mad
    threshold = baseline + k * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (counts - baseline) / scale
    peak = complete & (counts > threshold)
    starts = peak & ~np.concatenate([[False], peak[:-1]])
    episode = np.where(peak, np.cumsum(starts), 0)
    return pd.DataFrame(
        {
            "start": start.tz_localize(TIMEZONE),
            "end": end.tz_localize(TIMEZONE),
            "tickets": counts.astype("int64"),
            "complete": complete,
            "baseline": baseline,
            "mad": mad,
            "threshold": threshold,
            "score": score,
            "peak": peak,
            "episode": episode.astype("int64"),
        }
    )


def _moment(times: pd.Series, weeks: pd.DataFrame, freq: str, episodes: bool) -> pd.Categorical:
    """normal / peak (or the start date of each peak episode) per row, by the row's period."""
    labels = ["normal", "peak"]
    first = pd.Period(weeks["start"].iloc[0].tz_localize(None), freq=_FREQ[freq]).ordinal
    idx = np.full(len(times), -1, dtype="int64")
    ok = times.notna().to_numpy()
    idx[ok] = _period_index(times[ok], freq) - first
    inside = (idx >= 0) & (idx < len(weeks))
    episode = np.zeros(len(times), dtype="int64")
    episode[inside] = weeks["episode"].to_numpy()[idx[inside]]
    if episodes:
        begins = weeks[weeks["peak"]].groupby("episode")["start"].first()
        labels = ["normal"] + [d.strftime("%Y-%m-%d") for d in begins]
        return pd.Categorical.from_codes(episode, categories=labels)
    return pd.Categorical.from_codes((episode > 0).astype("int64"), categories=labels)


def peaks(
    tickets: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    freq: str = "W",
    k: float = 3.0,
    *,
    window: int | None = None,
    by=None,
    episodes: bool = False,
    confidence: float = 0.95,
    min_n: int | None = None,
    alpha: float = 0.05,
    customers: pd.DataFrame | None = None,
    **response_time_options,
) -> Peaks:
    """Peak weeks from ticket volume and service in peak against normal weeks.

    Peaks: ``volume(tickets, freq, k, window=window)``: periods (``freq`` "W" = Monday–Sunday
    weeks, "D" days, "M" months; local time) whose ticket volume exceeds
    median + k·1.4826·MAD (Hampel 1974; Leys et al. 2013).

    Comparison: every ticket and response gets ``moment`` = "peak" when created / submitted in a
    peak period, else "normal" (with ``episodes=True`` each run of consecutive peak periods is
    its own level, named by its first day, e.g. "2026-01-05"). Then ``kpis`` stacks
    ``response_times`` (first_response_time: median hours with bootstrap interval and p90;
    sla_attainment: percent within the SLA, Wilson interval), ``csat`` and ``ces`` (with
    ``responses``) by ``by + ["moment"]`` over the whole window (period "all"), and
    ``comparison`` is ``compare(kpis, between="moment", reference="normal")``: peak − normal
    with interval, test and Benjamini–Hochberg adjusted p-value (response time compared on the
    median, as ``compare`` does). ``response_time_options`` go to
    ``response_times`` (hours, calendar, sla_hours, as_of, n_resamples, seed).
    Returns ``Peaks(weeks, kpis, comparison)``; ``.peak_weeks`` lists the peaks.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> moments = cx.peaks(data.tickets, data.responses)
    >>> [str(d.date()) for d in moments.peak_weeks["start"]]  # the autumn peak and the snow week
    ['2025-10-13', '2025-10-20', '2025-10-27', '2025-11-03', '2026-01-05']
    >>> print(moments.comparison[["kpi", "value_a", "value_b", "significant"]].round(1).to_string(index=False))
                    kpi  value_a  value_b  significant
    first_response_time      1.3      1.7         True
         sla_attainment     85.9     76.5         True
                   csat     79.8     79.6        False
                    ces      5.0      4.9         True
    """
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    weeks = volume(tickets, freq, k, window=window)
    t = tickets.assign(moment=_moment(tickets["created_at"], weeks, freq, episodes))
    groups = [*by, "moment"]
    frames = [
        response_times(
            t, by=groups, freq=None, confidence=confidence, min_n=min_n, customers=customers, **response_time_options
        )
    ]
    if responses is not None:
        r = responses.assign(moment=_moment(responses["submitted_at"], weeks, freq, episodes))
        for kpi in (csat, ces):
            frames.append(kpi(r, by=groups, freq=None, confidence=confidence, min_n=min_n, customers=customers))
    kpis = pd.concat(frames, ignore_index=True)
    comparison = compare(kpis, between="moment", confidence=confidence, alpha=alpha, reference="normal")
    return Peaks(weeks, kpis, comparison)


EPISODE_COLUMNS = [
    "episode",
    "start",
    "end",
    "weeks",
    "tickets",
    "tickets_per_week",
    "normal_per_week",
    "volume_ratio",
    "kpi",
    "n",
    "value",
    "ci_low",
    "ci_high",
    "n_normal",
    "value_normal",
    "ci_low_normal",
    "ci_high_normal",
    "significant",
    "worse",
]


def episodes(
    tickets: pd.DataFrame,
    responses: pd.DataFrame | None,
    period: str,
    k: float = 3.0,
    *,
    confidence: float = 0.95,
    min_n: int | None = None,
    alpha: float = 0.05,
    **response_time_options,
) -> pd.DataFrame:
    """The peak episodes inside ``period``, each with its service against normal weeks.

    An episode is a run of consecutive peak weeks (``peaks`` with ``episodes=True``: weekly
    ticket volume above median + k·1.4826·MAD over the whole history, Hampel 1974; Leys et al.
    2013). Only the episodes that overlap the period (a label: quarter, month or year) are
    kept, so a quarter's report shows its own episodes and no other.

    One row per episode and KPI (first_response_time, sla_attainment, and with ``responses``
    csat and ces): episode (its first day, ``YYYY-MM-DD``), start (first day) and end (last
    day, local midnight), weeks, tickets (in the episode), tickets_per_week, normal_per_week
    (the median week of the history), volume_ratio (tickets_per_week / normal_per_week); the
    KPI in the episode (n, value, ci_low, ci_high) and in all normal weeks of the history
    (``*_normal``), significant (``compare`` of episode against normal weeks, Benjamini–Hochberg
    over the comparison) and worse (the episode is on the KPI's bad side). Empty (same
    columns) when the period has no episode.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> snow = cx.episodes(data.tickets, data.responses, "2026-Q1")
    >>> print(snow[["episode", "weeks", "tickets", "kpi", "value", "value_normal"]].round(2).to_string(index=False))
       episode  weeks  tickets                 kpi  value  value_normal
    2026-01-05      1      510 first_response_time   3.95          1.33
    2026-01-05      1      510      sla_attainment  50.59         85.94
    2026-01-05      1      510                csat  66.67         79.82
    2026-01-05      1      510                 ces   4.09          5.03
    """
    from cxlib.catalogue import kpi_info

    start, end = period_bounds(period)
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in EPISODE_COLUMNS})
    if tickets is None or tickets["created_at"].notna().sum() == 0:
        return empty
    weeks = volume(tickets, "W", k)
    peak = weeks[weeks["peak"]]
    runs = peak.groupby("episode").agg(
        start=("start", "first"), end=("end", "last"), weeks=("start", "size"), tickets=("tickets", "sum")
    )
    runs = runs[(runs["start"] < end) & (runs["end"] >= start)]
    if runs.empty:
        return empty
    found = peaks(
        tickets,
        responses,
        "W",
        k,
        episodes=True,
        confidence=confidence,
        min_n=min_n,
        alpha=alpha,
        **response_time_options,
    )
    names = runs["start"].dt.strftime("%Y-%m-%d")
    normal_week = float(weeks.loc[weeks["complete"], "tickets"].median()) if weeks["complete"].any() else np.nan
    kpis = found.kpis.assign(moment=found.kpis["moment"].astype(str))
    normal = kpis[kpis["moment"] == "normal"].set_index("kpi")
    cols = ["kpi", "n", "value", "ci_low", "ci_high"]
    parts = []
    for ep, name in zip(runs.index, names):  # a handful of episodes per period
        rows = kpis.loc[kpis["moment"] == name, cols].reset_index(drop=True)
        base = normal.reindex(rows["kpi"])
        test = found.comparison[found.comparison["moment_b"].astype(str) == name].set_index("kpi")
        run = runs.loc[ep]
        direction = np.array([1.0 if kpi_info(k).higher_is_better else -1.0 for k in rows["kpi"]])
        parts.append(
            rows.assign(
                episode=name,
                start=run["start"],
                end=run["end"],
                weeks=int(run["weeks"]),
                tickets=int(run["tickets"]),
                tickets_per_week=run["tickets"] / run["weeks"],
                normal_per_week=normal_week,
                volume_ratio=run["tickets"] / run["weeks"] / normal_week,
                n_normal=base["n"].to_numpy(),
                value_normal=base["value"].to_numpy(dtype=float),
                ci_low_normal=base["ci_low"].to_numpy(dtype=float),
                ci_high_normal=base["ci_high"].to_numpy(dtype=float),
                significant=test["significant"].reindex(rows["kpi"]).fillna(False).to_numpy(dtype=bool),
                worse=direction * (rows["value"].to_numpy(dtype=float) - base["value"].to_numpy(dtype=float)) < 0,
            )
        )
    out = pd.concat(parts, ignore_index=True)[EPISODE_COLUMNS]
    return out.astype({"episode": "string", "kpi": "string", "weeks": "int64", "tickets": "int64", "n": "int64"})
