"""The workshop exercises: what each one asks about the data, and how an answer is judged.

Every judge computes its expected answer from the data with cxlib's own functions (never from
numbers copied out of a notebook) and returns a :class:`Verdict`: the outcome, the key of the
feedback text in cxlib/data/workshop.yaml (read through :mod:`cxlib.i18n`) and the values to fill in. The settings below
(quarters, team, review sample) are the ones the workshop notebooks ask about.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from cxlib.i18n import LANGUAGES

__all__ = ["Verdict", "JUDGES", "NOTEBOOKS", "is_unanswered"]

INTRO_PERIOD = "2026-Q3"  # the warm-up NPS question
HIDDEN_FROM, HIDDEN_TO = "2024-Q4", "2026-Q3"  # first and last full quarter of the sample
TRAINING_PERIOD = "2025-Q2"  # the quarter before Service Oost's training
REVIEW = {"n": 10, "seed": 0, "period": "2026-Q3", "group": {"segment": "enterprise", "touchpoint": "billing"}}
NOISE_TEAM, NOISE_PERIOD = "Service Oost", "2026-Q2"  # the change from the quarter before into this one
EFFECT_ACTIONS = ("A016", "A019")
MANAGEMENT_KPIS = {"actions_done"}  # our own follow-through: a monitoring KPI, not a goal KPI
# Which goal each KPI can serve (sample goals): churn follows loyalty (detractors churn more often),
# effort drives loyalty, complaints signal unhappy customers; support efficiency is about speed,
# service standards and behaviour; cross-sell grows with satisfied, loyal, low-effort customers.
SERVES = {
    "lower churn": {"churn_rate", "nps", "csat", "ces", "complaint_rate"},
    "more efficient support": {
        "first_response_time",
        "sla_attainment",
        "complaint_rate",
        "ces",
        "csat",
        "compliance",
        "behaviour",
    },
    "more cross sell": {"nps", "csat", "ces"},
}
SYNONYMS = {  # Dutch words participants may use for the sample's codes
    "opvolging": "follow up",
    "opvolgen": "follow up",
    "initiatief": "initiative",
    "opgelost voor escalatie": "resolved before escalation",
    "particulier": "consumer",
    "consument": "consumer",
    "mkb": "smb",
    "zakelijk": "enterprise",
    "grootzakelijk": "enterprise",
    "aankoop": "purchase",
    "levering": "delivery",
    "bezorging": "delivery",
    "installatie": "installation",
    "ondersteuning": "support",
    "klantenservice": "support",
    "facturatie": "billing",
    "factuur": "billing",
    "facturen": "billing",
}
ACT = {"act", "action", "yes", "train", "training", "actie", "ja", "handelen", "ingrijpen"}
NO_ACTION = {
    "no action",
    "no",
    "wait",
    "monitor",
    "watch",
    "geen actie",
    "nee",
    "afwachten",
    "volgen",
    "niets doen",
    "do nothing",
}
NOTEBOOKS = {
    "intro_nps": "00_introduction",
    "kpi_choice": "01_goals",
    "goal_at_risk": "01_goals",
    "data_rejected": "02_data",
    "behaviour_team": "02_data",
    "hidden_segment": "03_analysis",
    "peak_week": "03_analysis",
    "training": "04_action_plan",
    "common_thread": "04_action_plan",
    "noise": "05_monitoring",
    "action_effect": "05_monitoring",
}


class Verdict(NamedTuple):
    """A judged answer: ``passed``, the message ``key`` and the ``params`` to fill in."""

    passed: bool
    key: str
    params: dict


def _ok(key: str = "pass", **params) -> Verdict:
    return Verdict(True, key, params)


def _no(key: str, **params) -> Verdict:
    return Verdict(False, key, params)


def is_unanswered(answer) -> bool:
    """``None``, ``...``, an empty string, or a dict/list holding nothing but those."""
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, Mapping):
        return bool(answer) and all(is_unanswered(v) for v in answer.values())
    if isinstance(answer, (list, tuple)):
        return bool(answer) and all(v is Ellipsis or v is None for v in answer)
    return False


# ---------------------------------------------------------------- normalising answers
def _key(text) -> str:
    """Lower case, accents folded, ``_``/``-``/spaces collapsed: "Follow-up" → "follow up"."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[\s_\-]+", " ", text.strip().lower()).strip()


def _match(given, choices) -> str | None:
    """The choice ``given`` names (case, accents, separators and Dutch synonyms ignored)."""
    by_key = {_key(c): str(c) for c in choices}
    k = _key(given)
    return by_key.get(k) or by_key.get(SYNONYMS.get(k, ""))


