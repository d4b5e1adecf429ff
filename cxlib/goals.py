"""Step 1 of the method: goals, their KPIs with targets, baseline and status against target.

goals.yaml (DESIGN.md contract)::

    goals:
      - name: Lower churn
        cadence: quarter            # optional default for the goal's KPIs (month|quarter|year)
        kpis:
          - kpi: churn_rate         # a key of the KPI catalogue
            target: 3.0             # in the KPI's unit (catalogue)
            direction: lower        # optional; must match the catalogue
            cadence: quarter        # optional; default the goal's, else quarter

At most three KPIs per goal; more than seven KPIs in total triggers a warning ("too many KPIs").
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from cxlib.business_hours import local_timestamp
from cxlib.catalogue import DIRECTIONS, kpi_info, load_catalogue
from cxlib.io.cxdata import data_end
from cxlib.kpi.measure import Unavailable, measure_many
from cxlib.periods import period_bounds

__all__ = ["GoalsError", "load_goals", "goal_status", "STATUSES", "MAX_KPIS_PER_GOAL", "MAX_KPIS_TOTAL"]

MAX_KPIS_PER_GOAL = 3
MAX_KPIS_TOTAL = 7
STATUSES = ("met", "at_risk", "missed", "no_data")
"""Goal status keys, judged on the interval (translated when shown: ``cxlib.i18n.status_label``).
A KPI without a goal has the key ``no_target`` where a table lists every KPI (review table)."""
_CADENCES = {
    "month": "month",
    "monthly": "month",
    "quarter": "quarter",
    "quarterly": "quarter",
    "year": "year",
    "yearly": "year",
    "annual": "year",
}


# event times that say how far the data reaches (due dates may lie in the future, so not those)
class GoalsError(ValueError):
    """A goals.yaml problem; the message names the file and the goal."""


def _goals_path(source) -> Path:
    if hasattr(source, "goals_path"):
        if source.goals_path is None:
            raise GoalsError(f"{getattr(source, 'path', 'this data')}: no goals.yaml found for this data folder")
        return Path(source.goals_path)
    return Path(source)


def load_goals(source) -> pd.DataFrame:
    """Read and check goals.yaml (a path, or an object with ``goals_path`` such as CXData).

    Returns one row per goal × KPI: goal, kpi, target, direction, cadence. Raises GoalsError
    naming the file and the goal for: unknown KPI key, missing or non-numeric target, target
    outside the KPI's range, bad or contradicting direction, bad cadence, more than three KPIs
    in a goal. Warns (UserWarning) when the goals use more than seven distinct KPIs.
    """
    path = _goals_path(source)
    try:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
    except FileNotFoundError:
        raise GoalsError(f"{path}: goals file not found") from None
    except yaml.YAMLError as exc:
        raise GoalsError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("goals"), list) or not raw["goals"]:
        raise GoalsError(f"{path}: expected a top-level 'goals:' list with at least one goal")
    catalogue = load_catalogue()
    rows = []
    for i, goal in enumerate(raw["goals"], start=1):
        if not isinstance(goal, Mapping) or not str(goal.get("name") or "").strip():
            raise GoalsError(f"{path}: goal #{i} has no name")
        name = str(goal["name"]).strip()
        where = f"{path}: goal {name!r}"
        kpis = goal.get("kpis")
        if not isinstance(kpis, list) or not kpis:
            raise GoalsError(f"{where}: needs a 'kpis:' list with one to {MAX_KPIS_PER_GOAL} KPIs")
        if len(kpis) > MAX_KPIS_PER_GOAL:
            raise GoalsError(f"{where}: links {len(kpis)} KPIs; a goal takes at most {MAX_KPIS_PER_GOAL}")
        for entry in kpis:
            if not isinstance(entry, Mapping) or "kpi" not in entry:
                raise GoalsError(f"{where}: every KPI entry needs 'kpi:' (got {entry!r})")
            key = str(entry["kpi"])
            if key not in catalogue:
                raise GoalsError(f"{where}: unknown KPI {key!r}; the catalogue knows {', '.join(catalogue)}")
            info = catalogue[key]
            if entry.get("target") is None:
                raise GoalsError(f"{where}: KPI {key!r} has no target (in {info.unit_label['en']})")
            try:
                target = float(entry["target"])
            except (TypeError, ValueError):
                raise GoalsError(f"{where}: KPI {key!r}: target {entry['target']!r} is not a number") from None
            low, high = info.range
            if not math.isfinite(target) or (low is not None and target < low) or (high is not None and target > high):
                raise GoalsError(
                    f"{where}: KPI {key!r}: target {target:g} is outside the range "
                    f"{low} to {high if high is not None else 'open'} ({info.unit_label['en']})"
                )
            direction = entry.get("direction", info.direction)
            if direction not in DIRECTIONS:
                raise GoalsError(f"{where}: KPI {key!r}: direction {direction!r} must be 'higher' or 'lower'")
            if direction != info.direction:
                raise GoalsError(
                    f"{where}: KPI {key!r}: direction {direction!r} contradicts the catalogue "
                    f"({info.direction} is better for {key})"
                )
            cadence = entry.get("cadence", goal.get("cadence", "quarter"))
            if cadence not in _CADENCES:
                raise GoalsError(f"{where}: KPI {key!r}: cadence {cadence!r} must be month, quarter or year")
            rows.append(
                {"goal": name, "kpi": key, "target": target, "direction": direction, "cadence": _CADENCES[cadence]}
            )
    frame = pd.DataFrame(rows)
    distinct = frame["kpi"].unique()
    if len(distinct) > MAX_KPIS_TOTAL:
        warnings.warn(
            f"{path}: the goals use {len(distinct)} KPIs ({', '.join(distinct)}); more than "
            f"{MAX_KPIS_TOTAL} KPIs dilutes focus (the 'too many KPIs' pitfall). Keep the few "
            "that serve the goals best.",
            UserWarning,
            stacklevel=2,
        )
    return frame.astype({"goal": "string", "kpi": "string", "direction": "string", "cadence": "string"})


def _status(direction: str, target: float, low: float, high: float) -> str:
    """Judged on the interval: met if it lies wholly on the good side, missed if wholly on the bad side."""
    if np.isnan(low) or np.isnan(high):
        return "no_data"
    if direction == "higher":
        return "met" if low >= target else "missed" if high < target else "at_risk"
    return "met" if high <= target else "missed" if low > target else "at_risk"


def goal_status(
    goals,
    data=None,
    *,
    frames: Mapping[str, pd.DataFrame] | None = None,
    as_of=None,
    confidence: float = 0.95,
    min_n: int | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Baseline and status against target for every goal × KPI, as a tidy frame.

    goals: the frame from ``load_goals``, a goals.yaml path, or CXData (then also the data).
    Each KPI is computed over the whole data at the goal's cadence with ``cx.measure_many``
    (``as_of`` reaches the KPIs that take it); the baseline is the latest full period (its last
    day on or before ``as_of``, default: the latest event time in the data). ``frames`` may give
    precomputed tidy frames per KPI key instead. Status, judged on the interval, not the point:
    ``met`` when the whole interval is on the good side of the target, ``missed`` when it is
    wholly on the bad side, ``at_risk`` when it straddles the target, ``no_data`` when the period
    is suppressed or missing (keys; ``cxlib.i18n.status_label`` shows them in a language).
    Columns: goal, kpi, label (``lang``), unit, direction, target, cadence, period, n, value,
    ci_low, ci_high, suppressed, status, gap (value − target, in the KPI's unit).

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> status = cx.goal_status(data)
    >>> nps = status.loc[status["kpi"] == "nps", ["period", "n", "value", "target", "status"]]
    >>> print(nps.round(1).to_string(index=False))
     period    n  value  target status
    2026-Q3 2980   31.4    35.0 missed
    """
    if not isinstance(goals, pd.DataFrame):
        if data is None and hasattr(goals, "goals_path"):
            data = goals
        goals = load_goals(goals)
    given = dict(frames or {})
    end = local_timestamp(as_of) if as_of is not None else data_end(data)
    end = None if end is None or pd.isna(end) else local_timestamp(end)
    computed: dict[tuple[str, str], pd.DataFrame] = {}
    needed = goals[~goals["kpi"].isin(list(given))]
    for cadence, these in needed.groupby("cadence", sort=True):  # one call per cadence, one per function
        keys = list(these["kpi"].unique())
        options = {} if end is None else {"as_of": end}
        try:
            found = measure_many(
                data, keys, freq=str(cadence), confidence=confidence, min_n=min_n, **_usable(keys, options)
            )
        except Unavailable as exc:
            raise ValueError(f"goals {sorted(set(these['goal']))}: {exc}") from None
        computed.update({(str(cadence), k): f for k, f in found.items()})
    rows = []
    for g in goals.itertuples(index=False):  # one row per goal × KPI (at most a handful)
        info = kpi_info(g.kpi)
        frame = given[g.kpi] if g.kpi in given else computed[(str(g.cadence), g.kpi)]
        frame = frame[frame["kpi"] == g.kpi]
        row = {
            "goal": g.goal,
            "kpi": g.kpi,
            "label": info.label[lang],
            "unit": info.unit,
            "direction": g.direction,
            "target": g.target,
            "cadence": g.cadence,
            "period": pd.NA,
            "n": 0,
            "value": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "suppressed": True,
        }
        if frame["period"].duplicated().any():
            raise ValueError(
                f"goal {g.goal!r}: the frame for {g.kpi!r} has several rows per period; "
                "goals need the overall KPI (no by= groups)"
            )
        periods = frame["period"].dropna().tolist()
        if end is not None:  # full periods only: their last day lies on or before the data end
            last_day = end.normalize()
            periods = [p for p in periods if period_bounds(p)[1] <= last_day + pd.DateOffset(days=1)]
        if periods:
            base = frame[frame["period"] == max(periods)].iloc[0]
            row.update(
                period=base["period"],
                n=int(base["n"]),
                value=base["value"],
                ci_low=base["ci_low"],
                ci_high=base["ci_high"],
                suppressed=bool(base["suppressed"]),
            )
        row["status"] = _status(g.direction, g.target, row["ci_low"], row["ci_high"])
        row["gap"] = row["value"] - g.target
        rows.append(row)
    out = pd.DataFrame(rows)
    out = out.astype(
        {
            "goal": "string",
            "kpi": "string",
            "label": "string",
            "unit": "string",
            "direction": "string",
            "cadence": "string",
            "period": "string",
            "n": "int64",
        }
    )
    out["status"] = pd.Categorical(out["status"], categories=list(STATUSES), ordered=True)
    return out


def _usable(keys, options: dict) -> dict:
    """The options some of ``keys`` take (``as_of`` goes only where the catalogue lists it)."""
    taken = {o for k in keys for o in kpi_info(k).options}
    return {k: v for k, v in options.items() if k in taken}
