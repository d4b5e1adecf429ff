"""The personal-data patterns: the one place that says what counts as PII in a comment.

Every rule is a compiled regex (or, for phone numbers, a phonenumbers matcher) behind a cheap
*gate*; :mod:`cxlib.actions.redact` applies them in the order of :data:`RULES`. Numbers with a
checksum or a numbering plan are confirmed by a library (:mod:`cxlib.actions.pii_numbers`:
python-stdnum, phonenumbers). Placeholders are English for every comment language (one
convention): ``[email]``, ``[iban]``, ``[national-id]``, ``[birthdate]``, ``[address]``,
``[phone]``. See docs/privacy.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from cxlib.actions.pii_numbers import (
    IBAN_LENGTHS,
    be_national_number_valid,
    bsn_valid,
    iban_valid,
    phone_spans,
)

__all__ = [
    "ADDRESS",
    "BIRTHDATE",
    "EMAIL",
    "EMAIL_OBFUSCATED",
    "EXOTIC",
    "EXOTIC_GATE",
    "IBAN_CANDIDATE",
    "IBAN_NL_SHAPE",
    "PHONE",
    "PLACEHOLDERS",
    "PREFILTER",
    "RULES",
    "STREET",
    "STREET_FR",
    "Rule",
]

#: kind -> placeholder written in place of the personal data.
PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "iban": "[iban]",
    "national_id": "[national-id]",
    "birthdate": "[birthdate]",
    "address": "[address]",
    "phone": "[phone]",
}

# --- e-mail --------------------------------------------------------------------------------
#: Plain e-mail address, also with spaces around the "@" ("jan @ example.nl").
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+[ ]{0,3}@[ ]{0,3}[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b")
# Obfuscated forms: "jan at example dot nl", "jan(at)example.nl", "jan [at] example [dot] nl",
# "jan@example punt nl". A spelled "at" needs an obfuscated last dot too, so "besteld at bol.com"
# is kept. The top-level domain must be a common one ("it dot by dot" is kept).
_BR_AT = r"[ ]*[\[({<][ ]*(?:at|@)[ ]*[\])}>][ ]*"
_SPELLED_AT = r"(?:[ ]+(?:at|apenstaartje)[ ]+|[ ]*@[ ]*)"
_OB_DOT = r"(?:[ ]*[\[({<][ ]*(?:dot|punt|\.)[ ]*[\])}>][ ]*|[ ]+(?:dot|punt)[ ]+)"
_ANY_DOT = rf"(?:{_OB_DOT}|\.)"
_TLD = (
    r"(?:com|net|org|info|biz|nl|be|de|eu|uk|fr|lu|at|ch|dk|se|no|fi|es|it|pl|ie|io|"
    r"me|nu|email|online|shop)"
)
EMAIL_OBFUSCATED = re.compile(
    rf"(?i:(?<![\w.+-])[\w+-]+(?:{_ANY_DOT}[\w+-]+)*"
    rf"(?:{_BR_AT}[\w-]+(?:{_ANY_DOT}[\w-]+)*?{_ANY_DOT}"
    rf"|{_SPELLED_AT}[\w-]+(?:{_ANY_DOT}[\w-]+)*?{_OB_DOT})"
    rf"{_TLD})(?![\w-])"
)


# --- IBAN (ISO 13616) ----------------------------------------------------------------------
def _iban_candidate() -> re.Pattern[str]:
    """Country code, check digits, then exactly the country's number of characters, compact or
    grouped by spaces, dots or dashes, any case: one alternative per IBAN length."""
    by_length: dict[int, list[str]] = {}
    for country, length in IBAN_LENGTHS.items():
        by_length.setdefault(length, []).append(country)
    alternatives = [
        rf"(?:{'|'.join(sorted(countries))})\d{{2}}(?:[ .-]?[A-Z0-9]){{{length - 4}}}"
        for length, countries in sorted(by_length.items(), reverse=True)
    ]
    return re.compile(rf"(?<![A-Za-z0-9])(?i:{'|'.join(alternatives)})(?![A-Za-z0-9])")


#: IBAN-shaped candidate of its country's exact length (checked by python-stdnum).
IBAN_CANDIDATE = _iban_candidate()
#: Dutch IBAN shape (bank code of four letters, ten digits). So specific that it is redacted
#: even when the check digits fail (a mistyped IBAN still points at a person's account).
IBAN_NL_SHAPE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")


def _is_iban(match: re.Match[str]) -> bool:
    compact = re.sub(r"[ .-]", "", match.group()).upper()
    return iban_valid(compact) or IBAN_NL_SHAPE.fullmatch(compact) is not None


# --- national identification numbers --------------------------------------------------------
_NOT_GLUED_BEFORE = r"(?<![\w+/.,-])"
_NOT_GLUED_AFTER = r"(?!\w|[-.,/]\d)"
#: BSN after its name ("BSN 123456782", "burgerservicenummer: 1234.56.782"): redacted even
#: when the 11-test fails, like a mistyped IBAN.
BSN_NAMED = re.compile(
    r"(?i:\b(?:bsn|burgerservicenummer|sofi-?nummer|sofinr|citizen service number)\b"
    r"(?:[ -]?(?:nummer|nr\.?|number|no\.?|is|=|:|#))*[ :]*)"
    rf"(?P<pii>\d(?:[ .-]?\d){{7,8}}){_NOT_GLUED_AFTER}"
)
#: A bare nine-digit number (also 1234.56.782 or 123 456 782), redacted when it passes the
#: BSN 11-test and is not named as an order, invoice, customer or other business number.
BSN_BARE = re.compile(
    rf"{_NOT_GLUED_BEFORE}(?:\d{{9}}|\d{{4}}\.\d{{2}}\.\d{{3}}|\d{{3}}([ .-])\d{{3}}\1\d{{3}})" + _NOT_GLUED_AFTER
)
_BUSINESS_NUMBER_BEFORE = re.compile(
    r"(?i:(?:order|bestel|factuur|invoice|klant|customer|account|ticket|ref|referentie|reference|"
    r"zending|track|pakket|parcel|artikel|article|product|serie|serial|contract|dossier|case|"
    r"polis|policy|meter|ean|kenmerk)\w*(?:[ -]?(?:nummer|number|id|(?:nr|no)\.?))?[ :#-]*)$"
)


def _is_bsn(match: re.Match[str]) -> bool:
    before = match.string[max(0, match.start() - 40) : match.start()]
    return bsn_valid(match.group()) and _BUSINESS_NUMBER_BEFORE.search(before) is None


#: Belgian national register number (rijksregisternummer) 85.07.30-033.28 or 85073003328.
BE_NATIONAL_NUMBER = re.compile(
    rf"{_NOT_GLUED_BEFORE}(?:\d{{2}}\.\d{{2}}\.\d{{2}}[- ]\d{{3}}\.\d{{2}}|\d{{11}})" + _NOT_GLUED_AFTER
)


def _is_be_national_number(match: re.Match[str]) -> bool:
    return be_national_number_valid(match.group())


# --- dates of birth ------------------------------------------------------------------------
_MONTHS = (
    r"(?:jan(?:uari|uary|uar|vier)?|feb(?:ruari|ruary|ruar)?|f[eé]vrier|mrt|maart|mar(?:ch)?|"
    r"m[aä]rz|mars|apr(?:il)?|avril|mei|may|mai|jun[ie]?|juin|jul[iy]?|juillet|aug(?:ustus|ust)?|"
    r"ao[uû]t|sep(?:t(?:ember|embre)?)?|o[kc]t(?:ober|obre)?|nov(?:ember|embre)?|"
    r"de[cz](?:ember)?|d[eé]cembre)"
)
_DATE = (
    r"(?:\d{1,2}[-/. ]\d{1,2}[-/. ](?:19|20)?\d{2}"  # 12-03-1980, 12/03/80, 12.03.1980
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"  # 1980-03-12
    rf"|\d{{1,2}}(?:e|ste|st|nd|rd|th|er)?\.?[ ]+(?:of[ ]+)?{_MONTHS}\.?,?[ ]+(?:19|20)\d{{2}}"
    rf"|{_MONTHS}\.?[ ]+\d{{1,2}}(?:st|nd|rd|th)?,?[ ]+(?:19|20)\d{{2}})"  # March 12, 1980
)
_BIRTH_WORDS = (
    r"(?:geboren|geboortedatum|geb\.?[ ]?datum|geb\.-datum|geb\.?|born|date[ ]of[ ]birth|"
    r"birth[ ]?date|birthday|d\.o\.b\.?|dob|geburtsdatum|geburtstag|n[ée]e?(?:\(e\))?[ ]le|"
    r"date[ ]de[ ]naissance)"
)
#: A date after a word that makes it a date of birth ("geboren 12-03-1980", "DOB: 12/03/1980",
#: "geb. am 12.03.1980", "née le 12/03/1980"); only the date is replaced.
BIRTHDATE = re.compile(
    rf"(?i:(?<!\w){_BIRTH_WORDS}(?!\w)[ ]*[:.,=]?[ ]*(?:(?:op|on|am|le|is|was|:)[ ]+)?)"
    rf"(?P<pii>(?i:{_DATE})){_NOT_GLUED_AFTER}"
)

# Speed: the regex engine skips fast to candidate positions when every alternative starts
# with a literal or a character class, so the "not glued to what precedes" checks come
# right after the first character: "0(?<![\w+/.,-]0)" is a 0 not preceded by a word
# character, "+", "/", ".", "," or "-" (not the tail of a word, amount, date or id).

# --- addresses -----------------------------------------------------------------------------
_HOUSE_NO = r"\d{1,5}(?!\d)(?:[ ]?[a-zA-Z]\b|-\d{1,4}\b)?"
# A number followed by one of these is a quantity, not a house number ("Kerkweg 2 uur dicht").
_NOT_HOUSE = (
    r"(?![ ]?(?:uur|u|min|minuten|minuut|dag|dagen|week|weken|maand|maanden|keer|km|"
    r"kilometer|euro|eur|x|hours?|days?|weeks?|minutes?|times|jours?|fois|heures?|"
    r"Tage?|Stunden?|Minuten|Mal)\b)"
)
# Dutch, Flemish and German street (a compound ending in straat, laan, straße, ...) with house
# number: Kerkstraat 12, Hoofdweg 120-2, dorpsstraat 3b, Hauptstraße 5, Goethestr. 12.
# Not onderweg, snelweg, halfweg, zijweg.
_STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|steeg|dreef|dijk|straße|strasse|"
    r"str\.|allee|gasse)"
)
STREET = re.compile(
    r"\b(?!(?:[Oo]nder|[Ss]nel|[Hh]alf|[Zz]ij)weg\b)[^\W\d_]{2,}"
    rf"{_STREET_SUFFIX}[ ]{_HOUSE_NO}{_NOT_HOUSE}"
)
# Belgian (French) street: rue de la Loi 16, Avenue Louise 54, chaussée de Waterloo 123.
STREET_FR = re.compile(
    r"\b(?:[Rr]ue|[Aa]venue|[Cc]haussée|[Bb]oulevard|[Pp]lace|[Cc]hemin|[Qq]uai|[Aa]llée)[ ]"
    r"(?:(?:de la|de l'|du|des|de|d'|la|le|l')[ ]?)?[A-ZÀ-Ý][\w'-]*"
    r"(?:[ ](?:de |du |des |la |le )?[A-ZÀ-Ý][\w'-]*){0,3},?[ ]"
    rf"{_HOUSE_NO}{_NOT_HOUSE}"
)
# Postcodes and English street addresses.
ADDRESS = re.compile(
    "|".join(
        [
            # Dutch postcode, optionally with house number: 1234 AB, 1234AB 12a, 1234 AB 12-3.
            # Letters upper case (or lower case glued to the digits: 1234ab); SA, SD, SS unused.
            (
                r"[1-9](?<!\w[1-9])\d{3}(?:[ ]?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})\b"
                rf"(?:[ ]?{_HOUSE_NO})?"
            ),
            # English street address: 221B Baker Street, 10 Downing St, 42 Elm Avenue.
            (
                r"\d(?<!\w\d)\d{0,4}[A-Za-z]?[ ](?:[A-Z][a-z]+[ ]){1,3}"
                r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Close|"
                r"Way|Place|Pl|Terrace|Crescent|Square|Sq|Gardens|Grove|Mews|Row)\b\.?"
            ),
            # UK postcode: SW1A 1AA, M1 1AE, EC1A 1BB (upper case only).
            r"[A-Z](?<!\w[A-Z])[A-Z]?\d[A-Z\d]?[ ]?\d[A-Z]{2}\b",
        ]
    )
)

# --- phone numbers -------------------------------------------------------------------------
_GLUED_AFTER = r"(?!\w|[-.,/]\d)"  # not the head of a longer word, number or date
_SEP = r"(?:[ ]?[-.][ ]?|[ ])?"  # one separator between digits: "-", ".", " ", " - "
PHONE = re.compile(
    "|".join(
        [
            # International: +31 6 1234 5678, +44 20 7946 0958, +1 (555) 123-4567,
            # +31 (0)20 123 4567, 0031 20 123 4567 (00 prefix with a European code 30-49):
            # 8 to 15 digits, separated by spaces, dots, dashes or brackets.
            r"(?:\+(?<![\w+]\+)|00(?<![\w+]00)(?=[34]\d))"
            r"(?=(?:[ ().-]{0,3}\d){8,15}(?![ ().-]{0,3}\d))"
            r"\d(?:[ ().-]{0,3}\d){7,14}" + _GLUED_AFTER,
            # National Dutch and UK: 0 + 9 or 10 digits, grouped like a phone number: area code
            # then a group of at least 3 (06-12345678, 020 123 4567, 0313-123456,
            # 07911 123456), or pairs (06 12 34 56 78), or no separators (0612345678).
            # Dates (05-01-2026 10:30) do not fit these groupings. Free and premium-rate
            # company numbers (0800, 090x) are not personal.
            r"0(?<![\w+/.,-]0)(?!800|90\d)"
            rf"(?=\d{{1,4}}{_SEP}\d{{3}}|\d(?:[ .-]\d{{2}}){{4}}(?!\d))"
            rf"[1-9](?:{_SEP}\d){{8}}\d?" + _GLUED_AFTER,
            # Area code in brackets: (020) 123 45 67, (0313) 123456.
            r"\((?<!\w\()0\d{1,4}\)[ ]?(?=(?:[ .-]?\d){5,8}(?![ .-]?\d))\d(?:[ .-]?\d){4,7}" + _GLUED_AFTER,
            # North American: (555) 123-4567, 555-123-4567, 555.123.4567.
            r"\((?<![\w+/.,-]\()\d{3}\)[ ]?\d{3}[-.]\d{4}" + _GLUED_AFTER,
            r"\d(?<![\w+/.,-]\d)\d{2}[-.]\d{3}[-.]\d{4}" + _GLUED_AFTER,
        ]
    )
)


# --- the rules, in order -------------------------------------------------------------------
def _gate(pattern: str) -> re.Pattern[str]:
    """A gate: a pattern valid in Python's re and in RE2 (no lookaround, backreference or \\b)."""
    return re.compile(pattern)