def _match_all(listed: list, choices) -> tuple[list[str], object]:
    """The choices the listed answers name, and the first answer that names none (None if all match)."""
    given = []
    for item in listed:  # a participant's handful of answers
        found = _match(item, choices)
        if found is None:
            return given, item
        given.append(found)
    return given, None


def _as_list(answer) -> list | None:
    if isinstance(answer, str):
        return [answer]
    if isinstance(answer, (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)):
        return list(answer)
    return None


def _number(answer) -> float | None:
    if isinstance(answer, bool) or answer is None:
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _get(answer: Mapping, *names):
    """The value under the first of ``names`` the answer uses (keys compared loosely), else None."""
    keys = {_key(k): v for k, v in answer.items()}
    for name in names:
        if _key(name) in keys:
            value = keys[_key(name)]
            return None if value is Ellipsis else value
    return None


def _flag(value) -> bool:
    return (
        bool(value)
        if value is not pd.NA and value is not None and not (isinstance(value, float) and math.isnan(value))
        else False
    )


# ---------------------------------------------------------------- 00 introduction
def intro_nps(answer, data) -> Verdict:
    from cxlib.kpi import nps

    given = _number(answer)
    if given is None:
        return _no("number", given=repr(answer))
    frame = nps(data.responses, freq="quarter")
    row = frame[frame["period"] == INTRO_PERIOD].iloc[0]
    if abs(given - row["value"]) <= 0.5:
        return _ok(value=row["value"], n=int(row["n"]), low=row["ci_low"], high=row["ci_high"])
    if -1 <= given <= 1 and abs(100 * given - row["value"]) <= 0.5:
        return _no("fraction")
    if abs(given - row["promoter_share"]) <= 0.5:
        return _no("share", given=given)
    others = frame[(frame["period"] != INTRO_PERIOD) & ((frame["value"] - given).abs() <= 0.05)]
    if len(others):
        return _no("other_quarter", period=others["period"].iloc[0])
    return _no("off", given=given)


# ---------------------------------------------------------------- 01 goals
def kpi_choice(answer, data) -> Verdict:
    from cxlib.catalogue import kpi_keys
    from cxlib.goals import MAX_KPIS_PER_GOAL, MAX_KPIS_TOTAL, load_goals

    goals = list(dict.fromkeys(load_goals(data)["goal"].tolist()))
    if not isinstance(answer, Mapping):
        return _no("format", goals=goals)
    known = kpi_keys()
    chosen: dict[str, list[str]] = {}
    for name, kpis in answer.items():
        goal = _match(name, goals)
        if goal is None:
            return _no("unknown_goal", goal=name, goals=goals)
        listed = _as_list(kpis) if kpis is not Ellipsis else []
        if listed is None:
            return _no("format", goals=goals)
        given, unknown = _match_all([k for k in listed if k is not Ellipsis], known)
        if unknown is not None:
            return _no("unknown_kpi", kpi=unknown, known=list(known))
        if given:
            chosen[goal] = list(dict.fromkeys([*chosen.get(goal, []), *given]))
    for goal, kpis in chosen.items():
        management = [k for k in kpis if k in MANAGEMENT_KPIS]
        if management:
            return _no("management_kpi", kpi=management[0])
        if len(kpis) > MAX_KPIS_PER_GOAL:
            return _no("per_goal", goal=goal, count=len(kpis))
    distinct = list(dict.fromkeys(k for kpis in chosen.values() for k in kpis))
    if len(distinct) > MAX_KPIS_TOTAL:
        return _no("too_many", count=len(distinct), limit=MAX_KPIS_TOTAL)
    for goal in goals:
        if not chosen.get(goal):
            return _no("missing_goal", goal=goal)
    for goal, kpis in chosen.items():
        serves = SERVES.get(_key(goal))
        misfit = [k for k in kpis if serves is not None and k not in serves]
        if misfit:
            return _no("fit", kpi=misfit[0], goal=goal)
    return _ok(count=len(distinct))


def goal_at_risk(answer, data) -> Verdict:
    from cxlib.goals import goal_status, load_goals

    status = goal_status(load_goals(data), data)
    known = list(dict.fromkeys(status["kpi"].tolist()))
    listed = _as_list(answer)
    if listed is None:
        return _no("format")
    given, unknown = _match_all(listed, known)
    if unknown is not None:
        return _no("unknown", kpi=unknown, known=known)
    by_kpi = dict(zip(status["kpi"], status["status"]))
    expected = [k for k in known if by_kpi[k] == "at_risk"]
    for kpi in given:
        if by_kpi[kpi] == "met":
            return _no("extra_met", kpi=kpi)
        if by_kpi[kpi] == "missed":
            return _no("extra_missed", kpi=kpi)
    found = set(given) & set(expected)
    if len(found) < len(expected):
        return _no("missing", found=len(found), total=len(expected))
    return _ok(kpis=expected)


