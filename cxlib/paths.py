"""Project paths, resolved once from this file, never from the working directory.

nbval, papermill and the CLI start kernels in different folders; everything that needs a
path asks this module.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "PACKAGE_DIR",
    "PROJECT_ROOT",
    "PACKAGE_DATA",
    "SAMPLE_DATA",
    "NOTEBOOKS",
    "REPORTS",
    "DOCS",
    "TIMEZONE",
    "package_file",
    "shared_file",
    "real_exports",
]

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
PACKAGE_DATA = PACKAGE_DIR / "data"  # shipped defaults: KPI catalogue, rules, taxonomy, labels
SAMPLE_DATA = PROJECT_ROOT / "data" / "sample"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
REPORTS = PROJECT_ROOT / "reports"
DOCS = PROJECT_ROOT / "docs"

TIMEZONE = "Europe/Amsterdam"


def package_file(name: str) -> Path:
    """Path of a data file shipped inside cxlib (``cxlib/data/<name>``)."""
    return PACKAGE_DATA / name


def shared_file(*parts: str) -> Path:
    """A file in the team's ``shared/`` folder beside the project (or beside one of its parent
    folders, as for a git worktree), e.g. ``shared_file("real-exports", "nps-verbatims",
    "text_data.csv")``. The path beside the project when none exists (check ``.exists()``)."""
    for folder in (PROJECT_ROOT, *PROJECT_ROOT.parents):
        candidate = folder.parent / "shared" / Path(*parts)
        if candidate.exists():
            return candidate
    return PROJECT_ROOT.parent / "shared" / Path(*parts)


def real_exports(*parts: str) -> Path:
    """A file or folder of the team's real public exports (tests and benchmarks only):
    under ``$CX_REAL_EXPORTS`` when set, else ``shared/real-exports`` as :func:`shared_file`
    finds it. The path may not exist (check ``.exists()``)."""
    root = os.environ.get("CX_REAL_EXPORTS")
    return (Path(root) if root else shared_file("real-exports")).joinpath(*parts)
