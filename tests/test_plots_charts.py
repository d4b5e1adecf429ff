"""Analysis charts draw the frame's own numbers, labelled from the KPI catalogue and labels.yaml."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PolyCollection  # noqa: E402

import cxlib as cx  # noqa: E402
from cxlib import plots as pa  # noqa: E402
from cxlib.plots import labels  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def kpi_frame(kpi="ces", groups=("consumer", "smb"), periods=("2025-Q1", "2025-Q2", "2025-Q3")):
    rows = [(g, p, 4.0 + i + 0.1 * j) for i, g in enumerate(groups) for j, p in enumerate(periods)]
    frame = pd.DataFrame(
        {
            "segment": pd.Categorical([r[0] for r in rows], categories=list(groups)),
            "period": pd.array([r[1] for r in rows], dtype="string"),
            "kpi": kpi,
            "n": 100,
            "value": [r[2] for r in rows],
        }
    )
    frame["ci_low"], frame["ci_high"] = frame["value"] - 0.2, frame["value"] + 0.3
    frame["suppressed"] = False
    return frame


def test_trend_draws_values_and_interval_bands_with_catalogue_labels():
    frame = kpi_frame()
    ax = pa.trend(frame, hue="segment", lang="en")
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 3]
    assert len(lines) == 2
    assert list(lines[0].get_ydata()) == pytest.approx([4.0, 4.1, 4.2])
    assert list(lines[1].get_ydata()) == pytest.approx([5.0, 5.1, 5.2])
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    ys = bands[0].get_paths()[0].vertices[:, 1]
    assert ys.min() == pytest.approx(3.8) and ys.max() == pytest.approx(4.5)
    ylabel = ax.get_ylabel().replace("\n", " ")  # axis labels wrap to fit the axis (issue 14)
    assert "7 = easiest" in ylabel and "higher is better" in ylabel
    assert ax.get_title() == cx.kpi_info("ces").text("label", "en")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    nl = pa.trend(frame, hue="segment", lang="nl")
    assert "7 = het makkelijkst" in nl.get_ylabel().replace("\n", " ")
    assert nl.get_legend().get_title().get_text() == "Klantsegment"


def test_trend_refuses_mixed_kpis_and_uncut_groups():
    frame = pd.concat([kpi_frame("ces"), kpi_frame("nps")])
    with pytest.raises(ValueError, match="kpi="):
        pa.trend(frame)
    with pytest.raises(ValueError, match="segment"):
        pa.trend(kpi_frame())
    ax = pa.trend(frame, hue="segment", kpi="nps", lang="en")
    assert ax.get_title() == "Net Promoter Score" and "7 = easiest" not in ax.get_ylabel()
    assert ax.get_ylabel().replace("\n", " ") == "points (−100 to 100) · higher is better"


def test_segments_point_and_interval_with_translated_levels():
    frame = pd.DataFrame(
        {
            "nps_group": pd.Categorical(
                ["promoter", "passive", "detractor"], categories=["promoter", "passive", "detractor"]
            ),
            "period": "all",
            "kpi": "churn_rate",
            "n": 100,
            "value": [10.0, 15.0, 30.0],
            "ci_low": [8.0, 12.0, 25.0],
            "ci_high": [12.0, 18.0, 35.0],
            "suppressed": False,
        }
    )
    ax = pa.segments(frame, lang="nl")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["promotors", "passieven", "criticasters"]
    points = ax.collections[-1].get_offsets()
    assert list(points[:, 0]) == [10.0, 15.0, 30.0]
    lines = [c for c in ax.collections if isinstance(c, LineCollection)][0].get_segments()
    assert [tuple(s[:, 0]) for s in lines] == [(8.0, 12.0), (12.0, 18.0), (25.0, 35.0)]
    assert "lager is beter" in ax.get_xlabel()
    with pytest.raises(ValueError, match="several periods"):
        pa.segments(kpi_frame(), y="segment")


def test_drivers_bar_and_importance_performance_matrix():
    drivers = pd.DataFrame(
        {
            "driver": ["ces", "csat"],
            "weight": [65.0, 35.0],
            "raw_weight": [0.39, 0.21],
            "rank": [1, 2],
            "ci_low": [62.0, 32.0],
            "ci_high": [68.0, 38.0],
        }
    )
    ax = pa.drivers_bar(drivers, target="nps", lang="en")
    assert [p.get_width() for p in ax.patches] == pytest.approx([65.0, 35.0])
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        cx.kpi_info("ces").text("label", "en"),
        cx.kpi_info("csat").text("label", "en"),
    ]
    assert ax.get_title() == "Drivers of Net Promoter Score"
    data = pd.DataFrame({"ces": [1, 7, 4], "csat": [1, 5, 5]})
    matrix = cx.importance_performance(data, drivers, scales={"ces": (1, 7), "csat": (1, 5)})
    ax = pa.importance_performance_matrix(matrix, lang="nl")
    texts = {t.get_text() for t in ax.texts}
    assert {"hier op focussen", "zo doorgaan", "lage prioriteit", "mogelijk te veel"} <= texts
    assert list(ax.collections[0].get_offsets()[:, 0]) == [65.0, 35.0]


def test_peak_weeks_marks_the_flagged_weeks():
    start = pd.date_range("2025-01-06", periods=6, freq="7D", tz="Europe/Amsterdam")
    weeks = pd.DataFrame(
        {
            "start": start,
            "end": start + pd.Timedelta(days=6),
            "tickets": [10, 11, 30, 10, 9, 3],
            "complete": [True] * 5 + [False],
            "baseline": 10.0,
            "mad": 1.0,
            "threshold": 10 + 3 * 1.4826,
            "score": 0.0,
            "peak": [False, False, True, False, False, False],
            "episode": [0, 0, 1, 0, 0, 0],
        }
    )
    ax = pa.peak_weeks(weeks, lang="en")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["tickets", "peak threshold (median + k·MAD)", "peak", "incomplete week"]
    peak = ax.collections[0].get_offsets()
    assert len(peak) == 1 and peak[0, 1] == 30


def test_change_waterfall_stacks_the_frames_own_numbers():
    change = pd.DataFrame(
        {
            "grp": pd.Categorical(["A", "B", None], categories=["A", "B"]),
            "level": ["segment", "segment", "total"],
            "nps_from": [40.0, -20.0, 10.0],
            "nps_to": [30.0, 0.0, 24.0],
            "within": [-6.5, 7.0, 0.5],
            "mix": [10.5, 3.0, 13.5],
        }
    )
    change.attrs = {"by": ["grp"], "from_period": "2025-Q1", "to_period": "2025-Q2"}
    ax = pa.change_waterfall(change, lang="en")
    widths = [p.get_width() for p in ax.patches]
    lefts = [p.get_x() for p in ax.patches]
    assert widths == pytest.approx([10.0, -6.5, 7.0, 13.5, 24.0])
    assert lefts == pytest.approx([0.0, 10.0, 3.5, 10.5, 0.0])  # 10 − 6.5 + 7 + 13.5 = 24
    assert [t.get_text() for t in ax.get_yticklabels()] == ["NPS 2025-Q1", "A", "B", "mix shift", "NPS 2025-Q2"]
    assert ax.get_title() == "NPS change 2025-Q1 → 2025-Q2"
    rest = pa.change_waterfall(change, lang="nl", min_contribution=7.0)
    assert [t.get_text() for t in rest.get_yticklabels()][1:3] == ["B", "…"]


def test_level_and_dimension_labels_fall_back_to_the_raw_value():
    assert labels.level_label("rfm_segment", "cant_lose", "en") == "can't lose"
    assert labels.level_label("segment", "enterprise", "nl") == "grootzakelijk"  # a code with a label (issue 14)
    assert labels.level_label("segment", "Retail (web)", "nl") == "Retail (web)"  # a data value without one
    assert labels.level_label("segment", np.nan, "nl") == "onbekend"
    assert labels.dimension_label("value_tier", "nl") == "Waardeklasse"
    assert labels.dimension_label("unknown_column", "en") == "unknown_column"
    with pytest.raises(ValueError, match="language"):
        labels.dimension_label("segment", "de")
