"""Goals for monitoring: find the goals of the data and judge them per group with ``goal_status``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxlib.goals import goal_status, load_goals

GROUP = "group"


def resolve_goals(data, goals) -> pd.DataFrame | None:
    """The goals frame: ``goals`` itself (frame or path), else the data's goals.yaml, else None."""
    if isinstance(goals, pd.DataFrame):
        return goals
    if goals is False:
        return None
    if goals is not None:
        return load_goals(Path(goals))
    if getattr(data, "goals_path", None) is not None:
        return load_goals(data)
    return None


def status_by_group(
    goals: pd.DataFrame, frames: dict[str, pd.DataFrame], as_of, confidence: float, min_n: int, lang: str
) -> pd.DataFrame:
    """``goal_status`` for every group of ``frames`` (tidy frames with a ``group`` column).

    Each group's KPI frames go to ``goal_status(frames=...)``, so the status is judged there, on
    the interval, for the latest full period up to ``as_of``. Goals whose KPI has no frame (not
    available for this grouping) are left out. Returns goal_status's columns plus ``group``.
    """
    goals = goals[goals["kpi"].isin(list(frames))]
    if goals.empty:
        return pd.DataFrame()
    groups = pd.unique(pd.concat([f[GROUP] for f in frames.values()], ignore_index=True).dropna())
    parts = []
    for group in groups:  # a handful of units; goal_status judges each
        mine = {k: f[f[GROUP] == group].drop(columns=GROUP) for k, f in frames.items()}
        usable = goals[[len(mine[k]) > 0 for k in goals["kpi"]]]
        if usable.empty:
            continue
        status = goal_status(usable, frames=mine, as_of=as_of, confidence=confidence, min_n=min_n, lang=lang)
        parts.append(status.assign(**{GROUP: group}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
