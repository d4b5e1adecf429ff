"""Bad input from the corpus in tests/data/bad/: whole-file errors and rejected rows.

Each case folder holds only the files that differ from the good minimal export
(tests/data/exports/minimal); the test copies the minimal export and lays the case on top.
Expected lines, values and counts are read off the case files by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cxlib.io import SourceError, load

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "exports" / "minimal"
BAD = DATA / "bad"


def case(name: str, tmp_path: Path) -> Path:
    """The minimal export with the files of bad case ``name`` laid over it."""
    folder = tmp_path / name
    shutil.copytree(MINIMAL, folder)
    shutil.copytree(BAD / name, folder, dirs_exist_ok=True)
    return folder


def rejected_rows(data, table: str) -> list[tuple]:
    """(line, column, value, reason) of the rejected rows of ``table``, in line order."""
    r = data.rejected[data.rejected["table"] == table].sort_values("line")
    return [
        tuple(None if pd.isna(v) else v for v in row)
        for row in r[["line", "column", "value", "reason"]].itertuples(index=False)
    ]


def counts(data, table: str) -> tuple[int, int, int]:
    row = data.summary.set_index("table").loc[table]
    return int(row["read"]), int(row["accepted"]), int(row["rejected"])


def test_every_case_folder_is_tested():
    tested = {"source_names_missing_file", "missing_column", "empty_file", "undecodable", *ROW_CASES}
    assert {p.name for p in BAD.iterdir() if p.is_dir()} == tested


# --- whole-file problems: one SourceError naming file, column and what was expected ---------


def test_a_file_named_in_source_yaml_must_exist():
    with pytest.raises(SourceError) as err:
        load(BAD / "source_names_missing_file")
    e = err.value
    # source.yaml line 6 is "    file: klanten.csv"
    assert (Path(e.file).name, e.line) == ("source.yaml", 6)
    assert e.problem.startswith("file 'klanten.csv' of tables.customers not found")
    assert e.found == "responses.csv, source.yaml"


def test_a_folder_without_any_table_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("no exports here", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        load(tmp_path)
    assert err.value.problem == "no data files found"
    assert "customers.csv" in err.value.expected and "responses.csv" in err.value.expected


def test_missing_required_column(tmp_path):
    with pytest.raises(SourceError) as err:
        load(case("missing_column", tmp_path))
    e = err.value
    assert (e.file, e.column) == ("responses.csv", "submitted_at")
    # the only required column of responses: ids can be derived, labels default to "unknown"
    assert e.expected.startswith("columns submitted_at (map other names")
    assert e.found == "response_id, customer_id, touchpoint, channel, nps"
    assert "responses.csv, column 'submitted_at': required column missing" in str(e)


def test_empty_file(tmp_path):
    with pytest.raises(SourceError) as err:
        load(case("empty_file", tmp_path))
    e = err.value
    assert e.file == "orders.csv"
    assert e.problem == "file is empty"
    assert e.expected == "a header row with columns order_id, customer_id, order_date, amount, product"


def test_undecodable_bytes_reject_their_record(tmp_path):
    # byte 0x81 is invalid UTF-8 and undefined in cp1252; it sits in the region field of line 3.
    # The file holds no other non-ASCII byte, so it is read as cp1252 and only that record is
    # rejected (issue 15: per-line decoding, no whole-file failure)
    data = load(case("undecodable", tmp_path))
    assert counts(data, "customers") == (4, 3, 1)
    assert rejected_rows(data, "customers") == [
        (3, "region", "Zuid \\x81", "undecodable bytes \\x81 (expected cp1252 text)")
    ]


# --- row-level problems: rejected with line, column, raw value and reason --------------------

NO_ANSWER = "no answer (expected at least one of nps, csat, ces, comment)"
UNKNOWN_CUSTOMER = "unknown customer_id (not in customers.csv)"

ROW_CASES = {
    # the multi-line comments of lines 2-4 and 7-8 must not shift the line numbers
    "score_out_of_range": {
        "responses": (
            (6, 2, 4),
            [
                (5, "nps", "11", "out of range (expected 0–10)"),
                (6, "csat", "0", "out of range (expected 1–5)"),
                (7, "ces", "8", "out of range (expected 1–7)"),
                (9, "nps", "-1", "out of range (expected 0–10)"),
            ],
        )
    },
    # line 3 has a comment but no score: kept (it counts for themes); line 4 has neither
    "no_score": {"responses": ((3, 2, 1), [(4, "nps, csat, ces, comment", None, NO_ANSWER)])},
    "unparseable_date": {
        "customers": (
            (4, 2, 2),
            [
                (3, "signup_date", "2024-02-30", "unparseable date (expected YYYY-MM-DD or DD-MM-YYYY)"),
                (5, "churn_date", "31/12/2025x", "unparseable date (expected YYYY-MM-DD or DD-MM-YYYY)"),
            ],
        ),
        "responses": (
            (3, 2, 1),
            [
                (
                    3,
                    "submitted_at",
                    "gisteren",
                    "unparseable datetime (expected ISO 8601 (YYYY-MM-DDTHH:MM[:SS][+HH:MM]) or DD-MM-YYYY HH:MM[:SS])",
                )
            ],
        ),
    },
    "duplicate_id": {
        "customers": ((5, 4, 1), [(5, "customer_id", "C002", "duplicate customer_id (first occurrence kept)")])
    },
    "response_before_created": {
        "tickets": (
            (3, 1, 2),
            [
                (2, "first_response_at", "2025-01-05T08:30:00+01:00", "first_response_at before created_at"),
                (3, "resolved_at", "2025-03-28T10:00:00+01:00", "resolved_at before created_at"),
            ],
        )
    },
    # C004 churns on its signup day: allowed. C002's orders, responses and tickets are kept:
    # the customer is known, only its own row is wrong
    "churn_before_signup": {
        "customers": ((4, 3, 1), [(3, "churn_date", "2023-12-31", "churn_date before signup_date")]),
        "responses": ((4, 4, 0), []),
        "orders": ((4, 4, 0), []),
        "tickets": ((3, 3, 0), []),
    },
    "unknown_customer": {
        "responses": ((2, 1, 1), [(3, "customer_id", "C999", UNKNOWN_CUSTOMER)]),
        "orders": ((2, 1, 1), [(2, "customer_id", "C999", UNKNOWN_CUSTOMER)]),
        "tickets": ((3, 2, 1), [(4, "customer_id", "C999", UNKNOWN_CUSTOMER)]),
    },
    "unknown_values": {
        "tickets": (
            (2, 1, 1),
            [(3, "category", "klacht", "unknown value (expected one of question, complaint, request)")],
        ),
        "observations": (
            (3, 1, 2),
            [
                (2, "source", "audit", "unknown value (expected one of mystery_guest, coach, spot_check)"),
                (4, "category", "gedrag", "unknown value (expected one of standard, behaviour)"),
            ],
        ),
        "actions": (
            (2, 1, 1),
            [(3, "status", "busy", "unknown value (expected one of open, in_progress, done, cancelled)")],
        ),
    },
    "unknown_team": {"tickets": ((2, 1, 1), [(3, "team", "service-west", "unknown team (not in teams.csv)")])},
    "done_without_done_on": {"actions": ((2, 1, 1), [(2, "done_on", None, "status done without done_on")])},
    "duplicate_observation_item": {
        "observations": (
            (4, 3, 1),
            [(4, "observation_id, item", "OB01, greeting", "duplicate (observation_id, item) (first occurrence kept)")],
        )
    },
    "negative_amount": {"orders": ((3, 2, 1), [(3, "amount", "-49.50", "negative amount (expected ≥ 0)")])},
    "wrong_field_count": {
        "responses": (
            (4, 2, 2),
            [
                (3, None, "12 fields", "wrong number of fields (expected 11)"),
                (4, None, "7 fields", "wrong number of fields (expected 11)"),
            ],
        )
    },
    # the blank line 4 is not a record; the line of delimiters is
    "empty_row": {"responses": ((3, 2, 1), [(3, None, None, "empty row")])},
    # an odd quote inside an unquoted field sends the file down the exact (csv module) path
    "stray_quote": {"responses": ((4, 3, 1), [(4, "nps", "12", "out of range (expected 0–10)")])},
}


@pytest.mark.parametrize("name", sorted(ROW_CASES))
def test_row_problems_are_rejected_with_their_reason(name, tmp_path):
    data = load(case(name, tmp_path))
    expected = ROW_CASES[name]
    for table, (read_accepted_rejected, rows) in expected.items():
        assert counts(data, table) == read_accepted_rejected, table
        assert rejected_rows(data, table) == rows, table
    others = data.rejected[~data.rejected["table"].isin(list(expected))]
    assert others.empty, others


@pytest.mark.parametrize("name", sorted(ROW_CASES))
def test_accepted_plus_rejected_is_read(name, tmp_path):
    data = load(case(name, tmp_path))
    s = data.summary
    assert (s["accepted"] + s["rejected"] == s["read"]).all()
    for table, frame in data.tables.items():
        assert len(frame) == s.set_index("table").loc[table, "accepted"]
    per_table = data.rejected.groupby("table").size()
    assert per_table.reindex(s["table"], fill_value=0).tolist() == s["rejected"].tolist()


def test_rejected_rows_are_gone_and_the_rest_kept(tmp_path):
    data = load(case("score_out_of_range", tmp_path))
    r = data.responses
    assert r["response_id"].tolist() == ["R001", "R006"]
    assert r.loc[0, "comment"] == "Eerste regel\ntweede regel\nderde regel"


def test_duplicate_keeps_the_first(tmp_path):
    data = load(case("duplicate_id", tmp_path))
    c2 = data.customers.set_index("customer_id").loc["C002"]
    assert (c2["segment"], c2["region"]) == ("smb", "Zuid")  # line 3, not line 5


def test_exact_path_keeps_the_stray_quote(tmp_path):
    data = load(case("stray_quote", tmp_path))
    comments = data.responses.set_index("response_id")["comment"]
    assert comments["R002"] == 'Kabel van 5" te kort'
    assert comments["R001"] == "Monteur was 1,90 m lang"
