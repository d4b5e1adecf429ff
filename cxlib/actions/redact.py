"""Redaction of personal data in free text (comments, labels, raw values), vectorised over a column.

The rules live in :mod:`cxlib.actions.pii`; this module only applies them. Two paths give the
same result:

- **plain rows** (the vast majority): each rule is one ``Series.str.replace`` over the rows its
  gate finds; library checks (stdnum, phonenumbers) run only on those rows;
- **rows with look-alike characters** (non-breaking or full-width spaces, en-dashes, full-width
  or non-ASCII digits, invisible characters): searched one by one on a folded copy
  (:func:`fold`) whose spans are mapped back, so the text outside the personal data stays as
  it was written.

Method and limits: docs/privacy.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cxlib.actions.pii import EXOTIC, EXOTIC_GATE, PREFILTER, RULES, Rule
from cxlib.actions.pii_numbers import iban_valid

__all__ = [
    "as_text",
    "contains_pii",
    "fold",
    "iban_valid",
    "redact",
    "redact_columns",
    "redact_label",
    "replace_rows",
]


def as_text(text: pd.Series) -> pd.Series:
    """The column as a pandas string dtype (kept if it already is one)."""
    if isinstance(text.dtype, pd.StringDtype):
        return text
    return text.astype("string")


# --- folding look-alike characters -------------------------------------------------------------
_FOLDED: dict[str, str] = {}


def _fold_char(char: str) -> str:
    """One character as the patterns expect it: ASCII space, hyphen, digit, letter or sign."""
    if char.isascii() or not EXOTIC.fullmatch(char):
        return char
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category == "Cf":  # soft hyphen, zero-width and bidi controls: invisible, dropped
        return ""
    if category == "Pd" or char == "\u2212":  # en-dash, em-dash, non-breaking hyphen, minus
        return "-"
    folded = unicodedata.normalize("NFKC", char)  # full-width and small forms
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in folded)


def fold(text: str) -> tuple[str, list[int]]:
    """A copy of ``text`` with look-alike characters folded, and for each of its characters the
    index of the character of ``text`` it comes from.

    Folded (see :data:`cxlib.actions.pii.EXOTIC`): non-ASCII spaces to " ", dashes and the minus
    sign to "-", full-width and small forms by Unicode NFKC ("０６" to "06", "＠" to "@"),
    non-ASCII decimal digits to ASCII digits; invisible format characters (soft hyphen,
    zero-width space, bidi controls) are dropped. Every other character is kept, so the fold
    of an ASCII text is the text itself. Each character is folded on its own, so a span of the
    copy maps back to the original exactly.
    """
    chars: list[str] = []
    origin: list[int] = []
    for i, char in enumerate(text):
        folded = _FOLDED.get(char)
        if folded is None:
            folded = _FOLDED.setdefault(char, _fold_char(char))
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


# --- one text ------------------------------------------------------------------------------------
def _spans(rule: Rule, text: str) -> list[tuple[int, int]]:
    """Non-empty (start, end) spans of ``rule``'s personal data in ``text``, in order."""
    if rule.spans is not None:
        found = rule.spans(text)
    else:
        group = "pii" if "pii" in rule.pattern.groupindex else 0
        found = [m.span(group) for m in rule.pattern.finditer(text) if rule.check is None or rule.check(m)]
    return [(a, b) for a, b in found if b > a]


