"""Atomic file writes: write a temporary file beside the target, then rename it into place.

A reader sees the old file or the new one, never half of one, even after an interruption
(``os.replace`` is atomic on POSIX and Windows within one filesystem). ``locked(folder)`` makes
the writers of one folder take turns (read, change, write), so that none loses another's change.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX only; elsewhere writers are not serialised (each write itself stays atomic)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["locked", "write_atomic"]


def write_atomic(path: str | os.PathLike, content: str | bytes, encoding: str = "utf-8") -> Path:
    """Write ``content`` to ``path`` atomically and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode(encoding) if isinstance(content, str) else content
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; keep the file's mode, or the usual one for a new file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process umask (read by setting and restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def locked(folder: str | os.PathLike):
    """Hold an exclusive lock on ``folder`` (``flock``): the writers of that folder take turns.

    The lock is on the folder, not the file, because each write replaces the file (a lock on
    the old file would not stop a writer who opened the new one) and the file may not exist yet.
    It holds across processes and across threads (each holder opens its own descriptor).
    """
    folder = Path(folder)
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
