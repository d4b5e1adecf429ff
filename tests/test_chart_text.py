"""Chart text is data: labels are drawn as written (no mathtext, no LaTeX) and missing glyphs
(emoji, scripts the font lacks) print no warning into a report. Real charts, really drawn."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from cxlib import plots
from cxlib.paths import PROJECT_ROOT

MATH = ["$\\unicode{x41}$ VIP", "$x^2$", "100$ en $5", "Noord"]
GLYPHS = ["😀 fans", "👩\u200d👩\u200d👧 gezin", "中文客户", "हिन्दी", "tab\there"]


def _frame(labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"segment": labels, "value": [10.0 * i for i in range(len(labels))], "ci_low": 0.0, "ci_high": 50.0}
    )


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_math_in_labels_is_drawn_literally(tmp_path):
    plots.set_theme()
    ax = plots.segments(_frame(MATH), y="segment", lang="en", title="$\\unicode{x41}$ $x^2$")
    ax.figure.canvas.draw()  # mathtext would raise ValueError on \unicode here
    assert [t.get_text() for t in ax.get_yticklabels()] == MATH
    assert not any(t.get_parse_math() for t in ax.get_yticklabels() + [ax.title])
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text in the SVG
        ax.figure.savefig(tmp_path / "chart.svg")
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    for label in MATH + ["$\\unicode{x41}$ $x^2$"]:
        assert label in svg  # mathtext would have drawn "x" and a raised "2", without "$"


def test_theme_keeps_text_inert_after_seaborn():
    plots.set_theme()
    assert matplotlib.rcParams["text.parse_math"] is False
    assert matplotlib.rcParams["text.usetex"] is False


def test_missing_glyphs_do_not_warn():
    plots.set_theme()
    with warnings.catch_warnings(record=True) as caught:
        ax = plots.segments(_frame(GLYPHS + MATH), y="segment", lang="nl", title="😀 Noord")
        ax.figure.canvas.draw()
    assert [str(w.message) for w in caught] == []


def test_a_fresh_kernel_prints_nothing(tmp_path):
    """As a report kernel: warnings always shown, cxlib.plots imported, no set_theme call."""
    script = (
        "import matplotlib; matplotlib.use('Agg')\n"
        "import pandas as pd\n"
        "from cxlib import plots\n"
        f"labels = {GLYPHS + MATH!r}\n"
        "frame = pd.DataFrame({'segment': labels, 'value': range(len(labels)), 'ci_low': 0.0,"
        " 'ci_high': 9.0})\n"
        "ax = plots.segments(frame, y='segment', lang='en', title='$x^2$ 😀')\n"
        f"ax.figure.savefig({str(tmp_path / 'chart.png')!r})\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-W", "always", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert (tmp_path / "chart.png").stat().st_size > 0
