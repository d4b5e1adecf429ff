"""Benchmark: theme tagging of 10,000 comments, keyword-only (baseline) against keyword + language
detection + semantic matching, and language detection alone.

Targets (issue 19, this 2-core machine): embedding + tagging 10,000 comments under 10 s; language
detection of 10,000 comments under 2 s. Two sets of 10,000 comments:

1. "realistic": the sample company's comments plus the shared telecom verbatims when present
   (repeats as in real exports: "Good service" many times), cut to 10,000;
2. "all distinct": 10,000 different texts (each a pair of comments from set 1 joined), the worst
   case for the per-text cache.

Each figure is the best wall time of --repeat runs with the embedding cache emptied before each
run; model loading is timed once, apart. Prints ratios to the keyword-only baseline.

    python benchmarks/bench_themes.py [--repeat 2] [--n 10000]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from cxlib.actions import textmodels
from cxlib.actions.themes import tag_themes
from cxlib.paths import SAMPLE_DATA, real_exports

CPU: dict[str, float] = {}


def timed(fn, repeat: int, before=None, label: str = "") -> tuple[float, object]:
    """Best wall seconds over ``repeat`` runs (CPU seconds of that run kept in CPU[label])."""
    best, result = float("inf"), None
    for _ in range(repeat):
        if before:
            before()
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        if time.perf_counter() - start < best:
            best, CPU[label] = time.perf_counter() - start, time.process_time() - cpu
    return best, result


def comments(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    sample = pd.read_csv(SAMPLE_DATA / "responses.csv", dtype="string", keep_default_na=False)
    sample = sample.loc[sample["comment"].ne(""), ["comment", "language"]]
    parts = [sample]
    export = real_exports("nps-verbatims", "text_data.csv")
    if export.exists():
        verbatims = pd.read_csv(export, dtype="string", keep_default_na=False)["text"]
        parts.append(pd.DataFrame({"comment": verbatims, "language": pd.NA}))
    pool = pd.concat(parts, ignore_index=True)
    rng = np.random.default_rng(19)
    realistic = pool.iloc[rng.permutation(len(pool))[:n]].reset_index(drop=True)
    a, b = rng.integers(0, len(pool), size=(2, 3 * n))
    joined = pd.Series(pool["comment"].to_numpy()[a] + " " + pool["comment"].to_numpy()[b], dtype="string")
    distinct = pd.DataFrame({"comment": joined.drop_duplicates().iloc[:n].to_numpy(), "language": pd.NA})
    for frame in (realistic, distinct):
        frame["response_id"] = [f"b{i}" for i in range(len(frame))]
    return realistic, distinct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    realistic, distinct = comments(args.n)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    start = time.perf_counter()
    textmodels._detector().detect("warm up", k=1)
    textmodels._encoder().encode(["warm up"])
    print(f"model loading (once per process)   {time.perf_counter() - start:7.2f} s")

    def clear():
        textmodels._vectors.clear()

    for name, frame in (("realistic", realistic), ("all distinct", distinct)):
        unique = frame["comment"].nunique()
        segments = (
            frame["comment"]
            .str.split(r"(?<=[.!?;])\s+|\n+|\s+(?:but|and|maar|en)\s+|,\s+", regex=True)
            .explode()
            .nunique()
        )
        print(f"\n{name}: {len(frame):,} comments, {unique:,} distinct texts, {segments:,} distinct segments")
        base, _ = timed(lambda f=frame: tag_themes(f, semantic=False, detect=False), args.repeat, label="base")
        detect, _ = timed(lambda f=frame: textmodels.detect_languages(f["comment"]), args.repeat, label="detect")
        full, tags = timed(lambda f=frame: tag_themes(f, semantic=True, detect=True), args.repeat, clear, "full")
        warm, _ = timed(lambda f=frame: tag_themes(f, semantic=True, detect=True), 1, label="warm")
        semantic = (tags["method"] == "semantic").sum()
        print(f"  keyword-only tagging (baseline)     {base:7.2f} s wall {CPU['base']:6.2f} s CPU")
        print(
            f"  language detection                  {detect:7.2f} s wall {CPU['detect']:6.2f} s CPU"
            f"   {detect / base:5.1f}x baseline   target < 2 s: {'OK' if detect < 2 else 'OVER TARGET'}"
        )
        print(
            f"  detection + keywords + semantic     {full:7.2f} s wall {CPU['full']:6.2f} s CPU"
            f"   {full / base:5.1f}x baseline   target < 10 s: {'OK' if full < 10 else 'OVER TARGET'}"
        )
        print(
            f"  the same again (vectors cached)     {warm:7.2f} s wall {CPU['warm']:6.2f} s CPU"
            f"   {warm / base:5.1f}x baseline"
        )
        print(f"  tags {len(tags):,}, of which semantic {semantic:,}")


if __name__ == "__main__":
    main()
