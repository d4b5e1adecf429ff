"""The room's language: one setting that every workshop notebook reads.

A facilitator sets the language once for the whole room, in ``notebooks/workshop/room.yaml``
(``lang: nl`` or ``lang: en``) or, for one session, with the environment variable
``CX_WORKSHOP_LANG``; each notebook's parameters cell leaves ``lang`` empty and its first step
calls :func:`room_language`. A participant who wants the other language sets ``lang`` in that
one notebook's parameters cell.
"""

from __future__ import annotations

import os
from pathlib import Path

from cxlib import paths
from cxlib.i18n import LANGUAGES, check_language

__all__ = ["room_language", "ROOM_FILE", "ROOM_VARIABLE"]

ROOM_FILE = paths.NOTEBOOKS / "workshop" / "room.yaml"
ROOM_VARIABLE = "CX_WORKSHOP_LANG"


def room_language(lang: str = "", room_file: str | Path = ROOM_FILE) -> str:
    """The workshop language: ``lang`` when given, else ``CX_WORKSHOP_LANG``, else ``lang:`` in
    ``room_file``, else Dutch. A ValueError names the source of a language that is not nl or en."""
    if lang:
        return check_language(lang)
    chosen = os.environ.get(ROOM_VARIABLE, "").strip()
    if chosen:
        if chosen not in LANGUAGES:
            raise ValueError(f"{ROOM_VARIABLE}={chosen!r}: expected one of {', '.join(LANGUAGES)}")
        return chosen
    path = Path(room_file)
    if path.exists():
        import yaml

        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        chosen = str(raw.get("lang", "")).strip() if isinstance(raw, dict) else ""
        if chosen not in LANGUAGES:
            raise ValueError(f"{path}: lang is {chosen!r}; expected one of {', '.join(LANGUAGES)}")
        return chosen
    return LANGUAGES[0]
