"""HTML fragments for notebooks and reports: page one, signals, KPI tiles, charts, tables, verbatims.

Presentation only: every number arrives computed in a tidy frame (the review table of
:func:`cxlib.monitor.review_table`, the triaged signals, the story, KPI frames, …). Every text is
HTML-escaped here, so a customer comment carrying markup stays inert text. Numbers and dates are
formatted for the report locale with babel (:mod:`cxlib.i18n`); codes are shown through their
labels (:func:`cxlib.i18n.code_label`). Charts are embedded as images with alt text
(:func:`chart`), tables carry a caption.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
from html import escape

import pandas as pd
from IPython.display import HTML

from cxlib import __version__, i18n
from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import label

__all__ = [
    "tiles",
    "table",
    "header",
    "verbatims",
    "provenance",
    "heading",
    "headline",
    "title",
    "alerts",
    "BADGE_STATUSES",
    "FREE_TEXT",
    "chart",
    "summary",
    "signals",
    "contents",
    "section",
    "trend_chart",
    "segments_chart",
    "change_chart",
    "drivers_chart",
    "episodes",
    "overdue",
    "proposals",
    "effects",
    "anchor",
    "peak_chart",
    "row",
    "index_entry",
    "theme_impact",
]

FREE_TEXT = ("description", "trigger", "comment", "owner")
"""Columns of people's own text (action descriptions, owners): shown as written, marked ``cx-text``."""
BADGE_STATUSES = ("met", "at_risk", "missed")
"""Goal statuses shown as a badge on a tile (CSS class ``cx-status-<key>``); no_data and no_target are not."""


def _unit(unit: str, lang: str) -> str:
    return label(f"unit.{unit}", lang)


def _value(value: float, decimals: int, unit: str, lang: str) -> str:
    return i18n.number(value, lang, decimals) + _unit(unit, lang)


def _first_period(row: pd.Series, lang: str) -> str:
    from cxlib.periods import parse_period

    grain, _ = parse_period(str(row["period"]))
    return label(f"no_previous.{grain}", lang)


def _tile(row: pd.Series, lang: str, confidence: float, overdue: int | None = None, signal: str = "") -> str:
    decimals = int(row["decimals"])
    head = f'<div class="cx-kpi">{escape(str(row["label"]))}</div>'
    if bool(row["suppressed"]) or pd.isna(row["value"]):
        empty = "no_actions_due" if row["kpi"] == "actions_done" and int(row["n"]) == 0 else "too_few_responses"
        body = f'<div class="cx-value">{escape(label(empty, lang))}</div>'
        return (
            f'<div class="cx-tile cx-suppressed" data-kpi="{escape(str(row["kpi"]))}">{head}{body}'
            f'<div class="cx-n">n = {i18n.number(row["n"], lang, 0)}</div></div>'
        )
    if row["kpi"] == "actions_done":  # counted, not sampled: the counts say it all
        interval = i18n.text(
            "tile.counted",
            lang,
            done=i18n.number(round(row["value"] * row["n"] / 100), lang, 0),
            n=i18n.number(row["n"], lang, 0),
        )
    else:
        interval = (
            f"{i18n.number(confidence * 100, lang, 0)}%-{label('interval', lang)}: "
            f"{_value(row['ci_low'], decimals, row['unit'], lang)} – "
            f"{_value(row['ci_high'], decimals, row['unit'], lang)}"
        )
    status = row.get("status")
    badge = ""
    if isinstance(status, str) and status in BADGE_STATUSES:
        target = _value(row["target"], decimals, row["unit"], lang)
        badge = (
            f'<div><span class="cx-status cx-status-{status}">{escape(i18n.status_label(status, lang))}</span>'
            f' <span class="cx-n">{escape(label("target", lang).lower())} {escape(target)}</span></div>'
        )
    if "value_prev" in row and pd.isna(row["value_prev"]):
        change = escape(_first_period(row, lang))
    elif row["kpi"] in kpi_keys() and not kpi_info(row["kpi"]).sampled and "value_prev" in row:
        change = escape(
            f"{i18n.signed(row['value'] - row['value_prev'], lang, decimals)}{_unit(row['unit'], lang)} "
            f"{label('vs_period', lang)} {row.get('previous_period', '')}"
        )  # counted: no test
    else:
        against = (
            f"{label('vs_period', lang)} {row['previous_period']}"
            if "previous_period" in row
            else label("vs_previous", lang)
        )
        change = escape(f"{row.get('change_label_prev', '')} {against}")
        if bool(row.get("significant_prev")) and pd.notna(row.get("change_prev")):
            on = "" if row.get("compared_on", "value") == "value" else f" {label('tile.on_mean', lang)}"
            change += f" ({escape(i18n.signed(row['change_prev'], lang, decimals) + on)})"
    extra = ""
    if overdue is not None:
        css = "cx-overdue" if overdue else "cx-n"
        extra += f'<div class="{css}">{escape(i18n.text("tile.overdue", lang, n=overdue))}</div>'
    if signal:
        extra += f'<div class="cx-signal">{escape(signal)}</div>'
    return (
        f'<div class="cx-tile" data-kpi="{escape(str(row["kpi"]))}">{head}'
        f'<div class="cx-value">{escape(_value(row["value"], decimals, row["unit"], lang))}</div>'
        f'<div class="cx-ci">{escape(interval)}</div>'
        f'<div class="cx-n">n = {i18n.number(row["n"], lang, 0)}</div>{badge}'
        f'<div class="cx-change">{change}</div>{extra}</div>'
    )


