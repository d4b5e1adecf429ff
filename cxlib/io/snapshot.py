"""Open a data folder from a notebook, or the batch's snapshot of it.

A report batch loads and validates the data once and writes a snapshot (a pickle of the
CXData, written by the batch itself into its own temporary folder); every unit's notebook then
opens the snapshot instead of loading the CSVs again. Only open snapshots this process family
wrote: unpickling runs code, so a snapshot is never read from a user-supplied location.

A warm report kernel renders many units from the same snapshot, so the unpickled data is kept
(per path, size and modification time) and every call returns a new CXData of shallow copies:
under pandas copy-on-write, a unit that changes its frames changes only its own copies.
"""
from __future__ import annotations

import os
import pickle
from dataclasses import fields, replace
from pathlib import Path

import pandas as pd

from cxlib import paths
from cxlib.atomic import write_atomic
from cxlib.io.cxdata import CXData
from cxlib.io.loader import load


def goals_beside(snapshot: str | Path) -> Path:
    """Where a snapshot keeps its copy of goals.yaml: ``<snapshot>.goals.yaml``."""
    snapshot = Path(snapshot)
    return snapshot.with_name(snapshot.name + ".goals.yaml")


def save_snapshot(data: CXData, path: str | Path) -> Path:
    """Write ``data`` to ``path`` atomically (pickle protocol 5) and return the path.

    The snapshot is self-contained: goals.yaml is copied beside it (:func:`goals_beside`), so a
    kernel on another machine (a Dask worker) reads the same goals from its copy of both files.
    """
    goals = None
    if data.goals_path is not None and Path(data.goals_path).is_file():
        goals = write_atomic(goals_beside(path), Path(data.goals_path).read_bytes())
    return write_atomic(path, pickle.dumps(replace(data, goals_path=goals), protocol=5))


def open_data(data: str | Path = "data/sample", snapshot: str | Path = "") -> CXData:
    """The CXData for a notebook: the batch snapshot when given, else ``load(data)``.

    A relative ``data`` path is taken relative to the project root (not the working
    directory, which differs between JupyterLab, nbval and papermill).
    """
    if snapshot:
        return _isolated(_read_snapshot(str(snapshot)))
    folder = Path(data).expanduser()
    return load(folder if folder.is_absolute() else paths.PROJECT_ROOT / folder)


_CACHE: dict[str, tuple[tuple[int, int], CXData]] = {}


def _read_snapshot(path: str) -> CXData:
    """The snapshot at ``path``, unpickled once per (size, mtime) and then kept."""
    info = os.stat(path)
    key = (info.st_size, info.st_mtime_ns)
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    with open(path, "rb") as handle:
        loaded = pickle.load(handle)
    if not isinstance(loaded, CXData):
        raise TypeError(f"{path}: not a CXData snapshot")
    if loaded.goals_path is not None:  # the copy beside this snapshot (it may have travelled)
        beside = goals_beside(path)
        loaded = replace(loaded, goals_path=beside if beside.is_file() else None)
    _CACHE.clear()  # one batch, one snapshot
    _CACHE[path] = (key, loaded)
    return loaded


def _isolated(data: CXData) -> CXData:
    """A CXData whose frames are shallow copies (copy-on-write keeps the cached ones unchanged)."""
    changes = {f.name: getattr(data, f.name).copy(deep=False) for f in fields(data)
               if isinstance(getattr(data, f.name), pd.DataFrame)}
    changes["files"] = dict(data.files)
    return replace(data, **changes)
