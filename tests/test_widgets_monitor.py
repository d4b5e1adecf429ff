"""The monitor picker: set the controls programmatically and check that the chart follows."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402

from cxlib.widgets import MonitorPicker, monitor_picker  # noqa: E402

PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def picker(sample):
    return monitor_picker(sample)


def test_controls_and_first_chart(picker):
    assert isinstance(picker, MonitorPicker) and isinstance(picker, widgets.VBox)
    assert isinstance(picker.unit, widgets.Dropdown) and isinstance(picker.kpi, widgets.Dropdown)
    assert isinstance(picker.chart, widgets.Image) and isinstance(picker.signals, widgets.HTML)
    units = [v for _, v in picker.unit.options]
    assert units[0] == "" and "Service Oost" in units and len(units) == 9  # whole company + 8 teams
    assert "actions_done" not in [v for _, v in picker.kpi.options]
    assert bytes(picker.chart.value).startswith(PNG)
    assert picker.frame["chart"].iloc[0] == "nps" and picker.frame["period"].iloc[0] == "2024-10"


def test_picking_redraws_the_control_chart(picker):
    picker.unit.value = ""
    picker.grain.value = "month"
    before_png, before_frame = bytes(picker.chart.value), picker.frame
    picker.kpi.value = "first_response_time"
    assert bytes(picker.chart.value) != before_png and not picker.frame.equals(before_frame)
    assert picker.frame["chart"].iloc[0] == "ewma"
    signals = picker.frame.loc[picker.frame["signal"], "period"].tolist()
    assert "2026-01" in signals  # the snow week
    assert "2026-01" in picker.signals.value

    picker.unit.value = "Service Oost"
    picker.kpi.value = "csat"
    picker.grain.value = "quarter"
    assert picker.frame["chart"].iloc[0] == "p"
    assert set(picker.frame["group"]) == {"Service Oost"}
    assert picker.frame["period"].tolist()[0] == "2024-Q4" and len(picker.frame) == 8
    # the training: low before 2025-Q3, high after
    z = picker.frame.set_index("period")["z"]
    assert z["2025-Q1"] < 0 < z["2026-Q1"]


def test_a_kpi_a_team_does_not_have(picker):
    picker.unit.value = "Field Zuid"
    picker.kpi.value = "churn_rate"
    assert picker.frame.empty
    assert bytes(picker.chart.value).startswith(PNG) and picker.signals.value == ""


def test_dutch_labels(sample):
    nl = monitor_picker(sample, lang="nl", freq="quarter", kpis=["csat", "sla_attainment"])
    assert nl.unit.options[0][0] == "Hele bedrijf"
    assert [label for label, _ in nl.grain.options] == ["maand", "kwartaal"]
    nl.kpi.value = "sla_attainment"
    assert "signaal" in nl.signals.value
