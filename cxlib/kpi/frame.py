"""Tidy KPI frame machinery: grouping by ``by=`` columns and period, sums, suppression.

Grouping is done once per call on integer codes (categorical codes or factorised values,
combined in mixed radix), after which every sufficient statistic is one ``np.bincount``.
Rows whose group value is missing form their own group (shown as <NA>), so no row is dropped
silently. Only observed combinations become groups (as ``observed=True``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlib.periods import ALL, check_freq, in_period, period_code_range, period_labels, resolve_freq

from ..catalogue import kpi_info

__all__ = ["as_list", "ensure_columns", "Grouping", "grouping", "tidy", "stack", "rows_in_period", "kpi_min_n"]

CORE = ("period", "kpi", "n", "value", "ci_low", "ci_high", "suppressed")


def as_list(by) -> list[str]:
    """``None`` → ``[]``, ``"region"`` → ``["region"]``, lists unchanged."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    cols = list(by)
    if len(set(cols)) != len(cols):
        raise ValueError(f"by= names a column twice: {cols}")
    return cols


def ensure_columns(frame: pd.DataFrame, by: list[str], customers: pd.DataFrame | None, what: str) -> pd.DataFrame:
    """Check the ``by`` columns exist, attaching customer columns via ``cxlib.enrich.attach``."""
    reserved = set(CORE)
    clash = [c for c in by if c in reserved]
    if clash:
        raise ValueError(f"cannot group by {clash}: the tidy KPI frame uses these names itself")
    missing = [c for c in by if c not in frame.columns]
    if missing and customers is not None:
        from ..enrich import attach  # imported late: cxlib.enrich is its own module

        frame = attach(frame, customers, missing)
        missing = [c for c in by if c not in frame.columns]
    if missing:
        raise KeyError(
            f"{what} has no column(s) {missing} to group by; available: {list(frame.columns)}. "
            "Customer attributes (segment, region) can be added with customers=..."
        )
    return frame


def _factor(values: pd.Series):
    """Integer codes 0..k (k = missing), the number of codes k + 1, and a decoder back to values."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()  # int8/int16: cheap to combine
        k = len(values.cat.categories)
        dtype = values.dtype

        def decode(c):
            return pd.Series(pd.Categorical.from_codes(np.where(c == k, -1, c), dtype=dtype))
    else:
        codes, uniques = pd.factorize(values, sort=True)
        k = len(uniques)

        def decode(c):
            taken = uniques.take(np.where(c == k, -1, c), allow_fill=True)
            return pd.Series(taken, dtype=values.dtype)

    if codes.size and codes.min() < 0:
        codes = np.where(codes < 0, k, codes)
    return codes, k + 1, decode


@dataclass
class Grouping:
    """Group id per row and one row of keys per observed group (by columns + ``period``).

    ``gid`` indexes a dense space of ``size`` possible groups; ``present`` lists the observed
    ones, in the order of ``keys``. Every statistic is a bincount over that space, then
    ``present`` picks the observed groups (no remapping pass over the rows).
    """

    gid: np.ndarray
    size: int
    present: np.ndarray
    keys: pd.DataFrame
    by: list[str]
    period_code: np.ndarray  # per observed group

    @property
    def ngroups(self) -> int:
        return len(self.keys)

    @property
    def row_group(self) -> np.ndarray:
        """Observed-group index (0..ngroups−1) per row."""
        remap = np.full(self.size, -1, dtype="int64")
        remap[self.present] = np.arange(self.present.size)
        return remap[self.gid]

    def histogram(self, codes: np.ndarray, nbins: int) -> np.ndarray:
        """Counts per group (rows) and code 0..nbins−1 (columns), int64: one pass over the rows."""
        total = self.size * nbins
        dtype = np.int16 if total < 2**15 else np.int32 if total < 2**31 else np.int64
        combined = self.gid.astype(dtype)  # small integers: less memory traffic on big frames
        combined *= dtype(nbins)
        combined += codes.astype(dtype, copy=False)
        counts = np.bincount(combined, minlength=total)
        return counts.reshape(self.size, nbins)[self.present]

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Rows per group (where ``mask``), int64."""
        if mask is None:
            return np.bincount(self.gid, minlength=self.size)[self.present].astype("int64")
        return self.histogram(mask.view(np.int8) if mask.dtype == bool else mask, 2)[:, 1]

    def sum(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Sum of ``values`` per group (where ``mask``), float64."""
        weights = values if mask is None else np.where(mask, values, 0.0)
        return np.bincount(self.gid, weights=weights, minlength=self.size)[self.present]

    def moments(self, values: np.ndarray, mask: np.ndarray):
        """n, mean and sample sd (ddof 1) of ``values`` where ``mask``; two passes for accuracy."""
        n = self.count(mask)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.sum(values, mask) / n
            full = np.zeros(self.size)
            full[self.present] = mean
            dev = np.where(mask, values - full[self.gid], 0.0)
            ss = np.bincount(self.gid, weights=dev * dev, minlength=self.size)[self.present]
            sd = np.sqrt(ss / (n - 1))
        return n, mean, np.where(n >= 2, sd, np.nan)


def rows_in_period(frame: pd.DataFrame, period: str | None, freq, time_col: str) -> tuple[pd.DataFrame, str | None]:
    """The rows of ``frame`` in ``period`` (a label; None or "all": every row) and the grain to group by.

    The grain is ``freq``, or the label's grain (``cxlib.periods.resolve_freq``: a ``freq``
    passed with a label must agree with it). Filtering first makes one period cheap to compute.
    """
    grain = resolve_freq(period, freq)
    if period is None or period == ALL:
        return frame, grain
    if time_col not in frame.columns:
        raise KeyError(f"no time column {time_col!r} to find the period {period!r} in")
    return frame[in_period(frame[time_col], period)], grain


def kpi_min_n(kpi: str, min_n: int | None) -> int:
    """``min_n`` itself, or the catalogue's minimum n of ``kpi`` when it is None."""
    return int(kpi_info(kpi).min_n if min_n is None else min_n)


