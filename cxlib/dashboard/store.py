"""The live data behind the dashboard: load, validate, watch, precompute, in one background thread.

One worker thread does all the work, so that no browser session ever computes:

1. **Watch**: every ``poll`` seconds it compares the folder's files (name, size, mtime in ns;
   ``os.scandir``, no reading) with what it loaded. A change is loaded once it has held still
   for one poll (a file still being copied is not read half); a write by the dashboard itself
   is loaded at once (``refresh``). It sleeps on a condition between polls: no busy loop.
2. **Load**: ``cx.load`` reads and validates the folder. When that fails (a whole-file problem,
   e.g. a required column missing), the last good snapshot stays on screen and the error is kept
   for the status line, until the files change again.
3. **Precompute**: the pieces of a view (``content.PIECES``) for every scope, language and
   variant the users can ask for, computed once per load by the seam (``content.compute``; the
   team rows of one vectorised call serve every team) and rendered (``render.render``). Pieces
   that open sessions show go first, tiles before the rest, so new figures appear a piece at a
   time; a session shows the previous load's piece, marked "updating", until the new one is ready.

Sessions only look results up (``lookup``) and register what they show (``want``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import cxlib as cx
from cxlib import plots
from cxlib.dashboard import content
from cxlib.dashboard.access import COMPANY, Scope, tree
from cxlib.dashboard.render import render
from cxlib.paths import TIMEZONE

__all__ = ["Key", "Snapshot", "Store"]

log = logging.getLogger("cxlib.dashboard")

PRIORITY = ("tiles", "actions", "feedback", "signals", "trends")
"""Order in which a view's pieces are computed after a load: the figures first, then the cheap pieces."""


@dataclass(frozen=True)
class Key:
    """One rendered piece: what, for which scope and period, in which language, totals only or not."""

    piece: str
    scope: str
    period: str
    lang: str
    totals_only: bool = False


@dataclass
class Snapshot:
    """One successful load: the data, what every view needs from it, and the pieces computed so far."""

    data: object
    version: int
    loaded_at: pd.Timestamp
    signature: tuple
    period: str | None
    periods: list[str]
    items: pd.DataFrame
    teams: pd.DataFrame
    batches: dict = field(default_factory=dict)
    pieces: dict = field(default_factory=dict)


