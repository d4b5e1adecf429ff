"""Report batch vs the naive loop, timed in the same run (issue: quarterly review reports).

Naive: per unit, one after another, `papermill` CLI then `jupyter nbconvert --to html --no-input`.
Batch: `cx report` (data loaded once, parallel workers, in-process export).
Prints seconds per report for both and the speed-up ratio (target ≥ 1.5× on 2 cores).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cxlib
from cxlib import paths
from cxlib.report.batch import REPORT_NOTEBOOK, WHOLE_COMPANY, slug, unit_values

PERIOD, BY, LANG = "2026-Q3", "region", "nl"
BIN = Path(sys.executable).parent


def naive(units: list[str], out: Path) -> float:
    start = time.perf_counter()
    for unit in units:
        executed = out / f"{slug(unit)}.ipynb"
        subprocess.run(
            [BIN / "papermill", REPORT_NOTEBOOK, executed, "-k", "cxlib", "--no-progress-bar",
             "-p", "period", PERIOD, "-p", "unit_by", BY, "-p", "unit", unit, "-p", "lang", LANG,
             "-p", "data", str(paths.SAMPLE_DATA)],
            check=True, capture_output=True, cwd=paths.NOTEBOOKS,
        )
        subprocess.run([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", executed],
                       check=True, capture_output=True)
    return time.perf_counter() - start


def batch(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([BIN / "cx", "report", "--period", PERIOD, "--by", BY, "--lang", LANG, "--out", out],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    units = [WHOLE_COMPANY, *unit_values(cxlib.load(paths.SAMPLE_DATA), BY)]
    with tempfile.TemporaryDirectory() as tmp:
        naive_dir, batch_dir = Path(tmp, "naive"), Path(tmp, "batch")
        naive_dir.mkdir()
        t_naive = naive(units, naive_dir)
        t_batch = batch(batch_dir)
    n = len(units)
    print(f"units: {n} ({BY} + whole company), period {PERIOD}")
    print(f"naive loop (papermill CLI + nbconvert CLI, sequential): {t_naive:6.1f} s  ({t_naive / n:.1f} s per report)")
    print(f"cx report batch:                                        {t_batch:6.1f} s  ({t_batch / n:.1f} s per report)")
    print(f"speed-up: {t_naive / t_batch:.2f}x (target >= 1.5x)")


if __name__ == "__main__":
    main()
