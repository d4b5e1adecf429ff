"""Parquet folders and `cx convert` (issue 17, item 2): the same contract as CSV."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cxlib.io import load
from cxlib.io.convert import KNOWN_IDS_FILE, MANIFEST, REJECTED_FILE, convert

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "exports" / "minimal"
BAD = DATA / "bad"


def folder(tmp_path: Path, case: str | None = None) -> Path:
    out = tmp_path / "csv"
    shutil.copytree(MINIMAL, out)
    if case:
        shutil.copytree(BAD / case, out, dirs_exist_ok=True)
    return out


def same(a, b) -> None:
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    key = ["table", "line"]
    pd.testing.assert_frame_equal(
        a.rejected.sort_values(key).reset_index(drop=True), b.rejected.sort_values(key).reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(a.summary.drop(columns="file"), b.summary.drop(columns="file"))


def full_load(path: Path, monkeypatch):
    """Load without the verified-copy shortcut: every row validated again."""
    from cxlib.io import loader

    monkeypatch.setattr(loader, "open_copy", lambda *a: None)
    return load(path)


def test_copy_loads_as_the_original(tmp_path, monkeypatch):
    src = folder(tmp_path)
    written = convert(src, tmp_path / "pq")
    assert sorted(written) == sorted(
        ["teams", "customers", "orders", "responses", "tickets", "observations", "pulse", "actions"]
    )
    original, copy = load(src), load(tmp_path / "pq")
    same(original, copy)
    same(original, full_load(tmp_path / "pq", monkeypatch))
    assert copy.summary["file"].tolist()[0] == "teams.parquet"
    assert (tmp_path / "pq" / "goals.yaml").read_bytes() == (src / "goals.yaml").read_bytes()


def test_copy_carries_the_rejected_rows_and_known_ids(tmp_path, monkeypatch):
    # churn_before_signup: C002's own record (line 3) is rejected, its orders, responses and
    # tickets are kept (docs/data.md: a rejected customer is still a known customer)
    src = folder(tmp_path, "churn_before_signup")
    convert(src, tmp_path / "pq")
    original = load(src)
    for copy in (load(tmp_path / "pq"), full_load(tmp_path / "pq", monkeypatch)):
        same(original, copy)
        row = copy.summary.set_index("table").loc["customers"]
        assert (row["read"], row["accepted"], row["rejected"]) == (4, 3, 1)
        assert copy.rejected[["file", "line", "reason"]].values.tolist() == [
            ["customers.csv", 3, "churn_date before signup_date"]
        ]
        assert "C002" in copy.responses["customer_id"].tolist()
    ids = pq.read_table(tmp_path / "pq" / KNOWN_IDS_FILE).to_pandas()
    assert ids.values.tolist() == [["customers", "C002"]]


def test_a_changed_copy_is_validated_again(tmp_path):
    src = folder(tmp_path)
    out = tmp_path / "pq"
    convert(src, out)
    responses = pq.read_table(out / "responses.parquet").to_pandas()
    bad = pd.concat([responses, responses.iloc[[0]]], ignore_index=True)  # R001 twice: row 5
    bad.loc[4, "nps"] = pd.NA
    pq.write_table(pa.Table.from_pandas(bad, preserve_index=False), out / "responses.parquet")
    data = load(out)
    r = data.rejected[data.rejected["table"] == "responses"]
    assert r[["file", "line", "column", "reason"]].values.tolist() == [
        ["responses.parquet", 5, "response_id", "duplicate response_id (first occurrence kept)"]
    ]
    assert data.summary.set_index("table").loc["responses", "read"] == 5


def test_a_foreign_parquet_folder_meets_the_same_contract(tmp_path):
    # a Parquet export from elsewhere: text columns, other names (mapped in source.yaml), a
    # typed timestamp without zone (local time) and scores written as text
    out = tmp_path / "foreign"
    shutil.copytree(MINIMAL, out, ignore=lambda _, names: [n for n in names if n == "responses.csv"])
    frame = pd.DataFrame(
        {
            "Respondent": ["R1", "R2", "R3", "R\u200b4"],
            "customer_id": ["C001", "C002", "C999", "C003"],
            "submitted_at": pd.to_datetime(
                ["2025-01-12 10:15", "2025-03-30 14:00", "2025-07-01 09:00", "2025-07-01 09:00"]
            ),
            "touchpoint": ["delivery", "support", "billing", "billing"],
            "channel": ["email", "phone", "web", "web"],
            "nps": ["9", "1e1", "7", "7"],
        }
    )
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), out / "responses.parquet")
    (out / "source.yaml").write_text("tables:\n  responses:\n    columns: {Respondent: response_id}\n")
    data = load(out)
    r = data.rejected.sort_values("line")
    # by hand: row 2 nps 1e1 is not whole-number text, row 3 refers to C999, row 4's id holds a
    # zero-width space
    assert r[["file", "line", "column", "value"]].values.tolist() == [
        ["responses.parquet", 2, "nps", "1e1"],
        ["responses.parquet", 3, "customer_id", "C999"],
        ["responses.parquet", 4, "response_id", "R\u200b4"],
    ]
    assert data.responses["submitted_at"].tolist() == [pd.Timestamp("2025-01-12 10:15", tz="Europe/Amsterdam")]


def test_manifest_lists_every_file_with_its_digest(tmp_path):
    out = tmp_path / "pq"
    convert(folder(tmp_path), out)
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["files"]) == {p.name for p in out.iterdir()} - {MANIFEST}
    assert {REJECTED_FILE, KNOWN_IDS_FILE, "responses.parquet"} <= set(manifest["files"])
    assert manifest["fingerprint"] == load(tmp_path / "csv").fingerprint


def run_cx(capsys, *args) -> subprocess.CompletedProcess:
    """`cx ARGS` in this process (the console script calls cxlib.cli.main the same way)."""
    from cxlib.cli import main

    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def test_cx_convert_command(tmp_path, capsys):
    src = folder(tmp_path)
    done = run_cx(capsys, "convert", src, "--to", "parquet", "--out", tmp_path / "pq")
    assert done.returncode == 0, done.stderr
    assert "responses" in done.stdout and (tmp_path / "pq" / "responses.parquet").is_file()
    again = run_cx(capsys, "convert", src, "--out", tmp_path / "pq")  # over an earlier copy: fine
    assert again.returncode == 0, again.stderr
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    refused = run_cx(capsys, "convert", src, "--out", tmp_path / "other")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "holds other files" in refused.stderr
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"
    same_dir = run_cx(capsys, "convert", src, "--out", src)
    assert same_dir.returncode == 2 and "is the data folder itself" in same_dir.stderr
    (src / "customers.csv").write_bytes(b"")  # every table is optional, but an empty file fails
    missing = run_cx(capsys, "convert", src, "--out", tmp_path / "pq2")
    assert missing.returncode == 1 and "customers.csv: file is empty" in missing.stderr
    assert not (tmp_path / "pq2").exists()  # nothing written for a folder that cannot load


@pytest.mark.parametrize("table", ["responses", "orders"])
def test_parquet_beside_csv_prefers_the_csv(tmp_path, table):
    # <table>.csv is tried before <table>.parquet: one file per table, no silent mixing
    src = folder(tmp_path)
    convert(src, tmp_path / "pq")
    shutil.copy(tmp_path / "pq" / f"{table}.parquet", src / f"{table}.parquet")
    assert load(src).files[table].name == f"{table}.csv"
