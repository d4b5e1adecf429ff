"""`cx report`: run the quarterly review notebook for every unit with papermill, in parallel.

Per batch, once: load and validate the data, write a snapshot that every unit reads.
Per unit, in a worker process: papermill executes the notebook (explicit kernel), nbconvert
exports HTML without code, written atomically. A failing unit does not stop the others; its
executed notebook is kept under ``failed/``; the index and the exit status name it.
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from tqdm.auto import tqdm

from cxlib import paths
from cxlib.report.arguments import check_arguments
from cxlib.report.export import export_html
from cxlib.report.index import write_index
from cxlib.report.record import read_records

__all__ = ["run_batch", "unit_values", "plan_jobs", "run_jobs", "render_unit", "slug", "UnitJob",
           "UnitResult", "WHOLE_COMPANY", "REPORT_NOTEBOOK"]

REPORT_NOTEBOOK = paths.NOTEBOOKS / "quarterly_review.ipynb"
WHOLE_COMPANY = ""  # the unit value that means "no filter"


@dataclass(frozen=True)
class UnitJob:
    """One report to render: the notebook, its parameters and where its outputs go."""

    notebook: Path
    parameters: dict
    html: Path
    failed_notebook: Path
    kernel: str
    title: str


@dataclass
class UnitResult:
    """The outcome of one unit: ok or the error, the records the notebook made, seconds taken."""

    unit: str
    html: Path
    ok: bool
    error: str = ""
    records: dict = field(default_factory=dict)
    seconds: float = 0.0


def slug(unit: str) -> str:
    """File-name slug for a unit value: 'Noord' → 'noord'; the whole company → 'whole-company'."""
    if unit == WHOLE_COMPANY:
        return "whole-company"
    text = re.sub(r"[^a-z0-9]+", "-", unit.lower()).strip("-")
    return text or "unit"


def render_unit(job: UnitJob) -> UnitResult:
    """Execute one unit's notebook and export its HTML (runs in a worker process)."""
    import papermill as pm

    start = time.perf_counter()
    unit = job.parameters.get("unit", WHOLE_COMPANY)
    with tempfile.TemporaryDirectory(prefix="cx-unit-") as tmp:
        executed = Path(tmp) / "executed.ipynb"
        try:
            pm.execute_notebook(
                str(job.notebook),
                str(executed),
                parameters=job.parameters,
                kernel_name=job.kernel,
                progress_bar=False,
                log_output=False,
                cwd=str(job.notebook.parent),
            )
        except Exception as exc:  # noqa: BLE001 - any failure of one unit is reported, not raised
            job.failed_notebook.parent.mkdir(parents=True, exist_ok=True)
            if executed.exists():
                os.replace(executed, job.failed_notebook)
            return UnitResult(unit, job.html, False, _describe(exc), {}, time.perf_counter() - start)
        notebook = nbformat.read(executed, as_version=4)
    export_html(notebook, job.html, title=job.title)
    job.failed_notebook.unlink(missing_ok=True)  # a re-run that succeeds clears the old failure
    return UnitResult(unit, job.html, True, "", read_records(notebook), time.perf_counter() - start)


def _describe(exc: Exception) -> str:
    """One line naming the error: papermill's ename/evalue where present."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip().splitlines()[0][:300]


def plan_jobs(
    units: list[str],
    parameters: dict,
    out_dir: Path,
    kernel: str,
    notebook: Path = REPORT_NOTEBOOK,
    titles: dict[str, str] | None = None,
) -> list[UnitJob]:
    """One job per unit; the shared parameters plus the unit's own."""
    jobs = []
    for unit in units:
        name = slug(unit)
        jobs.append(
            UnitJob(
                notebook=Path(notebook),
                parameters={**parameters, "unit": unit},
                html=out_dir / f"{name}.html",
                failed_notebook=out_dir / "failed" / f"{name}.ipynb",
                kernel=kernel,
                title=(titles or {}).get(unit, unit or "CX review"),
            )
        )
    return jobs


