"""cxlib: the CX Workbench helper package (flat public API, as in pandas and seaborn)."""
from __future__ import annotations

__version__ = "0.1.0"