# ---------------------------------------------------------------- 02 data
def data_rejected(answer, data) -> Verdict:
    from cxlib.data_profile import rejections

    if not isinstance(answer, Mapping):
        return _no("format")
    summary = data.summary
    tables = summary["table"].astype(str).tolist()
    most = summary.loc[summary["rejected"] == summary["rejected"].max(), "table"].astype(str).tolist()
    total = int(summary["rejected"].sum())
    table_given, count = _get(answer, "table", "tabel"), _get(answer, "rejected", "afgekeurd", "rows", "total")
    if table_given is None or _number(count) is None:
        return _no("format")
    table = _match(table_given, tables)
    if table is None:
        return _no("unknown_table", table=table_given, tables=tables)
    if table not in most:
        return _no("table", table=table)
    count = _number(count)
    if count != total:
        if count == len(rejections(data)):
            return _no("reason_lines", given=int(count))
        if count == summary["rejected"].max():
            return _no("table_count", given=int(count))
        return _no("total", given=count)
    return _ok(table=table, total=total)


def behaviour_team(answer, data) -> Verdict:
    from cxlib.kpi import behaviour, compliance

    by_item = behaviour(data.observations, by=["team", "item"], freq=None)
    teams = sorted(by_item["team"].astype(str).unique())
    items = sorted(by_item["item"].astype(str).unique())
    worst = by_item.loc[by_item["value"].idxmin()]
    weakest_standards = str(compliance(data.observations, by="team", freq=None).sort_values("value").iloc[0]["team"])
    if isinstance(answer, str):
        team_given, item_given = answer, None
    elif isinstance(answer, Mapping):
        team_given, item_given = _get(answer, "team"), _get(answer, "item", "behaviour", "gedrag")
    else:
        return _no("format")
    if team_given is None:
        return _no("format")
    team = _match(team_given, teams)
    if team is None:
        return _no("unknown_team", team=team_given, teams=teams)
    if team != str(worst["team"]):
        return _no("standards_team" if team == weakest_standards else "team", team=team)
    if item_given is None:
        return _no("item_missing")
    item = _match(item_given, items)
    if item is None:
        return _no("unknown_item", item=item_given, items=items)
    if item != str(worst["item"]):
        return _no("item", item=item)
    rest = by_item[(by_item["item"] == worst["item"]) & (by_item["team"] != worst["team"])]
    return _ok(
        team=team,
        item=item,
        value=worst["value"],
        low=worst["ci_low"],
        high=worst["ci_high"],
        others=rest["value"].mean(),
    )


# ---------------------------------------------------------------- 03 analysis
def hidden_segment(answer, data) -> Verdict:
    from cxlib.analysis import nps_change

    if not isinstance(answer, Mapping):
        return _no("format")
    change = nps_change(data.responses, HIDDEN_FROM, HIDDEN_TO, by=["segment", "touchpoint"], customers=data.customers)
    total = change[change["level"] == "total"].iloc[0]
    cells = change[change["level"] == "segment"]
    falling = cells[cells["significant"].fillna(False).astype(bool) & (cells["change"] < 0)]
    worst = falling.loc[falling["change"].idxmin()]
    changed = _get(answer, "total_changed", "totaal_veranderd")
    if not isinstance(changed, (bool, np.bool_)):
        return _no("format")
    total_significant = _flag(total["significant"])
    if bool(changed) != total_significant:
        return _no("total_changed" if total_significant else "total_flat", start=HIDDEN_FROM, end=HIDDEN_TO)
    segments = sorted(cells["segment"].dropna().astype(str).unique())
    touchpoints = sorted(cells["touchpoint"].dropna().astype(str).unique())
    segment_given, touchpoint_given = _get(answer, "segment"), _get(answer, "touchpoint", "contactmoment")
    if segment_given is None:
        return _no("format")
    segment = _match(segment_given, segments)
    if segment is None:
        return _no("unknown_segment", segment=segment_given, segments=segments)
    if touchpoint_given is None:
        return _no(
            "touchpoint_missing" if segment == str(worst["segment"]) else "segment", segment=segment, touchpoint="…"
        )
    touchpoint = _match(touchpoint_given, touchpoints)
    if touchpoint is None:
        return _no("unknown_touchpoint", touchpoint=touchpoint_given, touchpoints=touchpoints)
    if (segment, touchpoint) == (str(worst["segment"]), str(worst["touchpoint"])):
        return _ok(
            segment=segment,
            touchpoint=touchpoint,
            total=total["change"],
            nps_from=worst["nps_from"],
            nps_to=worst["nps_to"],
        )
    if segment == str(worst["segment"]):
        return _no("touchpoint", touchpoint=touchpoint)
    row = cells[(cells["segment"].astype(str) == segment) & (cells["touchpoint"].astype(str) == touchpoint)]
    if len(row) and row["change"].iloc[0] >= 0:
        return _no("rising", segment=segment, touchpoint=touchpoint)
    if len(row) and not _flag(row["significant"].iloc[0]):
        return _no("noise", segment=segment, touchpoint=touchpoint)
    return _no("segment", segment=segment, touchpoint=touchpoint)


