"""The KPI explorer, driven programmatically: set the controls, check the chart and table changed."""

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import pytest  # noqa: E402

import cxlib as cx  # noqa: E402
from cxlib import paths  # noqa: E402
from cxlib.widgets import Explorer, explorer  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (paths.SAMPLE_DATA / "responses.csv").exists(), reason="sample data not generated yet"
)


@pytest.fixture(scope="module")
def app(sample):
    return explorer(sample, lang="en")


def snapshot(app):
    return app.chart.value, app.table.value


def test_explorer_is_a_widget_with_chart_and_table(app):
    assert isinstance(app, (Explorer, widgets.VBox))
    assert isinstance(app.chart, widgets.Image) and app.chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert isinstance(app.table, widgets.HTML) and "<table" in app.table.value
    assert app.kpi.value == "nps" and app.dimension.value == ""
    assert app.periods.value == ("2024-Q4", "2026-Q3")
    # the table shows the KPI engine's frame: the company NPS per quarter
    expected = cx.nps(app.data.responses, freq="quarter", min_n=30)
    assert list(app.frame["value"]) == pytest.approx(list(expected["value"]))


def test_changing_the_kpi_redraws(app):
    before = snapshot(app)
    app.kpi.value = "ces"
    after = snapshot(app)
    assert after[0] != before[0] and after[1] != before[1]
    assert set(app.frame["kpi"]) == {"ces"}
    app.kpi.value = "nps"


def test_changing_the_dimension_redraws_and_breaks_down(app):
    before = snapshot(app)
    app.dimension.value = "value_tier"
    assert snapshot(app)[0] != before[0] and snapshot(app)[1] != before[1]
    assert "value_tier" in app.frame.columns
    assert "top 20%" in app.table.value and "Value tier" in app.table.value
    app.dimension.value = ""


def test_period_range_and_minimum_n(app):
    app.dimension.value = "segment"
    before = snapshot(app)
    app.periods.value = ("2025-Q1", "2025-Q4")
    assert snapshot(app) != before
    assert sorted(app.frame["period"].unique()) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert not app.frame["suppressed"].any()
    before = snapshot(app)
    app.min_n.value = 500  # enterprise has fewer than 500 answers a quarter
    assert snapshot(app)[1] != before[1]
    suppressed = app.frame[app.frame["suppressed"]]
    assert len(suppressed) and (suppressed["n"] < 500).all() and suppressed["value"].isna().all()
    app.min_n.value = 30
    app.periods.value = ("2024-Q4", "2026-Q3")
    app.dimension.value = ""


def test_breakdowns_follow_the_kpi(app):
    app.dimension.value = "touchpoint"
    app.kpi.value = "compliance"
    options = [value for _, value in app.dimension.options]
    assert options == ["", "team", "source", "item"]
    assert app.dimension.value == ""  # touchpoint is not a breakdown of observations
    app.dimension.value = "team"
    assert app.frame["team"].nunique() == 8
    app.kpi.value = "churn_rate"
    assert "nps_group" in [value for _, value in app.dimension.options] and app.dimension.value == ""
    app.kpi.value = "nps"


def test_labels_follow_the_language(sample):
    nl = explorer(sample, lang="nl")
    assert nl.dimension.description == "Uitsplitsing"
    assert ("Klanttevredenheid (CSAT)", "csat") in nl.kpi.options
    assert "Periode" in nl.table.value
