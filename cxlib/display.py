"""HTML fragments for notebooks and reports: KPI tiles, localised tables, verbatims, provenance.

Presentation only: every number arrives computed in a tidy frame (the review table of
:func:`cxlib.monitor.review_table`, KPI frames, …). Every text is HTML-escaped here, so a customer
comment carrying markup stays inert text. Numbers and dates are formatted for the report
locale with babel (:mod:`cxlib.i18n`).
"""
from __future__ import annotations

import datetime as _dt
from html import escape

import pandas as pd
from IPython.display import HTML

from cxlib import __version__, i18n
from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import label

__all__ = ["tiles", "table", "header", "verbatims", "theme_impact", "provenance", "heading", "headline", "title",
           "alerts", "BADGE_STATUSES"]

BADGE_STATUSES = ("met", "at_risk", "missed")
"""Goal statuses shown as a badge on a tile (CSS class ``cx-status-<key>``); no_data and no_target are not."""


def _unit(unit: str, lang: str) -> str:
    return label(f"unit.{unit}", lang)


def _value(value: float, decimals: int, unit: str, lang: str) -> str:
    return i18n.number(value, lang, decimals) + _unit(unit, lang)


def _tile(row: pd.Series, lang: str, confidence: float) -> str:
    decimals = int(row["decimals"])
    head = f'<div class="cx-kpi">{escape(str(row["label"]))}</div>'
    if bool(row["suppressed"]) or pd.isna(row["value"]):
        body = f'<div class="cx-value">{escape(label("too_few_responses", lang))}</div>'
        return (f'<div class="cx-tile cx-suppressed" data-kpi="{escape(str(row["kpi"]))}">{head}{body}'
                f'<div class="cx-n">n = {i18n.number(row["n"], lang, 0)}</div></div>')
    interval = (f'{i18n.number(confidence * 100, lang, 0)}%-{label("interval", lang)}: '
                f'{_value(row["ci_low"], decimals, row["unit"], lang)} – '
                f'{_value(row["ci_high"], decimals, row["unit"], lang)}')
    status = row.get("status")
    badge = ""
    if isinstance(status, str) and status in BADGE_STATUSES:
        target = _value(row["target"], decimals, row["unit"], lang)
        badge = (f'<div><span class="cx-status cx-status-{status}">{escape(i18n.status_label(status, lang))}</span>'
                 f' <span class="cx-n">{escape(label("target", lang).lower())} {escape(target)}</span></div>')
    change = escape(str(row.get("change_label_prev", "")))
    if bool(row.get("significant_prev")) and pd.notna(row.get("change_prev")):
        change += f' ({escape(i18n.signed(row["change_prev"], lang, decimals))} {escape(label("vs_previous", lang))})'
    return (f'<div class="cx-tile" data-kpi="{escape(str(row["kpi"]))}">{head}'
            f'<div class="cx-value">{escape(_value(row["value"], decimals, row["unit"], lang))}</div>'
            f'<div class="cx-ci">{escape(interval)}</div>'
            f'<div class="cx-n">n = {i18n.number(row["n"], lang, 0)}</div>{badge}'
            f'<div class="cx-change">{change}</div></div>')


def tiles(review: pd.DataFrame, lang: str = "nl", confidence: float = 0.95) -> HTML:
    """KPI tiles from the review table: value, interval, n, target status, significant change."""
    cards = "".join(_tile(row, lang, confidence) for _, row in review.iterrows())  # one tile per KPI
    return HTML(f'<div class="cx-tiles">{cards}</div>')


def _cell(value, lang: str, decimals: int) -> str:
    if isinstance(value, bool):
        return label("bool.yes" if value else "bool.no", lang)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 1000):
        return i18n.number(value, lang, 0)
    if isinstance(value, float):
        return i18n.number(value, lang, decimals)
    if isinstance(value, (pd.Timestamp, _dt.date)):
        return i18n.date(value, lang)
    return "–" if value is None or value is pd.NA or value is pd.NaT else str(value)


def header(column: str, lang: str) -> str:
    """A column's header in the report language (labels.yaml ``column.<name>``, else the name)."""
    try:
        return label(f"column.{column}", lang)
    except KeyError:
        return column


