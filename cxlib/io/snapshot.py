"""Open a data folder from a notebook, or the batch's snapshot of it.

A report batch loads and validates the data once and writes a snapshot (a pickle of the
CXData, written by the batch itself into its own temporary folder); every unit's notebook then
opens the snapshot instead of loading the CSVs again. Only open snapshots this process family
wrote: unpickling runs code, so a snapshot is never read from a user-supplied location.
"""
from __future__ import annotations

import pickle
from pathlib import Path

from cxlib import paths
from cxlib.atomic import write_atomic
from cxlib.io.cxdata import CXData
from cxlib.io.loader import load

__all__ = ["save_snapshot", "open_data"]


def save_snapshot(data: CXData, path: str | Path) -> Path:
    """Write ``data`` to ``path`` atomically (pickle protocol 5) and return the path."""
    return write_atomic(path, pickle.dumps(data, protocol=5))


def open_data(data: str | Path = "data/sample", snapshot: str | Path = "") -> CXData:
    """The CXData for a notebook: the batch snapshot when given, else ``load(data)``.

    A relative ``data`` path is taken relative to the project root (not the working
    directory, which differs between JupyterLab, nbval and papermill).
    """
    if snapshot:
        with open(snapshot, "rb") as handle:
            loaded = pickle.load(handle)  # noqa: S301 - written by save_snapshot in this batch
        if not isinstance(loaded, CXData):
            raise TypeError(f"{snapshot}: not a CXData snapshot")
        return loaded
    folder = Path(data).expanduser()
    return load(folder if folder.is_absolute() else paths.PROJECT_ROOT / folder)
