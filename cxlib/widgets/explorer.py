"""The KPI explorer: pick a KPI, a breakdown, a period range and a minimum n; see a chart and a table.

Built from the library only: ``cx.measure`` computes, ``cxlib.analysis.segment`` adds the
value, behaviour, interaction and NPS-group segments, ``cxlib.plots.trend`` draws.
The chart is a PNG in an ``Image`` widget and the table HTML in an ``HTML`` widget, so a test
(or a user) can set the controls and read the result without a browser:

    app = cx.widgets.explorer(data)
    app.kpi.value = "ces"; app.dimension.value = "segment"
    app.chart.value   # PNG bytes      app.table.value   # HTML      app.frame   # tidy frame
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cxlib.analysis.segments import segment
from cxlib.catalogue import kpi_info
from cxlib.i18n import check_language, label
from cxlib.io.schemas import CUSTOMER_TABLES, TIME_COLUMNS
from cxlib.kpi.measure import measure
from cxlib.periods import period_codes, period_labels
from cxlib.plots.labels import dimension_label, level_label
from cxlib.plots.trends import trend

__all__ = ["explorer", "Explorer", "KPIS_SHOWN", "BREAKDOWNS", "CUSTOMER_SEGMENTS"]

CUSTOMER_SEGMENTS = ("segment", "region", "value_tier", "rfm_segment", "contact_intensity", "main_channel", "nps_group")
"""Customer columns offered as breakdowns (``cxlib.analysis.segment`` adds all but segment and region)."""
BREAKDOWNS = {
    "responses": ("touchpoint", "channel", "team"),
    "tickets": ("team", "channel", "category"),
    "observations": ("team", "source", "item"),
    "customers": (),
}
"""Per table the KPI groups: its own columns offered as breakdowns (customer segments are added
where the rows belong to a customer). Which table a KPI groups comes from the KPI catalogue."""
KPIS_SHOWN = (
    "nps",
    "csat",
    "ces",
    "first_response_time",
    "sla_attainment",
    "churn_rate",
    "complaint_rate",
    "compliance",
    "behaviour",
)
"""The catalogue KPIs the explorer offers (actions_done is monitored, not explored)."""


class Explorer(widgets.VBox):
    """The explorer app. Controls: ``kpi``, ``dimension``, ``periods``, ``min_n``; results:
    ``chart`` (Image, PNG), ``table`` (HTML) and ``frame`` (the tidy KPI frame shown).
    Every control change calls ``refresh()``."""

    def __init__(
        self,
        data,
        lang: str = "en",
        freq: str = "quarter",
        confidence: float = 0.95,
        min_n: int = 30,
        kpis_shown=KPIS_SHOWN,
    ):
        self.lang = check_language(lang)
        self.data = data
        self.freq = freq
        self.confidence = confidence
        self.customers = segment(data.customers, orders=data.orders, tickets=data.tickets, responses=data.responses)
        self._cache: dict[tuple, pd.DataFrame] = {}
        self.frame = pd.DataFrame()
        self.kpi = widgets.Dropdown(
            options=[(kpi_info(k).text("label", lang), k) for k in kpis_shown],
            value=kpis_shown[0],
            description=label("explorer.kpi", lang),
        )
        self.dimension = widgets.Dropdown(
            options=self._dimension_options(kpis_shown[0]), value="", description=label("explorer.dimension", lang)
        )
        options = self._period_options()
        self.periods = widgets.SelectionRangeSlider(
            options=options,
            index=(0, len(options) - 1),
            description=label("explorer.periods", lang),
            layout=widgets.Layout(width="600px"),
        )
        self.min_n = widgets.BoundedIntText(
            value=min_n, min=0, max=100_000, step=10, description=label("explorer.min_n", lang)
        )
        self.chart = widgets.Image(format="png")
        self.table = widgets.HTML()
        for control in (self.kpi, self.dimension, self.periods, self.min_n):
            control.style.description_width = "initial"
        super().__init__(
            [widgets.HBox([self.kpi, self.dimension]), widgets.HBox([self.periods, self.min_n]), self.chart, self.table]
        )
        self.kpi.observe(self._on_kpi, names="value")
        for control in (self.dimension, self.periods, self.min_n):
            control.observe(self._on_change, names="value")
        self.refresh()

    # ---- options --------------------------------------------------------------------------
    def _dimension_options(self, kpi: str) -> list[tuple[str, str]]:
        name = kpi_info(kpi).groups
        table = getattr(self.data, name)
        by_customer = name == "customers" or name in CUSTOMER_TABLES
        offered = BREAKDOWNS.get(name, ()) + (CUSTOMER_SEGMENTS if by_customer else ())
        have = [d for d in offered if d in table.columns or (by_customer and d in self.customers.columns)]
        return [(label("dim.none", self.lang), "")] + [(dimension_label(d, self.lang), d) for d in have]

    def _period_options(self) -> list[str]:
        times = [self.data.responses[TIME_COLUMNS["responses"]], self.data.tickets[TIME_COLUMNS["tickets"]]]
        codes = np.concatenate([period_codes(t, self.freq) for t in times])
        codes = codes[codes >= 0]
        return list(period_labels(np.arange(codes.min(), codes.max() + 1), self.freq))

    # ---- computing ------------------------------------------------------------------------
    def _compute(self, kpi: str, dimension: str, min_n: int) -> pd.DataFrame:
        key = (kpi, dimension, min_n)
        if key not in self._cache:
            tables = {**self.data.tables, "customers": self.customers}  # with the segments added
            self._cache[key] = measure(
                tables,
                kpi,
                by=[dimension] if dimension else None,
                freq=self.freq,
                confidence=self.confidence,
                min_n=min_n,
            )
        return self._cache[key]

    def _on_kpi(self, change) -> None:
        current = self.dimension.value
        options = self._dimension_options(change["new"])
        with self.dimension.hold_trait_notifications():
            self.dimension.options = options
            self.dimension.value = current if current in [v for _, v in options] else ""
        self.refresh()

    def _on_change(self, change) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the KPI for the current controls and redraw the chart and the table."""
        kpi, dimension = self.kpi.value, self.dimension.value
        frame = self._compute(kpi, dimension, int(self.min_n.value))
        first, last = self.periods.value
        frame = frame[(frame["period"] >= first) & (frame["period"] <= last)].reset_index(drop=True)
        self.frame = frame
        self.chart.value = self._draw(frame, kpi, dimension)
        self.table.value = self._html(frame, kpi, dimension)

    # ---- output ---------------------------------------------------------------------------
    def _draw(self, frame: pd.DataFrame, kpi: str, dimension: str) -> bytes:
        fig = Figure(figsize=(9, 4.5))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if frame.empty:
            ax.text(0.5, 0.5, label("explorer.no_data", self.lang), ha="center", va="center", transform=ax.transAxes)
        else:
            trend(frame, hue=dimension or None, kpi=kpi, lang=self.lang, ax=ax)
            if ax.get_legend() is not None:
                ax.legend(
                    title=ax.get_legend().get_title().get_text(),
                    fontsize="x-small",
                    loc="center left",
                    bbox_to_anchor=(1.01, 0.5),
                )
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        return buffer.getvalue()

    def _html(self, frame: pd.DataFrame, kpi: str, dimension: str) -> str:
        if frame.empty:
            return f"<p>{label('explorer.no_data', self.lang)}</p>"
        decimals = kpi_info(kpi).decimals
        show = frame[[c for c in (dimension, "period", "n", "value", "ci_low", "ci_high") if c]].copy()
        if dimension:
            show[dimension] = [level_label(dimension, v, self.lang) for v in show[dimension]]
        names = {
            "period": label("period", self.lang),
            "value": label("value", self.lang),
            "ci_low": f"{label('interval', self.lang)} ↓",
            "ci_high": f"{label('interval', self.lang)} ↑",
            "n": label("n", self.lang),
        }
        if dimension:
            names[dimension] = dimension_label(dimension, self.lang)
        return show.rename(columns=names).to_html(
            index=False, na_rep="–", float_format=f"{{:.{decimals}f}}".format, classes="cx-explorer", border=0
        )


def explorer(data, lang: str = "en", freq: str = "quarter", confidence: float = 0.95, min_n: int = 30) -> Explorer:
    """An ipywidgets KPI explorer over a ``CXData`` (``cx.load`` / ``cx.open_data``).

    Controls: KPI (from the catalogue), breakdown (the KPI's own columns plus the customer
    segments of ``cxlib.analysis.segment``: value tier, RFM segment, contact intensity, main
    channel, NPS group), period range and minimum n (groups below it are suppressed). Shows the
    KPI per period with its interval (``cxlib.plots.trend``) and the tidy frame as a
    table. Returns the ``Explorer`` (a VBox): display it, or drive it by setting
    ``.kpi.value``, ``.dimension.value``, ``.periods.value`` and ``.min_n.value``.
    """
    return Explorer(data, lang=lang, freq=freq, confidence=confidence, min_n=min_n)
