"""Library-backed checks of personal numbers: IBAN, BSN and Belgian national number through
python-stdnum, phone numbers through phonenumbers (Google's libphonenumber).

:mod:`cxlib.actions.pii` finds the candidates with cheap patterns; the functions here decide
whether a candidate is the real thing. Method and limits: docs/privacy.md.
"""

from __future__ import annotations

import re
from functools import cache

from stdnum import iban as _iban
from stdnum import numdb
from stdnum.be import nn as _be_nn
from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as _bsn

__all__ = [
    "IBAN_LENGTHS",
    "PHONE_REGIONS",
    "be_national_number_valid",
    "bsn_valid",
    "iban_valid",
    "phone_spans",
]


def _iban_lengths() -> dict[str, int]:
    """Country code -> IBAN length, from python-stdnum's copy of the SWIFT IBAN registry.

    Each BBAN structure is written as in the registry ("4!a10!n" = 4 letters, 10 digits);
    the IBAN is the country code, two check digits and the BBAN.
    """
    lengths = {}
    for _, country, _, props, _ in numdb.get("iban").prefixes:
        bban = props.get("bban", "")
        lengths[country] = 4 + sum(int(n) for n in re.findall(r"\d+", bban))
    return lengths


#: IBAN length per country (SWIFT IBAN registry through python-stdnum), e.g. NL 18, BE 16, DE 22.
IBAN_LENGTHS: dict[str, int] = _iban_lengths()


def iban_valid(number: str) -> bool:
    """ISO 13616 check by python-stdnum: registered country, its BBAN format and length, and
    mod-97 of the rearranged characters == 1. Spaces, dots and dashes are ignored.

    National checks (``check_country``) are off: they also require a bank code in stdnum's
    bank list, and an account at a bank missing from that list is still personal data
    (the SWIFT registry's own example BE68 5390 0754 7034 has such a code).
    """
    try:
        _iban.validate(number, check_country=False)
    except ValidationError:
        return False
    return True


def bsn_valid(number: str) -> bool:
    """Dutch citizen service number (BSN): nine digits passing the 11-test (python-stdnum).

    11-test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11 (and the number is not 0).
    """
    digits = re.sub(r"\D", "", number)
    return len(digits) == 9 and _bsn.is_valid(digits)


def be_national_number_valid(number: str) -> bool:
    """Belgian national register number (rijksregisternummer, YY.MM.DD-XXX.CC): birth date,
    serial and a mod-97 check (python-stdnum ``stdnum.be.nn``)."""
    return _be_nn.is_valid(number)


# --- phone numbers (phonenumbers) -------------------------------------------------------------
#: Regions whose national notation is recognised (international "+xx"/"00xx" numbers of any
#: country are recognised from every region).
PHONE_REGIONS = ("NL", "BE", "GB", "DE")

# A date inside a match ("05-01-2026 10" looks like 050-1202610 to the matcher).
_DATE_INSIDE = re.compile(r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
# Candidate runs: "+", or a "0" that does not continue a number or start a date, then at
# least 6 more digits with separators. No run, no matcher; regions stop once every run is
# decided.
PHONE_RUN = re.compile(r"(?:\+|(?<!\d)(?<!\d[-./])0(?!\d?[-./]\d{1,2}[-./]\d{2,4}(?!\d)))\d?(?:[ ()./-]{0,3}\d){6,}")


@cache
def _phonenumbers():
    import phonenumbers

    not_personal = {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
    }
    return phonenumbers, not_personal


def _glued(text: str, start: int, end: int) -> bool:
    """Is text[start:end] the tail or head of a longer word, number, amount, date or id?"""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    return (
        before.isalnum()
        or before in "_-/.,+"
        or after.isalnum()
        or after == "_"
        or (after in "-./," and after2.isdigit())
    )


def phone_spans(text: str) -> list[tuple[int, int]]:
    """Spans of personal phone numbers in ``text``, found by ``phonenumbers.PhoneNumberMatcher``.

    Leniency VALID: the number must be a valid number of its region (libphonenumber metadata),
    in national notation for NL, BE, GB or DE, or international (+ or 00) for any country.
    Kept: numbers without a trunk or international prefix (order numbers), toll-free, premium,
    shared-cost and company (UAN) numbers, and matches that hold a date or are glued to other
    text. Why VALID: POSSIBLE takes any digit run of a plausible length; STRICT_GROUPING misses
    numbers written in unusual groups ("06 12 34 56 78", "02 123 45 67").
    """
    runs = [m.span() for m in PHONE_RUN.finditer(text)]
    if not runs:
        return []
    pn, not_personal = _phonenumbers()
    found: list[tuple[int, int]] = []
    decided = [False] * len(runs)
    for region in PHONE_REGIONS:
        for match in pn.PhoneNumberMatcher(text, region, leniency=pn.Leniency.VALID):
            start, end, raw = match.start, match.end, match.raw_string
            head = raw.lstrip("(")
            if not head.startswith(("+", "0")) or _DATE_INSIDE.search(raw):
                continue
            if _glued(text, start, end) or pn.number_type(match.number) in not_personal:
                continue
            if not any(s < end and start < e for s, e in found):
                found.append((start, end))
        decided = [d or any(s < re_ and rs < e for s, e in found) for d, (rs, re_) in zip(decided, runs, strict=True)]
        if all(decided):
            break
    return sorted(found)
