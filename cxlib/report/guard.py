"""Safety around a report batch: private temp folders, the output lock, dying with the parent.

- **Private temp data.** The batch's snapshot holds the whole dataset with unredacted comments,
  so it lives in a :class:`cxlib.private_temp.PrivateRunDir` (``<tmp>/cx-report-<uid>/run-*/``,
  0700, locked while the run lives, removed on every exit path, stale ones removed by the next run).
- **One batch per output folder.** :class:`OutputLock` takes an exclusive ``fcntl.flock`` on
  ``<out>/.cx-batch/<period>/lock``; a second run into the same folder waits or stops with a
  message that names the other run.
- **Workers die with the parent.** :func:`die_with_parent` asks Linux to send SIGTERM when the
  parent process dies (``prctl(PR_SET_PDEATHSIG)``) and starts a watchdog thread that polls
  ``os.getppid()`` as well (other platforms, and the race before prctl). Kernels started by a
  worker stop by themselves when the worker dies (ipykernel's parent poller, JPY_PARENT_PID).
- **Signals.** :func:`terminating_signals` turns SIGTERM (and SIGHUP) into :class:`Interrupted`
  in the parent, so ``finally`` blocks stop the workers and remove the temp data on every exit
  path a process can see.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as _dt
import errno
import fcntl
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from cxlib.private_temp import LOCK_NAME

__all__ = [
    "Interrupted",
    "LockBusy",
    "OutputLock",
    "die_with_parent",
    "terminating_signals",
]

_PR_SET_PDEATHSIG = 1


class Interrupted(BaseException):
    """The batch was stopped by a signal (SIGINT, SIGTERM, SIGHUP); ``code`` is the exit status."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.code = 128 + signum


class LockBusy(Exception):
    """Another batch holds the output folder's lock."""


class OutputLock:
    """Exclusive lock on one output period folder (``fcntl.flock`` on ``<state>/lock``).

    ``wait``: seconds to wait for another run to finish (0: fail at once). The lock file records
    the holder's pid and start time, so the message names the other run.
    """

    def __init__(self, state_dir: Path, folder: Path, wait: float = 0.0):
        self.path = Path(state_dir) / LOCK_NAME
        self.folder = folder
        self.wait = wait
        self._handle: int | None = None

    def __enter__(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + max(self.wait, 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(handle)
                    raise
                if time.monotonic() >= deadline:
                    holder = _read_holder(handle)
                    os.close(handle)
                    raise LockBusy(
                        f"another cx report is writing {self.folder}{holder}; wait for it to finish, "
                        "use --wait SECONDS, or choose another --out"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(handle, 0)
        os.pwrite(
            handle,
            json.dumps({"pid": os.getpid(), "started": _dt.datetime.now().isoformat(timespec="seconds")}).encode(),
            0,
        )
        self._handle = handle
        return self

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._handle is not None

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            os.ftruncate(self._handle, 0)
            os.close(self._handle)  # closing releases the flock
            self._handle = None


def _read_holder(handle: int) -> str:
    try:
        info = json.loads(os.pread(handle, 200, 0) or b"{}")
        return f" (pid {int(info['pid'])}, started {info['started']})"
    except (ValueError, KeyError, TypeError):
        return ""


def die_with_parent(parent_pid: int, signum: int = signal.SIGTERM, poll: float = 0.5) -> None:
    """Make this process receive ``signum`` when ``parent_pid`` dies (Linux prctl + a watchdog).

    Call first thing in a worker process. The watchdog thread covers other platforms and the
    window before prctl took effect; it sends the signal to this process when its parent changes.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before prctl
        os.kill(os.getpid(), signum)

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signum)
                time.sleep(5)
                os._exit(1)  # the handler did not end the process

    threading.Thread(target=watch, name="cx-parent-watchdog", daemon=True).start()


@contextlib.contextmanager
def terminating_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Interrupted` (SIGINT raises it too)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        for s in previous:  # a second signal must not break the cleanup that follows
            signal.signal(s, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
