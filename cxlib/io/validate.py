"""Body of `cx validate PATH [--rejected FILE]`: load, print a summary, optionally save rejects."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from cxlib.io.errors import SourceError
from cxlib.io.loader import load

__all__ = ["run", "format_summary", "main"]


def run(path, rejected_out=None, *, out=None, err=None) -> int:
    """Validate the data folder ``path``; print per table read/accepted/rejected and the
    rejections by reason; write the rejected rows to the CSV ``rejected_out`` if given.

    Returns 0 when every file could be read (rejected rows are not an error), 1 on a
    whole-file problem, whose message is printed to stderr.
    """
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        data = load(path)
    except SourceError as exc:
        print(f"error: {exc}", file=err)
        return 1
    print(f"data: {data.path}  (fingerprint {data.fingerprint[:12]})", file=out)
    print(format_summary(data.summary), file=out)
    rejected = data.rejected
    if len(rejected):
        counts = (rejected.fillna({"column": "-"})
                  .groupby(["table", "column", "reason"], sort=False).size())
        print(f"\nrejected rows by reason ({len(rejected):,} in all):", file=out)
        for (table, column, reason), n in counts.items():
            print(f"  {table:<13} {column:<20} {n:>9,}  {reason}", file=out)
    else:
        print("\nno rejected rows", file=out)
    if rejected_out is not None:
        target = Path(rejected_out)
        target.parent.mkdir(parents=True, exist_ok=True)
        rejected.to_csv(target, index=False)
        print(f"wrote {len(rejected):,} rejected rows to {target}", file=out)
    return 0


def format_summary(summary) -> str:
    """The summary frame as an aligned text table (absent optional tables marked)."""
    lines = [f"{'table':<13} {'file':<24} {'read':>10} {'accepted':>10} {'rejected':>10}"]
    for row in summary.itertuples(index=False):  # one line per table (eight rows)
        if pd.isna(row.file):
            lines.append(f"{row.table:<13} {'(absent, optional)':<24}")
            continue
        line = f"{row.table:<13} {row.file:<24} {row.read:>10,} {row.accepted:>10,} {row.rejected:>10,}"
        if row.ignored_columns:
            line += f"  ignored columns: {row.ignored_columns}"
        lines.append(line)
    return "\n".join(lines)


def main(argv=None) -> int:
    """``python -m cxlib.io.validate PATH [--rejected FILE]`` (until `cx validate` is wired)."""
    import argparse

    parser = argparse.ArgumentParser(prog="cx validate", description=run.__doc__.split("\n")[0])
    parser.add_argument("path", help="data folder with the CSV files")
    parser.add_argument("--rejected", metavar="FILE", help="write rejected rows to this CSV")
    args = parser.parse_args(argv)
    return run(args.path, args.rejected)


if __name__ == "__main__":
    sys.exit(main())