def _monday(value) -> pd.Timestamp | None:
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    if pd.isna(day):
        return None
    day = day.tz_localize(None) if day.tzinfo is not None else day
    return (day - pd.Timedelta(days=day.weekday())).normalize()


def peak_week(answer, data) -> Verdict:
    from cxlib.analysis import peaks

    if not isinstance(answer, Mapping):
        return _no("format")
    peak = peaks(data.tickets, episodes=True)
    compared = peak.comparison[peak.comparison["kpi"] == "first_response_time"]
    slow = compared[compared["significant"].fillna(False).astype(bool) & (compared["difference"] > 0)]
    episode = str(slow.loc[slow["difference"].idxmax(), "moment_b"])
    weeks = peak.weeks[peak.weeks["peak"]]
    starts = weeks["start"].dt.tz_localize(None).dt.normalize()
    labels = weeks.groupby("episode")["start"].transform("first").dt.strftime("%Y-%m-%d")
    episode_of = dict(zip(starts, labels))
    week = _monday(_get(answer, "week", "week_start", "start", "maandag"))
    if week is None:
        return _no("format")
    label = week.strftime("%Y-%m-%d")
    if week not in episode_of:
        return _no("not_peak", week=label)
    if episode_of[week] != episode:
        return _no("calm_peak", week=label)
    slower = _get(answer, "slower", "ratio", "trager")
    if slower is None:
        return _no("ratio_missing")
    slower = _number(slower)
    if slower is None:
        return _no("format")
    times = peak.kpis[peak.kpis["kpi"] == "first_response_time"].set_index("moment")["value"]
    times.index = times.index.astype(str)
    ratio = times[episode] / times["normal"]
    if abs(slower / ratio - 1) <= 0.2:
        tickets = int(weeks.loc[labels == episode, "tickets"].sum())
        return _ok(week=episode, tickets=tickets, ratio=ratio, peak=times[episode], normal=times["normal"])
    calendar = peaks(data.tickets, episodes=True, hours="calendar").kpis
    calendar = calendar[calendar["kpi"] == "first_response_time"].set_index("moment")["value"]
    calendar.index = calendar.index.astype(str)
    if abs(slower / (calendar[episode] / calendar["normal"]) - 1) <= 0.2:
        return _no("calendar", given=slower)
    if abs(slower - (times[episode] - times["normal"])) <= 0.3:
        return _no("difference", given=slower)
    return _no("ratio", given=slower)


# ---------------------------------------------------------------- 04 action plans
def training(answer, data) -> Verdict:
    from cxlib.goals import load_goals
    from cxlib.kpi import csat

    goals = load_goals(data)
    target = float(goals.loc[goals["kpi"] == "csat", "target"].iloc[0])
    frame = csat(data.responses, by="team", freq="quarter")
    quarter = frame[(frame["period"] == TRAINING_PERIOD) & ~frame["suppressed"]]
    teams = sorted(frame["team"].astype(str).unique())
    expected = set(quarter.loc[quarter["ci_high"] < target, "team"].astype(str))
    straddles = set(quarter.loc[(quarter["value"] < target) & (quarter["ci_high"] >= target), "team"].astype(str))
    listed = _as_list(answer)
    if listed is None:
        return _no("format")
    given, unknown = _match_all(listed, teams)
    if unknown is not None:
        return _no("unknown_team", team=unknown, teams=teams)
    for team in given:
        if team in straddles:
            return _no("straddles", team=team)
        if team not in expected:
            return _no("above", team=team)
    if set(given) != expected:
        return _no("missing")
    return _ok(teams=sorted(expected), target=target)


