"""Benchmark: 200,000,000 tickets and 50,000,000 responses through DuckDB (engine="duckdb").

The data: `cx sample --scale --responses 50000000 --tickets 200000000` (Parquet, written in
chunks; customers = responses / 4). One process, under GNU time for its peak memory, runs:

1. open: `cx.load(DIR, engine="duckdb")`: every row of every table typed and checked once
   (the loader's rules in SQL), into DuckDB's on-disk table;
2. the survey KPIs (NPS, CSAT, CES) per team and quarter and per region (customers joined) and
   quarter through `cx.measure`: ONE Ibis aggregation per family and grouping, intervals in
   cxlib;
3. the same KPI values by hand-written DuckDB SQL on the same checked tables (the baseline for
   step 2), and on the raw Parquet files without any checks (the baseline for 1 + 2).

Prints seconds per step, the ratios and the peak resident memory.

    python benchmarks/bench_engine.py --data DIR [--responses 50000000 --tickets 200000000]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = r"""
import sys, time
import cxlib as cx
import cxlib.io as cxio

folder = sys.argv[1]
clock = time.perf_counter
t = clock(); data = cxio.load(folder, engine="duckdb"); opened = clock() - t
summary = data.summary
print("summary")
print(summary[summary["read"] > 0].to_string(index=False))

def ours():
    data.cache.clear()  # time the queries, not the cache
    return [cx.measure(data, key, by=by) for by in ("team", "region") for key in ("nps", "csat", "ces")]

HAND = '''
SELECT {by}, year(r.submitted_at) * 4 + quarter(r.submitted_at) - 1 AS period,
       count(r.nps) AS nps_n,
       100.0 * (count(*) FILTER (r.nps >= 9) - count(*) FILTER (r.nps <= 6)) / count(r.nps) AS nps,
       count(r.csat) AS csat_n, 100.0 * count(*) FILTER (r.csat >= 4) / count(r.csat) AS csat,
       count(r.ces) AS ces_n, avg(r.ces) AS ces, stddev_samp(r.ces) AS ces_sd
FROM {responses} r {join}
GROUP BY ALL
'''

def hand(responses, customers):
    out = []
    for by, join in (("r.team", ""),
                     ("c.region", f"LEFT JOIN {customers} c ON c.customer_id = r.customer_id")):
        out.append(data.sql(HAND.format(by=by, join=join, responses=responses)))
    return out

def best(fn, repeat=2):
    times = []
    for _ in range(repeat):
        t = clock(); result = fn(); times.append(clock() - t)
    return min(times), result

kpi_time, frames = best(ours)
sql_time, _ = best(lambda: hand("responses", "customers"))
raw = (f"read_parquet('{folder}/responses.parquet')", f"read_parquet('{folder}/customers.parquet')")
raw_time, _ = best(lambda: hand(*raw))
groups = sum(len(f) for f in frames)
print(f"open (type and check every row)     {opened:9.1f} s")
print(f"KPIs through Ibis + cxlib intervals {kpi_time:9.1f} s   ({groups} group rows)")
print(f"same KPIs, hand-written SQL          {sql_time:9.1f} s   ratio {kpi_time / sql_time:.2f}x")
print(f"hand-written SQL on raw Parquet      {raw_time:9.1f} s   (no checks)")
print(f"end to end: open + KPIs / raw SQL    {(opened + kpi_time) / raw_time:9.1f}x")
data.close()
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the scaled data (created if absent)")
    parser.add_argument("--responses", type=int, default=50_000_000)
    parser.add_argument("--tickets", type=int, default=200_000_000)
    args = parser.parse_args(argv)
    print(f"cpus: {os.cpu_count()}, load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if not (args.data / "tickets.parquet").exists():
        from cxlib.sample.scale import write_scaled

        start = time.perf_counter()
        write_scaled(args.data, responses=args.responses, tickets=args.tickets)
        print(f"(generated in {time.perf_counter() - start:.0f} s)")
    for path in sorted(args.data.glob("*.parquet")):
        print(f"  {path.name:<20} {path.stat().st_size / 1e9:6.2f} GB")
    if not Path("/usr/bin/time").exists():
        sys.exit("GNU time is needed for the peak memory: make gnu-time (apt-get install time)")
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-c", SCRIPT, str(args.data)],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )
    print(done.stdout)
    if done.returncode:  # the script's own error, without GNU time's report after it
        print(done.stderr.split("\tCommand being timed")[0][-3000:])
        sys.exit(done.returncode)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1])
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", done.stderr)[1]
    print(
        f"peak resident memory {rss / 1024**2:.2f} GB (GNU time), wall {clock}, "
        f"DuckDB memory limit {os.environ.get('CX_DUCKDB_MEMORY_LIMIT', '2GB')}"
    )


if __name__ == "__main__":
    main()