def _log_to(path: str) -> None:
    """Worker initializer: send this process' stderr (and its kernels') to the batch log."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(handle, 2)
    os.close(handle)


def run_jobs(jobs: list[UnitJob], workers: int | None = None, log: Path | None = None) -> list[UnitResult]:
    """Render the jobs in parallel worker processes, with a progress bar; results in job order.

    Kernel chatter from the workers goes to ``log`` (default: batch.log beside the reports), so
    the terminal shows only the progress bar and the outcome.
    """
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    log = log or jobs[0].html.parent / "batch.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")  # one run, one log: re-running does not grow it
    results: dict[int, UnitResult] = {}
    with ProcessPoolExecutor(max_workers=workers, initializer=_log_to, initargs=(str(log),)) as pool:
        futures = {pool.submit(render_unit, job): i for i, job in enumerate(jobs)}
        for future in tqdm(as_completed(futures), total=len(jobs), desc="reports", unit="report"):
            results[futures[future]] = future.result()
    return [results[i] for i in range(len(jobs))]


def run_batch(
    period: str,
    by: str = "region",
    lang: str = "nl",
    data: str | os.PathLike = paths.SAMPLE_DATA,
    out: str | os.PathLike = paths.REPORTS,
    workers: int | None = None,
    min_n: int | None = None,
    confidence: float = 0.95,
    kernel: str = "cxlib",
    notebook: str | os.PathLike = REPORT_NOTEBOOK,
) -> int:
    """Render reports/<period>/<unit>.html for every value of ``by`` plus the whole company.

    Every argument is checked before anything is created: the period label, the language and
    the numbers first, then the data folder (it must load) and ``by`` (a column of customers or
    teams). ``min_n`` None: each KPI's minimum from the catalogue.

    Returns the exit status: 0 when every unit rendered, 1 when any failed (named on stderr and
    in the index), 2 when an argument is wrong or the data has a whole-file problem (one line
    on stderr; nothing written).

    Examples
    --------
    >>> from cxlib.report import run_batch
    >>> run_batch(period="2026-Q5", out="/tmp/cx-never-written")  # not a label: nothing is created
    2
    >>> import os; os.path.exists("/tmp/cx-never-written")
    False
    """
    from cxlib.i18n import label
    from cxlib.io import SourceError, load, save_snapshot

    try:
        check_arguments(period, lang, data, workers, min_n, confidence)
        bundle = load(data)
        units = [WHOLE_COMPANY, *unit_values(bundle, by)]
    except (ValueError, SourceError) as exc:
        print(f"cx report: {exc}", file=sys.stderr)
        return 2
    out_dir = Path(out) / period
    out_dir.mkdir(parents=True, exist_ok=True)
    titles = {u: (u or label("whole_company", lang)) for u in units}
    with tempfile.TemporaryDirectory(prefix="cx-batch-") as tmp:
        snapshot = save_snapshot(bundle, Path(tmp) / "data.pkl")
        parameters = {
            "period": period,
            "unit_by": by,
            "data": str(Path(data).resolve()),
            "snapshot": str(snapshot),
            "lang": lang,
            "min_n": None if min_n is None else int(min_n),
            "confidence": float(confidence),
        }
        jobs = plan_jobs(units, parameters, out_dir, kernel, Path(notebook), titles)
        results = run_jobs(jobs, workers)
    write_index(out_dir / "index.html", results, titles, period=period, by=by, lang=lang)
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"cx report: unit {titles[r.unit]!r} failed: {r.error} (notebook kept in {out_dir / 'failed'})",
              file=sys.stderr)
    print(f"{len(results) - len(failed)} of {len(results)} reports written to {out_dir}")
    return 1 if failed else 0


def unit_values(bundle, by: str) -> list[str]:
    """The distinct values of ``by`` in the customers (or teams) table, sorted."""
    for table in ("customers", "teams"):
        frame = getattr(bundle, table)
        if by in frame.columns:
            return sorted(str(v) for v in frame[by].dropna().unique())
    raise ValueError(f"unit dimension (--by) {by!r} is not a column of customers or teams")