@dataclass(frozen=True)
class Rule:
    """One kind of personal data: where to look (``gate``), what it looks like (``pattern``,
    its group ``pii`` if it has one, else the whole match) and what confirms it (``check``).

    ``spans`` replaces ``pattern`` for a detector that is not a regex (phonenumbers): it gets
    one text and returns the (start, end) spans to replace.
    """

    kind: str
    gate: re.Pattern[str] | None
    pattern: re.Pattern[str] | None = None
    check: Callable[[re.Match[str]], bool] | None = None
    spans: Callable[[str], list[tuple[int, int]]] | None = None

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.kind]


#: Rules in order of application. E-mail first (its digits look like anything); IBANs and
#: named national numbers before phones and addresses (a spaced IBAN holds phone-like digit
#: groups); addresses before phones (a postcode with house number must not feed the phone
#: pattern); bare nine-digit BSNs last (after the phone numbers that contain such runs).
#: A gate is a cheap necessary condition: only rows it finds are searched. Gates hold no
#: lookaround, backreference or \b, so pandas can run them in pyarrow's RE2 engine over the
#: whole column; on ASCII text they find what Python's re finds.
RULES: tuple[Rule, ...] = (
    Rule("email", _gate("@"), EMAIL),
    Rule("email", _gate(r"(?i:dot|punt|[\[({<] *(?:at|@|\.) *[\])}>])"), EMAIL_OBFUSCATED),
    Rule("iban", _gate("[A-Za-z]{2}[0-9]{2}"), IBAN_CANDIDATE, check=_is_iban),
    Rule("national_id", _gate("(?i:bsn|burgerservice|sofi|citizen service)"), BSN_NAMED),
    Rule(
        "national_id",
        _gate(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}[- ][0-9]{3}|[0-9]{11}"),
        BE_NATIONAL_NUMBER,
        check=_is_be_national_number,
    ),
    Rule("birthdate", _gate(r"(?i:geb|born|birth|dob|d\.o\.b|geburt|n[ée]e?(?:\(e\))? le|naissance)"), BIRTHDATE),
    Rule("address", _gate(f"{_STREET_SUFFIX} [0-9]"), STREET),
    Rule("address", _gate("(?i:rue|avenue|chauss|boulevard|place|chemin|quai|allée)"), STREET_FR),
    Rule("address", _gate("[0-9]{4} ?[A-Za-z]{2}|[0-9][A-Za-z]? [A-Z][a-z]|[A-Z][0-9]"), ADDRESS),
    Rule("phone", _gate("[0-9](?:[ ().-]{0,3}[0-9]){6,}"), PHONE),
    # Phone numbers in NL, BE, GB and DE national notation and any international one, confirmed
    # by phonenumbers; runs only on rows that still hold a "+"/"0" digit run of 7 or more.
    Rule("phone", _gate(r"(?:\+|0)[0-9]?(?:[ ()./-]{0,3}[0-9]){6,}"), spans=phone_spans),
    Rule("national_id", _gate("[0-9]{9}|[0-9]{3}[ .-][0-9]{2}"), BSN_BARE, check=_is_bsn),
)

