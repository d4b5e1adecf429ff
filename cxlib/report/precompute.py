"""Work done once per batch: parts of every unit's review page, computed for all units in one pass.

The review page (:mod:`cxlib.report.page`) computes each part of one unit's page from the unit's
slice of the data. Some parts are the same computation grouped by the unit dimension; the batch
computes those once for every unit (:func:`precompute`, registered in
:mod:`cxlib.report.sections`) and stores them with its snapshot. A page built from that snapshot
(``review_page`` on ``cx.open_data(data, snapshot)``) takes the unit's slice of a part instead of
computing it, but only when the batch made it for the same data and page arguments and only
after the page's own checks (does the data hold the part's inputs? does the part follow the
unit?) passed; otherwise it computes the part for the unit as always.

tests/test_report_precompute.py checks, for every registered part and every unit of the sample
by region and by team (plus the whole company), that the page with the batch's slice equals the
page computed on its own. A part with no vectorised counterpart is computed per unit.

Adding a part (a frame name of ``ReviewPage``)::

    @section("segments")
    def _segments_all(data, key):        # the page's computation, grouped by key.unit_by
        by_unit = measure(data, "nps", by=[key.unit_by, "segment"], period=key.period, ...)
        return units_frame(by_unit, key.unit_by, whole=...)

and in ``ReviewPage._segments`` ``pre = self._pre("segments")`` after the page's checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["SECTIONS", "UNIT", "PageKey", "Precomputed", "precompute", "section", "units_frame"]

UNIT = "_unit"  # the column naming the unit in an all-units frame ("" = the whole company); KPI frames
# already have a "unit" (of measure)


@dataclass(frozen=True)
class PageKey:
    """Everything a page depends on apart from its unit."""

    period: str
    unit_by: str
    lang: str = "nl"
    confidence: float = 0.95
    min_n: int | None = None


SECTIONS: dict[str, Callable] = {}
"""Page frame name → ``all_units(data, key)``: an all-units frame (``units_frame``), or None when
the data cannot give the part for this unit dimension."""


def section(name: str) -> Callable:
    """Register the decorated ``all_units(data, key)`` for page frame ``name``."""

    def register(all_units: Callable) -> Callable:
        SECTIONS[name] = all_units
        return all_units

    return register


def units_frame(by_unit: pd.DataFrame, unit_by: str, whole: pd.DataFrame | None = None) -> pd.DataFrame:
    """An all-units frame: ``by_unit``'s ``unit_by`` column becomes ``_unit``; ``whole`` gets ``_unit`` ""."""
    by_unit = by_unit[by_unit[unit_by].notna()]  # rows that belong to no unit (no customer known) are no unit's
    parts = [by_unit.rename(columns={unit_by: UNIT}).assign(**{UNIT: lambda f: f[UNIT].astype("string")})]
    if whole is not None:
        parts.insert(0, whole.assign(**{UNIT: pd.Series("", index=whole.index, dtype="string")}))
    frame = pd.concat(parts, ignore_index=True)
    return frame[[UNIT, *[c for c in frame.columns if c != UNIT]]]


@dataclass
class Precomputed:
    """The parts of every unit's page, split by unit, for one data fingerprint and page key."""

    key: PageKey
    fingerprint: str
    frames: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)

    def get(self, name: str, unit: str) -> pd.DataFrame | None:
        """The unit's frame of part ``name`` (None when not precomputed or the unit has no rows in it)."""
        frame = self.frames.get(name, {}).get(unit)
        return None if frame is None else frame.copy(deep=False)

    def matches(self, data, key: PageKey) -> bool:
        """True when this store was computed for ``data`` (its fingerprint) and ``key``."""
        return self.key == key and self.fingerprint == data.fingerprint


def precompute(data, key: PageKey, sections: list[str] | None = None) -> Precomputed:
    """Every unit's registered parts in one pass each, split by unit (the batch calls this once)."""
    import time

    result = Precomputed(key, data.fingerprint)
    for name in sections or list(SECTIONS):
        start = time.perf_counter()
        frame = SECTIONS[name](data, key)
        if frame is not None:
            if "meta" in frame.attrs:
                result.meta[name] = frame.attrs["meta"]
            units = frame.pop(UNIT).astype("string")
            frame.attrs = {}
            result.frames[name] = {str(u): part.reset_index(drop=True) for u, part in frame.groupby(units, sort=False)}
        result.seconds[name] = time.perf_counter() - start
    return result


from cxlib.report import sections as _sections  # noqa: E402,F401 - registers the parts
