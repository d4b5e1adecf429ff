"""Signals triaged: one line per KPI and kind of signal, the unit's own figure first, then its teams.

``cx.alerts`` lists every signal of every group (the unit itself and each of its teams): in a
quarter like the snow quarter that is about fifty lines, mostly the same finding team by team.
A manager needs the finding once: "SLA below target in 2026-Q1 — Whole company: 79.3%; also 7
of 8 teams: …". :func:`triage` folds the alerts into such lines and ranks them:

1. severity (the worst alert of the line: high, medium, low);
2. kind: targets missed, significant drops, control-chart breaks on the bad side, overdue
   actions, then breaks on the good side (good news last);
3. size: the unit itself signalling first, then by the number of groups signalling;
4. the KPI's order in the catalogue.

The first ``top`` lines (default 7) are marked ``shown``: the report's first page shows them and
folds the rest away. Each line names its period and the report's unit; the unit's own figure is
the alert's value for the whole data of the unit (group ``all``), so it is the number on the
unit's KPI tile, never another unit's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import check_language, fill, label, number
from cxlib.io.cxdata import table
from cxlib.kpi.measure import TOTAL
from cxlib.periods import shift_period

__all__ = ["triage", "signals", "SIGNAL_KINDS", "SIGNAL_COLUMNS", "TOP"]

SIGNAL_KINDS = ("target_missed", "significant_drop", "control_break_worse", "action_overdue", "control_break_better")
"""Kinds of signal in the order they rank (after severity)."""
SIGNAL_COLUMNS = [
    "rank",
    "shown",
    "severity",
    "kind",
    "kpi",
    "period",
    "unit",
    "in_unit",
    "value",
    "reference",
    "groups",
    "n_groups",
    "of_groups",
    "message",
]
TOP = 7
"""Lines shown on the report's first page; the rest are folded away."""
_SEVERITY = {"high": 0, "medium": 1, "low": 2}
_LISTED = 4  # groups named in a line; the rest are counted


def _kind(kind: str, kpi: str, value: float, reference: float) -> str:
    """control_break splits into worse and better (the KPI's direction); other kinds stay."""
    if kind != "control_break":
        return kind
    sign = 1.0 if kpi_info(kpi).higher_is_better else -1.0
    return "control_break_worse" if sign * (value - reference) < 0 else "control_break_better"


def _shown(kind: str, kpi: str, value: float, lang: str) -> str:
    if kind == "action_overdue":
        return number(value, lang, 0)
    return kpi_info(kpi).value_text(value, lang)


def _unit_name(unit: str, lang: str) -> str:
    return unit if unit else label("whole_company", lang)


