"""The report batch machinery: names, arguments, warm kernels, failures, stale pages, locks, kills.

These tests render a small probe notebook (tests/data/notebooks/batch_probe.ipynb) on real
kernels over a tiny data folder, so they exercise the batch without paying for the analysis; the
quarterly review itself is rendered in test_report.py and test_report_cluster.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from batch_helpers import (
    PROBE,
    alive,
    cx_command,
    descendants,
    index_links,
    probe_digest,
    tiny_data,
    variant,
)

from cxlib.paths import PROJECT_ROOT
from cxlib.private_temp import PrivateRunDir, private_base, remove_stale_runs
from cxlib.report import run_batch
from cxlib.report.guard import LockBusy, OutputLock
from cxlib.report.naming import display_label, file_names

PERIOD = "2026-Q3"


# ---- names --------------------------------------------------------------------------------------
def test_file_names_are_unique_safe_short_and_deterministic():
    units = [
        "",
        "Noord",
        "NOORD",
        "Index",
        "Whole Company",
        "東京",
        "大阪",
        "Zu\x00id\x1b[31m!",
        "x" * 300,
        "Team 06-12345678",
        "Team 06-87654321",
        "con",
        "Zuid & Oost / 2",
        "Ünïcödé",
    ]
    names = file_names(units)
    assert len(set(names.values())) == len(units)  # no two units share a page
    assert names[""] == "whole-company" and names["Zuid & Oost / 2"] == "zuid-oost-2"
    assert names["Ünïcödé"] == "unicode"  # accents folded, no suffix needed
    for unit, stem in names.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", stem) and len(stem) <= 48, (unit, stem)
        assert stem not in ("index", "con") and "12345678" not in stem and "87654321" not in stem
    # colliding, reserved and non-Latin names get a suffix; the plain slug is kept by nobody
    assert names["Noord"].startswith("noord-") and names["NOORD"].startswith("noord-")
    assert names["Index"].startswith("index-") and names["Whole Company"].startswith("whole-company-")
    assert names["東京"].startswith("unit-") and names["大阪"].startswith("unit-")
    assert file_names(list(reversed(units))) == names  # independent of order
    assert file_names(["Noord", "Zuid"]) == {"Noord": "noord", "Zuid": "zuid"}


def test_display_labels_drop_control_characters_and_redact_personal_data():
    assert display_label("Zu\x00id\x1b[31m!") == "Zuid!"
    assert display_label("a\u200bb\u202ec\td") == "abc d"
    assert display_label("Team 06-12345678") == "Team [phone]"
    assert display_label("jan@example.nl") == "[email]"
    assert len(display_label("x" * 300)) == 120


# ---- arguments ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period": "2026-Q5"}, "--period"),
        ({"period": "../../x"}, "--period"),
        ({"period": "2026-Q3\n"}, "--period"),
        ({"lang": "de"}, "--lang"),
        ({"by": "../../tmp/evil"}, "--by"),
        ({"data": "no/such/folder"}, "--data"),
        ({"workers": 0}, "--workers"),
        ({"confidence": 95}, "--confidence"),
        ({"cluster": "localhost"}, "--cluster"),
    ],
)
def test_wrong_arguments_stop_before_anything_is_created(tmp_path, capsys, change, message):
    out = tmp_path / "reports"
    kwargs = {"period": PERIOD, "by": "region", "data": tmp_path, "out": out, **change}
    assert run_batch(**kwargs) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"cx report: {message}") and "\n" not in err
    assert not out.exists()


def test_unknown_unit_dimension_and_read_only_out_stop_with_one_line(tmp_path, capsys):
    data = tiny_data(tmp_path / "data")
    assert run_batch(PERIOD, by="colour", data=data, out=tmp_path / "r", notebook=PROBE, workers=1) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("cx report: --by 'colour' is not a label column of the data; usable: ") and "region" in err
    assert not (tmp_path / "r").exists()
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "ro"
        locked.mkdir(mode=0o500)
        assert run_batch(PERIOD, data=data, out=locked, notebook=PROBE) == 2
        assert "not writable" in capsys.readouterr().err


# ---- temp folders and the lock (no kernels) ------------------------------------------------------
def test_atomic_write_keeps_the_usual_file_mode(tmp_path):
    import os

    from cxlib.atomic import write_atomic

    previous = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "a.html", "<p>one</p>")
        assert target.stat().st_mode & 0o777 == 0o644  # 0o666 less the umask 0o022, not mkstemp's 0o600
        os.chmod(target, 0o640)
        write_atomic(target, "<p>two</p>")  # an existing file keeps its mode
        assert target.stat().st_mode & 0o777 == 0o640 and target.read_text() == "<p>two</p>"
    finally:
        os.umask(previous)


def test_private_run_folder_is_0700_removed_after_use_and_stale_ones_go(tmp_path):
    with PrivateRunDir(tmp_path) as run:
        assert run.stat().st_mode & 0o777 == 0o700
        assert private_base(tmp_path).stat().st_mode & 0o777 == 0o700
        (run / "snapshot.pkl").write_bytes(b"secret")
        assert remove_stale_runs(private_base(tmp_path)) == []  # held by this run
    assert not run.exists()
    stale = private_base(tmp_path) / "run-dead"  # what a killed run leaves: a folder nobody locks
    stale.mkdir()
    (stale / "lock").write_text("12345")
    (stale / "snapshot.pkl").write_bytes(b"secret")
    with PrivateRunDir(tmp_path):
        assert not stale.exists()


def test_output_lock_excludes_a_second_run_and_names_the_first(tmp_path):
    with OutputLock(tmp_path / "state", tmp_path / "2026-Q3"):
        with pytest.raises(LockBusy, match=rf"another cx report is writing .*2026-Q3 \(pid {os.getpid()}, started"):
            OutputLock(tmp_path / "state", tmp_path / "2026-Q3", wait=0.3).__enter__()
    with OutputLock(tmp_path / "state", tmp_path / "2026-Q3"):  # released: free again
        pass


# ---- batches on real kernels ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def probe_batch(tmp_path_factory):
    """One warm worker renders a tiny company by region: the whole company (first) leaves state
    behind, Noord fails; run from the data's parent folder with a relative --data and --out."""
    root = tmp_path_factory.mktemp("probe")
    data = tiny_data(root / "data", [("Service Noord", "Noord"), ("Service Oost", "Oost"), ("Service Zuid", "Zuid")])
    notebook = variant(root / "probe.ipynb", 'fail_unit: str = "Noord"', 'plant_unit: str = ""')
    cwd = os.getcwd()
    os.chdir(root)  # a relative --data and --out, as the README shows them
    try:
        status = run_batch(
            PERIOD, by="region", data="data", out="reports", workers=1, notebook=notebook, progress=False
        )
    finally:
        os.chdir(cwd)
    out = root / "reports"
    profile = json.loads((out / ".cx-batch" / PERIOD / "profile.json").read_text())
    return status, out, profile, data


