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
        "responses",
        "csat",
        "1",
        *MAPPED_REASON.split(),
    ]
    written = pd.read_csv(target, dtype=str)
    assert written.to_dict("records") == [
        {
            "table": "responses",
            "file": "enquete.csv",
            "line": "7",
            "column": "csat",
            "value": "Heel blij",
            "reason": MAPPED_REASON,
        }
    ]


def test_whole_file_problem_exits_non_zero():
    code, out, err = call(DATA / "bad" / "source_names_missing_file")
    assert code == 1 and out == ""
    assert err.startswith("error: ") and "source.yaml, line 6: file 'klanten.csv'" in err


# --- a failed read is an error (issue 12) ------------------------------------------------------


def write(folder: Path, text: str, source: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "export.csv").write_text(text, encoding="utf-8")
    (folder / "source.yaml").write_text(source, encoding="utf-8")
    return folder


SOURCE = "tables:\n  responses:\n    file: export.csv\n    columns: {Date: submitted_at, Score: nps}\n"


def test_every_record_rejected_names_column_value_and_fix(tmp_path):
    # a date layout the defaults do not read (month names): all three rejected
    folder = write(tmp_path / "f", "Date,Score\n30 Sep 2021,9\n1 Oct 2021,7\n2 Oct 2021,3\n", SOURCE)
    code, out, err = call(folder)
    assert code == 1
    assert row(out, "responses") == ["responses", "export.csv", "3", "0", "3"]
    assert err == (
        "error: responses (export.csv): 3 of 3 records rejected (100%); column 'Date': "
        "3 of 3 values are not dates; the first is '30 Sep 2021' (line 2); expected ISO "
        "8601 (YYYY-MM-DDTHH:MM[:SS][+HH:MM]) or DD-MM-YYYY HH:MM[:SS]; set "
        "datetime_format in source.yaml (or formats: {submitted_at: ...})\n"
    )


def test_more_than_the_allowed_share_rejected(tmp_path):
    # 2 of 3 scores out of range: 67% > 50% fails; allowed up to 70% it passes
    folder = write(tmp_path / "s", "Date,Score\n2021-09-30,9\n2021-10-01,11\n2021-10-02,12\n", SOURCE)
    code, _, err = call(folder)
    assert code == 1
    assert err.startswith(
        "error: responses (export.csv): 2 of 3 records rejected (67%, more "
        "than the 50% allowed); column 'Score': 2 of 3 records: out of range "
        "(expected 0–10); the first is '11' (line 3)"
    )
    out_, err_ = io.StringIO(), io.StringIO()
    assert run(folder, max_rejected=0.7, out=out_, err=err_) == 0 and err_.getvalue() == ""
    from cxlib.cli import main

    assert main(["validate", str(folder), "--max-rejected", "0.7"]) == 0
    assert main(["validate", str(folder)]) == 1


def test_unclear_date_order_fails_whatever_the_share(tmp_path):
    text = (
        "Date,Score\n" + "".join(f"2021-10-{d:02d},8\n" for d in range(1, 8)) + ("30/09/2021,9\n09/30/2021,7\n")
    )  # lines 9 and 10
    code, _, err = call(write(tmp_path / "m", text, SOURCE))
    assert code == 1
    assert "2 of 9 records rejected (22%)" in err
    assert "unclear date order: '30/09/2021' is dd/mm but '09/30/2021' is mm/dd" in err
