"""Quarterly review reports in batch: warm kernels or a Dask cluster, nbconvert exports, an index links them.

This package orchestrates; it computes no statistics. Its names are imported on first use, so
``cx report`` can check its arguments before loading papermill and pandas.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "run_batch": "cxlib.report.batch",
    "record": "cxlib.report.record",
    "read_records": "cxlib.report.record",
    "check_arguments": "cxlib.report.arguments",
    "review_page": "cxlib.report.page",
    "ReviewPage": "cxlib.report.page",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cxlib.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
