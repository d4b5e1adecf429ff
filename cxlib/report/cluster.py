"""Render the units on a Dask distributed cluster (``cx report --cluster tcp://HOST:8786``).

The batch process stays the client: it loads and validates the data, writes the index and the
pages, and shows progress, exactly as for a local run. The cluster only renders:

- the snapshot (with its goals.yaml and the precomputed sections) travels once per worker: ``client.scatter(...,
  broadcast=True)``; each worker writes it into its own private 0700 folder the first time a
  unit needs it;
- a :class:`ReportWorker` plugin, registered for this batch only, keeps one warm kernel per
  worker thread; unregistering it at the end (or on interruption) stops the kernels and
  removes the folder; kernels idle for ``idle`` seconds (a client that was killed) are stopped
  and the data removed as well;
- every unit is one task returning the unit's page (:func:`cxlib.report.render.render_unit`,
  the same function local workers run), so the page is the same however the batch runs.

Workers need cxlib and the report kernel (``python -m ipykernel install --name cxlib``) in
their environment; docs/reports.md shows dask-jobqueue (HPC) and dask-kubernetes setups.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from cxlib.report.pool import WorkerSetup
from cxlib.report.render import UnitJob, UnitResult, describe_error

__all__ = ["ClusterPool", "ReportWorker"]

MISSING_EXTRA = "--cluster needs dask.distributed: pip install 'cxlib[cluster]'"


def _plugin_base():
    try:
        from distributed import WorkerPlugin
    except ImportError:  # pragma: no cover - the extra is installed in CI
        return object
    return WorkerPlugin


class ReportWorker(_plugin_base()):
    """Worker plugin: a private folder, the snapshot written once, one warm kernel per thread."""

    def __init__(self, setup: WorkerSetup, name: str, idle: float = 120.0):
        self.setup_ = setup
        self.name = name
        self.idle = idle
        self._state_lock = threading.Lock()
        self._kernels: dict[int, object] = {}
        self._run = None
        self._run_context = None
        self._snapshot = ""
        self._busy = 0
        self._last = time.monotonic()
        self._stop = threading.Event()

    def __getstate__(self):
        return {"setup_": self.setup_, "name": self.name, "idle": self.idle}

    def __setstate__(self, state):
        self.__init__(state["setup_"], state["name"], state["idle"])

    # -- plugin hooks ------------------------------------------------------------------------------
    def setup(self, worker=None) -> None:
        threading.Thread(target=self._reap, name=f"{self.name}-reaper", daemon=True).start()

    def teardown(self, worker=None) -> None:
        self._stop.set()
        self._release(kill=False)

    # -- work ----------------------------------------------------------------------------------------
    def render(self, job: UnitJob, payload: dict) -> UnitResult:
        """Render one unit on this worker (called by :func:`_render_task` in a worker thread)."""
        from cxlib.report.kernel import WarmKernel, load_template
        from cxlib.report.render import render_unit

        with self._state_lock:
            self._busy += 1
            run = self._ensure_run()
            snapshot = self._ensure_snapshot(run, payload)
            thread = threading.get_ident()
            kernel = self._kernels.get(thread)
            if kernel is None:
                cwd = self.setup_.cwd if Path(self.setup_.cwd).is_dir() else str(run)
                kernel = WarmKernel(self.setup_.kernel, cwd=cwd, runtime_dir=run, timeout=self.setup_.timeout)
                kernel.template = load_template(self.setup_.notebook)
                self._kernels[thread] = kernel
        try:
            return render_unit(kernel, kernel.template, job, snapshot=snapshot, fresh=self.setup_.fresh)
        finally:
            with self._state_lock:
                self._busy -= 1
                self._last = time.monotonic()

    def _ensure_run(self) -> Path:
        if self._run is None:
            from cxlib.private_temp import PrivateRunDir

            self._run_context = PrivateRunDir()
            self._run = self._run_context.path
        return self._run

    def _ensure_snapshot(self, run: Path, payload: dict) -> str:
        """Write the snapshot and its companions (goals, extras) into this worker's private folder once."""
        from cxlib.atomic import write_atomic

        if not self._snapshot:
            path = run / "snapshot.pkl"
            for suffix, content in sorted(payload.items(), key=lambda item: item[0] == ""):  # the snapshot last
                os.chmod(write_atomic(path.with_name(path.name + suffix), content), 0o600)
            self._snapshot = str(path)
        return self._snapshot

    def _release(self, kill: bool) -> None:
        """Stop every kernel and remove the private folder (``kill``: from another thread)."""
        with self._state_lock:
            kernels, self._kernels = list(self._kernels.values()), {}
            context, self._run_context, self._run, self._snapshot = self._run_context, None, None, ""
        for kernel in kernels:
            if kill:  # the kernel's own loop lives in another thread: stop the process directly
                pid = kernel.pid
                if pid:
                    with contextlib.suppress(OSError):
                        os.killpg(pid, signal.SIGKILL)
                kernel.km = kernel.kc = None
            else:
                with contextlib.suppress(Exception):
                    kernel.shutdown()
        if context is not None:
            with contextlib.suppress(Exception):
                context.close()

    def _reap(self) -> None:
        while not self._stop.wait(min(5.0, self.idle)):
            with self._state_lock:
                idle = self._busy == 0 and self._run is not None and time.monotonic() - self._last > self.idle
            if idle:
                self._release(kill=True)


