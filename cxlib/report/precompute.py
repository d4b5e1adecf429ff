"""Work done once per batch: what every unit's page needs, computed for all units in one pass.

A report page is built from *sections*: the review table, the alerts, the KPI trends, … Each
section is registered here with two functions that must give the same numbers:

- ``all_units(data, key)``: one vectorised pass over the whole data (``by=unit_by`` plus the
  whole company), returning one frame with a ``_unit`` column ("" = the whole company);
- ``one_unit(data, scope, key)``: the same section for one unit, from its slice of the data
  (``scope = cx.subset(data, unit_by, unit)``) — what a notebook computes on its own.

The batch calls :func:`precompute` once and stores the result with its snapshot; the notebook
asks :func:`report_page` for a unit's sections and gets the precomputed slice when the batch
made one for the same data and arguments, and the ``one_unit`` result otherwise (an analyst
running the notebook by hand). tests/test_report_precompute.py checks, for every registered
section and every unit of the sample, that both give equal frames; a new section is covered by
registering it.

Adding a section::

    def _touchpoints_one(data, scope, key):             # the per-unit computation
        return nps(scope.responses, by="touchpoint", period=key.period, min_n=key.min_n)

    @section("touchpoints.nps", one_unit=_touchpoints_one)
    def _touchpoints_all(data, key):                    # the same for every unit at once
        rows = kpi_tables(data, "nps", key.unit_by)[0]  # responses with the unit column
        by_unit = nps(rows, by=[key.unit_by, "touchpoint"], period=key.period, min_n=key.min_n)
        return units_frame(by_unit, key.unit_by, whole=_touchpoints_one(data, data, key))

and in the notebook ``page["touchpoints.nps"]`` (see cxlib/report/sections.py and docs/reports.md).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "SECTIONS",
    "UNIT",
    "PageKey",
    "Precomputed",
    "ReportPage",
    "Section",
    "precompute",
    "report_page",
    "section",
    "units_frame",
]

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


@dataclass(frozen=True)
class Section:
    """A part of the page computed once per batch (``all_units``) or per unit (``one_unit``)."""

    name: str
    all_units: Callable
    one_unit: Callable


SECTIONS: dict[str, Section] = {}


def section(name: str, one_unit: Callable) -> Callable:
    """Register the decorated ``all_units(data, key)`` as section ``name`` with its ``one_unit``."""

    def register(all_units: Callable) -> Callable:
        SECTIONS[name] = Section(name, all_units, one_unit)
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
    """The sections of every unit, split by unit, for one data fingerprint and page key."""

    key: PageKey
    fingerprint: str
    frames: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def get(self, name: str, unit: str) -> pd.DataFrame | None:
        """The unit's frame of section ``name`` (None when not precomputed)."""
        units = self.frames.get(name)
        if units is None:
            return None
        frame = units.get(unit)
        if frame is None:  # a unit with no rows in this section
            template = next(iter(units.values()), None)
            return None if template is None else template.iloc[0:0].copy()
        return frame.copy(deep=False)


def precompute(data, key: PageKey, sections: list[str] | None = None) -> Precomputed:
    """Every unit's sections in one pass each, split by unit (the batch calls this once)."""
    import time

    result = Precomputed(key, data.fingerprint)
    for name in sections or list(SECTIONS):
        start = time.perf_counter()
        frame = SECTIONS[name].all_units(data, key)
        units = frame.pop(UNIT).astype("string")
        result.frames[name] = {str(u): part.reset_index(drop=True) for u, part in frame.groupby(units, sort=False)}
        result.seconds[name] = time.perf_counter() - start
    return result


class ReportPage:
    """One unit's sections: the batch's precomputed slice when it exists, else computed for the unit.

    ``page["review"]`` returns a new frame each time (shallow copies under copy-on-write);
    ``page.precomputed(name)`` says which way a section came.
    """

    def __init__(self, data, key: PageKey, unit: str, store: Precomputed | None = None):
        self.data = data
        self.key = key
        self.unit = unit
        self._store = store if store is not None and store.key == key and store.fingerprint == data.fingerprint \
            else None
        self._scope = None

    @property
    def scope(self):
        """The unit's slice of the data (``cx.subset``)."""
        if self._scope is None:
            from cxlib.scope import subset

            self._scope = subset(self.data, self.key.unit_by, self.unit)
        return self._scope

    def precomputed(self, name: str) -> bool:
        """True when section ``name`` comes from the batch's one pass."""
        return self._store is not None and name in self._store.frames

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in SECTIONS:
            raise KeyError(f"no report section {name!r}; known: {', '.join(sorted(SECTIONS))}")
        if self.precomputed(name):
            return self._store.get(name, self.unit)
        return SECTIONS[name].one_unit(self.data, self.scope, self.key)


def report_page(data, period: str, unit_by: str, unit: str, lang: str = "nl", confidence: float = 0.95,
                min_n: int | None = None) -> ReportPage:
    """The sections of one unit's page (see the module docstring); ``data`` as from ``cx.open_data``."""
    from cxlib.io.snapshot import snapshot_extras

    key = PageKey(period, unit_by, lang, float(confidence), None if min_n is None else int(min_n))
    return ReportPage(data, key, unit, snapshot_extras(data).get("pages"))


from cxlib.report import sections as _sections  # noqa: E402,F401 - registers the sections
