"""A warm Jupyter kernel that renders many units: started once, reset between units.

:class:`WarmKernel` keeps one kernel manager and one client for its whole life. Per unit it
injects the parameters exactly as papermill does (``parameterize_notebook``: a cell tagged
``injected-parameters`` after the ``parameters`` cell), executes the cells with papermill's
nbclient (``PapermillNotebookClient``, the same client ``papermill.execute_notebook`` uses, so
errors are marked the same way), and then resets the kernel (:mod:`cxlib.report.inkernel`).
After a failed unit, or when the kernel died, the next unit gets a freshly started kernel.

Kernels talk over IPC sockets in the batch's private folder when one is given (no TCP port,
no unencrypted traffic on the network), and keep their history in memory.
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
import uuid
from pathlib import Path
from typing import Self

import nbformat

__all__ = ["WarmKernel", "load_template"]

_SOCKET_PATH_MAX = 104  # bytes of a Unix socket path (sun_path: 108 on Linux, 104 on macOS, with its NUL)

# history in memory; the process' own stderr (warnings, log records) is not copied into the cells
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.capture_fd_output=False"]
PREPARE = "import cxlib.report.inkernel as _cx_k\n_cx_k.prepare(get_ipython())  # ends with a reset: _cx_k is gone"
RESET = "import cxlib.report.inkernel as _cx_k\n_cx_k.reset(get_ipython())"


def load_template(notebook: str | os.PathLike | dict) -> nbformat.NotebookNode:
    """The report notebook as papermill loads it (every cell has ``metadata.tags``)."""
    from papermill.iorw import load_notebook_node

    if isinstance(notebook, dict):  # as load_notebook_node does for a file
        from papermill import __version__

        node = nbformat.v4.upgrade(nbformat.from_dict(copy.deepcopy(notebook)))
        node.metadata.setdefault(
            "papermill",
            {"default_parameters": {}, "parameters": {}, "environment_variables": {}, "version": __version__},
        )
        for cell in node.cells:
            cell.metadata.setdefault("tags", [])
            cell.metadata.setdefault("papermill", {})
        return node
    return load_notebook_node(str(notebook))


class KernelError(RuntimeError):
    """The kernel could not be started, prepared or reset."""


class WarmKernel:
    """One kernel, reused for unit after unit (``with WarmKernel(...) as k: k.execute(nb, params)``).

    ``runtime_dir``: a private folder for the connection file, the IPC sockets and the kernel's
    own stdout/stderr (warnings, log records), which :meth:`take_log` hands out unit by unit
    (else TCP on loopback, Jupyter's runtime folder, and the worker's stderr).
    ``cwd``: the kernel's working directory. ``timeout``: seconds per cell (None: no limit).
    """

    def __init__(
        self,
        kernel_name: str = "cxlib",
        cwd: str | os.PathLike | None = None,
        runtime_dir: str | os.PathLike | None = None,
        startup_timeout: float = 120,
        timeout: float | None = None,
    ):
        self.kernel_name = kernel_name
        self.cwd = str(cwd) if cwd else None
        self.runtime_dir = Path(runtime_dir) if runtime_dir else None
        self.startup_timeout = startup_timeout
        self.timeout = timeout
        self.km = None
        self.kc = None
        self.starts = 0
        self.units = 0
        self.start_seconds = 0.0
        self._dirty = False
        self._log = None
        self._log_offset = 0

    # -- lifecycle -------------------------------------------------------------------------------
    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def start(self) -> None:
        """Start the kernel and prepare it (warm imports, warnings to the log, state baseline)."""
        from jupyter_client import AsyncKernelManager
        from jupyter_core.utils import run_sync

        began = time.perf_counter()
        streams = {}
        if self.runtime_dir is not None:
            key = uuid.uuid4().hex[:12]
            ipc = str(self.runtime_dir / f"k-{key}")
            if len(os.fsencode(ipc)) + 3 < _SOCKET_PATH_MAX:  # "-N" per channel; else loopback TCP
                km = AsyncKernelManager(
                    kernel_name=self.kernel_name,
                    transport="ipc",
                    connection_file=str(self.runtime_dir / f"kernel-{key}.json"),
                )
                km.ip = ipc
            else:
                km = AsyncKernelManager(
                    kernel_name=self.kernel_name, connection_file=str(self.runtime_dir / f"kernel-{key}.json")
                )
            self._log = self.runtime_dir / f"kernel-{key}.log"
            self._log_offset = 0
            handle = open(self._log, "ab")  # noqa: SIM115 - the kernel process keeps it open
            os.chmod(self._log, 0o600)
            streams = {"stdout": handle, "stderr": handle}
        else:
            km = AsyncKernelManager(kernel_name=self.kernel_name)
        self.km = km  # from here on shutdown() stops the kernel, also when a signal ends the start
        try:
            try:
                run_sync(km.start_kernel)(cwd=self.cwd, extra_arguments=KERNEL_ARGUMENTS, **streams)
            finally:
                for handle in set(streams.values()):
                    handle.close()  # the kernel has its own copy of the descriptor
            self.kc = km.client()
            self.kc.start_channels()
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        except BaseException:  # a failed start, or SIGTERM (SystemExit) while the kernel starts
            self.shutdown()
            raise
        self.starts += 1
        self._run(PREPARE)
        self._dirty = False
        self.start_seconds += time.perf_counter() - began

    def take_log(self) -> str:
        """What the kernel wrote to its own stdout/stderr since the last call (warnings, log records)."""
        if self._log is None or not self._log.exists():
            return ""
        with open(self._log, "rb") as handle:
            handle.seek(self._log_offset)
            data = handle.read()
        self._log_offset += len(data)
        return data.decode("utf-8", "replace")

    def shutdown(self) -> None:
        """Stop the kernel and its channels (idempotent)."""
        from jupyter_core.utils import run_sync

        kc, km, self.kc, self.km = self.kc, self.km, None, None
        if kc is not None:
            kc.stop_channels()
        if km is not None:
            with contextlib.suppress(Exception):  # already gone
                run_sync(km.shutdown_kernel)(now=True)
            with contextlib.suppress(Exception):
                run_sync(km.cleanup_resources)()

    def restart(self) -> None:
        """A fresh kernel (after a failed unit or a dead kernel)."""
        self.shutdown()
        self.start()

    @property
    def pid(self) -> int | None:
        """The kernel's process id (None when not running)."""
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    # -- work ----------------------------------------------------------------------------------
    def _run(self, code: str) -> None:
        """Execute ``code`` silently (no outputs, no history); raise KernelError if it fails."""
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc.execute_interactive)(
            code, silent=True, store_history=False, timeout=self.startup_timeout, allow_stdin=False
        )
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename', 'error')}: {content.get('evalue', '')}")

    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def execute(
        self, template: nbformat.NotebookNode, parameters: dict, input_name: str = "quarterly_review.ipynb"
    ) -> nbformat.NotebookNode:
        """Run one unit: inject ``parameters``, execute every cell, return the executed notebook.

        Raises papermill's ``PapermillExecutionError`` when a cell fails (the returned notebook is
        then attached as ``exc.notebook``), like ``papermill.execute_notebook``.
        """
        from papermill.clientwrap import PapermillNotebookClient
        from papermill.engines import NotebookExecutionManager
        from papermill.execute import (
            prepare_notebook_metadata,
            raise_for_execution_errors,
            remove_error_markers,
        )
        from papermill.log import logger
        from papermill.parameterize import parameterize_notebook

        if self.km is None or self._dirty or not self._alive():
            self.restart() if self.km is not None else self.start()
        else:
            self._run(RESET)
        self._dirty = True  # until this unit succeeds
        nb = parameterize_notebook(copy.deepcopy(template), parameters, kernel_name=self.kernel_name, language="python")
        nb = prepare_notebook_metadata(nb, input_name, "")
        nb = remove_error_markers(nb)
        manager = NotebookExecutionManager(nb, output_path=None, progress_bar=False, log_output=False)
        manager.notebook_start()
        client = PapermillNotebookClient(
            manager,
            km=self.km,
            kernel_name=self.kernel_name,
            timeout=self.timeout,
            startup_timeout=self.startup_timeout,
            log=logger,
            log_output=False,
        )
        client.kc = self.kc
        try:
            client.execute()
        finally:
            manager.cleanup_pbar()
            manager.notebook_complete()
        self.units += 1
        try:
            raise_for_execution_errors(manager.nb, None)
        except Exception as exc:
            exc.notebook = manager.nb
            raise
        self._dirty = False
        return manager.nb
