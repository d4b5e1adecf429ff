"""One unit, rendered by a worker: execute the notebook on a warm kernel, export the HTML.

The same function runs in a local worker process and on a Dask worker, so a unit's page is the
same however the batch runs. Nothing here writes into the output folder: the worker returns the
page (and, for a failed unit, the executed notebook) and the batch process writes them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from cxlib.report.inkernel import scrub_paths

__all__ = ["UnitJob", "UnitResult", "describe_error", "render_unit", "result_json"]


@dataclass(frozen=True)
class UnitJob:
    """One report to render: the unit value, its file stem, its title and the notebook parameters."""

    unit: str
    name: str
    title: str
    parameters: dict


@dataclass
class UnitResult:
    """The outcome of one unit.

    ``html``: the page's path once the batch wrote it (the text travels in ``page`` until then);
    ``error``: one line for the index and the terminal (no paths, no traceback, redacted);
    ``notebook``: the executed notebook (JSON text) of a failed unit, kept out of the report folder;
    ``timings``: seconds spent on reset, cells and export, and per cell.
    """

    unit: str
    html: Path
    ok: bool
    error: str = ""
    records: dict = field(default_factory=dict)
    seconds: float = 0.0
    page: str | None = None
    notebook: str | None = None
    log: str = ""
    timings: dict = field(default_factory=dict)
    name: str = ""
    title: str = ""


def describe_error(exc: BaseException) -> str:
    """One safe line naming an error: papermill's ename/evalue where present, no paths, redacted."""
    from cxlib.report.naming import display_label

    ename = getattr(exc, "ename", None) or type(exc).__name__
    evalue = getattr(exc, "evalue", None)
    evalue = str(exc) if evalue is None else str(evalue)
    evalue = _ANSI.sub("", evalue).strip().splitlines()[0] if evalue.strip() else ""
    text = f"{ename}: {scrub_paths(evalue)}" if evalue else str(ename)
    return display_label(text)[:200]


_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def render_unit(
    kernel, template: nbformat.NotebookNode, job: UnitJob, snapshot: str = "", fresh: bool = False
) -> UnitResult:
    """Execute ``job`` on ``kernel`` (a :class:`~cxlib.report.kernel.WarmKernel`) and export its page.

    ``snapshot``: the path of the batch snapshot as this worker sees it (overrides the job's).
    ``fresh``: restart the kernel first (a cold kernel per unit, as a plain papermill run).
    Every exception is the unit's failure, never the batch's.
    """
    from cxlib.report.export import stderr_text, to_html
    from cxlib.report.record import read_records

    start = time.perf_counter()
    parameters = dict(job.parameters)
    if snapshot:
        parameters["snapshot"] = snapshot
    result = UnitResult(job.unit, Path(job.name + ".html"), False, name=job.name, title=job.title)
    notebook = None
    try:
        if fresh and kernel.km is not None:
            kernel.restart()
        notebook = kernel.execute(template, parameters)
    except Exception as exc:  # noqa: BLE001 - one unit's failure is reported, not raised
        notebook = getattr(exc, "notebook", None)
        result.error = describe_error(exc)
    executed = time.perf_counter()
    result.log = kernel.take_log() if hasattr(kernel, "take_log") else ""
    if notebook is not None:
        result.log += stderr_text(notebook)
        result.records = read_records(notebook)
        result.timings["cells"] = [
            round(float(c.metadata.get("papermill", {}).get("duration") or 0.0), 4) for c in notebook.cells
        ]
    if not result.error:
        try:
            result.page = to_html(notebook, title=job.title)
            result.ok = True
        except Exception as exc:  # noqa: BLE001 - an export failure is this unit's failure
            result.error = describe_error(exc)
    if not result.ok and notebook is not None:
        result.notebook = nbformat.writes(notebook)
    result.timings.update(execute=round(executed - start, 4), export=round(time.perf_counter() - executed, 4))
    result.seconds = time.perf_counter() - start
    return result


def result_json(result: UnitResult) -> dict:
    """The parts of a result worth keeping in the batch's profile: timings and the recorded values."""
    return {
        "unit": result.name,
        "ok": result.ok,
        "seconds": round(result.seconds, 4),
        **result.timings,
        "records": result.records,
    }
