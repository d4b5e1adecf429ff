"""`cx`: the workbench's command line. Each subcommand calls one library function.

Imports are lazy: ``cx --help`` and a rejected argument answer without loading pandas, scipy or
seaborn. ``cx report`` checks --period, --lang and the numbers before it looks at the data, and
--data and --by before it creates anything; a bad value is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cxlib import __version__, paths

__all__ = ["main", "build_parser"]

DESCRIPTION = """\
CX Workbench: from measuring customer experience to managing with it.

The five-step method (goals, data, analysis, action plans, monitoring) lives in the
notebooks under notebooks/; this command does the batch work around them.
"""

EPILOG = """\
examples:
  cx init ~/exports/cx                         draft source.yaml for a folder of exports
  cx validate data/sample                      check a data folder, print what was rejected
  cx report --period 2026-Q3 --by region       quarterly review per region + whole company
  cx report --period 2026-03                   monthly review of the whole company
  cx report                                    the latest complete quarter, whole company
  cx report --period 2026-Q2 --lang en --data ~/exports/cx --out ~/cx-reports
  cx sample --responses 1000000 --out /tmp/big generate a larger sample for benchmarks
  cx dashboard --data data/sample             serve the live dashboard on http://127.0.0.1:8050/
  cx themes suggest data/sample --out draft.yaml  draft themes for comments no theme covers
  cx convert data/sample --to parquet --out /tmp/sample-parquet   a validated Parquet copy
