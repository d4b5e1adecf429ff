"""The verbatim browser: read customer comments filtered by theme, NPS score group and touchpoint.

For the facilitator of the feedback review (step 4). Comments are redacted when the browser is
built (``cxlib.actions.redact``) and every cell is HTML-escaped when shown
(``cxlib.actions.escape_html``), so personal data stays out and markup stays inert text.
Themes come from the taxonomy (``cxlib.actions.themes.theme_hits``), score groups from the NPS
answer (0–6 detractor, 7–8 passive, 9–10 promoter).

Testable without a browser: set the controls and read the result.

    app = cx.widgets.verbatim_browser(data, period="2025-Q2", lang="en")
    app.theme.value = "billing"; app.nps_group.value = "detractor"
    app.frame       # the comments shown (redacted)    app.html   # the escaped HTML table
    app.output.outputs  # what the Output widget displays
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import HTML

from cxlib.actions.escape import escape_html
from cxlib.actions.feedback_review import local_times
from cxlib.actions.redact import as_text, redact
from cxlib.actions.taxonomy import load_taxonomy, theme_labels
from cxlib.actions.themes import Taxonomy, theme_hits
from cxlib.i18n import check_language, label
from cxlib.kpi.nps_groups import NPS_GROUPS, nps_group
from cxlib.periods import in_period

__all__ = ["VerbatimBrowser", "verbatim_browser"]


def _responses(data) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    table = data.get("responses") if isinstance(data, Mapping) else getattr(data, "responses", None)
    if table is None:
        raise ValueError("verbatim_browser needs responses (a frame or CXData)")
    return table


class VerbatimBrowser(widgets.VBox):
    """The browser (a VBox). Controls: ``theme``, ``nps_group``, ``touchpoint`` (Dropdowns,
    value "" = all); results: ``count`` (Label), ``output`` (Output with the HTML table),
    ``frame`` (the comments shown, redacted plain text) and ``html`` (the escaped table).
    Every control change calls ``refresh()``."""

    def __init__(
        self,
        responses: pd.DataFrame,
        period: str | None = None,
        taxonomy: Taxonomy = None,
        lang: str = "nl",
        limit: int = 50,
    ):
        self.lang = check_language(lang)
        self.limit = int(limit)
        rows = responses[in_period(responses["submitted_at"], period)]
        has_text = as_text(rows["comment"]).str.strip().str.len().gt(0).fillna(False).to_numpy(dtype=bool)
        rows = rows[has_text]
        tax = load_taxonomy(taxonomy)
        self.hits = theme_hits(rows, tax).reset_index(drop=True)
        names = theme_labels(tax, lang)
        keys = np.asarray([f"{k}, " for k in self.hits.columns], dtype=object)
        tagged = self.hits.to_numpy().astype(object) @ keys if len(rows) and len(keys) else np.full(len(rows), "")
        self.comments = pd.DataFrame(
            {
                "response_id": rows["response_id"].astype("string").to_numpy(),
                "submitted_at": local_times(rows["submitted_at"]).to_numpy(),
                "touchpoint": rows["touchpoint"].astype("string").to_numpy() if "touchpoint" in rows else pd.NA,
                "nps_group": nps_group(rows["nps"]).array if "nps" in rows else pd.NA,
                "nps": rows["nps"].astype("Int64").array if "nps" in rows else pd.NA,
                "comment": redact(as_text(rows["comment"])).to_numpy(),
                "themes": pd.Series(tagged, dtype="string").str.removesuffix(", ").to_numpy(),
            }
        )
        everything = label("verbatims.all", lang)
        self.theme = widgets.Dropdown(
            options=[(everything, "")] + [(names[k], k) for k in self.hits.columns],
            value="",
            description=label("verbatims.theme", lang),
        )
        self.nps_group = widgets.Dropdown(
            options=[(everything, "")] + [(label(f"nps_group.{g}", lang), g) for g in NPS_GROUPS],
            value="",
            description=label("dim.nps_group", lang),
        )
        touchpoints = sorted(self.comments["touchpoint"].dropna().unique().tolist())
        self.touchpoint = widgets.Dropdown(
            options=[(everything, "")] + [(t, t) for t in touchpoints],
            value="",
            description=label("dim.touchpoint", lang),
        )
        self.count = widgets.Label()
        self.output = widgets.Output()
        self.frame = self.comments.iloc[:0]
        self.html = ""
        for control in (self.theme, self.nps_group, self.touchpoint):
            control.style.description_width = "initial"
            control.observe(self._on_change, names="value")
        super().__init__([widgets.HBox([self.theme, self.nps_group, self.touchpoint]), self.count, self.output])
        self.refresh()

    def _on_change(self, change) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Filter the comments by the controls and redraw the count and the table (newest first)."""
        keep = np.ones(len(self.comments), dtype=bool)
        if self.theme.value:
            keep &= self.hits[self.theme.value].to_numpy(dtype=bool)
        if self.nps_group.value:
            keep &= (self.comments["nps_group"] == self.nps_group.value).fillna(False).to_numpy(dtype=bool)
        if self.touchpoint.value:
            keep &= (self.comments["touchpoint"] == self.touchpoint.value).fillna(False).to_numpy(dtype=bool)
        chosen = self.comments[keep].sort_values(
            ["submitted_at", "response_id"], ascending=[False, True], kind="stable"
        )
        self.frame = chosen.head(self.limit).reset_index(drop=True)
        self.count.value = (
            label("verbatims.shown", self.lang)
            .replace("{shown}", str(len(self.frame)))
            .replace("{total}", str(int(keep.sum())))
        )
        self.html = self._table(self.frame)
        self.output.outputs = ()
        self.output.append_display_data(HTML(self.html))

    def _table(self, frame: pd.DataFrame) -> str:
        """An HTML table in which every cell is escaped (comments were redacted before)."""
        if frame.empty:
            return f"<p>{escape_html(label('explorer.no_data', self.lang))}</p>"
        heads = [
            label("verbatims.date", self.lang),
            label("dim.touchpoint", self.lang),
            "NPS",
            label("verbatims.themes", self.lang),
            label("verbatims.comment", self.lang),
        ]
        cells = [
            pd.Series(frame["submitted_at"]).dt.strftime("%Y-%m-%d").astype("string"),
            frame["touchpoint"].astype("string"),
            frame["nps"].astype("string"),
            frame["themes"].astype("string"),
            frame["comment"].astype("string"),
        ]
        body = pd.Series("<tr>", index=frame.index, dtype="string")
        for cell in cells:
            body = body + "<td>" + escape_html(cell.fillna("")) + "</td>"
        head = "".join(f"<th>{escape_html(h)}</th>" for h in heads)
        return (
            f'<table class="cx-verbatims"><thead><tr>{head}</tr></thead><tbody>'
            + "".join((body + "</tr>").tolist())
            + "</tbody></table>"
        )


def verbatim_browser(
    data, period: str | None = None, taxonomy: Taxonomy = None, lang: str = "nl", limit: int = 50
) -> VerbatimBrowser:
    """An ipywidgets browser of the comments of ``data`` (CXData or a responses frame).

    Keeps the responses of ``period`` (a label such as ``2025-Q2``; None = all) with a comment;
    filters by theme (taxonomy: default, a file, a data folder or a mapping; for CXData by default
    the taxonomy of the folder it was loaded from), NPS group
    and touchpoint; shows at most ``limit`` comments, newest first, redacted and HTML-escaped.
    Returns the ``VerbatimBrowser``: display it, or set ``.theme.value``,
    ``.nps_group.value`` and ``.touchpoint.value`` and read ``.frame`` / ``.html``.
    """
    if taxonomy is None and hasattr(data, "path"):
        taxonomy = data
    return VerbatimBrowser(_responses(data), period=period, taxonomy=taxonomy, lang=lang, limit=limit)
