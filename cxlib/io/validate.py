"""Body of `cx validate PATH [--rejected FILE] [--max-rejected SHARE]`: load, print a summary,
optionally save rejects, and exit 1 on a failed read (cxlib.io.diagnose)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from cxlib.io.database import DatabaseError
from cxlib.io.diagnose import MAX_REJECTED, failed_reads
from cxlib.io.errors import SourceError
from cxlib.io.inert import escape_control, neutralise_frame
from cxlib.io.loader import load
from cxlib.io.source import read_source

__all__ = ["run", "format_summary", "main"]


def run(path, rejected_out=None, *, max_rejected: float = MAX_REJECTED, out=None, err=None) -> int:
    """Validate the data folder ``path``; print per table read/accepted/rejected and the
    rejections by reason; write the rejected rows to the CSV ``rejected_out`` if given.

    Returns 1 on a whole-file problem and on a failed read: a table that rejects every
    record, or more than ``max_rejected`` (a share) of them, or a date column of unclear
    day/month order; each is printed to stderr with its likely cause and an example value.
    Returns 2 when the database of source.yaml cannot be used (unreachable, password refused,
    table missing); the message is one line on stderr. Otherwise 0 (a few rejected rows are
    not an error).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    if not 0 <= max_rejected <= 1:
        raise ValueError(f"max_rejected is a share from 0 to 1, got {max_rejected}")
    try:
        source = read_source(Path(path))
        data = load(path, source)
    except SourceError as exc:
        print(f"error: {exc}", file=err)  # SourceError escapes control characters itself
        return 2 if isinstance(exc, DatabaseError) else 1
    print(f"data: {escape_control(data.path)}  (fingerprint {data.fingerprint[:12]})", file=out)
    print("\n".join(map(escape_control, format_summary(data.summary).split("\n"))), file=out)
    rejected = data.rejected
    if len(rejected):
        counts = rejected.fillna({"column": "-"}).groupby(["table", "column", "reason"], sort=False).size()
        print(f"\nrejected rows by reason ({len(rejected):,} in all):", file=out)
        for (table, column, reason), n in counts.items():
            column, reason = escape_control(column), escape_control(reason)
            print(f"  {table:<13} {column:<20} {n:>9,}  {reason}", file=out)
    else:
        print("\nno rejected rows", file=out)
    if rejected_out is not None:
        target = Path(rejected_out)
        target.parent.mkdir(parents=True, exist_ok=True)
        neutralise_frame(rejected).to_csv(target, index=False)  # no formulas (OWASP)
        print(f"wrote {len(rejected):,} rejected rows to {target}", file=out)
    failures = failed_reads(data, source, max_rejected)
    for failure in failures:
        print(f"error: {escape_control(failure.message)}", file=err)
    return 1 if failures else 0


def format_summary(summary) -> str:
    """The summary frame as an aligned text table (absent optional tables marked)."""
    lines = [f"{'table':<13} {'file':<24} {'read':>10} {'accepted':>10} {'rejected':>10}"]
    for row in summary.itertuples(index=False):  # one line per table (eight rows)
        if pd.isna(row.file):
            lines.append(f"{row.table:<13} {'(absent, optional)':<24}")
            continue
        line = f"{row.table:<13} {row.file:<24} {row.read:>10,} {row.accepted:>10,} {row.rejected:>10,}"
        if row.rows != row.read:
            line += f"  ({row.rows:,} rows collapsed to {row.read:,} records)"
        if row.ignored_columns:
            line += f"  ignored columns: {row.ignored_columns}"
        lines.append(line)
        if row.defaults:
            lines.append(f"{'':<13} defaults: {row.defaults}")
    return "\n".join(lines)


def main(argv=None) -> int:
    """``python -m cxlib.io.validate PATH [--rejected FILE]`` (until `cx validate` is wired)."""
    import argparse

    parser = argparse.ArgumentParser(prog="cx validate", description=run.__doc__.split("\n")[0])
    parser.add_argument("path", help="data folder with the CSV files")
    parser.add_argument("--rejected", metavar="FILE", help="write rejected rows to this CSV")
    parser.add_argument(
        "--max-rejected",
        type=float,
        default=MAX_REJECTED,
        metavar="SHARE",
        help="fail when a table rejects more than this share (default 0.5)",
    )
    args = parser.parse_args(argv)
    return run(args.path, args.rejected, max_rejected=args.max_rejected)


if __name__ == "__main__":
    sys.exit(main())
