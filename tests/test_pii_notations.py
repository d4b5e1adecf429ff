"""One redaction case per notation of personal data (nl, en, be, de), and the numbers that stay.

Every expected output is written by hand: the text with exactly the personal data replaced by
its placeholder, everything else (also look-alike characters outside the personal data)
unchanged. Each case runs through the three entry points: a column (vectorised path), one
string, and one label (``redact_label``, used for unit names and file names).

Fictional numbers: phone numbers are in the ranges the numbering plans allow; IBANs are the
SWIFT registry's published examples; 123456782 and 111222333 pass the BSN 11-test
(9*1+8*2+7*3+6*4+5*5+4*6+3*7+2*8-1*2 = 176 = 16*11; 9+8+7+12+10+8+9+6-3 = 66 = 6*11);
85.07.30-033.28 is python-stdnum's example Belgian national number (97 - 850730033 mod 97 = 28).
"""

from __future__ import annotations

import pandas as pd
import pytest

from cxlib.actions import contains_pii, redact
from cxlib.actions.redact import fold, redact_label

NBSP, NNBSP, ZWSP, EN, EM = "\u00a0", "\u202f", "\u200b", "\u2013", "\u2014"

# (id, text, expected)
NOTATIONS = [
    # --- phone numbers: the notations the regex-only redaction missed -------------------------
    ("nl-phone-nbsp", f"bel 06{NBSP}12345678 aub", "bel [phone] aub"),
    ("nl-phone-en-dash", f"bel 06{EN}12345678 aub", "bel [phone] aub"),
    ("nl-phone-full-width", "bel ０６１２３４５６７８ aub", "bel [phone] aub"),
    ("nl-phone-full-width-hyphen", "tel ０６－１２３４５６７８", "tel [phone]"),
    ("nl-phone-narrow-nbsp-intl", f"mijn nummer +31{NNBSP}6{NNBSP}1234{NNBSP}5678.", "mijn nummer [phone]."),
    ("nl-phone-zero-width", f"bel 06{ZWSP}12345678", "bel [phone]"),
    ("nl-phone-em-dash-intl", f"+31 6{EM}1234 5678 na vijven", "[phone] na vijven"),
    ("nl-phone-odd-groups", "bel 061 234 567 8 terug", "bel [phone] terug"),
    ("nl-phone-arabic-digits", "رقم ٠٦١٢٣٤٥٦٧٨", "رقم [phone]"),
    ("nl-phone-dashed", "Bel me op 06-12345678.", "Bel me op [phone]."),
    # --- phone numbers: Belgium, Germany, United Kingdom ---------------------------------------
    ("be-phone-mobile", "mijn gsm: 0470 12 34 56", "mijn gsm: [phone]"),
    ("be-phone-landline", "bel ons op 03 234 56 78", "bel ons op [phone]"),
    ("be-phone-intl", "appelez le +32 470 12 34 56 svp", "appelez le [phone] svp"),
    ("de-phone-mobile", "Handy 0151 23456789", "Handy [phone]"),
    ("de-phone-landline", "Rufen Sie 030 12345678 an", "Rufen Sie [phone] an"),
    ("de-phone-intl-trunk", "Tel. +49 (0)89 1234567", "Tel. [phone]"),
    ("de-phone-00", "aus NL: 0049 30 12345678", "aus NL: [phone]"),
    ("gb-phone-intl", "ring +44 7911 123456 after six", "ring [phone] after six"),
    # --- e-mail ------------------------------------------------------------------------------------
    ("email-spaced-at", "mail jan @ example.nl graag", "mail [email] graag"),
    ("email-at-dot-words", "mail jan at example dot nl", "mail [email]"),
    ("email-bracket-at", "jan(at)example.nl", "[email]"),
    ("email-square-brackets", "jan [at] example [dot] nl", "[email]"),
    ("email-dutch-punt", "jan.devries (at) example (punt) nl graag", "[email] graag"),
    ("email-full-width-at", "mail jan＠example.nl", "mail [email]"),
    ("email-at-sign-dot-word", "jan@example dot com", "[email]"),
    ("email-upper-case-words", "JAN AT EXAMPLE DOT NL", "[email]"),
    ("email-en-nested", "email me at john dot smith at example dot co dot uk", "email me at [email]"),
    # --- IBAN --------------------------------------------------------------------------------------
    ("iban-dotted", "rekening NL91.ABNA.0417.1643.00 graag", "rekening [iban] graag"),
    ("iban-dashed", "NL91-ABNA-0417-1643-00", "[iban]"),
    ("iban-full-width", "ＮＬ９１ＡＢＮＡ０４１７１６４３００ is van mij", "[iban] is van mij"),
    ("iban-nbsp", f"NL91{NBSP}ABNA{NBSP}0417{NBSP}1643{NBSP}00.", "[iban]."),
    ("iban-be-dashed", "BE68-5390-0754-7034 svp", "[iban] svp"),
    ("iban-de-dotted", "Konto DE89.3704.0044.0532.0130.00", "Konto [iban]"),
    ("iban-lower-spaced", "nl91 abna 0417 1643 00", "[iban]"),
    # --- national identification numbers ------------------------------------------------------------
    ("nl-bsn-named", "mijn BSN is 123456782", "mijn BSN is [national-id]"),
    ("nl-bsn-dotted", "burgerservicenummer: 1234.56.782", "burgerservicenummer: [national-id]"),
    ("nl-bsn-bare", "123456782 is mijn nummer", "[national-id] is mijn nummer"),
    ("nl-bsn-named-typo", "BSN-nummer 123456789", "BSN-nummer [national-id]"),
    ("nl-sofi", "sofinummer 111 222 333", "sofinummer [national-id]"),
    ("be-national-number", "rijksregisternummer 85.07.30-033.28", "rijksregisternummer [national-id]"),
    # --- dates of birth -----------------------------------------------------------------------------
    ("nl-dob-geboren", "geboren 12-03-1980", "geboren [birthdate]"),
    ("nl-dob-geb-datum", "geb. datum 12.03.1980, klant sinds 2010", "geb. datum [birthdate], klant sinds 2010"),
    ("nl-dob-words", "geboortedatum 12 maart 1980", "geboortedatum [birthdate]"),
    ("nl-dob-iso", "geboren op 1980-03-12", "geboren op [birthdate]"),
    ("nl-dob-en-dash", f"geboren 12{EN}03{EN}1980", "geboren [birthdate]"),
    ("en-dob-born", "born 12/03/1980", "born [birthdate]"),
    ("en-dob-abbrev", "DOB: 03/12/1980", "DOB: [birthdate]"),
    ("en-dob-words", "date of birth 3 March 1980", "date of birth [birthdate]"),
    ("en-dob-us", "born on March 3, 1980 in Leeds", "born on [birthdate] in Leeds"),
    ("de-dob-geb-am", "geb. am 12.03.1980", "geb. am [birthdate]"),
    ("de-dob-geburtsdatum", "Geburtsdatum: 12.03.1980", "Geburtsdatum: [birthdate]"),
    ("be-dob-nee-le", "née le 12/03/1980", "née le [birthdate]"),
    # --- addresses ----------------------------------------------------------------------------------
    ("nl-postcode-nbsp", f"postcode 1234{NBSP}AB 12", "postcode [address]"),
    ("nl-postcode-full-width", "１２３４ＡＢ １２", "[address]"),
    ("be-street-nl", "Kerkstraat 12, 2000 Antwerpen", "[address], 2000 Antwerpen"),
    ("be-street-fr", "rue de la Loi 16, 1000 Bruxelles", "[address], 1000 Bruxelles"),
    ("be-avenue-fr", "Avenue Louise 54", "[address]"),
    ("de-street", "Hauptstraße 5, 10115 Berlin", "[address], 10115 Berlin"),
    ("de-street-abbrev", "Goethestr. 12 im Hinterhof", "[address] im Hinterhof"),
    ("en-street", "Deliver to 221B Baker Street", "Deliver to [address]"),
    # --- look-alike characters outside the personal data stay as written ----------------------------
    ("keeps-full-width-text", "ｔｅｌ：０６－１２３４５６７８！", "ｔｅｌ：[phone]！"),
    ("keeps-en-dash-text", f"10{EN}12 uur: bel 06{EN}12345678", f"10{EN}12 uur: bel [phone]"),
]


