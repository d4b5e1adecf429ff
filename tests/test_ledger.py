"""The action ledger: accepted proposals are appended with stable ids, atomically, never lost or doubled."""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading

import pandas as pd
import pytest

import cxlib
import cxlib.atomic
from cxlib.actions import accept_actions, ledger_rows, propose_actions
from cxlib.actions import ledger as ledger_module
from cxlib.actions.ledger import LEDGER_COLUMNS
from cxlib.paths import SAMPLE_DATA

HEADER = ",".join(LEDGER_COLUMNS)


def proposals(n: int = 3) -> pd.DataFrame:
    """Hand-made proposals as propose_actions returns them (only the columns the ledger reads)."""
    return pd.DataFrame(
        {
            "action_id": [f"A-00000000{i:02d}" for i in range(n)],
            "team": [f"Team {i}" for i in range(n)],
            "kpi": ["csat"] * n,
            "trigger": [f'CSAT 2025-Q2 {50 + i}%, below the target of 75% ("whole" interval below)' for i in range(n)],
            "description": [f"Train team {i}, then measure again" for i in range(n)],
        }
    )


def read_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_rows_follow_the_contract():
    rows = ledger_rows(proposals(2), owner={"Team 0": "Anna", "Team 1": "Bram"}, due_on=30, created_on="2025-07-03")
    assert list(rows.columns) == list(LEDGER_COLUMNS)
    assert rows["owner"].tolist() == ["Anna", "Bram"]
    assert rows["created_on"].dt.strftime("%Y-%m-%d").tolist() == ["2025-07-03"] * 2
    assert rows["due_on"].dt.strftime("%Y-%m-%d").tolist() == ["2025-08-02"] * 2  # 3 July + 30 days
    assert rows["status"].tolist() == ["open"] * 2 and rows["done_on"].isna().all()


def test_new_ledger_gets_the_header_and_the_rows(tmp_path):
    path = tmp_path / "actions.csv"
    added = accept_actions(proposals(2), path, owner="Anna", due_on="2025-09-30", created_on="2025-07-03")
    assert len(added) == 2
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER and text.endswith("\n") and "\r" not in text
    assert text.splitlines()[1] == (
        "A-0000000000,2025-07-03,Team 0,Anna,csat,"
        '"CSAT 2025-Q2 50%, below the target of 75% (""whole"" interval below)",'
        '"Train team 0, then measure again",open,2025-09-30,'
    )
    assert [r["action_id"] for r in read_rows(path)] == ["A-0000000000", "A-0000000001"]


def test_accepting_twice_gives_the_same_file(tmp_path):
    path = tmp_path / "actions.csv"
    accept_actions(proposals(3), path, owner="Anna", due_on=42, created_on="2025-07-03")
    first = path.read_bytes()
    again = accept_actions(proposals(3), path, owner="Bram", due_on=10, created_on="2025-08-01")
    assert again.empty and path.read_bytes() == first
    more = accept_actions(proposals(5), path, owner="Anna", due_on=42, created_on="2025-07-03")
    assert more["action_id"].tolist() == ["A-0000000003", "A-0000000004"]  # only the new ones
    ids = [r["action_id"] for r in read_rows(path)]
    assert ids == [f"A-00000000{i:02d}" for i in range(5)] and len(set(ids)) == 5


def test_existing_rows_are_kept_byte_for_byte(tmp_path):
    path = tmp_path / "actions.csv"
    existing = (
        HEADER + "\n"
        'A001,2024-10-14,Service West,Bram de Wit,nps,"Two lines,\nquoted",Call back,done,'
        "2024-11-29,2024-11-22\n"
        "A002,2024-10-21,Field Noord,Henk Postma,ces,CES low,Fix it,open,2024-12-20,"
    )  # no final newline
    path.write_bytes(existing.encode("utf-8"))
    accept_actions(proposals(1), path, owner="Anna", due_on=42, created_on="2025-07-03")
    data = path.read_bytes()
    assert data.startswith(existing.encode("utf-8") + b"\n")
    assert [r["action_id"] for r in read_rows(path)] == ["A001", "A002", "A-0000000000"]


