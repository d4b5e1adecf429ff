"""The theme impact table and the thread review as the report shows them: localised and inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from cxlib import display
from cxlib.actions import theme_impact

TAXONOMY = {
    "themes": {
        "billing": {
            "label": {"nl": "Facturering <b>", "en": "Billing <script>x</script>"},
            "en": {"keywords": ["invoice"]},
        },
    }
}


@pytest.fixture
def impact():
    # 10 invoice comments: 0 promoters, 10 detractors (NPS −100); 30 others: 30 promoters (+100)
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(40)],
            "comment": ["invoice wrong"] * 10 + ["fine"] * 30,
            "language": "en",
            "nps": pd.array([0] * 10 + [10] * 30, dtype="Int64"),
        }
    )
    return lambda lang: theme_impact(frame, TAXONOMY, lang=lang, semantic=False, detect=False)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_impact_table_in_dutch_and_english_is_escaped(impact):
    nl = display.theme_impact(impact("nl"), "nl").data
    en = display.theme_impact(impact("en"), "en").data
    parser = Tags()
    parser.feed(nl + en)
    assert "script" not in parser.tags and "b" not in parser.tags  # labels stay text
    assert "Facturering &lt;b&gt;" in nl and "Billing &lt;script&gt;" in en
    # difference −200 points; one theme → no Bonferroni widening: 95 % intervals
    assert "−200,0" in nl and "−200.0" in en
    assert "kost punten" in nl and "costs points" in en
    assert "95%-intervallen, gecorrigeerd voor 1 thema" in nl and "95% intervals, adjusted for 1 themes" in en
    assert "<td>−100,0</td><td>100,0</td>" in nl  # NPS of mentioners and others, true minus sign
    assert "Effect op totaal, NPS-punten (interval)" in nl and "Effect on total, NPS points (interval)" in en


def test_empty_impact_shows_nothing():
    assert display.theme_impact(pd.DataFrame(), "nl").data == ""
