"""`cx report`: the quarterly review notebook for every unit, on warm kernels, locally or on a cluster.

Per batch, once:

1. Check every argument before anything is created (exit 2 and one line when one is wrong):
   the period label, the language, the data folder, the output folder, the unit dimension.
   Paths are resolved here, so a relative ``--data`` works from any working directory.
2. Start the workers (each starts one kernel and imports cxlib once) while the batch loads and
   validates the data, computes what every unit needs in one pass (:mod:`cxlib.report.precompute`)
   and writes the snapshot every unit reads, in a private 0700 temp folder.
3. Lock ``<out>/.cx-batch/<period>/`` so that no second run writes into the same folder.
4. Render the units: on local worker processes (:mod:`cxlib.report.pool`) or on a Dask cluster
   (:mod:`cxlib.report.cluster`). A worker returns each page; this process writes it atomically
   under a unique, safe file name (:mod:`cxlib.report.naming`).
5. Always write the index; remove pages of units that no longer render; keep failed notebooks,
   the batch log and a timing profile in ``<out>/.cx-batch/<period>/``, outside the folder that
   readers receive.

A failing unit never stops the others. Exit status: 0 every unit rendered, 1 some failed,
2 an argument or the data is wrong (or another batch holds the folder), 128 + signal number when
interrupted (the index then marks the units not rendered).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from cxlib import paths
from cxlib.atomic import write_atomic
from cxlib.report.naming import WHOLE_COMPANY, display_label, file_names
from cxlib.report.render import UnitJob, UnitResult, describe_error, result_json

__all__ = [
    "REPORT_NOTEBOOK",
    "STATE_DIR",
    "BatchArguments",
    "UsageError",
    "check_arguments",
    "run_batch",
    "unit_values",
]

REPORT_NOTEBOOK = paths.NOTEBOOKS / "quarterly_review.ipynb"
STATE_DIR = ".cx-batch"  # <out>/.cx-batch/<period>/: lock, batch.log, failed/, manifest, profile
_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_CLUSTER = re.compile(r"(tcp|tls|inproc|ucx|ws|wss)://\S+")


class UsageError(ValueError):
    """An argument of the batch is wrong; the message is one line for the terminal."""


@dataclass(frozen=True)
class BatchArguments:
    """The checked, resolved arguments of one batch."""

    period: str | None
    by: str | None
    lang: str
    data: Path
    out: Path
    notebook: Path
    workers: int
    min_n: int | None
    confidence: float
    kernel: str
    cluster: str | None

    @property
    def folder(self) -> Path:
        """``<out>/<period>``: what readers receive."""
        return self.out / self.period

    @property
    def state(self) -> Path:
        """``<out>/.cx-batch/<period>``: the lock, log, failed notebooks, manifest and profile."""
        return self.out / STATE_DIR / self.period


def _writable_dir(path: Path, what: str) -> None:
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise UsageError(f"{what} {path}: {probe} is a file, expected a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"{what} {path}: {probe} is not writable")


def check_arguments(
    period: str | None = None,
    by: str | None = None,
    lang: str = "nl",
    data: str | os.PathLike = paths.SAMPLE_DATA,
    out: str | os.PathLike = paths.REPORTS,
    notebook: str | os.PathLike = REPORT_NOTEBOOK,
    workers: int | None = None,
    min_n: int | None = None,
    confidence: float = 0.95,
    kernel: str = "cxlib",
    cluster: str | None = None,
) -> BatchArguments:
    """Check and resolve the batch's arguments without creating anything; UsageError names the problem.

    The checks ``cx report`` runs before it imports anything heavy (period, language, numbers, data
    folder: :func:`cxlib.report.arguments.check_arguments`), then the unit dimension's form, the
    output folder (writable, or creatable), the notebook and the cluster address. Paths are
    resolved against the working directory here, once.
    """
    from cxlib.report.arguments import check_arguments as check_basics

    try:
        check_basics(period, lang, data, workers, min_n, confidence)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if by is not None and (not isinstance(by, str) or not _COLUMN.fullmatch(by)):
        raise UsageError(f"--by {by!r}: expected a column name of customers or teams (letters, digits, _)")
    data_path = Path(data).expanduser()
    data_path = (Path.cwd() / data_path) if not data_path.is_absolute() else data_path
    out_path = Path(out).expanduser()
    out_path = (Path.cwd() / out_path) if not out_path.is_absolute() else out_path
    _writable_dir(out_path / (period or "."), "--out")
    notebook_path = Path(notebook).expanduser().resolve()
    if not notebook_path.is_file():
        raise UsageError(f"--notebook {str(notebook)!r}: no such file")
    if cluster is not None and not _CLUSTER.fullmatch(cluster):
        raise UsageError(f"--cluster {cluster!r}: expected a scheduler address such as tcp://HOST:8786")
    return BatchArguments(
        period=period,
        by=by,
        lang=lang,
        data=data_path.resolve(),
        out=out_path.resolve(),
        notebook=notebook_path,
        workers=int(workers or os.cpu_count() or 1),
        min_n=None if min_n is None else int(min_n),
        confidence=float(confidence),
        kernel=kernel,
        cluster=cluster,
    )


def _say(text: str) -> None:
    print(f"cx report: {text}", file=sys.stderr)


def run_batch(
    period: str | None = None,
    by: str | None = None,
    lang: str = "nl",
    data: str | os.PathLike = paths.SAMPLE_DATA,
    out: str | os.PathLike = paths.REPORTS,
    workers: int | None = None,
    min_n: int | None = None,
    confidence: float = 0.95,
    kernel: str = "cxlib",
    notebook: str | os.PathLike = REPORT_NOTEBOOK,
    cluster: str | None = None,
    wait: float = 0.0,
    fresh_kernels: bool = False,
    timeout: float | None = None,
    progress: bool = True,
) -> int:
    """Render ``<out>/<period>/<unit>.html`` for every value of ``by`` plus the whole company, and the index.

    ``period`` None: the latest complete quarter of the data; ``by`` None: the whole company only
    (else any label column of the data, ``cxlib.scope.unit_columns``; a wrong one is named with the
    usable ones).

    ``workers``: local worker processes (default: the number of CPUs), each with one warm kernel;
    ``cluster``: a Dask scheduler address (``tcp://HOST:8786``) to render on instead;
    ``wait``: seconds to wait for another batch writing the same folder;
    ``fresh_kernels``: a new kernel for every unit (slower; the page is the same);
    ``timeout``: seconds per notebook cell (None: no limit); ``min_n`` None: each KPI's minimum
    from the catalogue.
    Returns the exit status (module docstring).

    Examples
    --------
    >>> from cxlib.report import run_batch
    >>> run_batch(period="2026-Q5", out="/tmp/cx-never-written")  # not a label: nothing is created
    2
    >>> import os; os.path.exists("/tmp/cx-never-written")
    False
    """
    from cxlib.private_temp import PrivateRunDir
    from cxlib.report.guard import (
        Interrupted,
        LockBusy,
        OutputLock,
        terminating_signals,
    )

    try:
        args = check_arguments(period, by, lang, data, out, notebook, workers, min_n, confidence, kernel, cluster)
    except UsageError as exc:
        _say(str(exc))
        return 2
    lock = OutputLock(args.state, args.folder, wait=wait) if args.period else None  # else once the data says
    try:
        with terminating_signals(), contextlib.ExitStack() as stack:
            if lock is not None and lock.path.exists():  # rendered before: take its lock before starting anything
                stack.enter_context(lock)
            run = stack.enter_context(PrivateRunDir())
            pool = _pool(args, run, fresh_kernels, timeout)
            stack.callback(pool.terminate)
            return _batch(args, run, pool, lock, progress, wait)
    except LockBusy as exc:
        _say(str(exc))
        return 2
    except Interrupted as exc:
        _say(f"interrupted ({exc}); workers stopped, temporary data removed")
        return exc.code


def _pool(args: BatchArguments, run: Path, fresh: bool, timeout: float | None):
    """Start the workers now, so that their kernels warm up while the data loads."""
    from cxlib.report.kernel import load_template
    from cxlib.report.pool import LocalPool, WorkerSetup

    template = dict(load_template(args.notebook))
    setup = WorkerSetup(
        notebook=template,
        kernel=args.kernel,
        cwd=str(args.notebook.parent),
        runtime_dir=str(run),
        log=str(run / "batch.log"),
        snapshot=str(run / "snapshot.pkl"),
        fresh=fresh,
        timeout=timeout,
        input_name=args.notebook.name,
    )
    if args.cluster:
        from cxlib.report.cluster import ClusterPool

        return ClusterPool(args.cluster, setup)
    return LocalPool(setup, args.workers).start()


def _batch(args: BatchArguments, run: Path, pool, lock, progress: bool, wait: float = 0.0) -> int:
    from cxlib.i18n import label
    from cxlib.io import SourceError, load, save_snapshot
    from cxlib.report.guard import Interrupted, OutputLock
    from cxlib.report.index import write_index
    from cxlib.report.precompute import PageKey, precompute

    began = time.perf_counter()
    try:
        bundle = load(args.data)
        if args.period is None:
            args = dataclasses.replace(args, period=_latest_quarter(bundle))
        units = [WHOLE_COMPANY, *(unit_values(bundle, args.by) if args.by else [])]
    except (SourceError, UsageError) as exc:
        _say(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return 2
    phases, last = {}, [began]  # seconds per phase, for the profile

    def lap(phase: str) -> None:
        now = time.perf_counter()
        phases[phase], last[0] = now - last[0], now

    lap("load")
    args.state.mkdir(parents=True, exist_ok=True, mode=0o700)
    if lock is None:
        lock = OutputLock(args.state, args.folder, wait=wait)
    if not lock.held:
        lock.__enter__()
    names = file_names(units)
    titles = {u: display_label(u) or label("whole_company", args.lang) for u in units}
    results: list[UnitResult | None] = [None] * len(units)
    failed_dir = args.state / "failed"
    pages = interrupted = None
    try:
        try:  # from here on the index is written, also when a signal stops the batch
            args.folder.mkdir(parents=True, exist_ok=True)
            pages = (
                precompute(bundle, PageKey(args.period, args.by, args.lang, args.confidence, args.min_n))
                if args.by
                else None
            )  # the whole company alone: nothing shared between units
            lap("precompute")
            os.chmod(save_snapshot(bundle, run / "snapshot.pkl", extras={"pages": pages} if pages else None), 0o600)
            lap("snapshot")
            parameters = {
                "period": args.period,
                "unit_by": args.by,
                "data": str(args.data),
                "snapshot": str(run / "snapshot.pkl"),
                "lang": args.lang,
                "min_n": args.min_n,
                "confidence": args.confidence,
            }
            jobs = [
                UnitJob(unit=u, name=names[u], title=titles[u], parameters={**parameters, "unit": u}) for u in units
            ]
            shutil.rmtree(failed_dir, ignore_errors=True)
            bar = _progress(len(jobs), progress)

            def keep(index: int, result: UnitResult) -> None:
                _write_unit(result, args.folder, failed_dir, run / "batch.log")
                results[index] = result
                bar.update(1)

            try:
                pool.run(jobs, on_result=keep)
            finally:
                bar.close()
        except Interrupted as exc:
            interrupted = exc
        for index, unit in enumerate(units):
            if results[index] is None:
                results[index] = UnitResult(
                    unit,
                    args.folder / f"{names[unit]}.html",
                    False,
                    label("interrupted", args.lang),
                    name=names[unit],
                    title=titles[unit],
                )
        args.folder.mkdir(parents=True, exist_ok=True)
        write_index(args.folder / "index.html", results, titles, period=args.period, by=args.by, lang=args.lang)
        _remove_stale(args, results)
        _keep_log(run / "batch.log", args.state / "batch.log")
        phases["total"] = time.perf_counter() - began
        _write_profile(
            args.state / "profile.json",
            pool,
            results,
            {**phases, **{f"precompute.{k}": v for k, v in (pages.seconds if pages else {}).items()}},
        )
        if interrupted is not None:
            raise interrupted
    finally:
        lock.__exit__(None, None, None)
    failed = [r for r in results if not r.ok]
    for r in failed:
        _say(f"unit {r.title!r} failed: {r.error}")
    if failed and failed_dir.is_dir():
        _say(f"failed notebooks kept in {failed_dir}")
    print(
        f"{len(results) - len(failed)} of {len(results)} reports written to {args.folder} "
        f"(log: {args.state / 'batch.log'})"
    )
    return 1 if failed else 0


def _progress(total: int, enabled: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="reports", unit="report", disable=not enabled, file=sys.stderr)


def _write_unit(result: UnitResult, folder: Path, failed_dir: Path, log: Path) -> None:
    """Write a unit's page (or its failed notebook) and its stderr lines to the batch log.

    A write error is that unit's failure.
    """
    headline = result.records.get("headline")
    if isinstance(headline, str) and result.unit and result.unit != result.title:
        result.records["headline"] = headline.replace(result.unit, result.title)  # the label as readers see it
    if result.log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.writelines(f"[{result.name}] {line}\n" for line in result.log.splitlines())
        result.log = ""
    result.html = folder / f"{result.name}.html"
    if result.ok:
        try:
            write_atomic(result.html, result.page)
        except OSError as exc:
            result.ok, result.error = False, describe_error(exc)
    result.page = None
    if not result.ok and result.notebook:
        failed_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.chmod(write_atomic(failed_dir / f"{result.name}.ipynb", result.notebook), 0o600)
        except OSError:
            pass
    result.notebook = None


def _remove_stale(args: BatchArguments, results: list[UnitResult]) -> None:
    """Remove pages the previous batch wrote that this one did not (units gone or now failing)."""
    manifest = args.state / "manifest.json"
    written = sorted({"index.html", *(Path(r.html).name for r in results if r.ok)})
    try:
        before = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        before = []
    for name in set(before) - set(written):
        target = args.folder / Path(str(name)).name  # names only: never outside the folder
        if target.suffix == ".html" and target.is_file() and not target.is_symlink():
            target.unlink()
    write_atomic(manifest, json.dumps({"period": args.period, "by": args.by, "files": written}, indent=1))


def _keep_log(source: Path, target: Path) -> None:
    """The workers' log, with installation paths reduced to file names, kept beside the lock."""
    from cxlib.report.inkernel import scrub_paths

    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    write_atomic(target, "".join(scrub_paths(line) + "\n" for line in text.splitlines()))
    os.chmod(target, 0o600)


def _write_profile(path: Path, pool, results: list[UnitResult], batch: dict) -> None:
    """Where the time went: batch phases, kernel starts, and per unit reset/cells/export."""
    profile = {
        "batch": {k: round(v, 3) for k, v in batch.items()},
        "kernel_start": [round(s, 3) for s in getattr(pool, "kernel_start", [])],
        "units": [result_json(r) for r in results],
    }
    write_atomic(path, json.dumps(profile, indent=1))


def unit_values(bundle, by: str) -> list[str]:
    """The distinct values of label column ``by`` over the tables that hold it, sorted.

    A UsageError names the usable columns (``cxlib.scope.unit_columns``) when ``by`` is none.
    """
    from cxlib.scope import unit_columns

    usable = unit_columns(bundle)
    if by not in usable:
        raise UsageError(f"--by {by!r} is not a label column of the data; usable: {', '.join(usable) or 'none'}")
    values = set()
    for table in usable[by]:
        values.update(str(v) for v in getattr(bundle, table)[by].dropna().unique())
    return sorted(values)


def _latest_quarter(bundle) -> str:
    """The latest quarter the data covers to its last day (``cx report`` without ``--period``)."""
    from cxlib.io.cxdata import data_end
    from cxlib.periods import latest_complete

    end = data_end(bundle)
    if end is None:
        raise UsageError("--period: the data holds no dates, so no quarter to review; pass --period")
    return latest_complete(end, "quarter")
