"""One unit's review page: which sections the data allows, and each section's frames, computed once.

The notebook asks :func:`review_page` for the page and then ``page["story"]``, ``page["signals"]``,
… Each section's frames come from the cxlib function that owns the question (``cx.review_table``,
``cx.signals``, ``cx.review_story``, ``cx.episodes``, ``cx.overdue_actions``, …); this module only
decides what to ask for and caches the answers, so that a frame two sections share (the review
table feeds the tiles and the story) is computed once. It computes no KPI or statistic itself.

A section shows when the data holds its inputs (``cxlib/data/sections.yaml``, read by
:func:`cxlib.catalogue.missing_inputs`); otherwise :meth:`ReviewPage.missing` gives the one line
that says which data would enable it, and nothing is computed for it. The first period of the
data has no previous period: the review table says so ("no previous quarter") instead of a change.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cxlib.catalogue import kpi_info, missing_inputs, report_sections
from cxlib.i18n import check_language, label
from cxlib.periods import parse_period, shift_period

__all__ = ["ReviewPage", "review_page", "PAGE_SECTIONS", "TREND_KPIS", "PROCESS_KPIS"]

PAGE_SECTIONS = (
    "summary",
    "signals",
    "kpis",
    "trends",
    "segments",
    "drivers",
    "peaks",
    "process",
    "feedback",
    "actions",
)
"""The sections of the page in order; the table of contents lists those after ``signals``."""
TREND_KPIS = ("nps", "csat", "ces")
PROCESS_KPIS = ("sla_attainment", "first_response_time")
_HISTORY = {"quarter": 8, "month": 12, "year": 5}  # periods a trend shows, ending with the period reviewed
_SEGMENT_COLUMNS = ("segment", "touchpoint")


@dataclass(frozen=True)
class _Key:
    period: str
    unit_by: str
    unit: str
    lang: str
    confidence: float
    min_n: int | None


class ReviewPage:
    """The sections of one unit's review; ``page[name]`` computes a frame once and keeps it.

    Names: review, signals, overdue, episodes, weeks, change, drivers, proposals, story, trends,
    targets, segments, touchpoints, response_trend, standards, conduct, feedback, themes,
    theme_impact, effects (see each ``_name`` method). A name whose section the data does not
    allow gives None.

    ``store``: the batch's parts computed once for every unit (:mod:`cxlib.report.precompute`);
    used only when made for this data and these arguments, and only after the page's own checks.
    """

    def __init__(
        self,
        data,
        period: str,
        unit_by: str | None,
        unit: str = "",
        lang: str = "nl",
        confidence: float = 0.95,
        min_n: int | None = None,
        store=None,
    ):
        check_language(lang)
        grain, _ = parse_period(period)
        if grain is None:
            raise ValueError("a review page needs one period label (2026-Q3, 2026-03 or 2026), not 'all'")
        self.data = data
        self.key = _Key(period, unit_by or "", unit or "", lang, float(confidence), min_n)
        self.grain = grain
        self._scope = None
        self._cache: dict[str, object] = {}
        self._store = None
        if store is not None and unit_by:
            from cxlib.report.precompute import PageKey

            key = PageKey(period, unit_by, lang, float(confidence), None if min_n is None else int(min_n))
            self._store = store if store.matches(data, key) else None

    def precomputed(self, name: str) -> bool:
        """True when frame ``name`` comes (or would come) from the batch's one pass for this unit."""
        if name == "review" and self._store is not None and self._store.meta.get("review") != self.kpis:
            return False
        return self._store is not None and self._store.get(name, self.key.unit) is not None

    def _pre(self, name: str):
        """The batch's slice of ``name`` for this unit, or None (then the page computes it)."""
        return self._store.get(name, self.key.unit) if self._store is not None else None

    # ---- the unit and what the data allows ----------------------------------------------------
    @property
    def scope(self):
        """The unit's slice of the data (``cx.subset``); the whole data for the whole company.

        Tables that do not follow the unit (``cxlib.scope.unit_tables``: tickets for a touchpoint)
        are left empty, so that no section shows the company's rows under the unit's name;
        customers and teams stay for looking up attributes (a response's segment)."""
        if self._scope is None:
            from dataclasses import replace

            from cxlib.scope import subset, unit_tables

            scope = subset(self.data, self.key.unit_by or None, self.key.unit or None)
            if self.key.unit:
                follow = set(unit_tables(self.data, self.key.unit_by))
                scope = replace(
                    scope,
                    **{
                        name: frame.iloc[0:0]
                        for name, frame in scope.tables.items()
                        if name not in follow and name not in ("customers", "teams")
                    },
                )
            self._scope = scope
        return self._scope

    @property
    def kpis(self) -> list[str]:
        """The KPIs the page shows: those whose inputs the data holds (``kpi_inputs_missing``) and,
        for a unit, whose rows (the catalogue's ``groups`` table) follow the unit; churn and
        complaints per customer are left out of a team's page."""
        from cxlib.catalogue import kpi_inputs_missing, kpi_keys
        from cxlib.scope import unit_tables

        possible = [k for k in kpi_keys() if not kpi_inputs_missing(self.scope, k)]  # the data has its inputs
        if not self.key.unit:
            return possible
        follow = set(unit_tables(self.data, self.key.unit_by))
        return [k for k in possible if kpi_info(k).groups in follow]

    @property
    def unit_name(self) -> str:
        """The unit as the reader knows it: its value, or the whole company in ``lang``."""
        return self.key.unit or label("whole_company", self.key.lang)

    @property
    def parameters(self) -> dict:
        """The page's parameters for the provenance footer."""
        k = self.key
        return {
            "period": k.period,
            "unit_by": k.unit_by,
            "unit": k.unit,
            "lang": k.lang,
            "min_n": k.min_n,
            "confidence": k.confidence,
        }

    @property
    def data_until(self):
        """The latest event in the data (the review's cutoff when the period is not over yet)."""
        from cxlib.io.cxdata import data_end

        return data_end(self.data)

    def available(self, section: str) -> bool:
        """True when the data holds the inputs of ``section`` (cxlib/data/sections.yaml)."""
        return not missing_inputs(self.scope, section)

    def missing(self, section: str) -> str:
        """The one line that says which data would enable ``section`` ("" when it shows), or that
        its data cannot be cut by the unit's dimension."""
        if self.available(section):
            return ""
        if self.key.unit and not missing_inputs(self.data, section):
            from cxlib.i18n import code_label, text

            dimension = code_label("dim", self.key.unit_by, self.key.lang).lower()
            return text("section_not_by", self.key.lang, dimension=dimension)
        return label(f"section_needs.{section}", self.key.lang)

    @property
    def sections(self) -> list[str]:
        """The page's sections in order (shown or not: a missing one says what would enable it)."""
        return [s for s in PAGE_SECTIONS if s in report_sections()]

    def __getitem__(self, name: str):
        if name not in self._cache:
            compute = getattr(self, f"_{name}", None)
            if compute is None or name.startswith("_"):
                raise KeyError(f"no page frame {name!r}")
            self._cache[name] = compute()
        return self._cache[name]

    # ---- shared arguments ---------------------------------------------------------------------
    @property
    def _args(self) -> dict:
        return {"confidence": self.key.confidence, "min_n": self.key.min_n}

    def _in_period(self, frame: pd.DataFrame, time_col: str) -> pd.DataFrame:
        from cxlib.periods import in_period

        return frame[in_period(frame[time_col], self.key.period)]

    # ---- summary, signals, KPIs -------------------------------------------------------------
    def _review(self):
        if not self.available("kpis") or not self.kpis:
            return None
        if self._store is not None and self._store.meta.get("review") == self.kpis:
            pre = self._pre("review")
            if pre is not None:
                return pre
        from cxlib.monitor.review_table import review_table

        return review_table(
            self.scope, self.key.period, lang=self.key.lang, kpis=self.kpis, goals=self._goals(), **self._args
        )

    def _goals(self):
        """The goals judged on the page's own period: a quarterly target is read against a month's
        value on a monthly page, so that the status on a tile is that of the figure beside it."""
        if getattr(self.data, "goals_path", None) is None:
            return None
        from cxlib.goals import load_goals

        goals = load_goals(self.data)
        return goals.assign(cadence=self.grain)

    def _signals(self):
        if not self.available("signals") or not self.kpis:
            return None
        from cxlib.monitor.signals import signals

        return signals(
            self.scope,
            self.key.period,
            self.key.unit,
            self.key.lang,
            by=None if self.key.unit_by == "team" else "team",
            kpis=self.kpis,
            goals=self._goals(),
            **self._args,
        )

    def _overdue(self):
        if not self.available("actions"):
            return None
        from cxlib.monitor.overdue import overdue_actions

        return overdue_actions(self.scope, self.key.period)

    def _targets(self) -> dict[str, float]:
        """KPI → target of the goals (from the review table), for target lines."""
        review = self["review"]
        if review is None:
            return {}
        rows = review[review["target"].notna()]
        return {str(k): float(t) for k, t in zip(rows["kpi"], rows["target"])}

    def _episodes(self):
        if not self.available("peaks"):
            return None
        from cxlib.analysis.peaks import episodes

        responses = self.scope.responses if len(self.scope.responses) else None
        return episodes(self.scope.tickets, responses, self.key.period, **self._args)

    def _weeks(self):
        """Tickets per week with the peak rule (``cxlib.analysis.peaks.volume`` over the whole
        history), shown for the period and the 13 weeks before it."""
        if not self.available("peaks"):
            return None
        from cxlib.analysis.peaks import volume
        from cxlib.periods import period_bounds

        start, end = period_bounds(self.key.period)
        weeks = volume(self.scope.tickets)
        return weeks[(weeks["end"] >= start - pd.Timedelta(weeks=13)) & (weeks["start"] < end)].reset_index(drop=True)

    def _segment_columns(self) -> list[str]:
        scope = self.scope
        return [
            c
            for c in _SEGMENT_COLUMNS
            if (c in scope.responses.columns and scope.responses[c].notna().any())
            or (c in scope.customers.columns and scope.customers[c].notna().any())
        ]

    def _change(self):
        """The NPS change into the period split by segment × touchpoint: against the previous
        period and against a year earlier (None where a period has no NPS answers)."""
        if not self.available("segments"):
            return None
        from cxlib.analysis.change import nps_change

        by = self._segment_columns()
        out = []
        for steps in (1, {"quarter": 4, "month": 12, "year": 1}[self.grain]):
            other = shift_period(self.key.period, -steps)
            if out and other == out[0].attrs.get("from_period"):
                continue
            try:
                out.append(
                    nps_change(
                        self.scope.responses,
                        other,
                        self.key.period,
                        by=by,
                        customers=self.scope.customers,
                        **self._args,
                    )
                )
            except ValueError:  # no NPS answers in one of the two periods (e.g. the first quarter)
                continue
        return out

    def _drivers(self):
        """Key drivers of the NPS in the period, from the scores and ratings the period's answers hold
        (``default_features``); an empty frame when too few answers carry them all."""
        if not self.available("drivers"):
            return None
        from cxlib.analysis.key_drivers import default_features, drivers

        responses = self._in_period(self.scope.responses, "submitted_at")
        features = default_features(responses, "nps")
        complete = responses[["nps", *features]].dropna()
        needed = max(self.key.min_n or kpi_info("nps").min_n, len(features) + 2)  # a regression needs rows
        if not features or len(complete) < needed:  # too few answers: the section says so
            return pd.DataFrame(columns=["driver", "weight", "raw_weight", "rank", "ci_low", "ci_high", "n", "r2"])
        return drivers(responses, target_col="nps", feature_cols=features, confidence=self.key.confidence)

    def _proposals(self):
        if not self.available("kpis"):
            return None
        from cxlib.actions.proposals import propose_actions

        return propose_actions(self.scope, self.key.period, lang=self.key.lang, **self._args)

    def _story(self):
        if self["review"] is None:
            return None
        from cxlib.monitor.story import review_story

        return review_story(
            self["review"],
            self.key.period,
            self.key.lang,
            self.key.confidence,
            episodes=self["episodes"],
            change=self["change"],
            drivers=self["drivers"],
            proposals=self["proposals"],
            overdue=self["overdue"],
        )

    # ---- trends and segments ----------------------------------------------------------------
    def _kpi_history(self, keys, grain: str | None = None) -> pd.DataFrame | None:
        """The KPIs per period of ``grain`` (default the page's) over the periods a trend shows."""
        from cxlib.kpi.measure import measure_many

        grain = grain or self.grain
        periods = self._history_periods(grain)
        frames = measure_many(self.scope, list(keys), freq=grain, skip_unavailable=True, **self._args)
        frames = [f[f["period"].isin(periods)] for f in frames.values()]
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else None

    def _history_periods(self, grain: str | None = None) -> list[str]:
        """The periods of ``grain`` (default the page's) a trend shows, ending with the period reviewed."""
        from cxlib.periods import period_containing, period_last_day

        grain = grain or self.grain
        last = period_containing(period_last_day(self.key.period), grain)
        return [shift_period(last, -i) for i in range(_HISTORY[grain] - 1, -1, -1)]

    def _trends(self):
        if not self.available("trends"):
            return None
        pre = self._pre("trends")
        if pre is not None:
            return pre
        return self._kpi_history(TREND_KPIS)

    def _segments(self):
        """NPS of the period by customer segment (None without segments)."""
        return self._cut("segment", "segments")

    def _touchpoints(self):
        """NPS of the period by touchpoint (None without touchpoints)."""
        return self._cut("touchpoint", "touchpoints")

    def _cut(self, column: str, name: str):
        if not self.available("segments") or column not in self._segment_columns():
            return None
        pre = self._pre(name)
        if pre is not None:
            return pre
        from cxlib.kpi.measure import measure

        return measure(self.scope, "nps", by=column, period=self.key.period, **self._args)

    # ---- process and behaviour --------------------------------------------------------------
    def _response_trend(self):
        if not (len(self.scope.tickets) and self.scope.tickets["first_response_at"].notna().any()):
            return None
        return self._kpi_history(PROCESS_KPIS, "month")

    def _observed(self, key: str, by: str, name: str):
        if not (len(self.scope.observations) and self.scope.observations["passed"].notna().any()):
            return None
        pre = self._pre(name)
        if pre is not None:
            return pre
        from cxlib.kpi.measure import Unavailable, measure

        try:
            return measure(self.scope, key, by=by, period=self.key.period, **self._args)
        except Unavailable:
            return None

    def _standards(self):
        return self._observed("compliance", "source", "standards")

    def _conduct(self):
        return self._observed("behaviour", "item", "conduct")

    # ---- feedback and actions ---------------------------------------------------------------
    def _feedback(self):
        if not self.available("feedback"):
            return None
        from cxlib.actions.feedback_review import feedback_review

        return feedback_review(
            self.scope.responses, n=10, period=self.key.period, seed=0, taxonomy=self.data, select="threads"
        )

    def _themes(self):
        if not self.available("feedback"):
            return None
        from cxlib.actions.themes import themes

        found = themes(
            self._in_period(self.scope.responses, "submitted_at"),
            self.data,
            lang=self.key.lang,
            confidence=self.key.confidence,
        )
        return found[found["n_mentions"] > 0].reset_index(drop=True)  # a theme nobody mentioned is no finding

    def _theme_impact(self):
        """What each theme of the period's comments costs or adds to the NPS (``cx.theme_impact``);
        None without NPS scores beside the comments."""
        if not self.available("feedback"):
            return None
        responses = self._in_period(self.scope.responses, "submitted_at")
        if "nps" not in responses.columns or not responses["nps"].notna().any():
            return None
        from cxlib.actions.theme_impact import theme_impact

        return theme_impact(responses, self.data, "nps", confidence=self.key.confidence, lang=self.key.lang)

    def _effects(self):
        if not self.available("actions"):
            return None
        from cxlib.monitor.effects import action_effects
        from cxlib.periods import period_bounds

        start, end = period_bounds(self.key.period)
        done = self.scope.actions["done_on"]
        recent = self.scope.actions[(done < end) & (done >= end - pd.DateOffset(years=1))]  # the year up to the end
        if recent.empty:
            return recent.iloc[0:0]
        return action_effects(self.data, recent, **self._args)


def review_page(
    data,
    period: str,
    unit_by: str | None = None,
    unit: str = "",
    lang: str = "nl",
    confidence: float = 0.95,
    min_n: int | None = None,
) -> ReviewPage:
    """The review page of ``unit`` (a value of ``unit_by``; "" = the whole company) for ``period``.

    On data opened from a ``cx report`` snapshot, the parts the batch computed once for every unit
    are taken from it (:mod:`cxlib.report.precompute`); the page is the same either way."""
    from cxlib.io.snapshot import snapshot_extras

    return ReviewPage(data, period, unit_by, unit, lang, confidence, min_n, store=snapshot_extras(data).get("pages"))
