"""The main job end to end: papermill runs of the report notebook, the batch, and a real browser.

The browser test renders a copy of the sample in which every comment of one unit's quarter
carries a script payload, so whichever ten verbatims the review draws, a live script would show.
"""

from __future__ import annotations

import re

import nbformat
import papermill as pm
import pytest

from cxlib import paths
from cxlib.report import read_records

pytestmark = pytest.mark.slow

PERIOD = "2026-Q3"


def _execute(tmp_path, **parameters):
    out = tmp_path / "executed.ipynb"
    pm.execute_notebook(
        str(paths.NOTEBOOKS / "quarterly_review.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="cxlib",
        progress_bar=False,
        cwd=str(paths.NOTEBOOKS),
    )
    return nbformat.read(out, as_version=4)


def test_papermill_run_in_english_for_one_region(tmp_path):
    notebook = _execute(tmp_path, period=PERIOD, unit_by="region", unit="Noord", lang="en")
    records = read_records(notebook)
    assert records["unit"] == "Noord" and records["period"] == PERIOD
    number = r"-?\d+\.\d"
    assert re.fullmatch(
        rf"NPS {number} \[{number}–{number}\] \(n = [\d,]+\) · "
        rf"CSAT {number}% \[{number}–{number}\] \(n = [\d,]+\)",
        records["headline"],
    )
    assert records["kpis_shown"] >= 7
    assert records["verbatims"] == 10


def test_unit_below_min_n_shows_too_few_responses(tmp_path):
    notebook = _execute(tmp_path, period=PERIOD, unit_by="region", unit="Noord", lang="en", min_n=100_000)
    html = "".join(o.get("data", {}).get("text/html", "") for c in notebook.cells for o in c.get("outputs", []))
    assert html.count("too few responses") >= 7
    assert "NPS too few responses" in read_records(notebook)["headline"]


@pytest.fixture(scope="module")
def rendered(q3_batch):
    """The shared 2026-Q3 batch (tests/conftest.py): Zuid's comments in the quarter all carry a script."""
    return q3_batch


def test_batch_writes_every_unit_and_the_index(rendered):
    status, folder = rendered
    assert status == 0
    names = sorted(p.name for p in folder.glob("*.html"))
    assert names == ["index.html", "noord.html", "oost.html", "west.html", "whole-company.html", "zuid.html"]
    for page in folder.glob("*.html"):
        size = page.stat().st_size
        assert size < 5 * 1024 * 1024, f"{page.name} is {size / 1e6:.1f} MB"
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text), f"{page.name} references the internet"
        assert "<link" not in text and "@import" not in text and "@font-face" not in text


def _open(page, path):
    page.route(re.compile(r"^(?!file:|data:|about:).*"), lambda route: route.abort())
    page.goto(path.as_uri())
    page.wait_for_load_state("load")


def test_report_opens_in_a_browser_with_tiles_and_inert_comments(page, rendered):
    _, folder = rendered
    _open(page, folder / "zuid.html")
    assert page.console_errors == []
    assert all(url.startswith(("file:", "data:")) for url in page.requests), page.requests
    assert page.locator(".cx-tile").count() >= 7
    assert page.locator(".cx-verbatim").count() == 10
    assert page.title() != "pwned" and page.evaluate("window.cxPwned === undefined")
    assert page.locator(".cx-verbatim script, .cx-verbatim img").count() == 0
    assert "<script>" in page.locator(".cx-verbatim").first.inner_text()  # shown as text
    assert page.locator("img").count() >= 3  # the embedded charts render


def test_index_links_every_unit_in_a_browser(page, rendered):
    _, folder = rendered
    _open(page, folder / "index.html")
    assert page.console_errors == []
    links = page.locator("a")
    assert links.count() == 5
    for i in range(links.count()):
        assert (folder / links.nth(i).get_attribute("href")).exists()
    assert page.locator("td.ok").count() == 5
    links.filter(has_text="Zuid").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("zuid.html") and page.console_errors == []
