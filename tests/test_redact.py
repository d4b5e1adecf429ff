"""Redaction of personal data and HTML safety of comments (Dutch and English text)."""

from __future__ import annotations

import ast
import html
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from cxlib.actions import contains_pii, escape_html, redact, safe_text
from cxlib.actions.redact import iban_valid
from cxlib.paths import PACKAGE_DIR, SAMPLE_DATA

# --- what must be redacted ---------------------------------------------------------------------
REDACTED = [
    # e-mail
    ("Mail me op jan.de-vries@example.nl aub", "Mail me op [email] aub"),
    ("Contact: JOHN.SMITH+cx@mail.co.uk.", "Contact: [email]."),
    # Dutch phone numbers
    ("Bel me terug op 06-12345678.", "Bel me terug op [phone]."),
    ("mijn nummer is 0612345678", "mijn nummer is [phone]"),
    ("bereikbaar op +31 6 1234 5678 na 17 uur", "bereikbaar op [phone] na 17 uur"),
    ("of +31612345678", "of [phone]"),
    ("vanuit het buitenland: 0031 20 123 4567", "vanuit het buitenland: [phone]"),
    ("kantoor 020-1234567 of 020 123 4567", "kantoor [phone] of [phone]"),
    ("bel 06 12 34 56 78", "bel [phone]"),
    ("tel. (0313) 123456", "tel. [phone]"),
    ("bel (020) 123 45 67", "bel [phone]"),
    ("vast nummer 0313-123456", "vast nummer [phone]"),
    ("+31 (0)20 123 4567 is het nummer", "[phone] is het nummer"),
    # English / international phone numbers
    ("Call me on +44 20 7946 0958 please", "Call me on [phone] please"),
    ("my mobile is 07911 123456", "my mobile is [phone]"),
    ("office 020 7946 0958", "office [phone]"),
    ("call (555) 123-4567 anytime", "call [phone] anytime"),
    ("or 555-123-4567", "or [phone]"),
    ("US line +1 (555) 123-4567", "US line [phone]"),
    # IBANs
    ("Stort het terug op NL91ABNA0417164300 graag", "Stort het terug op [iban] graag"),
    ("rekening NL91 ABNA 0417 1643 00 is van mij", "rekening [iban] is van mij"),
    ("iban nl91abna0417164300", "iban [iban]"),
    ("Refund to DE89 3704 0044 0532 0130 00 please", "Refund to [iban] please"),
    ("GB29NWBK60161331926819 is my account", "[iban] is my account"),
    ("Belgische rekening BE68 5390 0754 7034 mijn naam", "Belgische rekening [iban] mijn naam"),
    ("FR14 2004 1010 0505 0001 3M02 606", "[iban]"),
    # a mistyped Dutch IBAN (check digits fail) still points at an account: redacted
    ("NL91ABNA0417164301 klopt dat?", "[iban] klopt dat?"),
    # addresses
    ("Bezorgen op 1234 AB 12 graag", "Bezorgen op [address] graag"),
    ("postcode 1234AB 12a", "postcode [address]"),
    ("adres: 3511ab", "adres: [address]"),
    ("Kerkstraat 12, 1234 AB Amsterdam", "[address], [address] Amsterdam"),
    ("woon op de hoofdweg 120-2 sinds kort", "woon op de [address] sinds kort"),
    ("Deliver to 221B Baker Street, London", "Deliver to [address], London"),
    ("I live at 10 Downing St. now", "I live at [address] now"),
    ("postcode SW1A 1AA", "postcode [address]"),
]


@pytest.mark.parametrize(("text", "expected"), REDACTED)
def test_redact_personal_data(text, expected):
    assert redact(pd.Series([text]))[0] == expected