#: Every rule needs an ASCII digit, an "@" or an obfuscated "at"/"dot" (rows with other digits
#: or a full-width "@" are found by :data:`EXOTIC`): rows without one are skipped.
PREFILTER = _gate(r"[0-9@]|(?i:dot|punt|[\[({<] *at *[\])}>])")

#: Characters that hide a notation from the patterns: non-ASCII spaces, invisible format
#: characters, dashes, full-width and small forms, and non-ASCII digits. A row holding one is
#: searched on a folded copy (:func:`cxlib.actions.redact.fold`) whose spans map back.
EXOTIC = re.compile(
    "[\u0085\u00a0\u00ad\u1680\u180e\u2000-\u2015\u2028-\u202f\u205f-\u2064\u2212\u3000"
    "\ufe50-\ufe6b\ufeff\uff01-\uff5e]|(?![0-9])\\d"
)
#: A gate for :data:`EXOTIC` (RE2-compatible, see :func:`_gate`): any character outside
#: printable ASCII, the Latin-1 signs (£, °, ², …; not the no-break space or soft hyphen), the
#: accented Latin letters, curly quotes, the ellipsis and the euro sign.
EXOTIC_GATE = _gate("[^\t-~\u00a1-\u00ac\u00ae-\u024f\u2018-\u201f\u2026\u20ac]")