def _replace_spans(text: str, spans: Iterable[tuple[int, int]], placeholder: str) -> str:
    out, pos = [], 0
    for a, b in spans:
        out += [text[pos:a], placeholder]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _redact_one(text: str) -> str:
    """Redact one text, searching a folded copy and mapping spans back (see module docstring).

    The rules run in order on the copy, each seeing the placeholders of the ones before, as on
    the plain path. Each character of the copy carries the range of the original it stands for;
    a placeholder stands for the whole range it replaced.
    """
    if EXOTIC.search(text):
        t, origin = fold(text)
    elif PREFILTER.search(text):
        t, origin = text, list(range(len(text)))
    else:
        return text
    lo, hi = origin, [i + 1 for i in origin]
    regions: list[tuple[int, int, str]] = []  # (start, end, placeholder) in the original
    for rule in RULES:
        if rule.gate is not None and not rule.gate.search(t):
            continue
        spans = _spans(rule, t)
        if not spans:
            continue
        placeholder, size = rule.placeholder, len(rule.placeholder)
        parts, new_lo, new_hi, pos = [], [], [], 0
        for a, b in spans:
            start, end = min(lo[a:b]), max(hi[a:b])
            regions = [r for r in regions if not (start <= r[0] and r[1] <= end)]
            regions.append((start, end, placeholder))
            parts += [t[pos:a], placeholder]
            new_lo += lo[pos:a] + [start] * size
            new_hi += hi[pos:a] + [end] * size
            pos = b
        parts.append(t[pos:])
        t, lo, hi = "".join(parts), new_lo + lo[pos:], new_hi + hi[pos:]
    if not regions:
        return text
    out, pos = [], 0
    for start, end, placeholder in sorted(regions):
        out += [text[pos:start], placeholder]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def redact_label(label: str) -> str:
    """One label (a unit name, a file name, a title) with its personal data replaced.

    The same rules as :func:`redact`, without pandas: cheap enough to call per unit. Control
    characters and file-name safety are the caller's concern (``[``, ``]`` and ``-`` appear in
    placeholders).
    """
    return _redact_one(str(label))


# --- a column ------------------------------------------------------------------------------------
def _repl(rule: Rule):
    """The replacement for ``Series.str.replace``: the placeholder, or a callable when only the
    ``pii`` group is replaced or a check confirms the candidate."""
    placeholder = rule.placeholder
    group = "pii" if "pii" in rule.pattern.groupindex else None
    if rule.check is None and group is None:
        return placeholder

    def replace(m: re.Match[str]) -> str:
        if rule.check is not None and not rule.check(m):
            return m.group()
        if group is None:
            return placeholder
        start, end = m.span(group)
        return m.string[m.start() : start] + placeholder + m.string[end : m.end()]

    return replace


def _apply(rule: Rule, part: pd.Series) -> pd.Series:
    """``part`` with ``rule`` applied to the rows its gate finds."""
    if rule.gate is None:
        rows = np.ones(len(part), dtype=bool)
    else:
        rows = part.str.contains(rule.gate).to_numpy(dtype=bool)
        if not rows.any():
            return part
    chosen = part[rows]
    if rule.spans is not None:  # one call per gated row (phonenumbers); measured in benchmarks/
        values = [_replace_spans(x, _spans(rule, x), rule.placeholder) for x in chosen]
        new = pd.Series(values, index=chosen.index, dtype=chosen.dtype)
    else:
        new = chosen.str.replace(rule.pattern, _repl(rule), regex=True)
    return new if rule.gate is None else replace_rows(part, rows, new)


def redact(text: pd.Series | str) -> pd.Series | str:
    """Replace personal data by placeholders: e-mail addresses (also spaced and obfuscated),
    IBANs, BSNs and Belgian national numbers, dates of birth, postal addresses and phone numbers.

    Placeholders: ``[email]``, ``[iban]``, ``[national-id]``, ``[birthdate]``, ``[address]``,
    ``[phone]``. Missing values stay missing; a plain ``str`` gives a ``str``. Rows without a
    digit, "@" or obfuscated "at"/"dot" are not searched; each rule runs only on the rows its
    gate finds (:data:`cxlib.actions.pii.RULES`); rows with look-alike characters are searched
    on a folded copy (:func:`fold`). Method and limits: docs/privacy.md.
    """
    if isinstance(text, str):
        return _redact_one(text)
    s = as_text(text)
    exotic = s.str.contains(EXOTIC_GATE).fillna(False).to_numpy(dtype=bool)
    plain = s.str.contains(PREFILTER).fillna(False).to_numpy(dtype=bool) & ~exotic
    if not (plain.any() or exotic.any()):
        return s.copy()
    out = s.copy()
    if plain.any():
        part = s[plain]
        for rule in RULES:
            part = _apply(rule, part)
        out = replace_rows(out, plain, part)
    if exotic.any():  # rare: one call per row with characters outside ASCII and Latin letters
        folded = pd.Series([_redact_one(x) for x in s[exotic]], dtype=s.dtype)
        out = replace_rows(out, exotic, folded)
    return out


def redact_columns(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``frame`` with the text of ``columns`` (those present) redacted."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = redact(as_text(out[column]))
    return out


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
