"""Unit labels and file names for a report batch: what readers see, and where each page goes.

- :func:`display_label`: the unit as readers see it in titles and the index: ANSI escape
  sequences, control and format characters removed (NUL, zero-width and bidi controls), whitespace
  collapsed, personal data redacted (``cxlib.actions.redact_label``), at most 120 characters.
- :func:`file_names`: one short, safe, unique file stem per unit, deterministic for a given set
  of units. The stem is an ASCII slug of the display label (accents folded, so no personal data
  reaches a file name); a stem that is empty (non-Latin names), truncated, reserved (``index``,
  ``whole-company``, Windows device names) or shared by several units (``Noord``/``NOORD``) gets
  a 6-hex suffix from the SHA-256 of the display label, and labels that are still equal (two
  names redacted alike) are numbered in the sorted order of the unit values.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict

__all__ = ["RESERVED", "WHOLE_COMPANY", "display_label", "file_names", "slug"]

WHOLE_COMPANY = ""  # the unit value that means "no filter"
WHOLE_COMPANY_STEM = "whole-company"
MAX_STEM = 40
MAX_LABEL = 120
RESERVED = frozenset(
    {
        "index",
        WHOLE_COMPANY_STEM,
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{i}" for i in range(10)),
        *(f"lpt{i}" for i in range(10)),
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")  # ECMA-48 CSI and two-byte escapes


def display_label(unit: str) -> str:
    """The unit as readers see it: no control characters, personal data redacted, ≤ 120 characters."""
    from cxlib.actions import redact_label

    text = _ANSI.sub("", str(unit))
    text = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())
    text = redact_label(text) if text else text
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def slug(text: str) -> str:
    """ASCII slug: accents folded (NFKD), lower case, runs of other characters → '-', trimmed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def file_names(units: list[str]) -> dict[str, str]:
    """Unit value → file stem (without ``.html``): unique, ≤ 47 ASCII characters, deterministic."""
    labels = {u: display_label(u) for u in units}
    plain = {u: slug(labels[u]) for u in units}
    shared = Counter(plain[u] for u in units if u != WHOLE_COMPANY)
    stems: dict[str, str] = {}
    for unit in units:
        if unit == WHOLE_COMPANY:
            stems[unit] = WHOLE_COMPANY_STEM
            continue
        stem = plain[unit]
        if not stem or len(stem) > MAX_STEM or stem in RESERVED or shared[stem] > 1:
            head = stem[:MAX_STEM].rstrip("-") or "unit"
            stem = f"{head}-{_digest(labels[unit])}"
        stems[unit] = stem
    by_stem: dict[str, list[str]] = defaultdict(list)
    for unit in units:
        by_stem[stems[unit]].append(unit)
    for stem, same in by_stem.items():  # equal display labels (redacted alike): number them
        if len(same) > 1:
            for k, unit in enumerate(sorted(same), start=1):
                stems[unit] = f"{stem}-{k}"
    while len(set(stems.values())) < len(stems):  # a numbered stem met a plain one: number again
        seen = Counter(stems.values())
        for k, unit in enumerate(sorted(u for u in units if seen[stems[u]] > 1), start=1):
            stems[unit] = f"{stems[unit]}-{k}"
    return stems
