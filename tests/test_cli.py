"""The `cx` command line: cheap to start, and every argument checked before anything is created."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from cxlib import paths

HEAVY = ("pandas", "numpy", "scipy", "seaborn", "matplotlib", "pandera", "nbformat", "papermill")


def _run(*args: str, cwd=None) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cxlib.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )
    return done, time.perf_counter() - start


def test_the_cli_and_the_flat_api_import_nothing_heavy():
    code = (
        "import sys, cxlib, cxlib.cli; cxlib.cli.build_parser(); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"


def test_the_flat_api_still_works_lazily():
    import cxlib as cx
    from cxlib import nps

    assert cx.nps is nps and "measure" in dir(cx) and "measure" in cx.__all__
    with pytest.raises(AttributeError, match="no attribute 'loyalty'"):
        cx.loyalty  # noqa: B018


def test_help_answers_fast():
    done, seconds = _run("--help")
    assert done.returncode == 0 and "cx report" in done.stdout
    assert seconds < 1.0, f"cx --help took {seconds:.2f} s"  # measured about 0.2 s


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-Q5"], "'2026-Q5' is not the label of one period"),
        (["--period", "quarter"], "'quarter' is not the label of one period"),
        (["--period", "2026-Q3", "--lang", "de"], "language 'de' is not supported; expected one of nl, en"),
        (["--period", "2026-Q3", "--confidence", "95"], "--confidence 95.0 must lie between 0 and 1"),
    ],
)
def test_bad_arguments_exit_2_at_once_and_create_nothing(tmp_path, args, message):
    out = tmp_path / "reports"
    done, seconds = _run("report", *args, "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"cx report: {done.stderr.strip().split(': ', 1)[1]}"]
    assert message in done.stderr
    assert seconds < 1.0, f"rejecting {args} took {seconds:.2f} s"  # the data is not touched
    assert not out.exists()


def test_a_missing_data_folder_exits_2_and_creates_nothing(tmp_path):
    out = tmp_path / "reports"
    done, _ = _run("report", "--period", "2026-Q3", "--data", str(tmp_path / "nowhere"), "--out", str(out))
    assert done.returncode == 2 and "no such folder" in done.stderr and len(done.stderr.splitlines()) == 1
    assert not out.exists()


@pytest.mark.slow
def test_an_unknown_unit_dimension_exits_2_and_creates_nothing(tmp_path):
    out = tmp_path / "reports"
    done, _ = _run("report", "--period", "2026-Q3", "--by", "colour", "--out", str(out))
    assert done.returncode == 2 and "--by 'colour' is not a label column of the data" in done.stderr
    # issue 12 item 5: the usable columns are listed (the sample's label columns, README "Tables")
    for column in ("region", "segment", "team", "touchpoint", "channel", "source", "item"):
        assert f" {column}," in done.stderr or done.stderr.rstrip().endswith(f" {column}"), column
    assert len(done.stderr.splitlines()) == 1
    assert not out.exists()
