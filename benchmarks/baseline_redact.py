"""Baseline for benchmarks/bench_redact.py: the regex-only redaction as it was before phonenumbers,
python-stdnum and folding (cxlib/actions/pii.py and redact.py at commit a65472b), frozen in one
module so the benchmark can time both in the same run. Not used by cxlib."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["redact"]

#: kind -> placeholder written in place of the personal data.
PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "iban": "[iban]",
    "address": "[address]",
    "phone": "[phone]",
}

# --- email ---------------------------------------------------------------------------------
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b")

# --- IBAN (ISO 13616) ----------------------------------------------------------------------
#: IBAN length per country (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BI": 27,
    "BR": 29,
    "BY": 28,
    "CH": 21,
    "CR": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DJ": 27,
    "DK": 18,
    "DO": 28,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FK": 18,
    "FO": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GI": 23,
    "GL": 18,
    "GR": 27,
    "GT": 28,
    "HN": 28,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IQ": 23,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LC": 32,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "LY": 25,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MN": 20,
    "MR": 27,
    "MT": 31,
    "MU": 30,
    "NI": 28,
    "NL": 18,
    "NO": 15,
    "OM": 23,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "RU": 33,
    "SA": 24,
    "SC": 31,
    "SD": 18,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "SO": 23,
    "ST": 25,
    "SV": 28,
    "TL": 23,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "VA": 22,
    "VG": 24,
    "XK": 20,
    "YE": 30,
}
#: IBAN-shaped candidate: country letters, check digits, then 4-character groups, compact or
#: spaced, any case. It may run on into following words; the redactor cuts it at the
#: country's length and checks it.
IBAN_CANDIDATE = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?\b")
#: Dutch IBAN shape (bank code of four letters, ten digits). So specific that it is redacted
#: even when the check digits fail (a mistyped IBAN still points at a person's account).
IBAN_NL_SHAPE = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")

# Speed: the regex engine skips fast to candidate positions when every alternative starts
# with a literal or a character class, so the "not glued to what precedes" checks come
# right after the first character: "0(?<![\w+/.,-]0)" is a 0 not preceded by a word
# character, "+", "/", ".", "," or "-" (not the tail of a word, amount, date or id).

# --- addresses -----------------------------------------------------------------------------
_HOUSE_NO = r"\d{1,5}(?!\d)(?:[ ]?[a-zA-Z]\b|-\d{1,4}\b)?"
# A number followed by one of these is a quantity, not a house number ("Kerkweg 2 uur dicht").
_NOT_HOUSE = (
    r"(?![ ]?(?:uur|u|min|minuten|minuut|dag|dagen|week|weken|maand|maanden|keer|km|"
    r"kilometer|euro|eur|x|hours?|days?|weeks?|minutes?|times)\b)"
)
# Dutch street (a compound ending in straat, laan, ...) with house number: Kerkstraat 12,
# Hoofdweg 120-2, dorpsstraat 3b. Not onderweg, snelweg, halfweg, zijweg.
_STREET_SUFFIX = r"(?:straat|laan|weg|plein|gracht|kade|singel|steeg|dreef|dijk)"
STREET_NL = re.compile(
    r"\b(?!(?:[Oo]nder|[Ss]nel|[Hh]alf|[Zz]ij)weg\b)[^\W\d_]{2,}"
    rf"{_STREET_SUFFIX}[ ]{_HOUSE_NO}{_NOT_HOUSE}"
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
            # Dates (05-01-2026 10:30) do not fit these groupings.
            r"0(?<![\w+/.,-]0)"
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

#: (kind, gate, pattern) in order of application. IBANs before phones (a spaced IBAN holds
#: phone-like digit groups); addresses before phones (a postcode with house number must not
#: feed the phone pattern). The gate is a cheap necessary condition: only rows it finds are
#: searched with the pattern (None: all rows that hold a digit or "@").
RULES: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str]], ...] = (
    ("email", re.compile("@"), EMAIL),
    ("iban", re.compile(r"\d(?<=[A-Za-z]{2}\d)\d"), IBAN_CANDIDATE),
    ("address", re.compile(rf"{_STREET_SUFFIX}[ ]\d"), STREET_NL),
    ("address", None, ADDRESS),
    ("phone", None, PHONE),
)

#: Every PII pattern above needs a digit or an "@": rows without either are skipped.
PREFILTER = re.compile(r"[\d@]")


def as_text(text: pd.Series) -> pd.Series:
    """The column as a pandas string dtype (kept if it already is one)."""
    if isinstance(text.dtype, pd.StringDtype):
        return text
    return text.astype("string")


def iban_valid(iban: str) -> bool:
    """ISO 13616 check: registered country, its length, and mod-97 of the rearranged digits == 1."""
    iban = iban.replace(" ", "").upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban.isascii() or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _iban_sub(match: re.Match[str]) -> str:
    """Replace an IBAN-shaped candidate when it holds a real IBAN, cut at its country's length.

    The candidate may run on into following words ("BE68 5390 0754 7034 mijn"); the IBAN is
    the first ``length`` alphanumerics. Called only for rows that hold a candidate (rare).
    """
    raw = match.group()
    length = IBAN_LENGTHS.get(raw[:2].upper())
    if length is not None:
        seen = 0
        for end, ch in enumerate(raw, start=1):  # noqa: B007 - end is read after the loop
            seen += ch != " "
            if seen == length:
                break
        if seen == length and (end == len(raw) or raw[end] == " "):
            iban = raw[:end].replace(" ", "").upper()
            if iban_valid(iban) or IBAN_NL_SHAPE.fullmatch(iban):
                return PLACEHOLDERS["iban"] + raw[end:]
    # Not an IBAN from its first group: retry from the next group ("ref 12 NL91 ABNA ...").
    nxt = raw.find(" ", 1)
    return raw if nxt < 0 else raw[:nxt] + IBAN_CANDIDATE.sub(_iban_sub, raw[nxt:])


def redact(text: pd.Series | str) -> pd.Series | str:
    """Replace e-mail addresses, IBANs, postal addresses and phone numbers by placeholders.

    Placeholders: ``[email]``, ``[iban]``, ``[address]``, ``[phone]``. Missing values stay
    missing; a plain ``str`` gives a ``str``. Rows without a digit or "@" are not searched;
    rare patterns run only on rows their gate finds (see :data:`cxlib.actions.pii.RULES`).
    """
    if isinstance(text, str):
        return redact(pd.Series([text], dtype="string")).iloc[0]
    s = as_text(text)
    candidate = s.str.contains(PREFILTER).fillna(False).astype(bool)
    if not candidate.any():
        return s.copy()
    part = s[candidate]
    for kind, gate, pattern in RULES:
        repl = _iban_sub if kind == "iban" else PLACEHOLDERS[kind]
        if gate is None:
            part = part.str.replace(pattern, repl, regex=True)
            continue
        found = part.str.contains(gate).to_numpy(dtype=bool)
        if found.any():
            part = replace_rows(part, found, part[found].str.replace(pattern, repl, regex=True))
    return replace_rows(s, candidate.to_numpy(), part)


def replace_rows(s: pd.Series, rows: np.ndarray, values: pd.Series) -> pd.Series:
    """Copy of ``s`` with the rows where ``rows`` is true set to ``values`` (by position)."""
    out = s.copy()
    out.iloc[np.flatnonzero(rows)] = values.to_numpy()
    return out


def contains_pii(text: pd.Series | str) -> pd.Series | bool:
    """True where :func:`redact` would change the text (missing text: False)."""
    if isinstance(text, str):
        return redact(text) != text
    s = as_text(text)
    changed = redact(s).ne(s) & s.notna()
    return changed.fillna(False).astype(bool)