def _ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize(("case", "text", "expected"), NOTATIONS, ids=_ids(NOTATIONS))
def test_notation_redacted(case, text, expected):
    assert redact(pd.Series([text], dtype="string"))[0] == expected  # column
    assert redact(text) == expected  # one string
    assert redact_label(text) == expected  # a unit label or file name


def test_enough_notations():
    """The issue's tester used 33 notations; every kind and language is covered."""
    assert len(NOTATIONS) >= 33
    assert {c[0].split("-")[0] for c in NOTATIONS} >= {"nl", "en", "be", "de", "gb", "email", "iban"}


# --- what must stay --------------------------------------------------------------------------------
KEPT = [
    # amounts
    ("amount-eur", "€ 1.234,56 terugbetaald, niet € 123,45"),
    ("amount-large", "EUR 1.250.000,00 omzet"),
    # dates that are not dates of birth
    ("date-delivery", "geleverd op 12-03-2024, te laat"),
    ("date-words", "bestelling van 12 maart 2026"),
    ("date-en-dash-time", f"op 05{EN}01{EN}2026 10:30 gebeld"),
    ("date-de", "Termin am 12.03.2026 verpasst"),
    ("date-fr", "livré le 12/03/2026"),
    ("date-after-nee", "Nee, 12-03-2026 kwam er niemand"),
    ("date-iso", "sinds 2024-03-12 klant"),
    ("year-born", "born and raised in Leeds, customer since 1980"),
    # order, invoice and ticket numbers (also ones that pass the BSN 11-test)
    ("order-bsn-like", "ordernummer 123456782 is nooit geleverd"),
    ("invoice-bsn-like", "factuurnummer: 111222333"),
    ("ticket-bsn-like", "ticket #123456782"),
    ("bsn-like-invalid", "klantnummer 123456789"),
    ("nine-digits-invalid", "referentie 987654321 klopt niet"),
    ("order-dashed", "bestelnummer 2025-004512"),
    # times
    ("time-range", f"tussen 09:00{EN}17:00 bereikbaar"),
    ("time-dots", "om 10.30 uur en 14.45 uur"),
    # product codes, versions and other ids
    ("product-iban-shape", "AB12CDEF34567890 is het productnummer"),
    ("product-code", "artikel NL-4512-AB, maat 42"),
    ("version", "app versie 10.0.19045.2965 crasht"),
    ("ip-address", "server 192.168.0.1 onbereikbaar"),
    ("track-and-trace", "pakket 3SABCD123456789 kwam niet"),
    # company service numbers (not personal)
    ("service-nl-0800", "gratis via 0800-1234"),
    ("service-gb-0800", "freephone 0800 123 4567"),
    ("service-de-0800", "kostenlos 0800 1234567"),
    # look-alike e-mails that are not addresses
    ("shop-at-domain", "besteld at bol.com, prima"),
    ("at-dot-words", "I looked at it dot by dot"),
    ("street-quantity", f"de Kerkweg 2{NBSP}uur afgesloten"),
    ("scores-full-width", "ik geef een ９ en NPS ８"),
]


