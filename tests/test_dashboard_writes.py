"""Writes behind the dashboard's forms: validated observation records and action status, atomic,
and safe under two writers at once (cxlib.io.writer, cxlib.actions.ledger.set_action_status)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

import cxlib as cx
from cxlib import paths
from cxlib.io.writer import (
    RecordError,
    append_records,
    checklist_records,
    record_spans,
    replace_record,
)

CATEGORIES = {"greeting": "standard", "identity_check": "standard", "follow_up": "behaviour"}


@pytest.fixture
def folder(tmp_path):
    """A copy of the sample company's folder (the writes change files)."""
    target = tmp_path / "data"
    shutil.copytree(paths.SAMPLE_DATA, target)
    return target


def test_record_spans_follow_quoted_line_breaks():
    # header, a record whose quoted field holds a line break and a comma, a last record without \n
    text = 'a,b\n1,"x\ny, z"\n2,w'
    assert record_spans(text) == [(0, 4), (4, 15), (15, 18)]


def test_checklist_rows_appear_in_load_and_compliance(folder):
    before = (folder / "observations.csv").read_bytes()
    old = cx.load(folder)
    rows = checklist_records(
        "Service West",
        "coach",
        {"greeting": True, "identity_check": False, "follow_up": True},
        CATEGORIES,
        observer="anna",
        observed_at="2026-09-30T10:00:00+02:00",
        observation_id="OB-test-1",
    )
    append_records(folder, "observations", rows)
    after = (folder / "observations.csv").read_bytes()
    # the header gains the optional observer column; each old record gets one empty field, nothing else changes
    old_lines, new_lines = before.decode().splitlines(), after.decode().splitlines()
    assert new_lines[0] == old_lines[0] + ",observer"
    assert new_lines[1 : len(old_lines)] == [line + "," for line in old_lines[1:]]
    assert new_lines[len(old_lines) :] == [
        "OB-test-1,2026-09-30T10:00:00+02:00,Service West,coach,standard,greeting,true,anna",
        "OB-test-1,2026-09-30T10:00:00+02:00,Service West,coach,standard,identity_check,false,anna",
        "OB-test-1,2026-09-30T10:00:00+02:00,Service West,coach,behaviour,follow_up,true,anna",
    ]
    data = cx.load(folder)
    mine = data.observations[data.observations["observation_id"] == "OB-test-1"]
    assert list(mine["observer"]) == ["anna"] * 3
    assert len(data.rejected) == len(old.rejected)  # nothing else rejected
    # compliance counts the two standard items (one passed): n and successes grow by 2 and 1 (by hand)
    was = cx.compliance(old.observations, by="team", period="2026-Q3", min_n=1)
    now = cx.compliance(data.observations, by="team", period="2026-Q3", min_n=1)

    def pick(f):
        return f[f["team"] == "Service West"].iloc[0]

    assert pick(now)["n"] == pick(was)["n"] + 2
    assert pick(now)["successes"] == pick(was)["successes"] + 1


def test_rejected_record_names_line_and_reason_and_writes_nothing(folder):
    before = (folder / "observations.csv").read_bytes()
    rows = checklist_records("Service Atlantis", "coach", {"greeting": True}, CATEGORIES, observer="anna")
    with pytest.raises(RecordError) as err:
        append_records(folder, "observations", rows)
    assert "observations.csv, line 15363" in str(err.value)  # header + 15,361 records read + the new one
    assert "unknown team" in str(err.value)
    assert (folder / "observations.csv").read_bytes() == before
    bad_source = checklist_records("Service West", "telepathy", {"greeting": True}, CATEGORIES, observer="anna")
    with pytest.raises(RecordError, match="source"):
        append_records(folder, "observations", bad_source)
    with pytest.raises(ValueError, match="no category"):
        checklist_records("Service West", "coach", {"smile": True}, CATEGORIES, observer="anna")


