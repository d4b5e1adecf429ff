"""Project paths, resolved once from this file, never from the working directory.

nbval, papermill and the CLI start kernels in different folders; everything that needs a
path asks this module.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "PROJECT_ROOT", "PACKAGE_DATA", "SAMPLE_DATA", "NOTEBOOKS", "REPORTS", "DOCS",
           "TIMEZONE", "package_file"]

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