def tiles(
    review: pd.DataFrame | None,
    lang: str = "nl",
    confidence: float = 0.95,
    *,
    overdue: pd.DataFrame | None = None,
    signals: pd.DataFrame | None = None,
) -> HTML:
    """KPI tiles from the review table: value, interval, n, target status, change against the previous period.

    ``overdue`` (``cx.overdue_actions``) puts its count on the actions tile, so the tile, the
    table and the signal count the same list; ``signals`` (``cx.signals``) notes on a tile when
    the unit's own figure broke its control chart, which compares with the whole history rather
    than the previous period.
    """
    if review is None or review.empty:
        return HTML("")
    broken = {}
    if signals is not None and len(signals):
        rows = signals[signals["in_unit"] & signals["kind"].str.startswith("control_break")]
        broken = {str(k): label(f"tile.{kind}", lang) for k, kind in zip(rows["kpi"], rows["kind"])}
    cards = "".join(  # one tile per KPI (about ten)
        _tile(
            row,
            lang,
            confidence,
            len(overdue) if overdue is not None and row["kpi"] == "actions_done" else None,
            broken.get(str(row["kpi"]), ""),
        )
        for _, row in review.iterrows()
    )
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
    """KPI keys → catalogue labels; codes → their ``<column>.<code>`` label (``cxlib.i18n.code_label``)."""
    codes = values.dropna().astype(str).unique()
    if column == "kpi":
        names = {c: kpi_info(c).label[lang] for c in codes if c in kpi_keys()}
    else:
        names = {c: i18n.code_label(column, c, lang) for c in codes}
    return values.map(lambda v: names.get(str(v), v)) if names else values


