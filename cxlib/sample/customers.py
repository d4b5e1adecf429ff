"""Customers of the sample company and a vectorised way to draw "a customer active on day d"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxlib.sample.company import END, ENGLISH_SHARE, HISTORY_START, REGION_P, SEGMENT_P, START

__all__ = ["EXISTING_SHARE", "Customers", "make_customers", "CustomerPicker", "stratum_of"]

EXISTING_SHARE = 0.60  # customers who signed up before 2024-10-01


@dataclass
class Customers:
    """Customer attributes as arrays, ordered by signup date (index = id number - 1).

    segment, region, language: indices into company.SEGMENTS / REGIONS / LANGUAGES.
    friction, loyalty: standard-normal latent traits (friction draws tickets and lowers effort).
    churn: local churn date, NaT while the customer stays.
    """

    signup: np.ndarray
    segment: np.ndarray
    region: np.ndarray
    language: np.ndarray
    friction: np.ndarray
    loyalty: np.ndarray
    churn: np.ndarray

    def __len__(self) -> int:
        return len(self.signup)


def make_customers(rng: np.random.Generator, n: int) -> Customers:
    """``n`` customers: 60% signed up 2019-01-01..2024-09-30, 40% during the eight quarters."""
    n_old = round(EXISTING_SHARE * n)
    old = HISTORY_START + rng.integers(0, (START - HISTORY_START).astype(int), n_old)
    new = START + rng.integers(0, (END - START).astype(int), n - n_old)
    signup = np.sort(np.concatenate([old, new]).astype("datetime64[D]"))
    return Customers(
        signup=signup,
        segment=rng.choice(len(SEGMENT_P), n, p=SEGMENT_P).astype(np.int8),
        region=rng.choice(len(REGION_P), n, p=REGION_P).astype(np.int8),
        language=(rng.random(n) < ENGLISH_SHARE).astype(np.int8),
        friction=rng.standard_normal(n),
        loyalty=rng.standard_normal(n),
        churn=np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
    )


class CustomerPicker:
    """Draws, per event, a uniformly random eligible customer of a stratum signed up by its day.

    Eligible customers are sorted by (stratum, signup); the customers signed up by day d in
    stratum s then form one contiguous run, found with two binary searches.
    """

    _SPAN = 1 << 20  # > any date as days since 1970

    def __init__(self, customers: Customers, stratum: np.ndarray, eligible: np.ndarray) -> None:
        ids = np.flatnonzero(eligible)
        key = stratum[ids].astype(np.int64) * self._SPAN + customers.signup[ids].astype(np.int64)
        order = np.argsort(key, kind="stable")
        self.key, self.ids = key[order], ids[order]

    def pick(self, rng: np.random.Generator, day: np.ndarray, stratum: np.ndarray) -> np.ndarray:
        """Customer index per event (-1 where the stratum has nobody signed up by that day)."""
        base = stratum.astype(np.int64) * self._SPAN
        lo = np.searchsorted(self.key, base, side="left")
        hi = np.searchsorted(self.key, base + day.astype("datetime64[D]").astype(np.int64), side="right")
        pos = lo + np.floor(rng.random(len(day)) * (hi - lo)).astype(np.int64)
        return np.where(hi > lo, self.ids[np.minimum(pos, len(self.ids) - 1)], -1)


def stratum_of(customers: Customers, *attributes: str) -> np.ndarray:
    """Mixed-radix stratum code of the named customer attributes (segment, region, language)."""
    code = np.zeros(len(customers), dtype=np.int64)
    for name in attributes:
        values = getattr(customers, name).astype(np.int64)
        code = code * 8 + values
    return code
