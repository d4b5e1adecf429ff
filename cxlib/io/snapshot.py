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
import weakref
from dataclasses import fields, replace
from pathlib import Path

import pandas as pd

from cxlib import paths
from cxlib.atomic import write_atomic
from cxlib.io.cxdata import CXData
from cxlib.io.loader import load

__all__ = ["extras_beside", "goals_beside", "open_data", "save_snapshot", "snapshot_extras", "snapshot_files"]


def goals_beside(snapshot: str | Path) -> Path:
    """Where a snapshot keeps its copy of goals.yaml: ``<snapshot>.goals.yaml``."""
    snapshot = Path(snapshot)
    return snapshot.with_name(snapshot.name + ".goals.yaml")


def extras_beside(snapshot: str | Path) -> Path:
    """Where a snapshot keeps its extras (results computed once for the whole batch)."""
    snapshot = Path(snapshot)
    return snapshot.with_name(snapshot.name + ".extras.pkl")


def snapshot_files(snapshot: str | Path) -> dict[str, bytes]:
    """The snapshot and its companions as ``{suffix: bytes}``, to copy it to another machine."""
    snapshot = Path(snapshot)
    files = {"": snapshot, ".goals.yaml": goals_beside(snapshot), ".extras.pkl": extras_beside(snapshot)}
    return {suffix: path.read_bytes() for suffix, path in files.items() if path.is_file()}


def save_snapshot(data: CXData, path: str | Path, extras: dict | None = None) -> Path:
    """Write ``data`` to ``path`` atomically (pickle protocol 5) and return the path.

    The snapshot is self-contained: goals.yaml is copied beside it (:func:`goals_beside`), so a
    kernel on another machine (a Dask worker) reads the same goals from its copy of both files.
    ``extras``: results the batch computed once for every unit (see ``cxlib.report.precompute``),
    pickled beside the snapshot and handed out by :func:`snapshot_extras`.
    """
    goals = None
    if data.goals_path is not None and Path(data.goals_path).is_file():
        goals = write_atomic(goals_beside(path), Path(data.goals_path).read_bytes())
    if extras:
        write_atomic(extras_beside(path), pickle.dumps(extras, protocol=5))
    return write_atomic(path, pickle.dumps(replace(data, goals_path=goals), protocol=5))


def snapshot_extras(data: CXData) -> dict:
    """The extras saved with the snapshot that ``open_data`` returned ``data`` from.

    Only that very object has them: data loaded from files, or a changed copy (``cx.subset``,
    ``dataclasses.replace``), has none, so nothing computed for other data is ever handed out.
    """
    entry = _OPENED.get(id(data))
    return entry[1] if entry is not None and entry[0]() is data else {}


def open_data(data: str | Path = "data/sample", snapshot: str | Path = "") -> CXData:
    """The CXData for a notebook: the batch snapshot when given, else ``load(data)``.

    A relative ``data`` path is taken relative to the project root (not the working
    directory, which differs between JupyterLab, nbval and papermill).
    """
    if snapshot:
        data = _isolated(_read_snapshot(str(snapshot)))
        extras = _EXTRAS.get(data.fingerprint)
        if extras:
            _OPENED[id(data)] = (weakref.ref(data), extras)
            weakref.finalize(data, _OPENED.pop, id(data), None)
        return data
    folder = Path(data).expanduser()
    return load(folder if folder.is_absolute() else paths.PROJECT_ROOT / folder)


_CACHE: dict[str, tuple[tuple[int, int], CXData]] = {}
_EXTRAS: dict[str, dict] = {}
_OPENED: dict[int, tuple[weakref.ref, dict]] = {}  # id of a CXData open_data returned → its extras


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
    _EXTRAS.clear()
    _CACHE[path] = (key, loaded)
    extras = extras_beside(path)
    if extras.is_file():
        with open(extras, "rb") as handle:
            _EXTRAS[loaded.fingerprint] = pickle.load(handle)  # noqa: S301 - written by save_snapshot
    return loaded


def _isolated(data: CXData) -> CXData:
    """A CXData whose frames are shallow copies (copy-on-write keeps the cached ones unchanged)."""
    changes = {
        f.name: getattr(data, f.name).copy(deep=False)
        for f in fields(data)
        if isinstance(getattr(data, f.name), pd.DataFrame)
    }
    changes["files"] = dict(data.files)
    return replace(data, **changes)
