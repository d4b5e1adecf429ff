"""Benchmark: peak memory of load + KPIs on 10,000,000 survey responses (target: 4 GB).

The data: `cx sample --scale` tables (10M responses, 2.5M customers, 8 teams) as Parquet, and
the same tables as CSV in the sample's layout (written by DuckDB). Each variant runs in its own
process under GNU time (`/usr/bin/time -v`, `make gnu-time`), which reports the maximum
resident set size; the process loads and validates the folder and computes NPS, CSAT and CES
per team and quarter and per region:

- csv: `cx.load(csv_folder)`, in memory;
- parquet: `cx.load(parquet_folder)`, every row validated, in memory;
- duckdb: `cx.load(parquet_folder, engine="duckdb")`, validated and aggregated in DuckDB.

    python benchmarks/bench_memory.py [--responses 10000000] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TARGET_GB = 4.0
SCRIPT = """
import sys, time
import cxlib.io as cxio
start = time.perf_counter()
engine = sys.argv[2]
data = cxio.load(sys.argv[1], engine=engine)
loaded = time.perf_counter() - start
import cxlib as cx
frames = [cx.measure(data, k, by=by) for by in ("team", "region") for k in ("nps", "csat", "ces")]
read = int(data.summary["read"].sum())
print(f"records {read} groups {sum(len(f) for f in frames)} load {loaded:.1f} "
      f"kpis {time.perf_counter() - start - loaded:.1f}")
"""


def make_data(folder: Path, responses: int) -> tuple[Path, Path]:
    """(Parquet folder, CSV folder) of the scaled tables."""
    import duckdb

    from cxlib.paths import TIMEZONE
    from cxlib.sample.scale import write_scaled

    parquet, csv = folder / "parquet", folder / "csv"
    if not (parquet / "responses.parquet").exists():
        write_scaled(parquet, responses=responses, tickets=0)
        (parquet / "tickets.parquet").unlink()
    csv.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("LOAD icu")
    con.execute(f"SET TimeZone = '{TIMEZONE}'")
    stamp = "strftime({0}, '%Y-%m-%dT%H:%M:%S%z') || ':00' AS {0}"
    day = "strftime({0}, '%Y-%m-%d') AS {0}"
    columns = {
        "teams": "*",
        "customers": f"customer_id, segment, region, {day.format('signup_date')}, {day.format('churn_date')}",
        "responses": f"response_id, customer_id, {stamp.format('submitted_at')}, touchpoint, "
        "channel, team, nps, csat, ces, comment, language",
    }
    for name, select in columns.items():
        target = csv / f"{name}.csv"
        if not target.exists():
            con.execute(
                f"COPY (SELECT {select} FROM read_parquet('{parquet / name}.parquet')) "
                f"TO '{target}' (HEADER, DELIMITER ',')"
            )
    return parquet, csv


def peak(folder: Path, engine: str) -> tuple[float, float, str]:
    """(peak RSS in GB, wall seconds, the script's line) of one variant under GNU time."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-c", SCRIPT, str(folder), engine],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
    )
    if done.returncode:  # the script's own error, without GNU time's report after it
        sys.exit(f"{engine} on {folder} failed:\n" + done.stderr.split("\tCommand being timed")[0][-3000:])
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1])
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr)[1]
    seconds = sum(float(x) * 60**i for i, x in enumerate(reversed(clock.split(":"))))
    return rss_kb / 1024**2, seconds, done.stdout.strip()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, help="reuse (or create) the data here")
    parser.add_argument("--variants", default="csv,parquet,duckdb")
    args = parser.parse_args(argv)
    if not Path("/usr/bin/time").exists():
        sys.exit("GNU time is needed: make gnu-time (apt-get install time)")
    print(f"cpus: {os.cpu_count()}, load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        parquet, csv = make_data(args.data or Path(tmp), args.responses)
        sizes = {p.name: p.stat().st_size / 1e9 for p in (csv / "responses.csv", parquet / "responses.parquet")}
        print(
            f"{args.responses:,} responses: responses.csv {sizes['responses.csv']:.2f} GB, "
            f"responses.parquet {sizes['responses.parquet']:.2f} GB"
        )
        for variant in args.variants.split(","):
            folder, engine = (
                (csv, "pandas")
                if variant == "csv"
                else ((parquet, "duckdb") if variant == "duckdb" else (parquet, "pandas"))
            )
            gb, seconds, said = peak(folder, engine)
            verdict = "OK" if gb <= TARGET_GB else "OVER TARGET"
            print(
                f"  {variant:<8} peak RSS {gb:5.2f} GB  wall {seconds:7.1f} s  "
                f"target <= {TARGET_GB:.0f} GB: {verdict}   ({said})"
            )


if __name__ == "__main__":
    main()
