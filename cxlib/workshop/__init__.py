"""Workshop materials: teach the five-step method on the sample company.

- :func:`check` judges a participant's answer in a workshop notebook and shows specific,
  encouraging feedback (nl/en): what is off and a hint, never the answer itself.
- :func:`build` (``cx workshop build``) writes the participant and solution editions of the
  workshop notebooks from one source, so they never drift.
- :func:`room_language`: the one language setting of the room (notebooks/workshop/room.yaml or
  ``CX_WORKSHOP_LANG``), read by every workshop notebook.

The notebooks live in ``notebooks/workshop/``; the facilitator guide in
``docs/facilitator-guide.md``.
"""

from cxlib.workshop.build import EDITIONS, SOURCE, WORKSHOP, build, build_edition
from cxlib.workshop.checks import MIME, CheckResult, check, exercises, read_checks
from cxlib.workshop.room import ROOM_FILE, ROOM_VARIABLE, room_language

__all__ = [
    "build",
    "build_edition",
    "check",
    "CheckResult",
    "exercises",
    "read_checks",
    "MIME",
    "EDITIONS",
    "SOURCE",
    "WORKSHOP",
    "room_language",
    "ROOM_FILE",
    "ROOM_VARIABLE",
]
