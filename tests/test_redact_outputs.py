"""Redaction where text leaves cxlib: rejected raw values shown in notebook 02, verbatims, unit
labels and file names; and the column path agrees with the one-string path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import cxlib as cx
from cxlib.actions import redact
from cxlib.actions.redact import redact_label
from cxlib.display import verbatims
from cxlib.io import load
from cxlib.paths import SAMPLE_DATA
from tests.test_pii_notations import KEPT, NOTATIONS

MINIMAL = Path(__file__).parent / "data" / "exports" / "minimal"

# Three responses whose NPS field holds personal data: rejected as "not an integer", with the
# raw value kept in data.rejected and redacted in profile.rejected_rows (expected by hand).
BAD_ROWS = (
    "R901,C001,2025-01-12T10:15:00+01:00,delivery,email,field-noord,jan@example.nl,5,6,x,nl\n"
    "R902,C001,2025-01-12T10:15:00+01:00,delivery,email,field-noord,NL91ABNA0417164300,5,6,x,nl\n"
    "R903,C001,2025-01-12T10:15:00+01:00,delivery,email,field-noord,06-12345678,5,6,x,nl\n"
)


@pytest.fixture
def leaky_export(tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(MINIMAL, folder)
    with open(folder / "responses.csv", "a", encoding="utf-8", newline="") as f:
        f.write(BAD_ROWS)
    return folder


def test_rejected_rows_for_display_are_redacted(leaky_export):
    data = load(leaky_export)
    raw = data.rejected[data.rejected["value"].isin(["jan@example.nl", "NL91ABNA0417164300", "06-12345678"])]
    assert len(raw) == 3  # the raw values stay in data.rejected (and cx validate --rejected)
    shown = cx.data_profile.rejected_rows(data)
    assert shown.columns.tolist() == data.rejected.columns.tolist()
    values = shown.loc[raw.index, "value"].tolist()
    assert values == ["[email]", "[iban]", "[phone]"]
    text = shown.astype(str).to_string()
    for secret in ("jan@example.nl", "NL91ABNA0417164300", "12345678"):
        assert secret not in text


@pytest.mark.skipif(not (SAMPLE_DATA / "responses.csv").exists(), reason="no sample data yet")
def test_sample_rejected_values_are_not_personal_data():
    # data/sample/README.md: the planted invalid rows hold ids, dates, times and scores only
    data = cx.open_data(SAMPLE_DATA)
    pd.testing.assert_frame_equal(cx.data_profile.rejected_rows(data), data.rejected)


def test_verbatims_redact_raw_comments():
    review = pd.DataFrame(
        {
            "submitted_at": [pd.Timestamp("2026-01-05 10:00", tz="Europe/Amsterdam")],
            "touchpoint": ["delivery"],
            "nps": [3],
            "themes": [""],
            "comment": ["<b>Bel</b> me op 06-12345678"],
        }
    )
    html = verbatims(review, "nl").data
    assert "&lt;b&gt;Bel&lt;/b&gt; me op [phone]" in html
    assert "12345678" not in html


# --- unit labels and file names ----------------------------------------------------------------
LABELS = [
    ("Noord", "Noord"),
    ("Service Oost", "Service Oost"),
    ("Team jan@example.nl", "Team [email]"),
    ("Winkel 06-12345678", "Winkel [phone]"),
    ("Kerkstraat 12 Zwolle", "[address] Zwolle"),
    ("NL91ABNA0417164300.html", "[iban].html"),
    ("$\\unicode{x41}$ VIP", "$\\unicode{x41}$ VIP"),
    ("Store 2024-Q3", "Store 2024-Q3"),
    ("Team 7", "Team 7"),
]


@pytest.mark.parametrize(("label", "expected"), LABELS)
def test_redact_label(label, expected):
    assert redact_label(label) == expected


# --- the two paths agree -----------------------------------------------------------------------
def test_column_path_equals_one_string_path():
    texts = [t for _, t, _ in NOTATIONS] + [t for _, t in KEPT]
    if (SAMPLE_DATA / "responses.csv").exists():
        comments = pd.read_csv(SAMPLE_DATA / "responses.csv", dtype={"comment": "string"})["comment"]
        texts += comments.dropna().head(3000).tolist()
    column = redact(pd.Series(texts, dtype="string")).tolist()
    assert column == [redact(t) for t in texts]
