"""Pieces of a view as HTML and PNG, from the seam's frames, with the report's own display functions.

Tiles, signals and the feedback of 10 customers are ``cxlib.display`` fragments (the same HTML as
the quarterly report); trends are ``cxlib.plots.trend`` charts drawn on a matplotlib ``Figure``
(no pyplot, so no global state) and saved as PNG. Every text from the data is escaped here or
in ``cxlib.display``; comments arrive redacted from ``cx.feedback_review``. No Panel import: the
worker thread renders, the sessions only show the result.
"""

from __future__ import annotations

import io
from html import escape

import pandas as pd
from matplotlib.figure import Figure

from cxlib import display, i18n, plots
from cxlib.actions.redact import redact_label
from cxlib.catalogue import kpi_info
from cxlib.dashboard.content import TREND_KPIS, progress
from cxlib.i18n import label
from cxlib.paths import PACKAGE_DIR
from cxlib.plots.theme import CSS_COLOURS, DASHBOARD_COLOURS, css_variables

__all__ = ["COLOURS", "STYLES", "actions_html", "render", "status_html", "status_text"]

COLOURS = css_variables({**CSS_COLOURS, **DASHBOARD_COLOURS}, ":host, :root")
"""The theme's colours as CSS custom properties (``:host``: each Panel pane has its own shadow root)."""
STYLES = (
    COLOURS
    + "\n"
    + (PACKAGE_DIR / "report" / "templates" / "cx_report" / "cx_report.css").read_text(encoding="utf-8")
    + """
.cx-actions td, .cx-actions th { text-align: left; vertical-align: top; }
.cx-overdue { color: var(--cx-signal); font-weight: 600; }
.cx-note { color: var(--cx-muted); font-size: 0.9em; }
.cx-error { background: var(--cx-error-bg); border: 1px solid var(--cx-signal); border-radius: 6px; padding: 6px 10px;
            color: var(--cx-error-text); }
.cx-updating { color: var(--cx-updating); font-size: 0.8em; }
.cx-title { color: var(--cx-accent); margin: 8px 0; }
"""
)
"""The report's stylesheet (tiles, badges, verbatims, tables) plus the dashboard's few additions."""


def render(piece: str, frame: pd.DataFrame, lang: str, *, confidence: float = 0.95):
    """HTML (tiles, signals, feedback, actions) or PNG bytes (trends) for one piece of a view."""
    if piece == "tiles":
        return display.tiles(frame, lang, confidence).data
    if piece == "signals":
        return display.alerts(frame, lang).data
    if piece == "feedback":
        if frame.empty:
            return f'<p class="cx-note">{escape(label("dashboard.no_feedback", lang))}</p>'
        return display.verbatims(frame, lang).data
    if piece == "trends":
        return _trends_png(frame, lang)
    if piece == "actions":
        return {
            "html": actions_html(frame, lang),
            "rows": frame[["action_id", "team", "status"]].astype(str).to_dict("records"),
            "progress": progress(frame),
        }
    raise ValueError(f"unknown piece {piece!r}")


def _trends_png(frame: pd.DataFrame, lang: str) -> bytes:
    figure = Figure(figsize=(13, 3.8), dpi=80, layout="constrained")
    axes = figure.subplots(1, len(TREND_KPIS))
    group_columns = [c for c in ("team", "region") if c in frame.columns]
    for ax, key in zip(axes, TREND_KPIS):
        rows = frame[frame["kpi"] == key].drop(columns=group_columns)
        if rows.empty:
            ax.set_axis_off()
            continue
        plots.trend(rows, kpi=key, lang=lang, ax=ax, title=kpi_info(key).label[lang])
        ax.tick_params(axis="x", labelrotation=45)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def actions_html(frame: pd.DataFrame, lang: str) -> str:
    """The action list: id, team, owner, description (free text: redacted), status, due date (overdue marked), done."""
    if frame.empty:
        return f'<p class="cx-note">{escape(label("dashboard.no_actions", lang))}</p>'
    heads = [display.header(c, lang) for c in ("action_id", "team", "owner", "description", "status")]
    heads += [label("dashboard.due_on", lang), label("dashboard.done_on", lang)]
    rows = []
    for r in frame.itertuples(index=False):  # the few actions of one scope
        due = i18n.date(r.due_on, lang) if pd.notna(r.due_on) else "–"
        if r.overdue:
            due = f'<span class="cx-overdue">{escape(due)} · {escape(label("dashboard.overdue", lang))}</span>'
        else:
            due = escape(due)
        done = i18n.date(r.done_on, lang) if pd.notna(r.done_on) else ""
        cells = [
            escape(str(r.action_id)),
            escape(str(r.team)),
            escape(str(r.owner)),
            escape(redact_label(str(r.description))),
            escape(status_text(str(r.status), lang)),
            due,
            escape(done),
        ]
        row = "".join(f"<td>{c}</td>" for c in cells)
        rows.append(f'<tr data-action="{escape(str(r.action_id))}">{row}</tr>')
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    return f'<table class="cx-table cx-actions"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def status_text(status: str, lang: str) -> str:
    """An action status in ``lang`` (open, in progress, done, cancelled)."""
    try:
        return label(f"action_status.{status}", lang)
    except KeyError:
        return status


def status_html(snapshot, error, lang: str) -> str:
    """The status line: when the data was loaded, rows rejected, fingerprint; a failed reload's error."""
    parts = []
    if snapshot is not None:
        text = i18n.text(
            "dashboard.as_of",
            lang,
            time=i18n.datetime(snapshot.loaded_at, lang),
            rejected=i18n.number(len(snapshot.data.rejected), lang, 0),
            fingerprint=snapshot.data.fingerprint[:12],
        )
        parts.append(f'<div class="cx-note">{escape(text)}</div>')
    else:
        parts.append(f'<div class="cx-note">{escape(label("dashboard.no_data", lang))}</div>')
    if error is not None:
        when, message = error
        text = i18n.text("dashboard.reload_failed", lang, time=i18n.datetime(when, lang), error=message)
        parts.append(f'<div class="cx-error" role="alert">{escape(text)}</div>')
    return "".join(parts)