@pytest.mark.slow
def test_batch_renders_every_unit_on_one_warm_kernel(probe_batch):
    _, out, profile, _ = probe_batch
    folder = out / PERIOD
    assert len(profile["kernel_start"]) == 1  # one worker: one kernel start for four units
    assert [u["unit"] for u in profile["units"]] == ["whole-company", "noord", "oost", "zuid"]
    for href, _ in index_links(folder):
        assert "probe page" in (folder / href).read_text(encoding="utf-8")
    # what the units recorded reaches the batch (the index shows the recorded KPI entries, test_report.py)
    assert [u["records"]["headline"] for u in profile["units"] if u["ok"]] == ["probe all", "probe Oost", "probe Zuid"]
    assert all(u["records"]["goals"] == 7 for u in profile["units"])  # goals.yaml travels with the snapshot


@pytest.mark.slow
def test_state_planted_by_one_unit_is_gone_in_the_next(probe_batch):
    """The whole company planted a variable, options, an env variable, a cwd and emptied its data;
    Noord ran next on the same kernel and saw none of it."""
    _, _, profile, data = probe_batch
    first, second = (u["records"] for u in profile["units"][:2])
    assert first["leaked"] == [] and second["leaked"] == []  # `planted` did not survive the reset
    assert second["state"] == first["state"]  # display.max_rows, figure.dpi, CX_PLANTED, cwd
    assert second["state"] == [60, 100.0, "", str(data.parent), True]  # the notebook's folder; charts shown
    assert second["responses"] == first["responses"] == 3  # the cached snapshot was not emptied
    assert profile["units"][0]["ok"] and not profile["units"][1]["ok"]


