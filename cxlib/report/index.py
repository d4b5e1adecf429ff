"""reports/<period>/index.html: a link to every unit's report with a one-line status."""
from __future__ import annotations

from html import escape
from pathlib import Path

from cxlib.atomic import write_atomic
from cxlib.i18n import label
from cxlib.plots.theme import OK, RULE, SIGNAL

__all__ = ["write_index"]

PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border-bottom: 1px solid {rule}; padding: 4px 12px; text-align: left; }}
.ok {{ color: {ok}; }}
.failed {{ color: {failed}; font-weight: bold; }}
</style>
</head>
<body>
<h1>{title}</h1>
<table class="cx-index">
<thead><tr><th>{unit_head}</th><th>{status_head}</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""


def _row(result, title: str, lang: str) -> str:
    if result.ok:
        status = escape(str(result.records.get("headline", label("ok", lang))))
        return (f'<tr class="ok"><td><a href="{escape(Path(result.html).name)}">{escape(title)}</a></td>'
                f'<td class="ok">{status}</td></tr>')
    reason = escape(f"{label('failed', lang)}: {result.error}")
    return f'<tr class="failed"><td>{escape(title)}</td><td class="failed">{reason}</td></tr>'


def write_index(path: Path, results, titles: dict[str, str], period: str, by: str, lang: str) -> Path:
    """Write the index page atomically; every text is HTML-escaped."""
    rows = "\n".join(_row(r, titles[r.unit], lang) for r in results)
    title = f"{label('report_title', lang)} {period}"
    html = PAGE.format(lang=lang, title=escape(title), unit_head=escape(label("unit", lang)),
                       status_head=escape(label("status", lang)), rows=rows, rule=RULE, ok=OK, failed=SIGNAL)
    return write_atomic(path, html)