def grouping(frame: pd.DataFrame, by, freq: str | None, time_col: str | None = None) -> Grouping:
    """Group the rows of ``frame`` by the ``by`` columns and the period (grain ``freq``) of ``time_col``."""
    by = as_list(by)
    check_freq(freq)
    parts = [_factor(frame[c]) for c in by]
    if freq is None:
        pcode, p0, psize = None, 0, 1
    else:
        if time_col not in frame.columns:
            raise KeyError(f"no time column {time_col!r} to derive periods from")
        raw, p0, p1, any_missing = period_code_range(frame[time_col], freq)
        psize = (p1 - p0 + 1) + 1  # last slot: missing time
        pcode = raw - p0
        if any_missing:
            pcode[raw < 0] = psize - 1
    sizes = [p[1] for p in parts] + [psize]
    size = int(np.prod(sizes, dtype="float64"))
    if size >= 2**62:
        raise ValueError(f"too many group combinations ({size:.3g}) for by={by}")
    # combine in the smallest integer type that holds every combination (less memory traffic)
    small = np.int16 if size < 2**15 else np.int32 if size < 2**31 else np.int64
    gid = np.zeros(len(frame), dtype=small)
    for codes, k, _ in parts:
        gid *= small(k)
        gid += codes.astype(small, copy=False)
    if pcode is not None:
        gid *= small(psize)
        gid += pcode.astype(small, copy=False)
    if size <= max(len(frame), 1 << 20):
        present = np.flatnonzero(np.bincount(gid, minlength=size))
        combos = present
    else:  # sparse: compress the space to the observed combinations
        combos, gid = np.unique(gid, return_inverse=True)
        gid = gid.astype("int64").ravel()
        size = combos.size
        present = np.arange(size)
    rest = combos.copy()
    digits = []
    for k in reversed(sizes):
        digits.append(rest % k)
        rest //= k
    digits.reverse()
    keys = {name: decode(d).reset_index(drop=True) for (_, _, decode), name, d in zip(parts, by, digits[:-1])}
    if freq is None:
        group_period = np.zeros(present.size, dtype="int64")
    else:
        group_period = np.where(digits[-1] == psize - 1, -1, digits[-1] + p0)
    keys["period"] = pd.Series(period_labels(group_period, freq), dtype="string")
    return Grouping(gid=gid, size=size, present=present, keys=pd.DataFrame(keys), by=by, period_code=group_period)


def tidy(
    keys: pd.DataFrame,
    kpi: str,
    n,
    value,
    ci_low,
    ci_high,
    min_n: int | None,
    extras: Mapping[str, Iterable] | None = None,
) -> pd.DataFrame:
    """Assemble the tidy frame for one KPI; columns and extras follow the catalogue.

    ``suppressed = n < min_n`` (None: the catalogue's min_n of the KPI); then value, interval
    and the statistic extras are NaN and the counts (n and count extras) are kept.
    """
    info = kpi_info(kpi)
    min_n = kpi_min_n(kpi, min_n)
    extras = dict(extras or {})
    if set(extras) != set(info.extra_columns):
        raise ValueError(f"{kpi}: extras {sorted(extras)} differ from the catalogue's {list(info.extra_columns)}")
    n = np.asarray(n, dtype="int64")
    suppressed = n < int(min_n)
    out = keys.reset_index(drop=True).copy()
    out["kpi"] = pd.Series([kpi] * len(out), dtype="string")
    out["n"] = n
    for name, col in (("value", value), ("ci_low", ci_low), ("ci_high", ci_high)):
        out[name] = np.where(suppressed, np.nan, np.asarray(col, dtype="float64"))
    out["suppressed"] = suppressed
    for name in info.extra_columns:
        col = np.asarray(extras[name])
        if name in info.statistic_extras:
            out[name] = np.where(suppressed, np.nan, col.astype("float64"))
        else:
            out[name] = pd.array(col.astype("int64"), dtype="Int64")
    return out


def stack(frames: list[pd.DataFrame], by: list[str]) -> pd.DataFrame:
    """Stack the tidy frames of several KPIs, rows sorted by group and period (stable in kpi)."""
    out = pd.concat(frames, ignore_index=True)
    order = by + ["period"]
    return out.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)