# --- what must stay: ordinary numbers -----------------------------------------------------------
KEPT = [
    "ik geef een 9",
    "Ik geef jullie een 10/10",
    "score 7 van de 10",
    "€ 12,50 te veel betaald",
    "€1.250,00 afgeschreven in plaats van €125,00",
    "I was charged £49.99 twice",
    "$1,234.56 refund",
    "op 05-01-2026 10:30 gebeld, niemand nam op",
    "bezorgd op 2026-01-05 om 14:30",
    "levering op 5 januari 2026",
    "delivered 01/05/2026",
    "ordernummer 2025-004512",
    "order 48213377 still missing",
    "bestelling #A-2025-00123",
    "ORD-2025-004512",
    "factuur 2025-11-0042 klopt niet",
    "klantnummer 123456789",
    "tussen 09.00 en 17.00 bereikbaar",
    "1.234.567 klanten",
    "in 2026 is 12 keer te veel",
    "we stonden op de snelweg 2 uur vast",
    "levering 3 was kapot",
    "de Kerkweg 2 uur afgesloten",
    "het pakket kwam 3 dagen te laat, 2 x gebeld",
    "wachtte 45 minuten aan de telefoon",
    "NPS 2025 Q1 was beter",
    "+ 12 punten beter dan vorig jaar",
    "servicenummer 0800-1234",  # company service number, not personal
    "AB12CDEF34567890 is het productnummer",  # IBAN-shaped, no registered country
    "DE89370400440532013001 serial",  # German IBAN shape, check digits fail
    "Waited 3 Weeks For Delivery",
]


@pytest.mark.parametrize("text", KEPT)
def test_redact_keeps_ordinary_numbers(text):
    assert redact(pd.Series([text]))[0] == text


def test_redact_series_keeps_index_missing_and_dtype():
    s = pd.Series(["bel 0612345678", None, "geen", ""], index=[10, 11, 12, 13], dtype="string")
    out = redact(s)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.dtype == "string"
    assert out[10] == "bel [phone]" and pd.isna(out[11]) and out[12] == "geen" and out[13] == ""
    assert s[10] == "bel 0612345678"  # input untouched


def test_redact_object_and_scalar_input():
    assert redact("mail a@b.nl") == "mail [email]"
    assert redact(pd.Series(["mail a@b.nl"], dtype=object))[0] == "mail [email]"


def test_several_kinds_in_one_comment():
    text = "Jan, jan@example.com, 06-12345678, NL91ABNA0417164300, 1234 AB 12"
    assert redact(text) == "Jan, [email], [phone], [iban], [address]"


def test_contains_pii():
    s = pd.Series(["bel 0612345678", "ik geef een 9", None, "x@y.org"], dtype="string")
    out = contains_pii(s)
    assert out.dtype == bool
    assert out.tolist() == [True, False, False, True]
    assert contains_pii("NL91 ABNA 0417 1643 00") is True


@pytest.mark.parametrize(
    "iban",
    # published examples (SWIFT IBAN registry / ISO 13616)
    [
        "NL91ABNA0417164300",
        "DE89370400440532013000",
        "GB29NWBK60161331926819",
        "BE68539007547034",
        "FR1420041010050500013M02606",
        "NO9386011117947",
    ],
)
def test_iban_valid_reference_examples(iban):
    assert iban_valid(iban)


def test_iban_valid_rejects():
    assert not iban_valid("NL91ABNA0417164301")  # check digits fail
    assert not iban_valid("NL91ABNA041716430")  # one short of NL length 18
    assert not iban_valid("XX91ABNA0417164300")  # no such country
    # hand check: NO93 8601 1117 947 -> 86011117947 + N(23) O(24) 93 = 86011117947232493;
    # 86011117947232493 mod 97 = 1. Changing the last digit by one changes the remainder.
    assert iban_valid("NO93 8601 1117 947") and not iban_valid("NO93 8601 1117 948")


# --- HTML safety --------------------------------------------------------------------------------
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    "Goed geholpen'><svg onload=alert(1)>",
    "javascript:alert(document.cookie)",
]


