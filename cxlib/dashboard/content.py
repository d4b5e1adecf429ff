"""The seam between the dashboard and cxlib: what each view shows, asked of cxlib, nothing recomputed.

One module asks cxlib for the five pieces of a view, so that switching to new cxlib functions
(the report's triaged signals and page-one story) is a change here only. Per piece, for the
company / a region / a team:

- tiles: ``cx.review_table(data, period)`` (= the company report) / ``review_table(cx.subset(data,
  "region", r))`` (= the region's report) / ``review_table(data, by="team")``, the team's rows
  (one call for all teams);
- trends: ``cx.measure_many(data, ("nps", "csat", "ces"), freq="quarter")`` / the same
  ``by="region"`` (one call) / the same ``by="team"``;
- signals: ``cx.alerts(data, period)`` (= the company report: company and teams) /
  ``alerts(subset(region))`` (= the region's report) / the team's rows of the company's alerts;
- actions: the action ledger with ``cxlib.kpi.actions.overdue`` and ``cx.action_progress`` as
  of today / the region's teams / the team;
- feedback: ``cx.feedback_review(responses, n=10, period, seed=0)`` (= the report) / of the
  region's ``subset`` / of the team's ``subset``.

A piece is computed per *batch* (``batch``): the team tiles and trends of all teams come from one
vectorised call, which ``select`` then cuts to one scope. Restricted users (``totals_only``) get
the company's totals: the signals of the whole company, no actions, no comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import cxlib as cx
from cxlib.dashboard.access import COMPANY, Scope
from cxlib.kpi.actions import overdue
from cxlib.paths import TIMEZONE
from cxlib.periods import period_codes, period_labels

__all__ = ["PIECES", "TREND_KPIS", "batch", "checklist_items", "compute", "default_period", "periods", "select"]

PIECES = ("tiles", "trends", "signals", "actions", "feedback")
TREND_KPIS = ("nps", "csat", "ces")
"""The trends of the quarterly report (its "Trends" section)."""


def default_period(data) -> str | None:
    """The quarter of the latest survey response (the period the dashboard opens on)."""
    times = data.responses["submitted_at"]
    if not times.notna().any():
        return None
    return str(period_labels(period_codes(pd.Series([times.max()]), "quarter"), "quarter")[0])


def periods(data) -> list[str]:
    """Quarters with survey responses, newest first."""
    codes = np.unique(period_codes(data.responses["submitted_at"], "quarter"))
    labels = period_labels(codes[codes >= 0], "quarter")
    return sorted((str(x) for x in labels), reverse=True)


def checklist_items(data) -> pd.DataFrame:
    """The checklist: category and item of the observations table (standards first, then behaviour)."""
    items = data.observations[["category", "item"]].dropna().astype(str).drop_duplicates()
    order = {"standard": 0, "behaviour": 1}
    items = items.assign(_o=items["category"].map(order)).sort_values(["_o", "item"], kind="stable")
    return items[["category", "item"]].reset_index(drop=True)


def batch(piece: str, scope: Scope) -> str:
    """The computation that serves ``piece`` for ``scope`` (a scope key, or ``team:*``/``region:*``)."""
    if piece in ("tiles", "trends") and scope.by == "team":
        return "team:*"
    if piece == "trends" and scope.by == "region":
        return "region:*"
    if piece in ("signals", "actions") and scope.by == "team":
        return COMPANY.key
    if piece == "actions":
        return COMPANY.key
    return scope.key


def compute(
    piece: str,
    data,
    key: str,
    period: str,
    lang: str,
    *,
    confidence: float = 0.95,
    min_n: int | None = None,
    today=None,
) -> pd.DataFrame:
    """The frame of ``piece`` for batch ``key`` (see ``batch``) in ``period``, labelled in ``lang``.

    ``min_n`` None: each KPI's catalogue minimum (as the report).
    """
    if piece == "tiles":
        if key == "team:*":
            return cx.review_table(data, period, by="team", lang=lang, confidence=confidence, min_n=min_n)
        return cx.review_table(_unit(data, key), period, lang=lang, confidence=confidence, min_n=min_n)
    if piece == "trends":
        by = {"team:*": "team", "region:*": "region"}.get(key)
        frames = cx.measure_many(data, TREND_KPIS, by=by, freq="quarter", confidence=confidence, min_n=min_n)
        return pd.concat([frames[k] for k in TREND_KPIS], ignore_index=True)
    if piece == "signals":
        return cx.alerts(_unit(data, key), period, lang=lang, confidence=confidence, min_n=min_n)
    if piece == "actions":
        actions = data.actions.merge(data.teams[["team", "region"]].astype({"team": "string"}), on="team", how="left")
        as_of = pd.Timestamp.now(tz=TIMEZONE).normalize() if today is None else today
        return (
            actions.assign(overdue=overdue(actions, as_of))
            .sort_values(["overdue", "status", "due_on"], ascending=[False, True, True], kind="stable")
            .reset_index(drop=True)
        )
    if piece == "feedback":
        return cx.feedback_review(_unit(data, key).responses, n=10, period=period, seed=0)
    raise ValueError(f"unknown piece {piece!r}; expected one of {', '.join(PIECES)}")


def select(
    piece: str, frame: pd.DataFrame, scope: Scope, teams: pd.DataFrame, *, totals_only: bool = False
) -> pd.DataFrame:
    """The rows of a batch's frame that belong to ``scope`` (for ``totals_only``: the company's totals)."""
    team_names = set(teams["team"].astype(str))
    if piece in ("tiles", "trends") and scope.by in ("team", "region") and scope.by in frame.columns:
        return frame[frame[scope.by].astype("string") == scope.unit].reset_index(drop=True)
    if piece == "signals":
        groups = frame["group"].astype("string")
        if scope.by == "team":
            return frame[groups == scope.unit].reset_index(drop=True)
        if totals_only:  # the whole company's own signals, not its teams'
            return frame[~groups.isin(team_names).fillna(False).to_numpy(dtype=bool)].reset_index(drop=True)
        return frame
    if piece in ("actions", "feedback") and totals_only:
        return frame.iloc[0:0]
    if piece == "actions" and scope.by is not None:
        return frame[frame[scope.by].astype("string") == scope.unit].reset_index(drop=True)
    return frame


def progress(actions: pd.DataFrame, today=None) -> dict:
    """Done, counted and overdue actions of a list (``cx.action_progress`` as of today, all periods)."""
    as_of = pd.Timestamp.now(tz=TIMEZONE).normalize() if today is None else today
    if actions.empty:
        return {"done": 0, "n": 0, "overdue": 0}
    row = cx.action_progress(actions, freq=None, as_of=as_of, min_n=1).iloc[0]
    return {"done": int(row["successes"]), "n": int(row["n"]), "overdue": int(row["overdue"])}


def _unit(data, key: str):
    """The data of one scope, as the report cuts it (``cx.subset``)."""
    scope = Scope.parse(key)
    return data if scope.by is None else cx.subset(data, scope.by, scope.unit)
