"""Page one of a review: what changed, why, and what to do, in a few sentences with their intervals.

:func:`review_story` reads frames that other cxlib functions computed and writes sentences; it
computes no statistic of its own (frames in, frame out):

- **what changed**: at most ``max_changes`` (3) significant findings from the review table
  (``cx.review_table``): a change against the previous period (or, for a KPI without one, the
  same period a year earlier) whose Benjamini–Hochberg adjusted test is significant, or a target
  missed on the whole interval (goal status ``missed``). Changes for the worse and missed targets
  first, then changes for the better; within each, by the size of the difference in standard
  errors (read from its interval). One sentence per KPI, with the interval.
- **why**: the peak episodes of the period (``cx.episodes``) with the KPIs that were
  significantly worse in them; the segment × touchpoint that moved the NPS most
  (``cx.nps_change``: the largest contribution when the total change is significant, else a
  segment whose own change is significant under a flat total); the strongest driver of the NPS
  (``cx.drivers``) with its interval.
- **what to do**: the top proposed actions (``cx.propose_actions``) and the overdue actions with
  their owners (``cx.overdue_actions``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, code_label, date_range, fill, label, number, signed
from cxlib.periods import parse_period

__all__ = ["review_story", "STORY_COLUMNS", "PARTS"]

PARTS = ("what", "why", "todo")
STORY_COLUMNS = ["part", "order", "kind", "kpi", "text"]
_Z = 1.959963984540054  # normal quantile of the 95% interval, to read a standard error off an interval


def _value(kpi: str, value: float, lang: str) -> str:
    return kpi_info(kpi).value_text(value, lang)


def _confidence(confidence: float, lang: str) -> str:
    return f"{number(100 * confidence, lang, 0)}%"


def _what(review: pd.DataFrame, period: str, lang: str, confidence: float, max_changes: int) -> list[dict]:
    grain, _ = parse_period(period)
    words = {
        "period": period,
        "period_word": label(f"story.period_word.{grain}", lang),
        "confidence": _confidence(confidence, lang),
    }
    found = []
    for row in review.itertuples(index=False):  # one row per KPI (about ten)
        if row.compared_on != "value" or bool(row.suppressed) or pd.isna(row.value):
            continue  # a KPI tested on another statistic than the one shown is not described here
        info = kpi_info(row.kpi)
        sign = 1.0 if info.higher_is_better else -1.0
        wrong = (row.ci_high < row.target) if info.higher_is_better else (row.ci_low > row.target)
        missed = row.status == "missed" and bool(wrong)  # judged on the interval shown beside it
        for suffix, other in (("prev", row.previous_period), ("year", row.year_period)):
            change, low, high = (
                getattr(row, f"change_{suffix}"),
                getattr(row, f"change_{suffix}_low"),
                getattr(row, f"change_{suffix}_high"),
            )
            significant = getattr(row, f"significant_{suffix}")
            if pd.isna(change) or pd.isna(significant) or not bool(significant) or change == 0:
                continue
            worse = sign * change < 0
            se = (high - low) / (2 * _Z) if high > low else np.inf
            text = fill(
                label(f"story.changed.{'worse' if worse else 'better'}", lang),
                {
                    **words,
                    "kpi": info.text("label", lang),
                    "value": _value(row.kpi, row.value, lang),
                    "other": other,
                    "change": info.change_text(change, lang),
                    "low": signed(low, lang, info.decimals),
                    "high": info.change_text(high, lang),
                },
            )
            if missed:
                text += fill(label("story.changed.and_missed", lang), {"target": _value(row.kpi, row.target, lang)})
            found.append(
                {
                    "kind": "worse" if worse else "better",
                    "kpi": row.kpi,
                    "text": text,
                    "_rank": (0 if worse or missed else 1, 0 if suffix == "prev" else 1, -abs(change) / se),
                }
            )
            break  # one sentence per KPI: against the previous period when it moved, else a year ago
        else:
            if missed:
                se = (row.ci_high - row.ci_low) / (2 * _Z) if row.ci_high > row.ci_low else np.inf
                text = fill(
                    label("story.changed.missed", lang),
                    {
                        **words,
                        "kpi": info.text("label", lang),
                        "value": _value(row.kpi, row.value, lang),
                        "low": number(row.ci_low, lang, info.decimals),
                        "high": _value(row.kpi, row.ci_high, lang),
                        "target": _value(row.kpi, row.target, lang),
                    },
                )
                found.append(
                    {"kind": "missed", "kpi": row.kpi, "text": text, "_rank": (0, 2, -abs(row.value - row.target) / se)}
                )
    found.sort(key=lambda item: item["_rank"])
    previous = review["previous_period"].iloc[0] if len(review) else ""
    first = bool(review["value_prev"].isna().all()) if len(review) else True
    lead = []
    if first:  # the first period of the data: say so, then what the targets say
        lead = [
            {
                "kind": "first_period",
                "kpi": pd.NA,
                "text": fill(label("story.changed.first_period", lang), {**words, "other": previous}),
            }
        ]
    elif not found:
        lead = [
            {
                "kind": "nothing",
                "kpi": pd.NA,
                "text": fill(label("story.changed.nothing", lang), {**words, "other": previous}),
            }
        ]
    kept = [{k: v for k, v in item.items() if k != "_rank"} for item in found[: max_changes - len(lead)]]
    return lead + kept


def _episode_lines(episodes: pd.DataFrame | None, lang: str) -> list[dict]:
    if episodes is None or episodes.empty:
        return []
    out = []
    for _name, rows in episodes.groupby("episode", sort=True, observed=True):  # a handful per period
        first = rows.iloc[0]
        bad = rows[rows["significant"].astype(bool) & rows["worse"].astype(bool)]
        listed = "; ".join(
            fill(
                label("story.why.episode_effect", lang),
                {"kpi": kpi_info(k).text("label", lang), "value": _value(k, v, lang), "normal": _value(k, w, lang)},
            )
            for k, v, w in zip(bad["kpi"], bad["value"], bad["value_normal"])
        )
        effects = (
            fill(label("story.why.episode_worse", lang), {"list": listed})
            if listed
            else label("story.why.episode_held", lang)
        )
        dates = date_range(first["start"].date(), first["end"].date(), lang)
        out.append(
            {
                "kind": "episode",
                "kpi": pd.NA,
                "text": fill(
                    label("story.why.episode", lang),
                    {"dates": dates, "ratio": number(first["volume_ratio"], lang, 1), "effects": effects},
                ),
            }
        )
    return out


def _segment_name(row, by: list[str], lang: str) -> str:
    return " × ".join(code_label(c, row[c], lang) for c in by)


def _change_line(change, lang: str, confidence: float) -> list[dict]:
    """The NPS decomposition's sentence; ``change`` one frame or several (previous period, a year ago):
    the first that has something significant to say."""
    if isinstance(change, (list, tuple)):
        for one in change:
            found = _change_line(one, lang, confidence)
            if found:
                return found
        return []
    if change is None or change.empty:
        return []
    by = list(change.attrs.get("by") or [c for c in ("segment", "touchpoint") if c in change.columns])
    seg = change[(change["level"] == "segment") & ~change["suppressed"].astype(bool)]
    total = change[change["level"] == "total"]
    if total.empty or seg.empty:
        return []
    total = total.iloc[0]
    if pd.notna(total["significant"]) and bool(total["significant"]):
        same = seg[np.sign(seg["contribution"]) == np.sign(total["change"])]
        if same.empty:
            return []
        top = same.loc[same["contribution"].abs().idxmax()]
        text = fill(
            label("story.why.nps_moved", lang),
            {
                "total": kpi_info("nps").change_text(total["change"], lang),
                "segment": _segment_name(top, by, lang),
                "contribution": kpi_info("nps").change_text(top["contribution"], lang),
            },
        )
        return [{"kind": "nps_change", "kpi": "nps", "text": text}]
    moved = seg[seg["significant"].fillna(False).astype(bool)]
    if moved.empty:
        return []
    top = moved.loc[(moved["change"].abs() * moved["share_to"]).idxmax()]
    info = kpi_info("nps")
    text = fill(
        label(f"story.why.{'hidden' if top['change'] < 0 else 'hidden_rise'}", lang),
        {
            "segment": _segment_name(top, by, lang),
            "from": number(top["nps_from"], lang, 1),
            "to": number(top["nps_to"], lang, 1),
            "change": info.change_text(top["change"], lang),
            "low": signed(top["change_ci_low"], lang, info.decimals),
            "high": info.change_text(top["change_ci_high"], lang),
            "confidence": _confidence(confidence, lang),
            "other": change.attrs.get("from_period", ""),
            "period": change.attrs.get("to_period", ""),
        },
    )
    return [{"kind": "nps_segment", "kpi": "nps", "text": text}]


def _driver_line(drivers: pd.DataFrame | None, lang: str, confidence: float) -> list[dict]:
    if drivers is None or drivers.empty:
        return []
    top = drivers.sort_values("rank", kind="stable").iloc[0]
    name = str(top["driver"])
    shown = kpi_info(name).text("label", lang) if name in ("nps", "csat", "ces") else code_label("driver", name, lang)
    text = fill(
        label("story.why.driver", lang),
        {
            "driver": shown,
            "weight": number(top["weight"], lang, 0),
            "low": number(top["ci_low"], lang, 0),
            "high": number(top["ci_high"], lang, 0),
            "confidence": _confidence(confidence, lang),
        },
    )
    return [{"kind": "driver", "kpi": "nps", "text": text}]


def _todo(proposals: pd.DataFrame | None, overdue: pd.DataFrame | None, lang: str, max_actions: int) -> list[dict]:
    out = []
    if proposals is not None and not proposals.empty:
        for row in proposals.sort_values("rank", kind="stable").head(max_actions).to_dict("records"):
            where = ", ".join(
                code_label(c, row[c], lang)
                for c in ("touchpoint", "segment", "channel")
                if c in row and isinstance(row[c], str) and row[c]
            )
            out.append(
                {
                    "kind": "proposal",
                    "kpi": row["kpi"],
                    "text": fill(
                        label("story.todo.proposal", lang),
                        {
                            "action": row["action"],
                            "team": row["team"],
                            "where": f" ({where})" if where else "",
                            "kpi": kpi_info(row["kpi"]).text("label", lang),
                            "value": _value(row["kpi"], row["value"], lang),
                            "target": _value(row["kpi"], row["target"], lang),
                        },
                    ),
                }
            )
    if overdue is not None and not overdue.empty:
        items = "; ".join(
            fill(
                label("story.todo.overdue_item", lang),
                {
                    "action_id": r["action_id"],
                    "team": r["team"],
                    "owner": r["owner"],
                    "days": number(r["days_overdue"], lang, 0),
                },
            )
            for r in overdue.head(3).to_dict("records")
        )
        if len(overdue) > 3:
            items += fill(label("signal.more", lang), {"more": len(overdue) - 3})
        out.append(
            {
                "kind": "overdue",
                "kpi": "actions_done",
                "text": fill(label("story.todo.overdue", lang), {"n": len(overdue), "list": items}),
            }
        )
    return out or [{"kind": "nothing", "kpi": pd.NA, "text": label("story.todo.nothing", lang)}]


def review_story(
    review: pd.DataFrame,
    period: str,
    lang: str = "nl",
    confidence: float = 0.95,
    *,
    episodes: pd.DataFrame | None = None,
    change: pd.DataFrame | None = None,
    drivers: pd.DataFrame | None = None,
    proposals: pd.DataFrame | None = None,
    overdue: pd.DataFrame | None = None,
    max_changes: int = 3,
    max_actions: int = 3,
) -> pd.DataFrame:
    """The sentences of a review's first page, from frames other cxlib functions computed (module docstring).

    ``review``: ``cx.review_table`` of the unit and period; ``episodes``: ``cx.episodes``;
    ``change``: ``cx.nps_change`` into the period (or a list: against the previous period, then
    a year earlier; the first with a significant finding is used); ``drivers``: ``cx.drivers`` of the NPS;
    ``proposals``: ``cx.propose_actions``; ``overdue``: ``cx.overdue_actions``. Any of the last
    five may be None (the data does not allow it): its sentences are left out.

    Returns one row per sentence: part (``what``, ``why``, ``todo``), order (within the part),
    kind (worse, better, missed, nothing, first_period; episode, nps_change, nps_segment, driver;
    proposal, overdue, nothing), kpi (or NA), text (in ``lang``).
    """
    check_language(lang)
    why = (
        _episode_lines(episodes, lang)
        + _change_line(change, lang, confidence)
        + _driver_line(drivers, lang, confidence)
    )
    parts = {
        "what": _what(review, period, lang, confidence, max_changes),
        "why": why[:3] or [{"kind": "nothing", "kpi": pd.NA, "text": label("story.why.nothing", lang)}],
        "todo": _todo(proposals, overdue, lang, max_actions),
    }
    rows = [{"part": part, "order": i + 1, **item} for part in PARTS for i, item in enumerate(parts[part])]
    out = pd.DataFrame(rows, columns=STORY_COLUMNS)
    return out.astype({"part": "string", "order": "int64", "kind": "string", "kpi": "string", "text": "string"})
