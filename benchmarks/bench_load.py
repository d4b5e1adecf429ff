"""Benchmark: `cxlib.load` on the default sample and on 1,000,000 survey responses.

1. The whole default sample (data/sample/, or a freshly generated one): target under 5 s.
2. 1,000,000 responses from `cxlib.sample.write_sample(dir, responses=1_000_000)`, loaded and
   validated with the tables they are checked against (customers.csv, teams.csv): target under
   10 s on 2 cores. For scale, also the whole scaled folder (tickets and orders grow too).

Prints wall and CPU seconds (best of --repeat), rows per second, and the ratio to a bare
`pandas.read_csv` of the same files (no parsing of dates, no checks).

    python benchmarks/bench_load.py [--responses 1000000] [--repeat 3] [--data DIR]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

import cxlib.io as cxio
from cxlib.paths import SAMPLE_DATA


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Best wall and CPU seconds over ``repeat`` runs, and the last result."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def bare_read(folder: Path) -> None:
    for path in sorted(folder.glob("*.csv")):
        pd.read_csv(path, dtype=str, keep_default_na=False)


def report(label: str, folder: Path, repeat: int, target: float | None = None) -> None:
    wall, cpu, data = timed(lambda: cxio.load(folder), repeat)
    bare, _, _ = timed(lambda: bare_read(folder), repeat)
    rows = int(data.summary["read"].sum())
    goal = "" if target is None else (
        f"   target < {target:.0f} s: {'OK' if wall < target else 'OVER TARGET'}")
    print(f"{label}")
    tables = ", ".join(f"{t} {n:,}" for t, n in zip(data.summary["table"], data.summary["read"]) if n)
    print(f"  rows read       {rows:>12,}  ({tables})")
    print(f"  load + validate {wall:>9.2f} s wall  {cpu:.2f} s CPU{goal}")
    print(f"  throughput      {rows / wall:>12,.0f} rows/s")
    print(f"  bare read_csv   {bare:>9.2f} s        ratio load / read_csv = {wall / bare:.1f}x")
    print(f"  rejected        {len(data.rejected):>12,}")


def link_subset(source: Path, target: Path, names: tuple[str, ...]) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        link = target / name
        if not link.exists():
            os.symlink(source / name, link)
    return target


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, help="reuse (or create) the scaled sample here")
    args = parser.parse_args(argv)
    print(f"cpus: {os.cpu_count()}, load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sample = SAMPLE_DATA
        if not (sample / "responses.csv").exists():
            from cxlib.sample import write_sample

            sample = tmp / "sample"
            write_sample(sample)
        cxio.load(sample)  # warm up imports and pandera
        report(f"default sample ({sample})", sample, args.repeat, target=5)

        big = args.data or tmp / "big"
        if not (big / "responses.csv").exists():
            from cxlib.sample import write_sample

            start = time.perf_counter()
            write_sample(big, responses=args.responses)
            print(f"\n(generated {args.responses:,} responses in {time.perf_counter() - start:.0f} s)")
        survey = link_subset(big, tmp / "survey", ("responses.csv", "customers.csv", "teams.csv"))
        report(f"\n{args.responses:,} survey responses (+ customers, teams)", survey, args.repeat,
               target=10)
        report(f"\nwhole scaled folder ({big})", big, 1)


if __name__ == "__main__":
    main()