def test_the_write_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "actions.csv"
    accept_actions(proposals(1), path, owner="Anna", due_on=42, created_on="2025-07-03")
    before = path.read_bytes()
    calls = []
    real = ledger_module.write_atomic
    monkeypatch.setattr(ledger_module, "write_atomic", lambda p, c: calls.append(p) or real(p, c))
    accept_actions(proposals(2), path, owner="Anna", due_on=42, created_on="2025-07-03")
    assert calls == [path]  # the ledger is written through write_atomic only

    def crash(src, dst):  # the rename never happens: power cut after the temporary file was written
        raise OSError("disk gone")

    monkeypatch.setattr(cxlib.atomic.os, "replace", crash)
    after_one = path.read_bytes()
    assert after_one != before
    with pytest.raises(OSError, match="disk gone"):
        accept_actions(proposals(3), path, owner="Anna", due_on=42, created_on="2025-07-03")
    assert path.read_bytes() == after_one  # the old file, whole
    assert sorted(os.listdir(tmp_path)) == ["actions.csv"]  # no temporary file left behind


@pytest.mark.parametrize("attempt", range(3))  # without the lock most attempts lose or double rows
def test_concurrent_writers_lose_nothing(tmp_path, attempt):
    path = tmp_path / "actions.csv"
    batches = [proposals(12).iloc[i::4] for i in range(4)]  # four writers, three actions each
    threads = [
        threading.Thread(
            target=accept_actions, args=(b, path), kwargs={"owner": "Anna", "due_on": 42, "created_on": "2025-07-03"}
        )
        for b in batches
        for _ in range(2)
    ]  # and each batch twice
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = [r["action_id"] for r in read_rows(path)]
    assert sorted(ids) == [f"A-00000000{i:02d}" for i in range(12)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"due_on": "2025-07-01"}, "before created_on"),
        ({"owner": {"Team 0": "Anna"}}, "no entry for team(s) Team 1"),
        ({"status": "finished"}, "status 'finished' must be one of"),
        ({"status": "done"}, "done needs done_on"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(tmp_path, kwargs, message):
    path = tmp_path / "actions.csv"
    args = {"owner": "Anna", "due_on": 42, "created_on": "2025-07-03", **kwargs}
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        accept_actions(proposals(2), path, **args)
    assert not path.exists()


def test_actions_without_team_or_with_unknown_kpi_are_refused(tmp_path):
    bad = proposals(1).assign(team=[pd.NA])
    with pytest.raises(ValueError, match="action A-0000000000: no owner team"):
        ledger_rows(bad, owner="Anna", due_on=42)
    with pytest.raises(ValueError, match="kpi 'happiness'"):
        ledger_rows(proposals(1).assign(kpi="happiness"), owner="Anna", due_on=42)


def test_sample_ledger_accepts_proposals_and_still_loads(sample, tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE_DATA, folder)
    path = folder / "actions.csv"
    before = path.read_bytes()
    proposed = propose_actions(sample, "2025-Q2", lang="nl")
    training = proposed[proposed["rule"] == "train_team"]
    added = accept_actions(training, path, owner="Team lead", due_on=42, created_on="2025-07-03")
    assert len(added) == 1 and added.iloc[0]["team"] == "Service Oost"
    after = path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    assert accept_actions(
        proposed[proposed["rule"] == "train_team"], path, owner="x", due_on=1, created_on="2025-07-03"
    ).empty
    assert path.read_bytes() == after
    loaded = cxlib.load(folder)
    counts = loaded.summary.set_index("table").loc["actions"]
    assert counts["read"] == 48 and counts["accepted"] == 47  # A040 stays rejected, as before
    row = loaded.actions[loaded.actions["action_id"] == added.iloc[0]["action_id"]].iloc[0]
    assert str(row["kpi"]) == "csat" and str(row["status"]) == "open"
    assert row["due_on"].strftime("%Y-%m-%d") == "2025-08-14"
    assert "onder het doel" in row["trigger"]
    # the raw file parses as CSV with the contract header
    assert next(csv.reader(io.StringIO(after.decode("utf-8")))) == list(LEDGER_COLUMNS)
