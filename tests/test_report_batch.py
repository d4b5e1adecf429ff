"""The report batch: parallel units, an injected failing unit, atomic and idempotent outputs."""
from __future__ import annotations

import pytest

from cxlib.paths import PROJECT_ROOT
from cxlib.report.batch import plan_jobs, run_jobs, slug
from cxlib.report.index import write_index

PROBE = PROJECT_ROOT / "tests" / "data" / "notebooks" / "probe.ipynb"
UNITS = ["", "Noord", "Zuid"]


def test_slug():
    assert slug("") == "whole-company"
    assert slug("Noord") == "noord"
    assert slug("Zuid & Oost / 2") == "zuid-oost-2"


@pytest.mark.slow
def test_failing_unit_does_not_stop_the_others(tmp_path):
    jobs = plan_jobs(UNITS, {"fail_unit": "Zuid"}, tmp_path, kernel="cxlib", notebook=PROBE)
    results = run_jobs(jobs, workers=2)

    by_unit = {r.unit: r for r in results}
    assert [r.unit for r in results] == UNITS  # job order kept
    assert by_unit[""].ok and by_unit["Noord"].ok
    assert by_unit["Noord"].records["headline"] == "probe Noord"
    assert not by_unit["Zuid"].ok
    assert "RuntimeError" in by_unit["Zuid"].error and "injected failure for Zuid" in by_unit["Zuid"].error
    # the failed unit: no HTML, but its executed notebook is kept for debugging
    assert not (tmp_path / "zuid.html").exists()
    assert (tmp_path / "failed" / "zuid.ipynb").exists()
    assert (tmp_path / "noord.html").read_text().startswith("<!DOCTYPE html>")
    # no temporary files are left behind by the atomic writes
    assert not list(tmp_path.glob(".*.tmp"))

    index = write_index(tmp_path / "index.html", results, {u: u or "Hele bedrijf" for u in UNITS},
                        period="2026-Q3", by="region", lang="nl")
    text = index.read_text()
    assert 'href="noord.html"' in text and 'href="zuid.html"' not in text
    assert "mislukt: RuntimeError: injected failure for Zuid" in text

    # re-running with the failure fixed renders Zuid and clears its failed notebook (idempotent)
    again = run_jobs(plan_jobs(UNITS, {"fail_unit": "none"}, tmp_path, "cxlib", PROBE), workers=2)
    assert all(r.ok for r in again)
    assert (tmp_path / "zuid.html").exists() and not (tmp_path / "failed" / "zuid.ipynb").exists()
    written = sorted(p.name for p in tmp_path.glob("*.html"))
    assert written == ["index.html", "noord.html", "whole-company.html", "zuid.html"]


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