def table(
    frame: pd.DataFrame | None,
    lang: str = "nl",
    decimals: int = 1,
    columns: list[str] | None = None,
    max_rows: int = 50,
    caption: str = "",
) -> HTML:
    """A small frame as an escaped HTML table with localised headers, codes, numbers and dates, and a caption."""
    if frame is None:
        return HTML("")
    shown = (frame[columns] if columns else frame).head(max_rows)
    shown = shown.assign(
        **{
            c: _translated(shown[c], c, lang)
            for c in shown.columns
            if shown[c].dtype == object or isinstance(shown[c].dtype, (pd.StringDtype, pd.CategoricalDtype))
        }
    )
    head = "".join(f"<th>{escape(header(str(c), lang))}</th>" for c in shown.columns)
    css = ['class="cx-text"' if str(c) in FREE_TEXT else "" for c in shown.columns]
    body = "".join(
        "<tr>"
        + "".join(f"<td{' ' + k if k else ''}>{escape(_cell(v, lang, decimals))}</td>" for k, v in zip(css, record))
        + "</tr>"
        for record in shown.astype(object).itertuples(index=False, name=None)  # display rows (≤ max_rows)
    )
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    return HTML(f'<table class="cx-table">{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def verbatims(review: pd.DataFrame | None, lang: str = "nl", taxonomy=None) -> HTML:
    """The feedback review's comments as redacted, escaped, inert text (redacted again here, so
    a frame of raw comments shows no personal data either); theme names from ``taxonomy``
    (default, a file, a folder or loaded data); with a ``thread`` column (``select="threads"``)
    each comment is led by its thread."""
    from cxlib.actions.redact import redact_label
    from cxlib.actions.taxonomy import load_taxonomy, theme_labels

    if review is None:
        return HTML("")
    names = theme_labels(load_taxonomy(taxonomy), lang)
    items = []
    thread = review["thread"].astype("string") if "thread" in review else pd.Series(pd.NA, index=review.index)
    for row, key in zip(review.itertuples(index=False), thread):  # ≤ 10 verbatims
        themes = ", ".join(names.get(k.strip(), k.strip()) for k in str(row.themes or "").split(",") if k.strip())
        lead = f"{label('impact.thread', lang)}: {names.get(key, key)}" if isinstance(key, str) else ""
        meta = " · ".join(
            escape(str(x))
            for x in (
                lead,
                i18n.date(row.submitted_at, lang),
                i18n.code_label("touchpoint", row.touchpoint, lang)
                if pd.notna(getattr(row, "touchpoint", pd.NA))
                else "",
                f"NPS {row.nps}" if pd.notna(row.nps) else "",
                themes,
            )
            if x
        )
        text = escape(redact_label(str(row.comment)))
        items.append(f'<div class="cx-verbatim"><div class="cx-meta">{meta}</div>{text}</div>')
    return HTML("".join(items))


def _label_text(value) -> str:
    """A label from the data (a unit name) as readers see it: personal data redacted, no control characters."""
    from cxlib.actions import redact_label

    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return redact_label(text)


def _parameter(key: str, value, lang: str) -> str:
    if key == "min_n" and value is None:
        return label("param.min_n_catalogue", lang)
    if key == "confidence":
        return f"{i18n.number(100 * float(value), lang, 0)}%"
    if key == "unit_by":
        return i18n.code_label("dim", value, lang) if value else "–"
    if key == "unit":
        return str(value) if value else label("whole_company", lang)
    if key == "lang":
        return i18n.code_label("language", value, lang)
    return "–" if value is None else str(value)


def theme_impact(impact: pd.DataFrame | None, lang: str = "nl") -> HTML:
    """Theme impact (:func:`cxlib.theme_impact`) as an escaped table: per theme the mentions, the
    score of those who mention it and of the others, the difference and the points of the overall
    score it costs or adds, each with its interval, and the verdict; a caption says how to read it."""
    if impact is None or impact.empty:
        return HTML("")
    kpi = str(impact["kpi"].iloc[0]).upper()
    level = float(impact["ci_level"].iloc[0])
    heads = [
        label("impact.theme", lang),
        label("impact.mentions", lang),
        i18n.text("impact.score_mentions", lang, kpi=kpi),
        i18n.text("impact.score_others", lang, kpi=kpi),
        label("impact.difference", lang),
        i18n.text("impact.impact", lang, kpi=kpi),
        label("impact.verdict", lang),
    ]

    def num(x):  # a true minus sign, as in i18n.signed
        return i18n.number(x, lang, 1).replace("-", "\u2212")

    def span(value, low, high):
        if pd.isna(value):
            return "–"
        return i18n.text("impact.interval", lang, value=i18n.signed(value, lang, 1), low=num(low), high=num(high))

    rows = []
    for r in impact.itertuples(index=False):  # one row per theme (≤ a few dozen)
        verdict = (
            "too_few"
            if r.suppressed
            else "costs"
            if r.significant and r.impact < 0
            else "adds"
            if r.significant
            else "no_difference"
        )
        cells = [
            r.label,
            i18n.number(r.n_mentions, lang, 0),
            num(r.score_mentions),
            num(r.score_others),
            span(r.difference, r.ci_low, r.ci_high),
            span(r.impact, r.impact_low, r.impact_high),
            label(f"impact.{verdict}", lang),
        ]
        body = "".join(f"<td>{escape(str(c))}</td>" for c in cells)
        rows.append(f'<tr class="cx-impact-{verdict}">{body}</tr>')
    adjusted = str(impact["adjustment"].iloc[0]) == "bonferroni" if "adjustment" in impact else False
    level_text = i18n.number(100 * level, lang, 0 if round(100 * level, 1).is_integer() else 1)
    caption = i18n.text(
        "impact.caption" if adjusted else "impact.caption_unadjusted",
        lang,
        kpi=kpi,
        level=level_text,
        themes=len(impact),
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    return HTML(
        f'<table class="cx-table cx-impact"><caption>{escape(caption)}</caption><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def provenance(parameters: dict, fingerprint: str, lang: str = "nl", now: _dt.datetime | None = None) -> HTML:
    """Footer: the run's parameters (named in ``lang``), the data fingerprint, cxlib's version, the time of the run."""
    now = now or _dt.datetime.now(_dt.UTC)
    params = " · ".join(
        f"{escape(i18n.code_label('param', k, lang))}: {escape(_label_text(_parameter(k, v, lang)))}"
        for k, v in parameters.items()
    )
    return HTML(
        f'<div class="cx-footer">{escape(label("provenance", lang))}: {params}<br>'
        f"{escape(label('data_fingerprint', lang))}: <code>{escape(fingerprint[:16])}</code> · "
        f"cxlib {escape(__version__)} · {escape(label('run_at', lang))} {escape(i18n.datetime(now, lang))}</div>"
    )


def anchor(key: str) -> str:
    """The id of a section's heading (the table of contents links to it)."""
    return f"cx-{key}"


def heading(key: str, lang: str = "nl", level: int = 2, suffix: str = "") -> HTML:
    """A section heading in the report language (labels.yaml ``section.<key>``), with its anchor."""
    text = label(f"section.{key}", lang) + (f" · {suffix}" if suffix else "")
    return HTML(f'<h{level} id="{anchor(key)}">{escape(text)}</h{level}>')


def headline(review: pd.DataFrame | None, lang: str = "nl", kpis: tuple[str, ...] = ("nps", "csat")) -> str:
    """One status line for the report index, each KPI with its interval and n.

    E.g. 'NPS 31,4 [28,8–34,0] (n = 2.980) · CSAT 82,0% [80,6–83,4] (n = 2.930)'.
    """
    if review is None:
        return ""
    parts = []
    for row in review[review["kpi"].isin(kpis)].itertuples(index=False):  # ≤ len(kpis) rows
        places = int(row.decimals)
        shown = (
            label("too_few_responses", lang)
            if row.suppressed or pd.isna(row.value)
            else f"{_value(row.value, places, row.unit, lang)} "
            f"[{i18n.number(row.ci_low, lang, places)}–{i18n.number(row.ci_high, lang, places)}]"
        )
        parts.append(f"{row.kpi.upper()} {shown} (n = {i18n.number(row.n, lang, 0)})")
    return " · ".join(parts)


def title(period: str, unit: str, lang: str = "nl", data_until=None) -> HTML:
    """The report's title by the period's grain: 'Kwartaalreview klantbeleving 2026-Q3 · Noord',
    'Maandreview klantbeleving maart 2026 · Hele bedrijf'; under it the period's dates (and the
    end of the data when it ends inside the period)."""
    from cxlib.periods import parse_period, period_bounds

    grain, code = parse_period(period)
    shown = period
    if grain == "month":
        first_day = pd.Timestamp(year=code // 12, month=code % 12 + 1, day=1)
        shown = f"{i18n.month_name(first_day, lang, 'wide')} {code // 12}"
    start, end = period_bounds(period)
    dates = i18n.date_range(start.date(), (end - pd.Timedelta(days=1)).date(), lang)
    if data_until is not None and pd.Timestamp(data_until) < end - pd.Timedelta(days=1):
        dates += " · " + i18n.text("data_until", lang, date=i18n.date(pd.Timestamp(data_until), lang, "long"))
    return HTML(
        f'<h1 class="cx-title">{escape(label(f"report_title.{grain}", lang))} {escape(shown)} · '
        f"{escape(_label_text(unit) or label('whole_company', lang))}</h1>"
        f'<div class="cx-subtitle">{escape(dates)}</div>'
    )


def alerts(frame: pd.DataFrame, lang: str = "nl") -> HTML:
    """The alerts list (cxlib.alerts) as a table of severity and the sentence in ``lang``."""
    if frame.empty:
        return HTML(f"<p>{escape(label('no_alerts', lang))}</p>")
    shown = frame.assign(
        severity=frame["severity"].map(lambda s: label(f"severity.{s}", lang)), message=frame[f"message_{lang}"]
    )
    return table(shown, lang, columns=["severity", "message"])


# ---- charts: images with alt text ----------------------------------------------------------------
def chart(ax, alt: str, caption: str = "") -> HTML:
    """A matplotlib chart (Axes or Figure) as an embedded PNG with ``alt`` text and an optional caption.

    The figure is closed, so a notebook shows this image only (never the default image without a
    description).
    """
    import matplotlib.pyplot as plt

    figure = getattr(ax, "figure", ax)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    note = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return HTML(
        f'<figure class="cx-figure"><img src="data:image/png;base64,{data}" alt="{escape(alt, quote=True)}">'
        f"{note}</figure>"
    )


def _grain_word(period: str, lang: str) -> str:
    from cxlib.periods import parse_period

    return label(f"story.period_word.{parse_period(period)[0]}", lang)


def trend_chart(frame: pd.DataFrame | None, kpi: str, lang: str = "nl", target: float | None = None) -> HTML:
    """The KPI over the page's periods with its interval band and the target line (alt text: the
    first and last value, the target)."""
    from cxlib import plots

    if frame is None:
        return HTML("")
    rows = frame[frame["kpi"] == kpi].sort_values("period")
    if rows.empty:
        return HTML("")
    info = kpi_info(kpi)
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(6, 3.2))
    plots.trend(rows, kpi=kpi, lang=lang, target=target, ax=ax)
    shown = rows[rows["value"].notna()]
    if shown.empty:
        what = label("too_few_responses", lang)
    else:
        what = i18n.text(
            "alt.trend_values",
            lang,
            first=shown["period"].iloc[0],
            first_value=info.value_text(shown["value"].iloc[0], lang),
            last=shown["period"].iloc[-1],
            last_value=info.value_text(shown["value"].iloc[-1], lang),
        )
    alt = i18n.text(
        "alt.trend",
        lang,
        kpi=info.text("label", lang),
        grain=_grain_word(str(rows["period"].iloc[0]), lang),
        start=rows["period"].iloc[0],
        end=rows["period"].iloc[-1],
        values=what,
    )
    if target is not None and pd.notna(target):
        alt += " " + i18n.text("alt.target", lang, target=info.value_text(target, lang))
    return chart(ax, alt)


def segments_chart(frame: pd.DataFrame | None, column: str, lang: str = "nl", reference: float | None = None) -> HTML:
    """The KPI per group of ``column`` with intervals (alt text: the highest and lowest group)."""
    from cxlib import plots

    if frame is None or frame.empty:
        return HTML("")
    import matplotlib.pyplot as plt

    key = str(frame["kpi"].iloc[0])
    info = kpi_info(key)
    _, ax = plt.subplots(figsize=(6, max(2.2, 0.4 * frame[column].nunique() + 1)))
    plots.segments(frame, y=column, kpi=key, lang=lang, reference=reference, ax=ax)
    shown = frame[frame["value"].notna()]
    alt = i18n.text(
        "alt.segments",
        lang,
        kpi=info.text("label", lang),
        dimension=label(f"dim.{column}", lang).lower(),
        period=str(frame["period"].iloc[0]),
    )
    if len(shown):
        top, low = shown.loc[shown["value"].idxmax()], shown.loc[shown["value"].idxmin()]
        alt += " " + i18n.text(
            "alt.range",
            lang,
            high=i18n.code_label(column, top[column], lang),
            high_value=info.value_text(top["value"], lang),
            low=i18n.code_label(column, low[column], lang),
            low_value=info.value_text(low["value"], lang),
        )
    return chart(ax, alt)


def change_chart(changes, lang: str = "nl", confidence: float = 0.95) -> HTML:
    """The NPS change into the period split by segment × touchpoint: the waterfall only when the
    total change is significant; otherwise one line with the change and its interval."""
    from cxlib import plots

    change = changes[0] if isinstance(changes, (list, tuple)) and changes else changes
    if change is None or isinstance(change, (list, tuple)) or change.empty:
        return HTML("")
    total = change[change["level"] == "total"].iloc[0]
    info = kpi_info("nps")
    fields = {
        "start": change.attrs.get("from_period", ""),
        "end": change.attrs.get("to_period", ""),
        "change": info.change_text(total["change"], lang),
        "low": i18n.signed(total["change_ci_low"], lang, 1),
        "high": info.change_text(total["change_ci_high"], lang),
        "confidence": f"{i18n.number(100 * confidence, lang, 0)}%",
    }
    if pd.isna(total["significant"]) or not bool(total["significant"]):
        return HTML(f'<p class="cx-note">{escape(i18n.text("change.not_significant", lang, **fields))}</p>')
    ax = plots.change_waterfall(change, lang=lang, min_contribution=0.5)
    return chart(ax, i18n.text("alt.waterfall", lang, **fields), caption=i18n.text("change.caption", lang, **fields))


def drivers_chart(frame: pd.DataFrame | None, lang: str = "nl", target: str = "nps") -> HTML:
    """Each driver's share of the explained variance with its interval (alt text: the strongest)."""
    from cxlib import plots

    if frame is None or frame.empty:
        return (
            HTML(f'<p class="cx-note">{escape(label("too_few_responses", lang))}</p>')
            if frame is not None
            else HTML("")
        )
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(6, max(2.0, 0.45 * len(frame) + 1)))
    plots.drivers_bar(frame, target=target, lang=lang, ax=ax)
    top = frame.sort_values("rank").iloc[0]
    name = str(top["driver"])
    shown = kpi_info(name).text("label", lang) if name in kpi_keys() else i18n.code_label("driver", name, lang)
    alt = i18n.text(
        "alt.drivers",
        lang,
        kpi=kpi_info(target).text("label", lang),
        driver=shown,
        weight=i18n.number(top["weight"], lang, 0),
        n=i18n.number(int(top["n"]), lang, 0),
    )
    return chart(ax, alt)


# ---- page one ----------------------------------------------------------------------------------
def summary(story: pd.DataFrame | None, lang: str = "nl") -> HTML:
    """Page one: what changed, why, what to do (``cx.review_story``), three short columns."""
    if story is None:
        return HTML("")
    columns = []
    for part, key in (("what", "what_changed"), ("why", "why"), ("todo", "what_to_do")):
        items = "".join(f"<li>{escape(str(t))}</li>" for t in story.loc[story["part"] == part, "text"])
        columns.append(
            f'<div class="cx-story-part" data-part="{part}"><h3>{escape(label(f"section.{key}", lang))}'
            f"</h3><ul>{items}</ul></div>"
        )
    return HTML(f'<div class="cx-summary" id="{anchor("summary")}">{"".join(columns)}</div>')


def signals(frame: pd.DataFrame | None, lang: str = "nl") -> HTML:
    """The triaged signals (``cx.signals``): the first lines on the page, the rest folded away."""
    if frame is None:
        return HTML("")
    head = f'<h2 id="{anchor("signals")}">{escape(label("section.signals", lang))}</h2>'
    if frame.empty:
        return HTML(f'{head}<p class="cx-note">{escape(label("no_alerts", lang))}</p>')

    def item(row) -> str:
        return (
            f'<li class="cx-signal-line" data-kpi="{escape(str(row.kpi))}" data-kind="{escape(str(row.kind))}">'
            f'<span class="cx-severity cx-severity-{escape(str(row.severity))}">'
            f"{escape(label(f'severity.{row.severity}', lang))}</span> {escape(str(row.message))}</li>"
        )

    shown = "".join(item(r) for r in frame[frame["shown"]].itertuples(index=False))  # ≤ 7
    rest = frame[~frame["shown"]]
    folded = ""
    if len(rest):
        lines = "".join(item(r) for r in rest.itertuples(index=False))
        more = escape(i18n.text("signal.more_signals", lang, n=len(rest)))
        folded = (
            f'<details class="cx-more-signals"><summary>{more}</summary><ul class="cx-signals">{lines}</ul></details>'
        )
    return HTML(f'{head}<ul class="cx-signals">{shown}</ul>{folded}')


def contents(page, lang: str = "nl") -> HTML:
    """The table of contents: a link to every section after page one (greyed when the data lacks it)."""
    items = []
    for key in page.sections:
        if key in ("summary", "signals"):
            continue
        css = "" if page.available(key) else ' class="cx-missing"'
        items.append(f'<li{css}><a href="#{anchor(key)}">{escape(label(f"section.{key}", lang))}</a></li>')
    return HTML(
        f'<nav class="cx-contents"><h2 id="{anchor("contents")}">{escape(label("section.contents", lang))}'
        f"</h2><ol>{''.join(items)}</ol></nav>"
    )


def section(page, key: str, lang: str = "nl") -> HTML:
    """A section's heading with its anchor, and the one line saying which data would enable it
    when the data lacks it."""
    missing = page.missing(key)
    note = f'<p class="cx-note cx-missing-data">{escape(missing)}</p>' if missing else ""
    return HTML(heading(key, lang).data + note)


# ---- peaks, actions ----------------------------------------------------------------------------
def episodes(frame: pd.DataFrame | None, lang: str = "nl", period: str = "") -> HTML:
    """The period's peak episodes (``cx.episodes``): per episode a captioned table of service in the
    peak against normal weeks; one line when the period had none."""
    if frame is None:
        return HTML("")
    if frame.empty:
        return HTML(f'<p class="cx-note">{escape(i18n.text("peaks.none", lang, period=period))}</p>')
    parts = []
    for _name, rows in frame.groupby("episode", sort=True, observed=True):  # a handful per period
        first = rows.iloc[0]
        dates = i18n.date_range(first["start"].date(), first["end"].date(), lang)
        caption = i18n.text(
            "peaks.caption",
            lang,
            dates=dates,
            weeks=int(first["weeks"]),
            tickets=i18n.number(int(first["tickets"]), lang, 0),
            ratio=i18n.number(first["volume_ratio"], lang, 1),
            normal=i18n.number(first["normal_per_week"], lang, 0),
        )
        shown = pd.DataFrame(
            {
                "kpi": rows["kpi"].to_numpy(),
                "peak_value": [kpi_info(k).value_text(v, lang) for k, v in zip(rows["kpi"], rows["value"])],
                "normal_value": [kpi_info(k).value_text(v, lang) for k, v in zip(rows["kpi"], rows["value_normal"])],
                "significant": rows["significant"].astype(bool).to_numpy(),
            }
        )
        parts.append(table(shown, lang, caption=caption).data)
    return HTML("".join(parts))


def overdue(frame: pd.DataFrame | None, lang: str = "nl", period: str = "") -> HTML:
    """Every overdue action with its owner, due date and days overdue (``cx.overdue_actions``)."""
    if frame is None:
        return HTML("")
    caption = i18n.text("actions.overdue_caption", lang, n=len(frame), period=period)
    if frame.empty:
        return HTML(f'<p class="cx-note">{escape(caption)}</p>')
    return table(
        frame,
        lang,
        caption=caption,
        columns=["action_id", "team", "owner", "kpi", "description", "due_on", "days_overdue"],
    )


def proposals(frame: pd.DataFrame | None, lang: str = "nl", top: int = 5) -> HTML:
    """The proposed actions (``cx.propose_actions``), most customers reached first."""
    if frame is None:
        return HTML("")
    if frame.empty:
        return HTML(f'<p class="cx-note">{escape(label("actions.no_proposals", lang))}</p>')
    return table(
        frame,
        lang,
        caption=label("actions.proposals_caption", lang),
        max_rows=top,
        columns=["rank", "action", "team", "kpi", "value", "target", "customers", "description"],
    )


def effects(frame: pd.DataFrame | None, lang: str = "nl") -> HTML:
    """The effects of the unit's finished actions (``cx.action_effects``), difference in differences."""
    if frame is None or frame.empty:
        return HTML("")
    columns = [
        c
        for c in (
            "action_id",
            "team",
            "kpi",
            "done_period",
            "team_before",
            "team_after",
            "did",
            "ci_low",
            "ci_high",
            "significant",
        )
        if c in frame.columns
    ]
    return table(frame, lang, columns=columns, caption=label("actions.effects_caption", lang))


def peak_chart(weeks: pd.DataFrame | None, lang: str = "nl") -> HTML:
    """Tickets per week of the period and the weeks before it, with the peak threshold."""
    from cxlib import plots

    if weeks is None or weeks.empty:
        return HTML("")
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(6, 3.2))
    return chart(plots.peak_weeks(weeks, lang=lang, ax=ax), label("alt.peak_weeks", lang))


def row(*parts: HTML) -> HTML:
    """Several fragments (charts) side by side, wrapping on narrow screens."""
    inner = "".join(p.data for p in parts if p is not None and p.data)
    return HTML(f'<div class="cx-row">{inner}</div>') if inner else HTML("")


def index_entry(review: pd.DataFrame | None, overdue: pd.DataFrame | None, lang: str = "nl") -> dict:
    """What the batch index shows for a unit (JSON, recorded by the notebook): per KPI with a target
    its value, goal status key and significant change against the previous period; the overdue count."""
    kpis = []
    if review is not None:
        for row in review[review["status"] != "no_target"].itertuples(index=False):  # the KPIs with a goal
            decimals = int(row.decimals)
            shown = (
                label("too_few_responses", lang)
                if row.suppressed or pd.isna(row.value)
                else _value(row.value, decimals, row.unit, lang)
            )
            if pd.isna(row.value_prev):
                change = _first_period(pd.Series({"period": row.period}), lang)
            elif pd.notna(row.significant_prev) and bool(row.significant_prev) and row.compared_on == "value":
                change = (
                    f"{i18n.signed(row.change_prev, lang, decimals)} {label('vs_period', lang)} {row.previous_period}"
                )
            else:
                change = label("no_significant_change", lang)
            kpis.append(
                {
                    "kpi": str(row.kpi),
                    "label": str(row.label),
                    "value": shown,
                    "status": str(row.status),
                    "status_label": i18n.status_label(str(row.status), lang),
                    "change": change,
                }
            )
    return {"kpis": kpis, "overdue": None if overdue is None else int(len(overdue))}