@pytest.mark.parametrize(("case", "text"), KEPT, ids=_ids(KEPT))
def test_ordinary_numbers_kept(case, text):
    assert redact(pd.Series([text], dtype="string"))[0] == text
    assert redact(text) == text
    assert contains_pii(text) is False


def test_mixed_column_keeps_order_index_and_missing():
    texts = [
        "bel ０６１２３４５６７８",
        None,
        "ik geef een 9",
        "mail jan at example dot nl",
        f"06{EN}12345678",
        "NL91ABNA0417164300",
    ]
    s = pd.Series(texts, index=[5, 3, 9, 1, 2, 8], dtype="string")
    out = redact(s)
    assert out.index.tolist() == [5, 3, 9, 1, 2, 8]
    assert out.tolist()[0] == "bel [phone]" and pd.isna(out[3])
    assert out.tolist()[2:] == ["ik geef een 9", "mail [email]", "[phone]", "[iban]"]


def test_fold_maps_every_character_back():
    # hand-derived: "a", NBSP -> " ", "０" -> "0", ZWSP dropped, en-dash -> "-", "b"
    text = f"a{NBSP}０{ZWSP}{EN}b"
    assert fold(text) == ("a 0-b", [0, 1, 2, 4, 5])
    assert fold("plain ASCII 06-123") == ("plain ASCII 06-123", list(range(18)))


def test_exotic_gate_finds_every_character_that_folds():
    """Rows are routed to the folded path by EXOTIC_GATE: it must find every character that
    EXOTIC (the characters fold changes) finds, in the Basic and Supplementary planes."""
    from cxlib.actions.pii import EXOTIC, EXOTIC_GATE

    missed = [
        hex(i)
        for i in range(0x20000)
        if not 0xD800 <= i <= 0xDFFF and EXOTIC.fullmatch(chr(i)) and not EXOTIC_GATE.search(chr(i))
    ]
    assert missed == []
    assert fold("𝟎𝟔") == ("06", [0, 1])  # mathematical bold digits are decimal digits


def test_gates_mean_the_same_in_re2():
    """pandas runs gates in pyarrow's RE2 engine when the column is pyarrow-backed: each gate
    must compile there and find the same rows as Python's re on text without look-alikes."""
    pc = pytest.importorskip("pyarrow.compute")
    import pyarrow as pa

    from cxlib.actions.pii import EXOTIC_GATE, PREFILTER, RULES

    texts = [t for _, t, _ in NOTATIONS] + [t for _, t in KEPT]
    plain = [t for t in texts if not EXOTIC_GATE.search(t)]
    array = pa.array(plain)
    for gate in [PREFILTER, EXOTIC_GATE] + [r.gate for r in RULES]:
        in_re2 = pc.match_substring_regex(array, gate.pattern).to_pylist()
        assert in_re2 == [gate.search(t) is not None for t in plain], gate.pattern
