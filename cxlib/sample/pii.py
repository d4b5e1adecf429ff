"""Fake Dutch personal details for the ~1% of comments that hold them (vectorised strings).

Phone numbers (06-12345678, +31 6 1234 5678, 0612345678, 020-1234567), e-mail addresses on
example domains, IBANs with valid ISO 7064 mod-97 check digits (NL91ABNA0417164300 style) and
postcodes with house number (1234 AB 12).
"""

from __future__ import annotations

import numpy as np

from cxlib.sample.phrases import BANK_CODES, FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, POSTCODE_LETTERS
from cxlib.sample.strings import SD, digits, join

__all__ = ["KINDS", "phones", "emails", "ibans", "postcodes", "details"]

KINDS = ("phone", "email", "iban", "postcode")


def phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Dutch mobile and landline numbers in four common notations."""
    mobile = rng.integers(10_000_000, 100_000_000, n)
    form = rng.integers(0, 4, n)
    return np.select(
        [form == 0, form == 1, form == 2],
        [
            join("06-", digits(mobile, 8)),
            join("+31 6 ", digits(mobile // 10_000, 4), " ", digits(mobile % 10_000, 4)),
            join("06", digits(mobile, 8)),
        ],
        join("020-", digits(mobile % 10_000_000, 7)),
    )


def emails(rng: np.random.Generator, n: int) -> np.ndarray:
    """first.last(nn)@example-domain addresses."""
    first = np.array(FIRST_NAMES, dtype=SD)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.array(LAST_NAMES, dtype=SD)[rng.integers(0, len(LAST_NAMES), n)]
    number = np.where(rng.random(n) < 0.5, digits(rng.integers(1, 99, n), 2), "")
    domain = np.array(MAIL_DOMAINS, dtype=SD)[rng.integers(0, len(MAIL_DOMAINS), n)]
    return join(first, ".", last, number, "@", domain)


def _letters_as_number(code: str) -> int:
    """IBAN letter conversion: A=10 .. Z=35, concatenated as decimal digits."""
    return int("".join(str(ord(ch) - 55) for ch in code))


def ibans(rng: np.random.Generator, n: int) -> np.ndarray:
    """Dutch IBANs with correct check digits, half of them printed in groups of four."""
    bank = rng.integers(0, len(BANK_CODES), n)
    account = rng.integers(0, 10**10, n)
    bank_mod = np.array([_letters_as_number(b) % 97 for b in BANK_CODES])[bank]
    rest = (bank_mod * (10**10 % 97) + account % 97) % 97  # BBAN = bank letters + account
    rest = (rest * (10**6 % 97) + _letters_as_number("NL") * 100) % 97  # + "NL00"
    check = digits(98 - rest, 2)
    code = np.array(BANK_CODES, dtype=SD)[bank]
    acc = digits(account, 10)
    compact = join("NL", check, code, acc)
    spaced = join(
        "NL",
        check,
        " ",
        code,
        " ",
        np.strings.slice(acc, 0, 4),
        " ",
        np.strings.slice(acc, 4, 8),
        " ",
        np.strings.slice(acc, 8, 10),
    )
    return np.where(rng.random(n) < 0.5, compact, spaced)


def postcodes(rng: np.random.Generator, n: int) -> np.ndarray:
    """Postcode with house number, e.g. 1234 AB 12 or 1234AB 12."""
    letters = np.array(POSTCODE_LETTERS, dtype=SD)[rng.integers(0, len(POSTCODE_LETTERS), n)]
    gap = np.where(rng.random(n) < 0.7, " ", "")
    return join(digits(rng.integers(1000, 10_000, n), 4), gap, letters, " ", rng.integers(1, 250, n).astype(SD))


def details(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """One personal detail per entry of ``kind`` (index into KINDS)."""
    makers = (phones, emails, ibans, postcodes)
    out = np.empty(len(kind), dtype=SD)
    for k, make in enumerate(makers):
        out[kind == k] = make(rng, int((kind == k).sum()))
    return out
