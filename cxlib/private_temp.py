"""Private temporary folders for data at rest: 0700, locked while in use, removed on every exit path.

A report batch's snapshot and the DuckDB engine's database hold the whole dataset with its
unredacted comments, so they live in ``<tmp>/<purpose>-<uid>/run-XXXXXXXX/`` (folders 0700,
owned by this user). Each folder holds an exclusive ``flock`` on its ``lock`` file while it
is in use; a folder whose lock can be taken belongs to a process that is gone (``kill -9``, a
power cut) and is removed by the next :class:`PrivateRunDir` of the same purpose
(:func:`remove_stale_runs`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

__all__ = ["LOCK_NAME", "RUN_PREFIX", "PrivateRunDir", "private_base", "remove_stale_runs"]

RUN_PREFIX = "run-"
LOCK_NAME = "lock"


def private_base(root: str | os.PathLike | None = None, purpose: str = "cx-report") -> Path:
    """``<root or tmp>/<purpose>-<uid>``: created 0700; refused when someone else owns it or it is a link."""
    base = Path(root or tempfile.gettempdir()) / f"{purpose}-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        os.mkdir(base, 0o700)
    info = os.lstat(base)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise PermissionError(
            f"{base}: expected a folder owned by uid {os.getuid()}, not a link or "
            "someone else's; remove it or set TMPDIR to a private folder"
        )
    if info.st_mode & 0o077:
        os.chmod(base, 0o700)
    return base


class PrivateRunDir:
    """A fresh 0700 folder (``.path``), locked until :meth:`close`, which removes it.

    Stale folders of the same ``purpose`` whose process is gone are removed first. Use it as a
    context manager, or call :meth:`close` (idempotent) when the data is no longer needed.
    """

    def __init__(self, root: str | os.PathLike | None = None, purpose: str = "cx-report"):
        base = private_base(root, purpose)
        remove_stale_runs(base)
        self.path = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=base))  # mkdtemp: mode 0700
        self._handle: int | None = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._handle, fcntl.LOCK_EX)
        os.write(self._handle, str(os.getpid()).encode())

    def close(self) -> None:
        """Remove the folder and release its lock."""
        if self._handle is None:
            return
        try:
            _remove_tree(self.path)
        finally:
            os.close(self._handle)
            self._handle = None

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc) -> None:
        self.close()


def remove_stale_runs(base: Path) -> list[Path]:
    """Remove run folders under ``base`` whose lock nobody holds (their process is gone); return them."""
    removed = []
    for run in sorted(base.glob(RUN_PREFIX + "*")):
        lock = run / LOCK_NAME
        try:
            handle = os.open(lock, os.O_RDWR)
        except FileNotFoundError:  # a run between mkdtemp and its lock (or a half-removed folder)
            with contextlib.suppress(OSError):
                if time.time() - run.stat().st_mtime > 60:
                    shutil.rmtree(run, ignore_errors=True)
                    removed.append(run)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: that run is alive
            os.close(handle)
            continue
        try:
            shutil.rmtree(run, ignore_errors=True)
            removed.append(run)
        finally:
            os.close(handle)
    return removed


def _remove_tree(folder: Path, attempts: int = 20, pause: float = 0.1) -> None:
    """Remove ``folder``; retry while a process that is stopping still adds files to it
    (a kernel binding its IPC sockets as its worker is stopped), for up to ``attempts × pause`` s."""
    for _ in range(attempts):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder):
            return
        time.sleep(pause)
