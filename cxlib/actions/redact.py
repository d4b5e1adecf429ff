"""Redaction of personal data in free text (comments), vectorised over a column.

The patterns live in :mod:`cxlib.actions.pii`; this module only applies them. Method and
limits: docs/privacy.md.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cxlib.actions.pii import IBAN_CANDIDATE, IBAN_LENGTHS, IBAN_NL_SHAPE, PLACEHOLDERS, PREFILTER, RULES

__all__ = ["as_text", "iban_valid", "redact", "replace_rows", "contains_pii"]


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
