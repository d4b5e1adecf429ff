"""Make untrusted text inert where a terminal or a spreadsheet would interpret it.

- ``escape_control``: control characters (C0, DEL, C1: the ANSI escape ``\\x1b[…`` among them)
  and the invisible or direction-changing format characters are written as ``\\xNN`` /
  ``\\uNNNN``, so a message printed to a terminal shows them instead of obeying them
  (Unicode TR #36; CVE-2021-42574 "Trojan Source").
- ``neutralise_cell``: a cell that starts with ``= + - @``, a tab or a carriage return gets a
  leading apostrophe, so Excel and LibreOffice show it as text instead of running it as a
  formula (OWASP, "CSV Injection").
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["INVISIBLE", "escape_control", "neutralise_cell", "neutralise_frame"]

INVISIBLE = (
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]"
)
"""Control, zero-width, invisible and bidirectional-control characters (Unicode Cc and the Cf
characters that hide or reorder text)."""
_INVISIBLE = re.compile(INVISIBLE)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_control(text) -> str:
    """``text`` with every INVISIBLE character written as an escape (``\\x1b``, ``\\u202e``)."""
    return _INVISIBLE.sub(_escape, str(text))


def neutralise_cell(text):
    """A spreadsheet cell that cannot start a formula: ``'=HYPERLINK(…)``; other values unchanged."""
    if isinstance(text, str) and text.startswith(_FORMULA):
        return "'" + text
    return text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell passed through ``neutralise_cell`` (vectorised)."""
    out = frame.copy()
    for name in out.columns:
        s = out[name]
        if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            text = s.astype("string")
            risky = text.str.match(r"[=+\-@\t\r]").fillna(False).astype(bool)
            if risky.any():
                out[name] = text.mask(risky, "'" + text)
    return out
