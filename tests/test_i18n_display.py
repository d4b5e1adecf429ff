"""Labels, locale formatting (CLDR conventions via babel) and the escaping of report fragments."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pandas as pd
import pytest
import yaml

from cxlib import display, i18n
from cxlib.paths import package_file


def test_every_label_has_dutch_and_english():
    labels = yaml.safe_load(package_file("labels.yaml").read_text(encoding="utf-8"))
    for key, texts in labels.items():
        assert isinstance(key, str), f"label key {key!r} is not a string (YAML 1.1 reads yes/no/on/off as booleans)"
        assert set(texts) == {"nl", "en"}, key


@pytest.mark.parametrize(
    "value, lang, decimals, expected",
    [
        # CLDR: Dutch uses '.' for grouping and ',' for decimals; British English the reverse
        (1234.5, "nl", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (0.25, "nl", 2, "0,25"),
        (2980, "nl", 0, "2.980"),
    ],
)
def test_numbers_follow_the_locale(value, lang, decimals, expected):
    assert i18n.number(value, lang, decimals) == expected


def test_signed_uses_a_true_minus_and_nan_a_dash():
    assert i18n.signed(-2.5, "nl") == "−2,5"
    assert i18n.signed(2.5, "en") == "+2.5"
    assert i18n.number(float("nan"), "nl") == "–"


def test_dates_in_dutch_and_english():
    assert i18n.date(dt.date(2026, 1, 5), "nl", "long") == "5 januari 2026"
    assert i18n.date(dt.date(2026, 1, 5), "en", "long") == "5 January 2026"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="expected one of nl, en"):
        i18n.label("status", "de")


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_verbatims_keep_markup_inert():
    review = pd.DataFrame(
        {
            "submitted_at": [pd.Timestamp("2026-08-01", tz="Europe/Amsterdam")],
            "touchpoint": ["support"],
            "nps": [3],
            "themes": ["waiting_time"],
            "comment": ["<script>alert(1)</script><img src=x onerror=alert(1)>"],
        }
    )
    parser = _Elements()
    parser.feed(display.verbatims(review, "nl").data)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert parser.tags == ["div", "div"]


def _review_row(**overrides):
    row = dict(
        kpi="nps",
        label="Net Promoter Score",
        unit="points",
        decimals=1,
        n=2980,
        value=31.4,
        ci_low=28.75,
        ci_high=34.0,
        suppressed=False,
        target=35.0,
        status="missed",
        change_prev=-3.0,
        significant_prev=True,
        change_label_prev="significant gedaald",
    )
    row.update(overrides)
    return pd.DataFrame([row])


def test_tile_shows_value_interval_n_status_and_significant_change():
    html = display.tiles(_review_row(), "nl").data
    assert "31,4" in html and "95%-interval: 28,8 – 34,0" in html and "n = 2.980" in html
    assert "cx-status-missed" in html and "niet gehaald" in html
    assert "significant gedaald t.o.v. vorig kwartaal (−3,0)" in html
    # issue 14: with the review table's columns the tile names the period it compares with
    named = display.tiles(_review_row(period="2026-Q3", previous_period="2026-Q2", value_prev=34.4), "nl").data
    assert "significant gedaald t.o.v. 2026-Q2 (−3,0)" in named
    first = display.tiles(_review_row(period="2024-Q4", previous_period="2024-Q3", value_prev=float("nan")), "nl").data
    assert "geen vorig kwartaal" in first


def test_tile_hides_a_change_that_is_not_significant():
    quiet = _review_row(significant_prev=False, change_label_prev="geen significante verandering")
    html = display.tiles(quiet, "nl").data
    assert "geen significante verandering" in html and "−3,0" not in html


def test_suppressed_tile_says_too_few_responses():
    html = display.tiles(_review_row(suppressed=True, value=float("nan"), n=12), "en").data
    assert "too few responses" in html and "n = 12" in html and "interval" not in html


def test_headline_carries_value_interval_and_n():
    review = pd.concat(
        [_review_row(), _review_row(kpi="csat", unit="percent", value=82.04, ci_low=80.6, ci_high=83.4, n=2930)],
        ignore_index=True,
    )
    assert display.headline(review, "nl") == "NPS 31,4 [28,8–34,0] (n = 2.980) · CSAT 82,0% [80,6–83,4] (n = 2.930)"