def _render_task(job: UnitJob, payload: dict, plugin: str) -> UnitResult:
    from distributed import get_worker

    return get_worker().plugins[plugin].render(job, payload)


class ClusterPool:
    """Units as tasks on a Dask cluster; the same ``run``/``terminate`` interface as the local pool."""

    def __init__(self, address: str, setup: WorkerSetup, idle: float = 120.0, connect_timeout: float = 30.0):
        try:
            import distributed  # noqa: F401
        except ImportError:
            from cxlib.report.batch import UsageError

            raise UsageError(MISSING_EXTRA) from None
        self.address = address
        self.setup = setup
        self.idle = idle
        self.connect_timeout = connect_timeout
        self.client = None
        self.plugin = f"cx-report-{uuid.uuid4().hex[:12]}"
        self.kernel_start: list[float] = []
        self._futures = []

    def run(self, jobs: list[UnitJob], on_result: Callable[[int, UnitResult], None] | None = None) -> list[UnitResult]:
        """Scatter the snapshot, register the plugin, run one task per unit; results in job order."""
        from distributed import Client, as_completed

        from cxlib.io.snapshot import snapshot_files

        self.client = Client(self.address, timeout=f"{self.connect_timeout}s", set_as_default=False)
        self.client.register_plugin(ReportWorker(self.setup, self.plugin, self.idle), name=self.plugin)
        files = snapshot_files(self.setup.snapshot)
        data = self.client.scatter([files], broadcast=True, hash=False)[0]  # one object, on every worker
        index_of = {}
        for index, job in enumerate(jobs):
            future = self.client.submit(
                _render_task, job, data, self.plugin, pure=False, key=f"cx-unit-{index}-{self.plugin}"
            )
            index_of[future.key] = index
            self._futures.append(future)
        results: dict[int, UnitResult] = {}
        for future in as_completed(self._futures, loop=self.client.loop):
            index = index_of[future.key]
            job = jobs[index]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost task (KilledWorker, …) fails its unit only
                result = UnitResult(
                    job.unit, Path(job.name + ".html"), False, describe_error(exc), name=job.name, title=job.title
                )
            results[index] = result
            if on_result is not None:
                on_result(index, result)
        return [results[i] for i in range(len(jobs))]

    def terminate(self) -> None:
        """Cancel what is left, stop the kernels on every worker, disconnect (idempotent)."""
        client, self.client = self.client, None
        if client is None:
            return
        with contextlib.suppress(Exception):
            client.cancel(self._futures, force=True)
        with contextlib.suppress(Exception):
            client.unregister_worker_plugin(self.plugin)
        with contextlib.suppress(Exception):
            client.close(timeout=10)
        self._futures = []