def test_duplicate_key_is_rejected(folder):
    rows = checklist_records(
        "Service West", "coach", {"greeting": True}, CATEGORIES, observer="anna", observation_id="OB000001"
    )
    with pytest.raises(RecordError, match="duplicate"):
        append_records(folder, "observations", rows)


def test_action_done_in_place_with_log(folder):
    before = (folder / "actions.csv").read_text().splitlines()
    row = cx.set_action_status(folder / "actions.csv", "A044", "done", by="bram", on="2026-11-30", expected="open")
    after = (folder / "actions.csv").read_text().splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(after) == len(before) and len(changed) == 1
    assert after[changed[0]] == (
        "A044,2026-07-13,Service Oost,Ruben Hendriks,sla_attainment,SLA attainment of "
        "e-mail below 80%,Auto-acknowledge e-mails with an expected reply time,done,"
        "2026-10-16,2026-11-30"
    )
    assert (row["status_before"], row["status_after"], row["changed_by"]) == ("open", "done", "bram")
    log = pd.read_csv(folder / "actions_log.csv", dtype=str)
    assert list(log.columns) == ["changed_at", "action_id", "status_before", "status_after", "done_on", "changed_by"]
    assert log.iloc[0]["done_on"] == "2026-11-30" and log.iloc[0]["changed_by"] == "bram"
    data = cx.load(folder)
    action = data.actions.set_index("action_id").loc["A044"]
    assert action["status"] == "done" and action["done_on"] == pd.Timestamp("2026-11-30", tz="Europe/Amsterdam")
    # someone who still saw "open" cannot overwrite the change
    with pytest.raises(ValueError, match="changed by someone else"):
        cx.set_action_status(folder / "actions.csv", "A044", "in_progress", by="anna", expected="open")
    with pytest.raises(KeyError):
        cx.set_action_status(folder / "actions.csv", "A999", "done", by="anna")


def test_invalid_status_change_is_refused(folder):
    before = (folder / "actions.csv").read_bytes()
    with pytest.raises(RecordError, match="done_on before created_on"):  # done before the action existed
        cx.set_action_status(folder / "actions.csv", "A047", "done", by="anna", on="2026-01-01")
    assert (folder / "actions.csv").read_bytes() == before
    with pytest.raises(ValueError, match="status"):
        replace_record(folder, "actions", "action_id", "A047", {"status": "maybe"})
    assert (folder / "actions.csv").read_bytes() == before


WRITER = textwrap.dedent("""
    import sys
    import cxlib as cx
    from cxlib.io.writer import append_records, checklist_records
    folder, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    actions = {"w1": ["A043", "A044", "A045"], "w2": ["A046", "A047"]}[who]
    for i in range(count):
        rows = checklist_records("Service West", "spot_check", {"greeting": i % 2 == 0}, {"greeting": "standard"},
                                 observer=who, observation_id=f"OB-{who}-{i}")
        append_records(folder, "observations", rows)
        if i < len(actions):
            cx.set_action_status(folder + "/actions.csv", actions[i], "in_progress", by=who)
""")


@pytest.mark.slow
def test_two_processes_writing_at_once_lose_nothing(folder):
    env = {**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    count = 6
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(folder), who, str(count)], env=env) for who in ("w1", "w2")
    ]
    assert [p.wait(timeout=240) for p in procs] == [0, 0]
    data = cx.load(folder)
    ours = data.observations[data.observations["observation_id"].str.startswith("OB-w")]
    assert sorted(ours["observation_id"]) == sorted(f"OB-{w}-{i}" for w in ("w1", "w2") for i in range(count))
    status = data.actions.set_index("action_id")["status"].astype(str)
    assert all(status[a] == "in_progress" for a in ("A043", "A044", "A045", "A046", "A047"))
    log = pd.read_csv(folder / "actions_log.csv", dtype=str)
    assert sorted(log["action_id"]) == ["A043", "A044", "A045", "A046", "A047"]
