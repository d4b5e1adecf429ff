"""Quarterly review reports in batch: warm kernels or a Dask cluster, nbconvert exports, an index links them.

This package orchestrates; it computes no statistics.
"""
from cxlib.report.record import read_records, record

__all__ = ["read_records", "record", "run_batch"]


def __getattr__(name: str):
    """``run_batch`` is imported on first use: a report kernel imports ``record`` only."""
    if name == "run_batch":
        from cxlib.report.batch import run_batch

        return run_batch
    raise AttributeError(f"module 'cxlib.report' has no attribute {name!r}")
