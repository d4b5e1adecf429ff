"""reports/<period>/index.html: per unit its key KPIs with their goal status, the change against the
previous period and the overdue actions, and apart from that whether its report rendered.

The KPI columns come from what each unit's notebook recorded (``display.index_entry``: the KPIs
with a goal, their value, goal status key, significant change; the overdue count); the status
colours are the goal statuses (met, at risk, missed, no data) and say nothing about rendering,
which has its own column: a link to the report, or the error.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from cxlib.atomic import write_atomic
from cxlib.catalogue import kpi_keys
from cxlib.i18n import fill, label
from cxlib.plots.theme import MUTED, OK, RULE, SIGNAL, STATUS_COLOURS
from cxlib.report.csp import csp_meta

__all__ = ["write_index"]

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
{csp}
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
caption {{ caption-side: top; text-align: left; color: {muted}; padding: 4px 0; }}
th, td {{ border-bottom: 1px solid {rule}; padding: 4px 10px; text-align: left; vertical-align: top; }}
th {{ font-size: 0.85em; }}
td.cx-kpi .cx-value {{ font-weight: 600; }}
td.cx-kpi .cx-change {{ font-size: 0.8em; color: {muted}; }}
.cx-status {{ display: inline-block; border-radius: 10px; padding: 0 7px; font-size: 0.75em; color: white;
  white-space: nowrap; }}
{status_css}
.ok {{ color: {ok}; }}
.failed {{ color: {failed}; font-weight: bold; }}
</style>
</head>
<body>
<h1>{title}</h1>
<table class="cx-index">
<caption>{caption}</caption>
<thead><tr><th>{unit_head}</th>{kpi_heads}<th>{overdue_head}</th><th>{render_head}</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def _kpi_cell(entry: dict | None) -> str:
    if entry is None:
        return '<td class="cx-kpi">–</td>'
    status = escape(entry["status"])
    return (
        f'<td class="cx-kpi" data-kpi="{escape(entry["kpi"])}" data-status="{status}">'
        f'<div class="cx-value">{escape(entry["value"])}</div>'
        f'<span class="cx-status cx-status-{status}">{escape(entry["status_label"])}</span>'
        f'<div class="cx-change">{escape(entry["change"])}</div></td>'
    )


def _row(result, title: str, keys: list[str], lang: str) -> str:
    entry = (result.records.get("index") or {}) if result.ok else {}
    kpis = {k["kpi"]: k for k in entry.get("kpis", [])}
    cells = "".join(_kpi_cell(kpis.get(k)) for k in keys)
    overdue = entry.get("overdue")
    overdue = "–" if overdue is None else str(overdue)
    if result.ok:
        name = f'<a href="{escape(Path(result.html).name)}">{escape(title)}</a>'
        render = f'<td class="ok">{escape(label("ok", lang))}</td>'
    else:
        name = escape(title)
        render = f'<td class="failed">{escape(label("failed", lang))}: {escape(result.error)}</td>'
    return (
        f'<tr class="{"ok" if result.ok else "failed"}"><td>{name}</td>{cells}'
        f'<td class="cx-overdue">{escape(overdue)}</td>{render}</tr>'
    )


def write_index(path: Path, results, titles: dict[str, str], period: str, by: str, lang: str) -> Path:
    """Write the index page atomically; every text is HTML-escaped."""
    from cxlib.catalogue import kpi_info
    from cxlib.periods import parse_period

    seen = {k["kpi"] for r in results if r.ok for k in (r.records.get("index") or {}).get("kpis", [])}
    keys = [k for k in kpi_keys() if k in seen]
    rows = "\n".join(_row(r, titles[r.unit], keys, lang) for r in results)
    grain, _ = parse_period(period)
    title = f"{label(f'report_title.{grain}', lang)} {period}"
    heads = "".join(f"<th>{escape(kpi_info(k).label[lang])}</th>" for k in keys)
    status_css = "\n".join(f".cx-status-{k} {{ background: {c}; }}" for k, c in STATUS_COLOURS.items())
    html = PAGE.format(
        lang=lang,
        csp=csp_meta(),
        title=escape(title),
        unit_head=escape(label("unit", lang)),
        kpi_heads=heads,
        overdue_head=escape(label("column.overdue", lang)),
        render_head=escape(label("index.report", lang)),
        rows=rows,
        rule=RULE,
        ok=OK,
        failed=SIGNAL,
        muted=MUTED,
        status_css=status_css,
        caption=escape(fill(label("index.caption", lang), {"previous": label(f"story.period_word.{grain}", lang)})),
    )
    return write_atomic(path, html)
