"""Quarterly review reports in batch: papermill runs, nbconvert exports, an index links them.

This package orchestrates; it computes no statistics.
"""
from cxlib.report.batch import run_batch
from cxlib.report.record import read_records, record

__all__ = ["run_batch", "record", "read_records"]
