"""Local worker processes, each with one warm kernel, fed from one queue of units.

Each worker is a fresh Python process (``spawn``) that dies with the batch process
(:func:`cxlib.report.guard.die_with_parent`), ignores SIGINT (the batch process decides) and
writes its own and its kernel's stderr to the batch log. It starts its kernel once, then takes
the next unit from the queue whenever it is free, so slow units do not hold up the others. A
worker that dies mid-unit (killed, out of memory) fails that unit and is replaced.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from cxlib.report.render import UnitJob, UnitResult

__all__ = ["LocalPool", "WorkerSetup"]


@dataclass(frozen=True)
class WorkerSetup:
    """What every worker needs: the notebook (as JSON-able dict), its kernel and where things are."""

    notebook: dict
    kernel: str
    cwd: str
    runtime_dir: str
    log: str
    snapshot: str = ""
    fresh: bool = False
    timeout: float | None = None
    input_name: str = "quarterly_review.ipynb"


def _sigterm(signum, frame):
    raise SystemExit(128 + signum)


def _worker_main(setup: WorkerSetup, worker: int, tasks, results, parent: int) -> None:
    """A worker's life: die with the parent, log to the batch log, one kernel, units until None."""
    from cxlib.report.guard import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _sigterm)
    die_with_parent(parent)
    handle = os.open(setup.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(handle, 1)
    os.dup2(handle, 2)
    os.close(handle)
    from cxlib.report.kernel import WarmKernel, load_template
    from cxlib.report.render import render_unit

    template = load_template(setup.notebook)
    kernel = WarmKernel(setup.kernel, cwd=setup.cwd, runtime_dir=setup.runtime_dir, timeout=setup.timeout)
    try:
        began = time.perf_counter()
        try:
            kernel.start()
        except Exception as exc:  # noqa: BLE001 - reported per unit below
            print(f"worker {worker}: kernel did not start: {exc}", file=sys.stderr)
        _warm_exporter()
        results.put(("ready", worker, time.perf_counter() - began))
        while True:
            item = tasks.get()
            if item is None:
                break
            index, job = item
            results.put(("start", worker, index))
            result = render_unit(kernel, template, job, snapshot=setup.snapshot, fresh=setup.fresh)
            results.put(("done", worker, index, result))
    finally:
        kernel.shutdown()


def _warm_exporter() -> None:
    """Load nbconvert's templates once, before the first unit (they take about a second)."""
    import nbformat

    from cxlib.report.export import to_html

    try:
        to_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")]), title="warm-up")
    except Exception as exc:  # noqa: BLE001 - the first unit will report a real problem
        print(f"exporter warm-up failed: {exc}", file=sys.stderr)


class LocalPool:
    """``workers`` processes with warm kernels: :meth:`start`, then :meth:`run` the jobs, then :meth:`close`."""

    def __init__(self, setup: WorkerSetup, workers: int):
        self.setup = setup
        self.workers = max(1, int(workers))
        self._ctx = multiprocessing.get_context("spawn")
        self._tasks = self._ctx.Queue()
        self._results = self._ctx.Queue()
        self._procs: dict[int, multiprocessing.process.BaseProcess] = {}
        self._next = 0
        self.kernel_start: list[float] = []

    def _spawn(self) -> None:
        worker = self._next
        self._next += 1
        proc = self._ctx.Process(
            target=_worker_main,
            name=f"cx-report-worker-{worker}",
            args=(self.setup, worker, self._tasks, self._results, os.getpid()),
        )
        proc.start()
        self._procs[worker] = proc

    def start(self) -> LocalPool:
        """Start the workers (they start their kernels while the batch prepares the data)."""
        for _ in range(self.workers):
            self._spawn()
        return self

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._procs.values() if p.pid is not None]

    def run(
        self,
        jobs: list[UnitJob],
        on_result: Callable[[int, UnitResult], None] | None = None,
        replacements: int | None = None,
    ) -> list[UnitResult]:
        """Render ``jobs``; call ``on_result(index, result)`` as each finishes; results in job order."""
        for index, job in enumerate(jobs):
            self._tasks.put((index, job))
        for _ in range(len(self._procs)):
            self._tasks.put(None)
        replacements = self.workers if replacements is None else replacements
        results: dict[int, UnitResult] = {}
        running: dict[int, int] = {}  # worker → job index

        def finish(index: int, result: UnitResult) -> None:
            results[index] = result
            if on_result is not None:
                on_result(index, result)

        while len(results) < len(jobs):
            try:
                message = self._results.get(timeout=0.5)
            except queue.Empty:
                message = None
            if message is None:
                for worker, proc in list(self._procs.items()):
                    if proc.is_alive() or proc.exitcode is None:
                        continue
                    del self._procs[worker]
                    if proc.exitcode == 0:  # took its end marker and stopped
                        continue
                    index = running.pop(worker, None)
                    if index is not None and index not in results:
                        job = jobs[index]
                        finish(
                            index,
                            UnitResult(
                                job.unit,
                                _html(job),
                                False,
                                f"worker stopped (exit {proc.exitcode})",
                                name=job.name,
                                title=job.title,
                            ),
                        )
                    if len(results) < len(jobs) and replacements > 0:
                        replacements -= 1
                        self._spawn()  # takes the end marker the dead worker left in the queue
                if not self._procs:  # nobody left to do the rest
                    for index, job in enumerate(jobs):
                        if index not in results:
                            finish(
                                index,
                                UnitResult(
                                    job.unit, _html(job), False, "no worker left", name=job.name, title=job.title
                                ),
                            )
                continue
            kind, worker = message[0], message[1]
            if kind == "ready":
                self.kernel_start.append(message[2])
            elif kind == "start":
                running[worker] = message[2]
            elif kind == "done":
                running.pop(worker, None)
                finish(message[2], message[3])
        return [results[i] for i in range(len(jobs))]

    def close(self, timeout: float = 10.0) -> None:
        """Stop the workers: end markers, then SIGTERM, then SIGKILL for any that linger."""
        for _ in self._procs:
            with contextlib.suppress(Exception):
                self._tasks.put(None)
        deadline = time.monotonic() + timeout
        for proc in self._procs.values():
            proc.join(max(0.0, deadline - time.monotonic()))
        self.terminate()

    def terminate(self, grace: float = 5.0) -> None:
        """SIGTERM every worker still running (each stops its kernel), SIGKILL after ``grace`` seconds."""
        alive = [p for p in self._procs.values() if p.is_alive()]
        for proc in alive:
            with contextlib.suppress(OSError):
                proc.terminate()
        deadline = time.monotonic() + grace
        for proc in alive:
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)
        for q in (self._tasks, self._results):
            q.cancel_join_thread()
            q.close()
        self._procs.clear()


def _html(job: UnitJob):
    from pathlib import Path

    return Path(job.name + ".html")