def _review(data) -> pd.DataFrame:
    from cxlib.actions import feedback_review
    from cxlib.enrich import attach

    responses = data.responses
    missing = [c for c in REVIEW["group"] if c not in responses.columns]
    if missing:
        responses = attach(responses, data.customers, missing)
    return feedback_review(responses, **REVIEW)


def common_thread(answer, data) -> Verdict:
    from cxlib.actions import load_taxonomy
    from cxlib.actions.taxonomy import theme_labels
    from cxlib.actions.themes import theme_hits

    if not isinstance(answer, str):
        return _no("format")
    taxonomy = load_taxonomy()
    labels = {lang: theme_labels(taxonomy, lang) for lang in LANGUAGES}
    review = _review(data)
    mentioned = review["themes"].fillna("").str.split(", ").explode()
    counts = mentioned[mentioned != ""].value_counts()
    expected = set(counts.index[counts == counts.max()])
    named = {
        key
        for key in taxonomy["themes"]
        if _key(answer) in {_key(key), _key(labels["nl"][key]), _key(labels["en"][key])}
    }
    if not named:
        hits = theme_hits(pd.DataFrame({"comment": [answer]}), taxonomy).iloc[0]
        named = set(hits.index[hits.to_numpy(dtype=bool)])
    if not named:
        return _no("no_theme", given=answer, themes=list(labels["en"].values()))
    found = named & expected
    if found:
        key = sorted(found)[0]
        return _ok(
            theme_key=key, theme=labels["en"][key], theme_nl=labels["nl"][key], count=int(counts[key]), n=len(review)
        )
    key = max(named, key=lambda k: (counts.get(k, 0), k))
    return _no(
        "minor",
        theme_key=key,
        theme=labels["en"][key],
        theme_nl=labels["nl"][key],
        count=int(counts.get(key, 0)),
        n=len(review),
    )


# ---------------------------------------------------------------- 05 monitoring
def noise(answer, data) -> Verdict:
    from cxlib.kpi import csat
    from cxlib.stats import compare

    frame = csat(data.responses, by="team", freq="quarter")
    changes = compare(frame[frame["team"] == NOISE_TEAM], between="period")
    row = changes[changes["period_b"] == NOISE_PERIOD].iloc[0]
    real = _flag(row["significant"]) and row["difference"] < 0
    if not isinstance(answer, str):
        return _no("format", given=repr(answer))
    decision = "act" if _key(answer) in ACT else "no action" if _key(answer) in NO_ACTION else None
    if decision is None:
        return _no("format", given=repr(answer))
    params = {"difference": row["difference"], "low": row["ci_low"], "high": row["ci_high"]}
    if decision == "act":
        return _ok("pass_act", **params) if real else _no("act")
    return _no("no_action") if real else _ok(**params)


def action_effect(answer, data) -> Verdict:
    from cxlib.monitor import action_effects

    listed = _as_list(answer)
    if listed is None:
        return _no("format")
    given, unknown = _match_all(listed, EFFECT_ACTIONS)
    if unknown is not None:
        return _no("unknown", action=unknown, actions=list(EFFECT_ACTIONS))
    effects = action_effects(data)
    pair = effects[effects["action_id"].isin(EFFECT_ACTIONS)].set_index("action_id")
    improved = pair["improved"].fillna(False).astype(bool)
    expected = set(improved.index[improved])
    for action in given:
        if action not in expected:
            return _no("not_effective", action=action)
    if set(given) != expected:
        return _no("missing")
    if not expected:  # neither can be credited: say why for the one whose effect overlaps others
        overlap = pair[pair["verdict"] == "confounded"]
        if len(overlap):
            row = overlap.iloc[0]
            return _ok(
                "pass_none",
                action=row.name,
                others=row["confounded_by"],
                did=row["did"],
                low=row["ci_low"],
                high=row["ci_high"],
            )
    first = pair.loc[sorted(expected)[0]] if expected else None
    return _ok(
        actions=sorted(expected),
        did=None if first is None else first["did"],
        low=None if first is None else first["ci_low"],
        high=None if first is None else first["ci_high"],
    )


JUDGES = {
    "intro_nps": intro_nps,
    "kpi_choice": kpi_choice,
    "goal_at_risk": goal_at_risk,
    "data_rejected": data_rejected,
    "behaviour_team": behaviour_team,
    "hidden_segment": hidden_segment,
    "peak_week": peak_week,
    "training": training,
    "common_thread": common_thread,
    "noise": noise,
    "action_effect": action_effect,
}
