"""The monitor picker: pick a unit, a KPI and month or quarter; see its control chart.

Built from the library only: ``cxlib.monitor`` computes the KPI frames (the KPI engine) and
the chart (``kpi_chart_frame``: p-chart, NPS chart, EWMA or u-chart per KPI), and
``cxlib.plots.kpi_control_chart`` draws it. The chart is a PNG in an ``Image``
widget and the signals an HTML list, so a test (or a user) can set the controls and read the
result without a browser:

    picker = cx.widgets.monitor_picker(data)
    picker.unit.value = "Service Oost"; picker.kpi.value = "csat"
    picker.chart.value   # PNG bytes    picker.signals.value   # HTML    picker.frame   # chart frame
"""

from __future__ import annotations

import html
import io

import ipywidgets as widgets
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cxlib.catalogue import kpi_info, kpi_keys
from cxlib.i18n import check_language, label, rules_text, text
from cxlib.io.cxdata import table
from cxlib.kpi.measure import TOTAL, measure_groups
from cxlib.monitor.alerts import group_label
from cxlib.monitor.chart_frames import kpi_chart_frame
from cxlib.plots import kpi_control_chart

__all__ = ["MonitorPicker", "monitor_picker"]

_NOT_CHARTED = ("actions_done",)


class MonitorPicker(widgets.VBox):
    """Controls ``unit`` (Dropdown; "" = whole company), ``kpi`` (Dropdown), ``grain``
    (ToggleButtons: month or quarter); results ``chart`` (Image, PNG), ``signals`` (HTML) and
    ``frame`` (the chart frame drawn). Every control change calls ``refresh()``."""

    def __init__(
        self,
        data,
        by: str = "team",
        lang: str = "en",
        freq: str = "month",
        confidence: float = 0.95,
        min_n: int | None = None,
        kpis=None,
        lam: float = 0.2,
    ):
        self.lang = check_language(lang)
        self.data, self.by, self.confidence, self.min_n, self.lam = data, by, confidence, min_n, lam
        self.total = TOTAL
        self.kpis = [k for k in (kpi_keys() if kpis is None else kpis) if k not in _NOT_CHARTED]
        self._cache: dict[str, dict[str, pd.DataFrame]] = {}
        self.frame = pd.DataFrame()
        self.unit = widgets.Dropdown(
            options=[(group_label(TOTAL, lang), "")] + [(u, u) for u in self._units()],
            value="",
            description=label("monitor.unit", lang),
        )
        self.kpi = widgets.Dropdown(
            options=[(kpi_info(k).label[lang], k) for k in self.kpis],
            value=self.kpis[0],
            description=label("monitor.kpi", lang),
        )
        self.grain = widgets.ToggleButtons(
            options=[(label("monitor.month", lang), "month"), (label("monitor.quarter", lang), "quarter")],
            value=freq,
            description=label("monitor.chart_granularity", lang),
        )
        self.chart = widgets.Image(format="png")
        self.signals = widgets.HTML()
        for control in (self.unit, self.kpi, self.grain):
            control.style.description_width = "initial"
            control.observe(self._on_change, names="value")
        super().__init__([widgets.HBox([self.unit, self.kpi]), self.grain, self.chart, self.signals])
        self.refresh()

    def _units(self) -> list[str]:
        for name in ("teams", "customers"):
            frame = table(self.data, name)
            if frame is not None and self.by in frame.columns:
                return sorted(str(v) for v in frame[self.by].dropna().unique())
        return []

    def _frames(self, grain: str) -> dict[str, pd.DataFrame]:
        if grain not in self._cache:
            self._cache[grain] = measure_groups(
                self.data,
                self.kpis,
                self.by,
                freq=grain,
                confidence=self.confidence,
                min_n=self.min_n,
                total=self.total,
            )
        return self._cache[grain]

    def _on_change(self, change) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the chart frame for the current controls and redraw the chart and signals."""
        kpi, group = self.kpi.value, self.unit.value or self.total
        frame = self._frames(self.grain.value).get(kpi)
        rows = pd.DataFrame() if frame is None else frame[frame["group"] == group].reset_index(drop=True)
        self.frame = kpi_chart_frame(rows, lam=self.lam) if len(rows) else pd.DataFrame()
        self.chart.value = self._draw(kpi, group)
        self.signals.value = self._html(kpi, group)

    def _draw(self, kpi: str, group: str) -> bytes:
        fig = Figure(figsize=(9, 4.2))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if self.frame.empty:
            ax.text(
                0.5,
                0.5,
                text(
                    "monitor.not_available",
                    self.lang,
                    kpi=kpi_info(kpi).label[self.lang],
                    group=group_label(group, self.lang),
                ),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
        else:
            kpi_control_chart(
                self.frame,
                kpi,
                group,
                lang=self.lang,
                ax=ax,
                title=f"{kpi_info(kpi).label[self.lang]} · {group_label(group, self.lang)}",
            )
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        return buffer.getvalue()

    def _html(self, kpi: str, group: str) -> str:
        if self.frame.empty:
            return ""
        hits = self.frame[self.frame["signal"].astype(bool)]
        items = "".join(
            f"<li>{html.escape(str(r.period))}: {html.escape(kpi_info(kpi).value_text(r.statistic, self.lang))} "
            f"({html.escape(rules_text([n for n in (1, 2, 3, 4) if getattr(r, f'rule_{n}')], self.lang))})</li>"
            for r in hits.itertuples(index=False)
        )
        name = kpi_info(kpi).name(self.lang, kpi_info(kpi).compare_on != "value")
        head = html.escape(f"{group_label(group, self.lang)} · {name}")
        return f"<p><b>{head}</b>: {len(hits)} × {html.escape(label('monitor.signal', self.lang))}</p><ul>{items}</ul>"


def monitor_picker(
    data,
    by: str = "team",
    lang: str = "en",
    freq: str = "month",
    confidence: float = 0.95,
    min_n: int | None = None,
    kpis=None,
) -> MonitorPicker:
    """An ipywidgets control to pick a unit (``by`` value, or the whole company) and a KPI, and
    see its control chart per month or quarter (``cxlib.monitor.kpi_chart_frame``). Returns the
    ``MonitorPicker`` (a VBox): display it, or drive it by setting ``.unit.value``,
    ``.kpi.value`` and ``.grain.value`` and read ``.frame``, ``.chart.value`` and
    ``.signals.value``.
    """
    return MonitorPicker(data, by=by, lang=lang, freq=freq, confidence=confidence, min_n=min_n, kpis=kpis)