@pytest.mark.slow
def test_failed_unit_is_reported_kept_privately_and_never_linked(probe_batch):
    status, out, _, _ = probe_batch
    folder, state = out / PERIOD, out / ".cx-batch" / PERIOD
    assert status == 1
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "oost.html", "whole-company.html", "zuid.html"]
    assert "noord.html" not in dict(index_links(folder))
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert "mislukt: RuntimeError: injected failure for Noord" in text
    assert "Traceback" not in text and str(out) not in text
    kept = state / "failed" / "noord.ipynb"
    assert kept.exists() and kept.stat().st_mode & 0o777 == 0o600 and state.stat().st_mode & 0o777 == 0o700
    assert not list(folder.glob(".*"))  # no temporary files, no lock or log where readers look


@pytest.mark.slow
def test_warnings_and_stderr_go_to_the_batch_log_never_to_a_page(probe_batch):
    _, out, _, _ = probe_batch
    for page in (out / PERIOD).glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "probe warning" not in text and "probe log record" not in text and "probe stderr" not in text
    log = (out / ".cx-batch" / PERIOD / "batch.log").read_text(encoding="utf-8")
    assert "[oost] warning: UserWarning: probe warning for Oost in probe_module.py" in log  # path cut
    assert "[oost] log: WARNING probe: probe log record" in log and "[oost] probe stderr line" in log
    assert "/usr/lib" not in log and str(PROJECT_ROOT) not in log


@pytest.mark.slow
def test_rerun_removes_pages_of_units_that_no_longer_render(probe_batch, tmp_path):
    _, before, _, _ = probe_batch
    out = tmp_path / "reports"
    shutil.copytree(before, out)  # the first run: whole company, Oost and Zuid rendered, Noord failed
    folder = out / PERIOD
    (folder / "notes.txt").write_text("mine")  # a reader's own file is never touched
    data = tiny_data(
        tmp_path / "data", [("Service Noord", "Noord"), ("Service West", "West"), ("Service Zuid", "Zuid")]
    )  # Oost is gone, West is new
    failing = variant(tmp_path / "failing.ipynb", 'fail_unit: str = "Zuid"')  # and Zuid fails now
    assert run_batch(PERIOD, by="region", data=data, out=out, workers=1, notebook=failing, progress=False) == 1
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["index.html", "noord.html", "notes.txt", "west.html", "whole-company.html"]
    assert dict(index_links(folder)).keys() == {"whole-company.html", "noord.html", "west.html"}
    assert "mislukt: RuntimeError: injected failure for Zuid" in (folder / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_page_that_cannot_be_exported_is_that_units_failure_and_the_index_is_written(tmp_path):
    """Oost's cells all run, but nbconvert raises while turning its notebook into HTML (a widget
    view without its model id): Oost fails with the exporter's error and keeps its notebook
    privately; the other units render and the index lists every unit."""
    data = tiny_data(tmp_path / "data", [("Service Noord", "Noord"), ("Service Oost", "Oost")])
    notebook = variant(tmp_path / "unexportable.ipynb", 'unexportable_unit: str = "Oost"')
    out = tmp_path / "r"
    assert run_batch(PERIOD, by="region", data=data, out=out, workers=1, notebook=notebook, progress=False) == 1
    folder, state = out / PERIOD, out / ".cx-batch" / PERIOD
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "noord.html", "whole-company.html"]
    assert dict(index_links(folder)).keys() == {"whole-company.html", "noord.html"}
    assert "mislukt: KeyError: &#x27;model_id&#x27;" in (folder / "index.html").read_text(encoding="utf-8")
    oost = {u["unit"]: u for u in json.loads((state / "profile.json").read_text())["units"]}["oost"]
    assert not oost["ok"] and oost["records"]["headline"] == "probe Oost"  # every cell ran: the export failed
    assert (state / "failed" / "oost.ipynb").exists()


