"""Report batch vs the naive loop, timed in the same run, on a company with 120 teams.

Data: ``cx sample --teams 120`` (generated once into the benchmark folder; pass ``--data DIR`` to
reuse one). Batch: ``cx report --by team`` renders every team plus the whole company (121
reports) on warm kernels. Naive: for a handful of teams, one after another, the ``papermill``
CLI and then ``jupyter nbconvert --to html --no-input``, each unit loading the CSV files itself.
Prints seconds per report both ways, the ratio (goal: at least 5x on 2 cores, aim 10x) and where
a unit's time goes in the batch (kernel start, the notebook's cells, the export).

    .venv/bin/python benchmarks/bench_report.py [--teams 120] [--naive 4] [--data DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pandas as pd

from cxlib.report.batch import REPORT_NOTEBOOK

PERIOD, BY, LANG = "2026-Q3", "team", "nl"
BIN = Path(sys.executable).parent


def run(command: list, cwd: Path | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=cwd, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def naive(units: list[str], data: Path, out: Path) -> float:
    """papermill CLI, then nbconvert CLI, per unit, sequentially."""
    start = time.perf_counter()
    for k, unit in enumerate(units):
        executed = out / f"unit-{k}.ipynb"
        run(
            [
                BIN / "papermill",
                REPORT_NOTEBOOK,
                executed,
                "-k",
                "cxlib",
                "--no-progress-bar",
                "-p",
                "period",
                PERIOD,
                "-p",
                "unit_by",
                BY,
                "-p",
                "unit",
                unit,
                "-p",
                "lang",
                LANG,
                "-p",
                "data",
                data,
            ],
            cwd=REPORT_NOTEBOOK.parent,
        )
        run([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", executed])
    return time.perf_counter() - start


def profile(state: Path) -> str:
    """Where a unit's time goes in the batch: phases, kernel starts, the slowest cells."""
    info = json.loads((state / "profile.json").read_text())
    units = [u for u in info["units"] if u["ok"] and u["unit"] != "whole-company"]
    template = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    cells = pd.DataFrame([u["cells"] for u in units]).mean()
    # executed notebooks carry papermill's injected-parameters cell after the parameters cell
    sources = [c.source for c in template.cells]
    parameters = next(i for i, c in enumerate(template.cells) if "parameters" in c.metadata.get("tags", []))
    sources.insert(parameters + 1, "(injected parameters)")
    lines = [
        f"  batch: load + validate {info['batch']['load']:.1f} s, snapshot {info['batch']['snapshot']:.1f} s, "
        f"total {info['batch']['total']:.1f} s",
        f"  kernel start + imports, once per worker: {statistics.mean(info['kernel_start']):.1f} s "
        f"({len(info['kernel_start'])} workers)",
        f"  per team unit (mean of {len(units)}): cells {statistics.mean(u['execute'] for u in units):.2f} s "
        f"(reset included), export {statistics.mean(u['export'] for u in units):.2f} s",
        "  slowest cells (mean s per unit):",
    ]
    for index, seconds in cells.sort_values(ascending=False).head(8).items():
        source = sources[index] if index < len(sources) else "?"
        lines.append(f"    {seconds:5.2f}  {source.strip().splitlines()[0][:90] if source.strip() else '(empty)'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=120)
    parser.add_argument("--naive", type=int, default=4, help="teams rendered the naive way (default 4)")
    parser.add_argument("--data", type=Path, default=None, help="a data folder made by cx sample --teams")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="keep the outputs in this folder")
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="cx-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    data = args.data or root / f"sample-{args.teams}-teams"
    if not (data / "teams.csv").exists():
        print(f"generating the sample with {args.teams} teams into {data} …", flush=True)
        run([BIN / "cx", "sample", "--teams", args.teams, "--out", data])
    teams = sorted(pd.read_csv(data / "teams.csv")["team"])
    picks = [teams[round(i * (len(teams) - 1) / max(args.naive - 1, 1))] for i in range(args.naive)]
    naive_dir, batch_dir = root / "naive", root / "batch"
    shutil.rmtree(naive_dir, ignore_errors=True)
    shutil.rmtree(batch_dir, ignore_errors=True)
    naive_dir.mkdir()
    workers = ["--workers", args.workers] if args.workers else []
    t_batch = run(
        [
            BIN / "cx",
            "report",
            "--period",
            PERIOD,
            "--by",
            BY,
            "--lang",
            LANG,
            "--data",
            data,
            "--out",
            batch_dir,
            *workers,
        ]
    )
    n_batch = len(teams) + 1
    t_naive = naive(picks, data, naive_dir)
    per_batch, per_naive = t_batch / n_batch, t_naive / len(picks)
    print(f"data: {data} ({len(teams)} teams), period {PERIOD}, by {BY}")
    print(
        f"naive loop (papermill CLI + nbconvert CLI per unit, {len(picks)} teams): "
        f"{t_naive:7.1f} s  ({per_naive:.2f} s per report)"
    )
    print(
        f"cx report (warm kernels, {n_batch} reports):                          "
        f"{t_batch:7.1f} s  ({per_batch:.2f} s per report)"
    )
    print(f"speed-up per report: {per_naive / per_batch:.1f}x (goal >= 5x, aim 10x)")
    print(profile(batch_dir / ".cx-batch" / PERIOD))
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