def _translated(values: pd.Series, column: str, lang: str) -> pd.Series:
    """KPI keys → catalogue labels; other codes → labels.yaml ``value.<code>`` where one exists."""
    codes = values.dropna().astype(str).unique()
    if column == "kpi":
        names = {c: kpi_info(c).label[lang] for c in codes if c in kpi_keys()}
    else:
        names = {}
        for code in codes:
            try:
                names[code] = label(f"value.{code}", lang)
            except KeyError:
                pass
    return values.map(lambda v: names.get(str(v), v)) if names else values


def table(frame: pd.DataFrame, lang: str = "nl", decimals: int = 1, columns: list[str] | None = None,
          max_rows: int = 50) -> HTML:
    """A small frame as an escaped HTML table with localised headers, codes, numbers and dates."""
    shown = (frame[columns] if columns else frame).head(max_rows)
    shown = shown.assign(**{c: _translated(shown[c], c, lang) for c in shown.columns
                            if shown[c].dtype == object
                            or isinstance(shown[c].dtype, (pd.StringDtype, pd.CategoricalDtype))})
    head = "".join(f"<th>{escape(header(str(c), lang))}</th>" for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(v, lang, decimals))}</td>" for v in record) + "</tr>"
        for record in shown.astype(object).itertuples(index=False, name=None)  # display rows (≤ max_rows)
    )
    return HTML(f'<table class="cx-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def verbatims(review: pd.DataFrame, lang: str = "nl", taxonomy=None) -> HTML:
    """The feedback review's comments as redacted, escaped, inert text (redacted again here, so
    a frame of raw comments shows no personal data either); theme names from ``taxonomy``
    (default, a file, a folder or loaded data); with a ``thread`` column (``select="threads"``)
    each comment is led by its thread."""
    from cxlib.actions.redact import redact_label
    from cxlib.actions.taxonomy import load_taxonomy, theme_labels

    names = theme_labels(load_taxonomy(taxonomy), lang)
    items = []
    thread = review["thread"].astype("string") if "thread" in review else pd.Series(pd.NA, index=review.index)
    for row, key in zip(review.itertuples(index=False), thread):  # ≤ 10 verbatims
        themes = ", ".join(names.get(k.strip(), k.strip()) for k in str(row.themes or "").split(",") if k.strip())
        lead = f"{label('impact.thread', lang)}: {names.get(key, key)}" if isinstance(key, str) else ""
        meta = " · ".join(escape(str(x)) for x in (
            lead, i18n.date(row.submitted_at, lang), getattr(row, "touchpoint", ""),
            f"NPS {row.nps}" if pd.notna(row.nps) else "", themes) if x)
        text = escape(redact_label(str(row.comment)))
        items.append(f'<div class="cx-verbatim"><div class="cx-meta">{meta}</div>{text}</div>')
    return HTML("".join(items))


def _label_text(value) -> str:
    """A label from the data (a unit name) as readers see it: personal data redacted, no control characters."""
    from cxlib.actions import redact_label

    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return redact_label(text)


def theme_impact(impact: pd.DataFrame, lang: str = "nl") -> HTML:
    """Theme impact (:func:`cxlib.theme_impact`) as an escaped table: per theme the mentions, the
    score of those who mention it and of the others, the difference and the points of the overall
    score it costs or adds, each with its interval, and the verdict; a caption says how to read it."""
    if impact.empty:
        return HTML("")
    kpi = str(impact["kpi"].iloc[0]).upper()
    level = float(impact["ci_level"].iloc[0])
    heads = [label("impact.theme", lang), label("impact.mentions", lang),
             i18n.text("impact.score_mentions", lang, kpi=kpi), i18n.text("impact.score_others", lang, kpi=kpi),
             label("impact.difference", lang), i18n.text("impact.impact", lang, kpi=kpi),
             label("impact.verdict", lang)]

    def num(x):  # a true minus sign, as in i18n.signed
        return i18n.number(x, lang, 1).replace("-", "\u2212")

    def span(value, low, high):
        if pd.isna(value):
            return "–"
        return i18n.text("impact.interval", lang, value=i18n.signed(value, lang, 1), low=num(low), high=num(high))

    rows = []
    for r in impact.itertuples(index=False):  # one row per theme (≤ a few dozen)
        verdict = ("too_few" if r.suppressed else "costs" if r.significant and r.impact < 0
                   else "adds" if r.significant else "no_difference")
        cells = [r.label, i18n.number(r.n_mentions, lang, 0), num(r.score_mentions), num(r.score_others),
                 span(r.difference, r.ci_low, r.ci_high),
                 span(r.impact, r.impact_low, r.impact_high), label(f"impact.{verdict}", lang)]
        body = "".join(f"<td>{escape(str(c))}</td>" for c in cells)
        rows.append(f'<tr class="cx-impact-{verdict}">{body}</tr>')
    adjusted = str(impact["adjustment"].iloc[0]) == "bonferroni" if "adjustment" in impact else False
    level_text = i18n.number(100 * level, lang, 0 if round(100 * level, 1).is_integer() else 1)
    caption = i18n.text("impact.caption" if adjusted else "impact.caption_unadjusted", lang,
                        kpi=kpi, level=level_text, themes=len(impact))
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    return HTML(f'<table class="cx-table cx-impact"><caption>{escape(caption)}</caption><thead><tr>{head}'
                f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def provenance(parameters: dict, fingerprint: str, lang: str = "nl", now: _dt.datetime | None = None) -> HTML:
    """Footer: the run's parameters, the data fingerprint, the cxlib version and the time of the run."""
    now = now or _dt.datetime.now(_dt.UTC)
    params = ", ".join(f"{escape(_label_text(k))} = {escape(_label_text(v))}" for k, v in parameters.items())
    return HTML(
        f'<div class="cx-footer">{escape(label("provenance", lang))}: {params}<br>'
        f'{escape(label("data_fingerprint", lang))}: <code>{escape(fingerprint[:16])}</code> · '
        f'cxlib {escape(__version__)} · {escape(label("run_at", lang))} {escape(i18n.datetime(now, lang))}</div>'
    )


def heading(key: str, lang: str = "nl", level: int = 2, suffix: str = "") -> HTML:
    """A section heading in the report language (labels.yaml ``section.<key>``)."""
    text = label(f"section.{key}", lang) + (f" · {suffix}" if suffix else "")
    return HTML(f"<h{level}>{escape(text)}</h{level}>")


def headline(review: pd.DataFrame, lang: str = "nl", kpis: tuple[str, ...] = ("nps", "csat")) -> str:
    """One status line for the report index, each KPI with its interval and n.

    E.g. 'NPS 31,4 [28,8–34,0] (n = 2.980) · CSAT 82,0% [80,6–83,4] (n = 2.930)'.
    """
    parts = []
    for row in review[review["kpi"].isin(kpis)].itertuples(index=False):  # ≤ len(kpis) rows
        places = int(row.decimals)
        shown = (label("too_few_responses", lang) if row.suppressed or pd.isna(row.value)
                 else f"{_value(row.value, places, row.unit, lang)} "
                      f"[{i18n.number(row.ci_low, lang, places)}–{i18n.number(row.ci_high, lang, places)}]")
        parts.append(f"{row.kpi.upper()} {shown} (n = {i18n.number(row.n, lang, 0)})")
    return " · ".join(parts)


def title(period: str, unit: str, lang: str = "nl") -> HTML:
    """The report's title: 'Kwartaalreview klantbeleving 2026-Q3 · Noord' (or the whole company)."""
    return HTML(f"<h1>{escape(label('report_title', lang))} {escape(period)} · "
                f"{escape(_label_text(unit) or label('whole_company', lang))}</h1>")


def alerts(frame: pd.DataFrame, lang: str = "nl") -> HTML:
    """The alerts list (cxlib.alerts) as a table of severity and the sentence in ``lang``."""
    if frame.empty:
        return HTML(f"<p>{escape(label('no_alerts', lang))}</p>")
    shown = frame.assign(severity=frame["severity"].map(lambda s: label(f"severity.{s}", lang)),
                         message=frame[f"message_{lang}"])
    return table(shown, lang, columns=["severity", "message"])