@pytest.mark.slow
def test_colliding_names_each_get_their_own_page_and_the_index_links_it(tmp_path):
    units = ["Noord", "NOORD", "Index", "Whole Company", "東京", "大阪", "x" * 300, "Team 06-12345678", "Zuid & Oost"]
    data = tiny_data(tmp_path / "data", [(u, "Noord") for u in units])
    out = tmp_path / "reports"
    assert run_batch(PERIOD, by="team", data=data, out=out, workers=2, notebook=PROBE, progress=False) == 0
    folder = out / PERIOD
    links = index_links(folder)
    assert len(links) == len(units) + 1 and len({h for h, _ in links}) == len(links)
    expected = {hashlib.sha256(u.encode()).hexdigest(): u for u in [*units, ""]}
    seen = {}
    for href, text in links:
        assert re.fullmatch(r"[a-z0-9-]{1,48}\.html", href)
        unit = expected[probe_digest(folder / href)]  # the page rendered for exactly this unit
        seen[unit] = text
        assert text == (display_label(unit) or "Hele bedrijf")
    assert set(seen) == {*units, ""}
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "12345678" not in index and "Team [phone]" in index
    assert not any("12345678" in p.name for p in folder.iterdir())


# ---- interruption and concurrency (a real `cx report` process) ------------------------------------
def _start(tmp_path: Path, data: Path, out: Path, notebook: Path, workers: int) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "PYTHONPATH": str(PROJECT_ROOT)}
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.Popen(
        cx_command(
            "--period",
            PERIOD,
            "--by",
            "region",
            "--data",
            str(data),
            "--out",
            str(out),
            "--notebook",
            str(notebook),
            "--workers",
            str(workers),
        ),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for(condition, what: str, proc: subprocess.Popen, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if proc.poll() is not None:
            raise AssertionError(f"the batch ended before {what}: {proc.communicate()}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _kernels(proc: subprocess.Popen, count: int) -> list[int]:
    family = descendants(proc.pid)
    kernels = [p for p in family if b"ipykernel" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return family if len(kernels) >= count else []


def _gone(family: list[int], timeout: float = 20) -> list[int]:
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    return [p for p in family if alive(p)]


@pytest.mark.slow
def test_kill_9_leaves_no_worker_and_the_next_run_removes_the_temp_data(tmp_path):
    data = tiny_data(tmp_path / "data")
    proc = _start(tmp_path, data, tmp_path / "r", variant(tmp_path / "slow.ipynb", "sleep: float = 60.0"), 2)
    base = tmp_path / "tmp" / f"cx-report-{os.getuid()}"
    family = _wait_for(lambda: _kernels(proc, 2), "two kernels", proc)
    _wait_for(lambda: list(base.glob("run-*/snapshot.pkl")), "the snapshot", proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert not _gone(family), "workers or kernels survived kill -9 of the batch"
    assert list(base.glob("run-*/snapshot.pkl"))  # nobody could clean up after kill -9 …
    tempfile.tempdir = str(tmp_path / "tmp")
    try:
        with PrivateRunDir():  # … so the next run does
            pass
    finally:
        tempfile.tempdir = None
    assert not list(base.glob("run-*"))


@pytest.mark.slow
def test_second_run_into_a_busy_folder_stops_and_sigterm_cleans_up(tmp_path):
    data = tiny_data(tmp_path / "data")
    out = tmp_path / "r"
    first = _start(tmp_path, data, out, variant(tmp_path / "slow.ipynb", "sleep: float = 60.0"), 1)
    lock = out / ".cx-batch" / PERIOD / "lock"
    _wait_for(lambda: lock.exists() and lock.stat().st_size, "the lock", first)
    family = _wait_for(lambda: _kernels(first, 1), "the kernel", first)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    second = subprocess.run(
        cx_command("--period", PERIOD, "--data", str(data), "--out", str(out), "--notebook", str(PROBE)),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert second.returncode == 2
    assert re.fullmatch(
        rf"cx report: another cx report is writing {re.escape(str(out / PERIOD))} "
        rf"\(pid {first.pid}, started [0-9T:-]+\); wait for it to finish, use --wait SECONDS, "
        r"or choose another --out\n",
        second.stderr,
    )
    os.kill(first.pid, signal.SIGTERM)
    _, stderr = first.communicate(timeout=60)
    assert first.returncode == 128 + signal.SIGTERM, stderr
    assert "interrupted (SIGTERM)" in stderr
    assert not _gone(family), "workers or kernels survived SIGTERM of the batch"
    assert not list((tmp_path / "tmp").glob("cx-report-*/run-*")), "temp data left behind"
    index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
    assert index.count("niet gemaakt (batch onderbroken)") == 3  # the index is written; no unit finished


def _processes_with_tmpdir(tmp: Path) -> list[int]:
    """Processes whose environment carries ``TMPDIR=tmp``: a batch's workers and their kernels."""
    marker = f"TMPDIR={tmp}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # gone, or not ours to read
                pass
    return found


@pytest.mark.slow
@pytest.mark.parametrize("moment", [0.0, 0.4, 1.2, "page folder"])
def test_sigterm_while_the_data_loads_or_the_pages_are_prepared_leaves_nothing_behind(tmp_path, moment):
    """SIGTERM ``moment`` seconds after the run's temp folder appears (the sample loading, kernels
    starting), or as soon as the page folder appears (the units are known, the shared page parts
    are being computed). Always: exit 128 + 15, no worker or kernel left, no temp folder; and no
    page folder before the units are known, an index once they are."""
    out = tmp_path / "r"
    proc = _start(tmp_path, PROJECT_ROOT / "data" / "sample", out, PROBE, 2)
    base = tmp_path / "tmp" / f"cx-report-{os.getuid()}"
    _wait_for(lambda: list(base.glob("run-*/lock")), "the run folder", proc)
    if moment == "page folder":
        _wait_for(lambda: (out / PERIOD).exists(), "the page folder", proc)
    else:
        time.sleep(moment)
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "interrupted (SIGTERM)" in stderr
    assert not _gone(_processes_with_tmpdir(tmp_path / "tmp")), "a worker or kernel outlived the batch"
    left = [str(p.relative_to(tmp_path)) for p in base.glob("run-*/**/*")]
    assert not list(base.glob("run-*")), f"temp data left behind: {left}"
    if moment == "page folder":
        index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
        assert "niet gemaakt (batch onderbroken)" in index
    elif (out / PERIOD).exists():
        assert (out / PERIOD / "index.html").exists(), "an interrupted batch left a page folder without an index"


def test_the_latest_complete_quarter_is_the_one_the_data_covers_to_its_last_day():
    from cxlib.periods import latest_complete

    # by the calendar: Q3 ends on 30 September; data to 15 September covers only Q2 to its end
    assert latest_complete("2026-09-30 22:35:48+02:00", "quarter") == "2026-Q3"
    assert latest_complete("2026-09-15 10:00:00+02:00", "quarter") == "2026-Q2"
    assert latest_complete("2026-10-01 00:30:00+02:00", "quarter") == "2026-Q3"
    assert latest_complete("2026-03-31", "month") == "2026-03"


@pytest.mark.slow
def test_cx_report_without_period_or_by_renders_the_latest_quarter_for_the_whole_company(tmp_path):
    from cxlib.report import run_batch

    # the sample's last answer is dated 2026-09-30T22:35:48+02:00 (data/sample/responses.csv): 2026-Q3
    assert run_batch(out=tmp_path, notebook=PROBE, workers=1, progress=False) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cx-batch", "2026-Q3"]  # the batch's state beside it
    assert sorted(p.name for p in (tmp_path / "2026-Q3").glob("*.html")) == ["index.html", "whole-company.html"]


@pytest.mark.slow
def test_ctrl_c_stops_the_workers_cleans_up_and_writes_the_index(tmp_path):
    """SIGINT (Ctrl-C in a terminal) ends the batch as SIGTERM does: exit 128 + 2, no worker or
    kernel left, no temp data, and the index marks the units not rendered."""
    data = tiny_data(tmp_path / "data")
    out = tmp_path / "r"
    proc = _start(tmp_path, data, out, variant(tmp_path / "slow.ipynb", "sleep: float = 60.0"), 1)
    family = _wait_for(lambda: _kernels(proc, 1), "the kernel", proc)
    base = tmp_path / "tmp" / f"cx-report-{os.getuid()}"
    _wait_for(lambda: list(base.glob("run-*/snapshot.pkl")), "the snapshot", proc)  # the units are known
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGINT, stderr
    assert "interrupted (SIGINT)" in stderr
    assert not _gone(family), "workers or kernels survived SIGINT of the batch"
    left = [str(p.relative_to(tmp_path)) for p in (tmp_path / "tmp").glob("cx-report-*/run-*/**/*")]
    assert not list((tmp_path / "tmp").glob("cx-report-*/run-*")), f"temp data left behind: {left}"
    index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
    assert index.count("niet gemaakt (batch onderbroken)") == 3