class Store:
    """Loads ``folder`` in a background thread and keeps the last good snapshot and its pieces."""

    def __init__(
        self,
        folder,
        *,
        langs=("nl",),
        poll: float = 0.5,
        confidence: float = 0.95,
        min_n: int | None = None,
        scopes_for_warmup=None,
        warm_plan=None,
    ):
        self.folder = Path(folder)
        self.langs = tuple(dict.fromkeys(langs))
        self.poll = poll
        self.confidence = confidence
        self.min_n = min_n
        self.current: Snapshot | None = None
        self.previous: Snapshot | None = None
        self.error: tuple[pd.Timestamp, str] | None = None
        self.warm = False
        """True once every piece of the current snapshot is computed."""
        self._scopes_for_warmup = scopes_for_warmup
        self._warm_plan = warm_plan
        """teams → [(lang, scopes)]: what to precompute per load (default: every scope in every language)."""
        self._wanted: OrderedDict[str, list[Key]] = OrderedDict()
        """Session id → the pieces it shows (the most recent session last)."""
        self._cond = threading.Condition()
        self._stop = False
        self._now = False
        self._threads: list[threading.Thread] = []
        self._failed_signature = None
        self._loading = False

    # ---- watching -------------------------------------------------------------------------
    def signature(self) -> tuple:
        """(name, size, mtime_ns) of each file in the folder (not hidden files, not sub-folders)."""
        entries = []
        with os.scandir(self.folder) as it:
            for entry in it:
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                st = entry.stat()
                entries.append((entry.name, st.st_size, st.st_mtime_ns))
        return tuple(sorted(entries))

    def start(self) -> Store:
        """Start the worker thread (loads the folder first)."""
        plots.set_theme(context="paper")  # the workbench theme, at the dashboard's smaller size
        self._threads = [
            threading.Thread(target=self._watch, name="cx-dashboard-watch", daemon=True),
            threading.Thread(target=self._work, name="cx-dashboard-work", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=30)

    def refresh(self) -> None:
        """Load now (after the dashboard wrote a file: no need to wait for it to hold still)."""
        with self._cond:
            self._now = True
            self._cond.notify_all()

    def wait_ready(self, timeout: float = 120.0, warm: bool = False) -> bool:
        """Block until a snapshot is loaded (``warm``: and every piece computed); False on timeout."""
        end = time.monotonic() + timeout
        with self._cond:
            while (self.current is None and self.error is None) or (warm and not self.warm):
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return self.current is not None

    # ---- sessions -------------------------------------------------------------------------
    def want(self, session: str, keys) -> None:
        """The pieces ``session`` shows: they are computed before any others (the latest session first)."""
        with self._cond:
            self._wanted[session] = list(keys)
            self._wanted.move_to_end(session)
            self._cond.notify_all()

    def forget(self, session: str) -> None:
        """A session closed: its pieces lose their priority."""
        with self._cond:
            self._wanted.pop(session, None)

    def lookup(self, key: Key):
        """(result, fresh): the newest rendered piece and whether it is from the current load.

        Falls back to the previous load's piece while the new one is computed; (None, False)
        when neither has it.
        """
        current, previous = self.current, self.previous
        if current is not None and key in current.pieces:
            return current.pieces[key], True
        if previous is not None and key in previous.pieces:
            return previous.pieces[key], False
        return None, False

    @property
    def version(self) -> int:
        return 0 if self.current is None else self.current.version

    # ---- the worker -----------------------------------------------------------------------
    def _watch(self) -> None:
        """The watcher: notice changed files, wait until they hold still, load and publish."""
        seen = None
        while True:
            with self._cond:
                if self._stop:
                    return
                now, self._now = self._now, False
            try:
                sig = self.signature()
            except OSError as exc:
                self._fail(f"{self.folder}: {exc}")
                sig = None
            loaded = self.current.signature if self.current is not None else None
            changed = sig is not None and sig != loaded and sig != self._failed_signature
            if changed and (now or sig == seen):
                self._load(sig)
                continue
            with self._cond:
                self._loading = changed  # the worker pauses: the load gets the interpreter to itself
                seen = sig
                if not self._stop and not self._now:
                    self._cond.wait(self.poll)

    def _work(self) -> None:
        """The worker: compute the pieces sessions want, then every other piece of the current load."""
        while True:
            with self._cond:
                if self._stop:
                    return
            key = self._next()
            if key is not None:
                self._compute(self.current, key)
                continue
            with self._cond:
                if not self._stop and self._next_ready() is None:
                    self._cond.wait(self.poll)

    def _next_ready(self):
        """Whether there is work (called under the lock; the worker then loops)."""
        snapshot = self.current
        if snapshot is None or self._loading:
            return None
        if any(k not in snapshot.pieces for keys in self._wanted.values() for k in keys):
            return True
        return None if self.warm else True

    def _fail(self, message: str) -> None:
        with self._cond:
            self.error = (pd.Timestamp.now(tz=TIMEZONE), message)
            self._cond.notify_all()
        log.error("cx dashboard: %s", message)

    def _load(self, sig: tuple) -> None:
        started = time.perf_counter()
        with self._cond:
            self._loading = True
        try:
            data = cx.load(self.folder)
        except Exception as exc:  # noqa: BLE001 - any failed load keeps the last good data on screen
            self._failed_signature = sig
            self._fail(str(exc))
            with self._cond:
                self._loading = False
            return
        snapshot = Snapshot(
            data=data,
            version=self.version + 1,
            loaded_at=pd.Timestamp.now(tz=TIMEZONE),
            signature=sig,
            period=content.default_period(data),
            periods=content.periods(data),
            items=content.checklist_items(data),
            teams=data.teams[["team", "region"]].astype("string").reset_index(drop=True),
        )
        with self._cond:
            self.previous, self.current = self.current, snapshot
            self.error, self._failed_signature, self.warm, self._loading = None, None, False, False
            self._cond.notify_all()
        log.info(
            "cx dashboard: loaded %s (version %d) in %.1f s",
            self.folder,
            snapshot.version,
            time.perf_counter() - started,
        )

    def _all_keys(self, snapshot: Snapshot) -> list[Key]:
        """Every piece of the default period that a user can open, in warm-up order."""
        if snapshot.period is None:
            return []
        if self._warm_plan is not None:
            plan = self._warm_plan(snapshot.teams)
        else:
            scopes = tree(snapshot.teams) if self._scopes_for_warmup is None else self._scopes_for_warmup
            plan = [(lang, scopes) for lang in self.langs]
        keys = []
        for lang, scopes in plan:  # every scope's tiles first, then every scope's actions, …
            for piece in PRIORITY:
                keys += [Key(piece, scope.key, snapshot.period, lang) for scope in scopes]
                keys.append(Key(piece, COMPANY.key, snapshot.period, lang, True))
        return keys

    def _next(self) -> Key | None:
        snapshot = self.current
        if snapshot is None or self._loading:
            return None
        with self._cond:
            wanted = [k for keys in reversed(self._wanted.values()) for k in keys if k not in snapshot.pieces]
        if wanted:  # what sessions show, tiles first, the latest session first
            return min(wanted, key=lambda k: PRIORITY.index(k.piece))
        if not self.warm:
            rest = (k for k in self._all_keys(snapshot) if k not in snapshot.pieces)
            key = next(rest, None)
            if key is None:
                with self._cond:
                    self.warm = True
                    self._cond.notify_all()
                log.info("cx dashboard: every view of version %d computed", snapshot.version)
            return key
        return None

    def _compute(self, snapshot: Snapshot, key: Key) -> None:
        started = time.perf_counter()
        scope = Scope.parse(key.scope)
        try:
            batch_key = (key.piece, content.batch(key.piece, scope), key.period, key.lang)
            frame = snapshot.batches.get(batch_key)
            if frame is None:
                frame = content.compute(
                    key.piece,
                    snapshot.data,
                    batch_key[1],
                    key.period,
                    key.lang,
                    confidence=self.confidence,
                    min_n=self.min_n,
                )
                snapshot.batches[batch_key] = frame
            rows = content.select(key.piece, frame, scope, snapshot.teams, totals_only=key.totals_only)
            result = render(key.piece, rows, key.lang, confidence=self.confidence)
        except Exception as exc:  # one piece that cannot be computed must not stop the others
            log.exception("cx dashboard: %s failed", key)
            result = exc
        with self._cond:
            snapshot.pieces[key] = result
            self._cond.notify_all()
        log.debug(
            "cx dashboard: version %d: %s %s %s %s in %.2f s",
            snapshot.version,
            key.piece,
            key.scope,
            key.lang,
            "totals" if key.totals_only else "",
            time.perf_counter() - started,
        )
