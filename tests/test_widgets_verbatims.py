"""The verbatim browser: filters by theme, score group and touchpoint; shows redacted, escaped text."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from cxlib.actions import contains_pii
from cxlib.widgets import VerbatimBrowser, verbatim_browser

TZ = "Europe/Amsterdam"


class Tags(HTMLParser):
    """Collects the start tags of an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


@pytest.fixture
def responses():
    rows = [
        # id, day, touchpoint, nps, comment, language
        ("R1", "2025-04-01", "billing", 2, "Mijn factuur klopte niet, bel 06-12345678", "nl"),
        ("R2", "2025-04-02", "billing", 9, "The invoice was clear, thank you", "en"),
        ("R3", "2025-04-03", "support", 3, "Lang in de wacht gestaan <script>alert(1)</script>", "nl"),
        ("R4", "2025-04-04", "support", 10, "Quick reply, very friendly", "en"),
        ("R5", "2025-04-05", "delivery", 7, 'De levering was ok <img src=x onerror="alert(1)">', "nl"),
        ("R6", "2025-04-06", "delivery", None, "Delivered on time, mail a@example.com", "en"),
        ("R7", "2025-04-07", "support", 1, None, None),  # no comment: not shown
        ("R8", "2025-07-01", "billing", 0, "Factuur weer fout", "nl"),  # next quarter
    ]
    frame = pd.DataFrame(rows, columns=["response_id", "day", "touchpoint", "nps", "comment", "language"])
    frame["submitted_at"] = pd.to_datetime(frame.pop("day")).dt.tz_localize(TZ) + pd.Timedelta(hours=9)
    return frame.astype({"response_id": "string", "nps": "Int64", "comment": "string", "touchpoint": "category"})


def ids(app: VerbatimBrowser) -> list[str]:
    return app.frame["response_id"].tolist()


def test_filters_by_theme_nps_group_and_touchpoint(responses):
    app = verbatim_browser(responses, period="2025-Q2", lang="en")
    assert ids(app) == ["R6", "R5", "R4", "R3", "R2", "R1"]  # newest first, Q2 only, with a comment
    app.theme.value = "billing"  # "factuur" (nl) and "invoice" (en)
    assert ids(app) == ["R2", "R1"]
    app.nps_group.value = "detractor"
    assert ids(app) == ["R1"]
    app.theme.value = ""
    app.touchpoint.value = "support"
    assert ids(app) == ["R3"]
    app.nps_group.value = "promoter"
    assert ids(app) == ["R4"]
    app.theme.value = "friendliness"
    assert ids(app) == ["R4"]
    app.theme.value = "delivery"
    assert ids(app) == [] and "No data" in app.html


def test_shows_redacted_and_escaped_text(responses):
    app = verbatim_browser(responses, period="2025-Q2", lang="en")
    assert not contains_pii(app.frame["comment"]).any()
    assert "06-12345678" not in app.html and "a@example.com" not in app.html and "[phone]" in app.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in app.html
    parser = Tags()
    parser.feed(app.html)
    assert {tag for tag, _ in parser.tags} == {"table", "thead", "tr", "th", "tbody", "td"}  # no tag from a comment
    assert all(not attrs for tag, attrs in parser.tags if tag != "table")


def test_output_and_count_follow_the_controls(responses):
    app = verbatim_browser(responses, period="2025-Q2", lang="en")
    assert app.count.value == "6 of 6 comments"
    first = app.output.outputs
    assert len(first) == 1 and first[0]["data"]["text/html"] == app.html
    app.touchpoint.value = "billing"
    assert app.count.value == "2 of 2 comments"
    assert app.output.outputs != first and app.output.outputs[0]["data"]["text/html"] == app.html
    assert "Mijn factuur klopte niet" in app.html and "Lang in de wacht" not in app.html


def test_limit_and_dutch_labels(responses):
    app = verbatim_browser(responses, lang="nl", limit=2)
    assert ids(app) == ["R8", "R6"]  # all periods, at most two
    assert app.count.value == "2 van 7 opmerkingen"
    assert app.theme.description == "Thema" and app.touchpoint.description == "Contactmoment"
    assert ("criticasters", "detractor") in app.nps_group.options
    assert ("Facturering", "billing") in app.theme.options  # the taxonomy's Dutch label
    assert "<th>Opmerking</th>" in app.html


def test_sample_browser_shows_no_personal_data_or_markup(sample):
    app = verbatim_browser(sample, lang="en", limit=100_000)
    assert len(app.frame) == sample.responses["comment"].notna().sum()
    assert contains_pii(sample.responses["comment"]).sum() > 0
    assert not contains_pii(app.frame["comment"]).any()
    assert "<script" not in app.html and "<img" not in app.html and "<a " not in app.html
    app.theme.value = "snow_delay"
    assert len(app.frame) > 0
    assert app.frame["submitted_at"].dt.strftime("%Y-%m-%d").between("2026-01-05", "2026-01-11").all()