"""


def _sample(args: argparse.Namespace) -> int:
    if args.scale and args.teams is not None:
        print("cx sample: --teams is for the sample company; --scale data always has its 8 teams", file=sys.stderr)
        return 2
    if not args.scale and args.tickets is not None:
        print("cx sample: --tickets is for --scale data; the sample's tickets follow --responses", file=sys.stderr)
        return 2
    if args.scale:
        from cxlib.sample.scale import write_scaled

        responses = args.responses or 1_000_000
        written = write_scaled(
            args.out,
            responses=responses,
            tickets=args.tickets if args.tickets is not None else 4 * responses,
            seed=args.seed,
        )
    else:
        from cxlib.sample import write_sample

        written = write_sample(args.out, responses=args.responses, seed=args.seed, teams=args.teams)
    for name, path in written.items():
        print(f"{name:<14} {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from cxlib.io.validate import run

    return run(args.path, rejected_out=args.rejected, max_rejected=args.max_rejected)


def _init(args: argparse.Namespace) -> int:
    from cxlib.io.draft import init
    from cxlib.io.errors import SourceError

    try:
        path = init(args.path, force=args.force)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}: check the lines marked CHECK, then run `cx validate {args.path}`")
    return 0


def _convert(args: argparse.Namespace) -> int:
    from cxlib.io.convert import convert
    from cxlib.io.database import DatabaseError
    from cxlib.io.errors import SourceError

    try:
        written = convert(args.path, args.out, to=args.to)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, DatabaseError) else 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name, path in written.items():
        print(f"{name:<14} {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from cxlib.report.arguments import check_arguments

    try:  # the checks that need no data, before anything heavy is imported
        check_arguments(args.period, args.lang, args.data, args.workers, args.min_n, args.confidence)
    except ValueError as exc:
        print(f"cx report: {exc}", file=sys.stderr)
        return 2
    from cxlib.report.batch import run_batch

    return run_batch(
        period=args.period,
        by=args.by,
        lang=args.lang,
        data=args.data,
        out=args.out,
        workers=args.workers,
        min_n=args.min_n,
        confidence=args.confidence,
        kernel=args.kernel,
        cluster=args.cluster,
        wait=args.wait,
        fresh_kernels=args.fresh_kernels,
        timeout=args.timeout,
        notebook=args.notebook,
    )


def _workshop(args: argparse.Namespace) -> int:
    from cxlib.workshop import build

    for path in build(out=args.out):
        print(path)
    return 0


def _dashboard(args: argparse.Namespace) -> int:
    from cxlib.dashboard.server import main_hash_password, main_serve

    return main_hash_password(args) if args.action == "hash-password" else main_serve(args)


def _check_suggest_arguments(args: argparse.Namespace) -> None:
    """The checks of ``cx themes suggest`` that need no data: a ValueError names the argument,
    the value and what is expected."""
    from cxlib.periods import check_review_period

    if args.period is not None:
        check_review_period(args.period)
    if args.n is not None and args.n < 2:
        raise ValueError(f"--n {args.n} must be at least 2 (suggestions are clusters of comments)")
    if args.min_size < 1:
        raise ValueError(f"--min-size {args.min_size} must be at least 1")
    if not Path(args.path).is_dir():
        raise ValueError(f"{str(args.path)!r}: no such folder (expected a data folder with responses.csv)")


def _themes_suggest(args: argparse.Namespace) -> int:
    try:  # the checks that need no data, before anything heavy is imported
        _check_suggest_arguments(args)
    except ValueError as exc:
        print(f"cx themes suggest: {exc}", file=sys.stderr)
        return 2
    from cxlib.actions.suggest import draft_taxonomy, suggest_themes
    from cxlib.actions.textmodels import MissingExtraError
    from cxlib.io import load
    from cxlib.periods import in_period

    data = load(args.path)
    responses = data.responses
    if args.period:
        responses = responses[in_period(responses["submitted_at"], args.period)]
    try:
        found = suggest_themes(responses, data, n_suggestions=args.n, min_size=args.min_size, seed=args.seed)
    except MissingExtraError as exc:
        print(f"cx themes suggest: {exc}", file=sys.stderr)
        return 2
    text = draft_taxonomy(found.summary)
    if args.out is None:
        sys.stdout.write(text)
    else:
        from cxlib.atomic import write_atomic

        write_atomic(args.out, text.encode("utf-8"))
        print(
            f"{len(found.summary)} suggested themes from {found.uncovered} comments without a theme "
            f"written to {args.out}",
            file=sys.stderr,
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    parser = argparse.ArgumentParser(
        prog="cx",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cx {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("sample", help="write the deterministic sample company (data/sample/)")
    p.add_argument("--out", type=Path, default=paths.SAMPLE_DATA, help="output folder (default: data/sample)")
    p.add_argument(
        "--responses",
        type=int,
        default=None,
        help="number of survey responses (default: the sample's size); other tables scale along",
    )
    p.add_argument(
        "--teams",
        type=int,
        default=None,
        help="number of teams, at least 8 (default: 8); copies keep their base team's planted levels "
        "and responses scale to 3,000 per team unless --responses is given",
    )
    p.add_argument("--seed", type=int, default=20260105, help="random seed (default: %(default)s)")
    p.add_argument(
        "--scale",
        action="store_true",
        help="benchmark data instead: customers, responses and tickets of any size (8 teams), "
        "straight to Parquet in chunks (no planted truths)",
    )
    p.add_argument("--tickets", type=int, default=None, help="with --scale: number of tickets (default: 4 x responses)")
    p.set_defaults(func=_sample)

    p = sub.add_parser(
        "init",
        help="inspect the exports in a folder and draft its source.yaml",
        description="cx init DIR: read every CSV and .xlsx export in DIR, guess each column's "
        "role (ids, dates and their layout, NPS/CSAT/CES, ratings, comment, "
        "language, labels that make report units) and write DIR/source.yaml "
        "with a comment per line. An existing source.yaml is kept unless --force.",
    )
    p.add_argument("path", type=Path, help="folder with the exports")
    p.add_argument("--force", action="store_true", help="overwrite an existing source.yaml")
    p.set_defaults(func=_init)

    p = sub.add_parser("validate", help="load and validate a data folder; print accepted/rejected per table")
    p.add_argument("path", type=Path, help="folder with the CSV files (and optional source.yaml)")
    p.add_argument("--rejected", type=Path, default=None, help="write the rejected rows to this CSV file")
    p.add_argument(
        "--max-rejected",
        type=float,
        default=0.5,
        metavar="SHARE",
        help="exit 1 when a table rejects more than this share of its records (default: 0.5); "
        "a table that rejects every record always fails",
    )
    p.set_defaults(func=_validate)

    p = sub.add_parser("convert", help="write a validated Parquet copy of a data folder (and its rejected rows)")
    p.add_argument("path", type=Path, help="data folder (CSV, .xlsx or Parquet files, optional source.yaml)")
    p.add_argument("--to", choices=("parquet",), default="parquet", help="format of the copy (default: parquet)")
    p.add_argument("--out", type=Path, required=True, help="folder for the copy: new, empty, or an earlier copy")
    p.set_defaults(func=_convert)

    p = sub.add_parser("report", help="render the quarterly review reports (warm kernels or a Dask cluster)")
    p.add_argument(
        "--period",
        default=None,
        help="period to review: a quarter (2026-Q3) or a month (2026-03); default: the latest complete "
        "quarter in the data",
    )
    p.add_argument(
        "--by",
        default=None,
        help="unit dimension, any label column of the data (region, team, segment, touchpoint, ...): "
        "one report per value, plus the whole company (default: the whole company only)",
    )
    p.add_argument("--lang", default="nl", help="report language: nl or en (default: nl)")
    p.add_argument("--data", type=Path, default=paths.SAMPLE_DATA, help="data folder (default: data/sample)")
    p.add_argument("--out", type=Path, default=paths.REPORTS, help="output folder (default: reports/)")
    p.add_argument("--workers", type=int, default=None, help="parallel worker processes (default: number of CPUs)")
    p.add_argument(
        "--min-n",
        type=int,
        default=None,
        help="suppress groups with fewer observations (default: each KPI's minimum in the catalogue)",
    )
    p.add_argument("--confidence", type=float, default=0.95, help="interval level (default: 0.95)")
    p.add_argument("--kernel", default="cxlib", help="Jupyter kernel name (default: cxlib, registered by `make setup`)")
    p.add_argument(
        "--cluster",
        default=None,
        metavar="ADDRESS",
        help="render on a Dask cluster, e.g. tcp://HOST:8786 (needs pip install 'cxlib[cluster]')",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another run writing the same folder (default: stop at once)",
    )
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every unit instead of reusing warm ones (slower, same pages)",
    )
    p.add_argument(
        "--notebook",
        type=Path,
        default=paths.NOTEBOOKS / "quarterly_review.ipynb",
        help="the report notebook, with a 'parameters' cell (default: notebooks/quarterly_review.ipynb)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop a unit whose notebook cell runs longer than this (default: no limit)",
    )
    p.set_defaults(func=_report)

    p = sub.add_parser(
        "workshop",
        help="build the participant and solution editions of the workshop notebooks",
        description="cx workshop build: write notebooks/workshop/participant/ and solution/ from "
        "notebooks/workshop/source/ (cells tagged 'solution' removed for participants, "
        "'participant' for the solution edition; outputs cleared).",
    )
    p.add_argument("action", nargs="?", choices=("build",), default="build", help="what to do (default: %(default)s)")
    p.add_argument(
        "--out",
        type=Path,
        default=paths.NOTEBOOKS / "workshop",
        help="output folder for participant/ and solution/ (default: notebooks/workshop)",
    )
    p.set_defaults(func=_workshop)

    p = sub.add_parser(
        "dashboard",
        help="serve the live dashboard (Panel); `cx dashboard hash-password` for dashboard.yaml",
        description="cx dashboard: serve the live dashboard for a data folder (users in "
        "DIR/dashboard.yaml, docs/dashboard.md). cx dashboard hash-password: print the hash "
        "of a password for dashboard.yaml. Needs the extra: pip install 'cxlib[dashboard]'.",
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=("serve", "hash-password"),
        default="serve",
        help="what to do (default: %(default)s)",
    )
    p.add_argument("--data", type=Path, default=paths.SAMPLE_DATA, help="data folder (default: data/sample)")
    p.add_argument("--port", type=int, default=8050, help="port (default: %(default)s; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    p.add_argument("--lang", default="nl", help="default language: nl or en (default: nl)")
    p.add_argument("--users", type=Path, default=None, help="users file (default: DATA/dashboard.yaml)")
    p.add_argument(
        "--allow-websocket-origin",
        action="append",
        metavar="HOST[:PORT]",
        help="also accept websocket connections from this origin (behind a reverse proxy); repeatable",
    )
    p.add_argument("--root-path", default=None, help="URL prefix when served under a sub-path of a reverse proxy")
    p.add_argument("--stdin", action="store_true", help="hash-password: read the password from standard input")
    p.set_defaults(func=_dashboard)

    p = sub.add_parser("themes", help="theme taxonomy tools")
    themes = p.add_subparsers(dest="themes_command", metavar="ACTION", required=True)
    q = themes.add_parser("suggest", help="cluster the comments no theme covers; write a draft taxonomy block")
    q.add_argument("path", type=Path, help="data folder (its taxonomy.yaml is used when present)")
    q.add_argument("--out", type=Path, default=None, help="YAML file to write (default: standard output)")
    q.add_argument("--period", default=None, help="only this period's comments, e.g. 2026-Q1 (default: all)")
    q.add_argument("--n", type=int, default=None, help="number of suggestions (default: best silhouette, 2-10)")
    q.add_argument("--min-size", type=int, default=10, help="smallest suggestion kept (comments; default 10)")
    q.add_argument("--seed", type=int, default=0, help="seed of the clustering (default 0)")
    q.set_defaults(func=_themes_suggest)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `cx` console script."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
