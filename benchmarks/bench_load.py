"""Benchmark: `cxlib.load` of CSV and Parquet against a bare pandas `read_csv`, in one run.

1. The default sample (data/sample/): load + validate, target under 5 s.
2. 1,000,000 survey responses (`write_sample(dir, responses=1_000_000)`, with the customers and
   teams they are checked against), measured side by side with a bare `pandas.read_csv` of the
   same three files (every column as text, no checks): target load + validate within 2.5x.
3. The Parquet copy of (2) written by `cx convert`: loaded as a verified copy (its digests
   match, validated when written) and with every row validated again (the same files without
   convert.json); target: the copy loads at least 5x faster than the CSV.
4. The whole scaled folder (tickets and orders grow with the responses).

Prints wall and CPU seconds (best of --repeat), rows per second and the ratios.

    python benchmarks/bench_load.py [--responses 1000000] [--repeat 3] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

import cxlib.io as cxio
from cxlib.io.convert import MANIFEST, convert
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
    """The baseline: pandas' C parser, every column as text, nothing checked."""
    for path in sorted(folder.glob("*.csv")):
        pd.read_csv(path, dtype=str, keep_default_na=False)


def rows(data) -> int:
    return int(data.summary["read"].sum())


def line(label: str, wall: float, cpu: float, extra: str = "") -> None:
    print(f"  {label:<28} {wall:>8.2f} s wall {cpu:>8.2f} s CPU  {extra}")


def subset(source: Path, target: Path, names: tuple[str, ...]) -> Path:
    """Hard links (a data folder refuses symbolic links that leave it), else copies."""
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        link = target / name
        if not link.exists():
            try:
                os.link(source / name, link)
            except OSError:
                shutil.copy2(source / name, link)
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
        cxio.load(sample)  # warm up imports and pandera
        wall, cpu, data = timed(lambda: cxio.load(sample), args.repeat)
        print(f"default sample ({rows(data):,} records)")
        line("load + validate", wall, cpu, f"target < 5 s: {'OK' if wall < 5 else 'OVER TARGET'}")

        big = args.data or tmp / "big"
        if not (big / "responses.csv").exists():
            from cxlib.sample import write_sample

            start = time.perf_counter()
            write_sample(big, responses=args.responses)
            print(f"\n(generated {args.responses:,} responses in {time.perf_counter() - start:.0f} s)")
        survey = subset(big, tmp / "survey", ("responses.csv", "customers.csv", "teams.csv"))
        bare, bare_cpu, _ = timed(lambda: bare_read(survey), args.repeat)
        wall, cpu, data = timed(lambda: cxio.load(survey), args.repeat)
        ratio = wall / bare
        print(
            f"\n{args.responses:,} survey responses + customers + teams ({rows(data):,} records,"
            f" {len(data.rejected):,} rejected)"
        )
        line("bare pandas read_csv", bare, bare_cpu, "(baseline)")
        line(
            "cx.load CSV (Arrow)",
            wall,
            cpu,
            f"ratio {ratio:.2f}x   target <= 2.5x: {'OK' if ratio <= 2.5 else 'OVER TARGET'}",
        )
        print(f"  {'throughput':<28} {rows(data) / wall:>12,.0f} records/s")

        copy = tmp / "survey-parquet"
        start = time.perf_counter()
        convert(survey, copy)
        print(f"  (cx convert to Parquet: {time.perf_counter() - start:.1f} s)")
        verified, verified_cpu, same = timed(lambda: cxio.load(copy), args.repeat)
        assert same.summary["read"].tolist() == data.summary["read"].tolist()
        unverified = subset(
            copy, tmp / "parquet-unverified", tuple(p.name for p in copy.iterdir() if p.name != MANIFEST)
        )
        full, full_cpu, again = timed(lambda: cxio.load(unverified), args.repeat)
        assert again.summary["rejected"].tolist() == data.summary["rejected"].tolist()
        line(
            "Parquet copy, verified",
            verified,
            verified_cpu,
            f"CSV / Parquet = {wall / verified:.1f}x   target >= 5x: "
            f"{'OK' if wall / verified >= 5 else 'UNDER TARGET'}",
        )
        line("Parquet, every row checked", full, full_cpu, f"CSV / Parquet = {wall / full:.1f}x")

        wall, cpu, data = timed(lambda: cxio.load(big), 1)
        bare, bare_cpu, _ = timed(lambda: bare_read(big), 1)
        print(f"\nwhole scaled folder ({rows(data):,} records)")
        line("bare pandas read_csv", bare, bare_cpu, "(baseline)")
        line("cx.load CSV (Arrow)", wall, cpu, f"ratio {wall / bare:.2f}x")


if __name__ == "__main__":
    main()
