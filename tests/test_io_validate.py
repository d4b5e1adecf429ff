"""cxlib.io.validate.run: the body of `cx validate`."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from cxlib.io.validate import run

DATA = Path(__file__).parent / "data"
MAPPED_REASON = "not a whole number (expected digits, such as 7, or a value mapped in source.yaml)"


def call(path, rejected_out=None):
    out, err = io.StringIO(), io.StringIO()
    code = run(path, rejected_out, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def row(out: str, table: str) -> list[str]:
    """The words of the summary line of ``table``."""
    return next(line.split() for line in out.splitlines() if line.startswith(table + " "))


def test_clean_folder():
    code, out, err = call(DATA / "exports" / "minimal")
    assert code == 0 and err == ""
    assert row(out, "responses") == ["responses", "responses.csv", "4", "4", "0"]
    assert "no rejected rows" in out


def test_rejected_rows_are_summarised_and_written(tmp_path):
    target = tmp_path / "out" / "rejected.csv"
    code, out, err = call(DATA / "exports" / "dutch", target)
    assert code == 0
    assert row(out, "responses") == ["responses", "enquete.csv", "4", "3", "1"]
    assert row(out, "pulse") == ["pulse", "(absent,", "optional)"]
    assert "rejected rows by reason (1 in all):" in out
    assert next(line for line in out.splitlines() if line.startswith("  responses")).split() == [
        "responses", "csat", "1", *MAPPED_REASON.split()]
    written = pd.read_csv(target, dtype=str)
    assert written.to_dict("records") == [{"table": "responses", "file": "enquete.csv", "line": "7",
                                           "column": "csat", "value": "Heel blij",
                                           "reason": MAPPED_REASON}]


def test_whole_file_problem_exits_non_zero():
    code, out, err = call(DATA / "bad" / "missing_required_file")
    assert code == 1 and out == ""
    assert err.startswith("error: customers.csv: required file not found")