def triage(
    alerts: pd.DataFrame,
    unit: str = "",
    lang: str = "nl",
    *,
    of_groups: int | None = None,
    by: str | None = "team",
    top: int = TOP,
    target: dict | None = None,
) -> pd.DataFrame:
    """Fold a ``cx.alerts`` frame into one line per KPI and kind of signal, ranked (module docstring).

    - ``alerts``: the alerts of one unit's data (``cx.alerts(cx.subset(data, unit_by, unit), ...)``);
      the group ``all`` is the unit itself.
    - ``unit``: the unit's name as the reader knows it ("Oost"); "" is the whole company.
    - ``of_groups``: how many groups (teams) were judged, for "5 of 8 teams"; ``by`` names them.
    - ``target``: KPI → target value, for the target lines (default: the alerts' reference).

    Returns one row per line: rank (1 = most urgent), shown (rank ≤ ``top``), severity, kind
    (``SIGNAL_KINDS``), kpi, period, unit (its name in ``lang``), in_unit (the unit itself
    signals), value and reference (the unit's own figures; NaN when only groups signal), groups
    (the groups signalling, comma-separated, worst first), n_groups, of_groups, message (in ``lang``).
    """
    check_language(lang)
    name = _unit_name(unit, lang)
    columns = {
        c: pd.Series(dtype=t)
        for c, t in zip(
            SIGNAL_COLUMNS,
            (
                "int64",
                "bool",
                "string",
                "string",
                "string",
                "string",
                "string",
                "bool",
                "float64",
                "float64",
                "string",
                "int64",
                "Int64",
                "string",
            ),
        )
    }
    if alerts is None or alerts.empty:
        return pd.DataFrame(columns)
    frame = alerts.assign(
        kind=[
            _kind(str(k), str(p), float(v), float(r))
            for k, p, v, r in zip(alerts["kind"], alerts["kpi"], alerts["value"], alerts["reference"])
        ],
        _sev=alerts["severity"].astype(str).map(_SEVERITY),
        group=alerts["group"].astype("string"),
    )
    order = {k: i for i, k in enumerate(kpi_keys())}
    words = label(f"signal.groups_word.{'team' if by == 'team' else 'other'}", lang)
    rows = []
    for (kind, kpi, period), lines in frame.groupby(["kind", "kpi", "period"], sort=False, observed=True):
        own = lines[lines["group"] == TOTAL]
        members = lines[lines["group"] != TOTAL]
        better = 1.0 if kpi_info(kpi).higher_is_better and kind != "action_overdue" else -1.0
        members = members.assign(_b=-better * members["value"]).sort_values(  # worst value first
            ["_b", "group"], ascending=[False, True], kind="stable"
        )
        reference = (target or {}).get(kpi, own["reference"].iloc[0] if len(own) else lines["reference"].iloc[0])
        on_mean = kind != "action_overdue" and kpi_info(kpi).compare_on != "value"  # charted on the mean
        fields = {
            "kpi": kpi_info(kpi).name(lang, on_mean and kind != "target_missed"),
            "period": period,
            "unit": name,
            "previous": shift_period(period, -1),
            "target": kpi_info(kpi).value_text(float(reference), lang) if kind == "target_missed" else "",
        }
        text = fill(label(f"signal.headline.{kind}", lang), fields) + " — "
        listed = ", ".join(
            f"{g} {_shown(kind, kpi, v, lang)}"
            for g, v in zip(members["group"].head(_LISTED), members["value"].head(_LISTED))
        )
        if len(members) > _LISTED:
            listed += fill(label("signal.more", lang), {"more": len(members) - _LISTED})
        m = of_groups if of_groups is not None else len(members)
        groups = {"k": len(members), "m": m, "groups": listed, "groups_word": words, "unit": name}
        if len(own):
            row = own.iloc[0]
            text += fill(
                label(f"signal.unit_value.{kind}", lang),
                {
                    "unit": name,
                    "value": _shown(kind, kpi, row["value"], lang),
                    "reference": _shown(kind, kpi, row["reference"], lang),
                },
            )
            if len(members):
                text += fill(label("signal.also_groups", lang), groups)
        else:
            text += fill(label("signal.only_groups", lang), groups)
        rows.append(
            {
                "severity": lines.loc[lines["_sev"].idxmin(), "severity"],
                "_sev": int(lines["_sev"].min()),
                "kind": kind,
                "kpi": kpi,
                "period": period,
                "unit": name,
                "in_unit": bool(len(own)),
                "value": float(own["value"].iloc[0]) if len(own) else np.nan,
                "reference": float(own["reference"].iloc[0]) if len(own) else np.nan,
                "groups": ", ".join(members["group"].astype(str)),
                "n_groups": len(members),
                "of_groups": of_groups,
                "message": text + ".",
            }
        )
    out = pd.DataFrame(rows)
    out = out.assign(
        _k=out["kind"].map({k: i for i, k in enumerate(SIGNAL_KINDS)}),
        _kpi=out["kpi"].map(order).fillna(len(order)),
        _own=~out["in_unit"],
    )
    out = out.sort_values(
        ["_sev", "_k", "_own", "n_groups", "_kpi"], ascending=[True, True, True, False, True], kind="stable"
    ).reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1, dtype="int64")
    out["shown"] = out["rank"] <= top
    out = out[SIGNAL_COLUMNS]
    return out.astype(
        {
            "severity": "string",
            "kind": "string",
            "kpi": "string",
            "period": "string",
            "unit": "string",
            "groups": "string",
            "message": "string",
            "n_groups": "int64",
            "of_groups": "Int64",
        }
    )


def _groups_judged(data, by: str | None) -> int | None:
    """How many values of ``by`` the data holds (teams in teams.csv, a customer column's values)."""
    if by is None:
        return None
    for name in ("teams", "customers", "responses", "tickets"):
        frame = table(data, name)
        if frame is not None and by in frame.columns:
            return int(frame[by].dropna().nunique())
    return None


def signals(
    data,
    period: str,
    unit: str = "",
    lang: str = "nl",
    confidence: float = 0.95,
    min_n: int | None = None,
    *,
    by: str | None = "team",
    top: int = TOP,
    alerts=None,
    **alert_options,
) -> pd.DataFrame:
    """The triaged signals of one unit's data in ``period`` (``cx.alerts`` folded by :func:`triage`).

    ``data`` is the unit's slice (``cx.subset(data, unit_by, unit)``, or the whole data for the
    whole company), ``unit`` its name ("" for the whole company). ``by`` is the level of the
    groups judged inside the unit (teams); with one team or fewer in the data, the unit alone is
    judged. ``alerts``: a ready ``cx.alerts`` frame of the same data (computed when None);
    ``alert_options`` go to ``cx.alerts``. Columns: see :func:`triage`.

    Examples
    --------
    >>> import cxlib as cx
    >>> data = cx.load(cx.paths.SAMPLE_DATA)  # doctest: +SKIP
    >>> found = cx.signals(data, "2026-Q1", lang="en")
    >>> found["message"].iloc[0][:60]
    'Answered within the SLA misses the target of 87.0% in 2026-Q'
    """
    from cxlib.monitor.alerts import alerts as find_alerts

    of_groups = _groups_judged(data, by)
    if by is not None and (of_groups or 0) <= 1:
        by, of_groups = None, None
    if alerts is None:
        alerts = find_alerts(data, period, by=by, lang=lang, confidence=confidence, min_n=min_n, **alert_options)
    return triage(alerts, unit, lang, of_groups=of_groups, by=by, top=top)