class _TagCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_html_leaves_no_markup(payload):
    escaped = escape_html(pd.Series([payload]))[0]
    assert escaped == html.escape(payload, quote=True)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped and "'" not in escaped
    page = _TagCounter()
    page.feed(f'<p title="{escaped}">{escaped}</p>')
    assert page.tags == ["p"]  # the comment adds no element, in content or in an attribute


def test_escape_html_matches_stdlib_and_keeps_missing():
    s = pd.Series(['Tom & Jerry say "hi" <b>', None], dtype="string")
    out = escape_html(s)
    assert out[0] == "Tom &amp; Jerry say &quot;hi&quot; &lt;b&gt;"
    assert pd.isna(out[1])
    assert escape_html("a < b") == "a &lt; b"


def test_safe_text_redacts_then_escapes():
    out = safe_text(pd.Series(["<b>mail</b> jan@example.nl"]))[0]
    assert out == "&lt;b&gt;mail&lt;/b&gt; [email]"


def _dangerous_calls(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and f.id in {"eval", "exec", "compile", "__import__"}:
                found.append(f.id)
            elif isinstance(f, ast.Attribute) and f.attr in {"eval", "query"}:
                found.append(f".{f.attr}")
            elif (
                isinstance(f, ast.Attribute) and f.attr in {"load", "load_all"} and getattr(f.value, "id", "") == "yaml"
            ):
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                name = getattr(loader, "attr", getattr(loader, "id", None))
                if name is None or name in {"Loader", "UnsafeLoader", "FullLoader"}:
                    found.append("yaml.load without a safe Loader")
    return found


def test_cxlib_never_evaluates_text():
    """No eval/exec/compile, pandas eval/query or unsafe yaml.load anywhere in cxlib: nothing
    can turn comment text (or any data) into code."""
    offenders = {}
    for path in sorted(Path(PACKAGE_DIR).rglob("*.py")):
        calls = _dangerous_calls(ast.parse(path.read_text(encoding="utf-8")))
        if calls:
            offenders[str(path.relative_to(PACKAGE_DIR))] = calls
    assert offenders == {}


# --- the sample company -------------------------------------------------------------------------
@pytest.mark.skipif(not (SAMPLE_DATA / "responses.csv").exists(), reason="no sample data yet")
def test_sample_comments_leave_no_pii():
    responses = pd.read_csv(SAMPLE_DATA / "responses.csv", dtype={"comment": "string"})
    comments = responses["comment"].dropna()
    flagged = contains_pii(comments)
    # data/sample/README.md: exactly round(1% of comments) hold personal data (84)
    assert flagged.sum() == round(0.01 * len(comments))
    out = redact(comments)
    # independent, deliberately loose detectors: nothing of the sort survives redaction
    loose = {
        "email": r"\S+@\S+\.\w+",
        "iban": r"(?i)\b[a-z]{2}\d{2}\s?[a-z0-9]{4}\s?\d{4}",
        "postcode": r"\b[1-9]\d{3}\s?[A-Z]{2}\b",
        "phone": r"(?:\+|\b0)\d[\d\s().-]{7,}\d",
    }
    for kind, pattern in loose.items():
        left = out[out.str.contains(pattern, regex=True)]
        assert left.empty, f"{kind} left after redaction: {left.head().tolist()}"


@pytest.mark.skipif(not (SAMPLE_DATA / "responses.csv").exists(), reason="no sample data yet")
def test_sample_html_comments_stay_inert():
    responses = pd.read_csv(SAMPLE_DATA / "responses.csv", dtype={"comment": "string"})
    comments = responses["comment"].dropna()
    marked = comments[comments.str.contains("<", regex=False)]
    assert len(marked) >= 6  # README: max(6, round(0.08% of comments)) wrapped in markup
    page = _TagCounter()
    page.feed("<div>" + " | ".join(safe_text(marked)) + "</div>")
    assert page.tags == ["div"]
