"""The precomputed sections of the quarterly review page (see :mod:`cxlib.report.precompute`).

Each section pairs the computation a notebook makes for one unit with one pass that makes it
for every unit at once; tests/test_report_precompute.py checks that they agree.
"""
from __future__ import annotations

__all__: list[str] = []
