"""From a raw export to rendered reports (issue 12, Done when), and the sample's first quarter.

For each of the six fixture shapes in tests/data/exports/ and the two shared real exports
(``cxlib.paths.real_exports``: $CX_REAL_EXPORTS or ../shared/real-exports; their tests skip when
it is absent): `cx init`, at most a few edited lines, `cx validate`, then `cx report` renders
every unit, and the KPI tiles on the pages show the values computed here by hand from the raw file (csv module and plain
arithmetic, never cxlib). Then `cx report --period 2024-Q4 --by region` renders every unit of the
sample, whose first quarter has no previous quarter.

Lean: every folder is prepared and rendered once for the module; the `cx report` runs go side by
side as subprocesses (the console script a user runs), one page at a time each, as many at once
as the machine has cores (at least two).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cxlib import paths
from cxlib.cli import main
from cxlib.io.validate import run as validate

pytestmark = pytest.mark.slow

EXPORTS = Path(__file__).parent / "data" / "exports"
REAL = paths.real_exports()  # $CX_REAL_EXPORTS, else shared/real-exports beside the project (or a worktree's)
MAX_EDITS = 3
MIN_N = 30  # the catalogue's minimum n for NPS and CSAT (cxlib/data/kpis.yaml); below it a tile is suppressed
# name → (edits to the draft: regex of the one line to replace → the new line, cx report arguments)
FIXTURES = {
    "qualtrics": ({}, ["--period", "2024", "--min-n", "1"]),
    "surveymonkey": ({}, ["--period", "2024", "--min-n", "1"]),
    "survey_only": ({}, ["--period", "2024", "--by", "team", "--min-n", "1"]),
    "crm_churn": (
        {
            r"^\s+snapshot:": "    snapshot: 2024-07-01",
            r"^\s+churn_date: \{": '      churn_date: {"Yes": 2024-07-31, "No": ""}',
        },
        ["--period", "2024-Q3", "--min-n", "1"],
    ),
    "wide_ratings": ({}, ["--period", "2023-Q3", "--min-n", "1"]),
    "event_log": ({}, ["--period", "2024-Q1", "--min-n", "1"]),
}
REAL_EXPORTS = {
    "nps-verbatims": ({}, ["--period", "2018-Q1", "--by", "touchpoint"]),
    "telco-churn": (
        {
            r"^\s+snapshot:": "    snapshot: 2018-01-01",
            r"^\s+churn_date: \{": '      churn_date: {"Yes": 2018-01-31, "No": ""}',
        },
        ["--period", "2018-Q1"],
    ),
}
SAMPLE = {"sample-2024-Q4": (None, ["--period", "2024-Q4", "--by", "region"])}


def _prepare(source: Path, folder: Path, edits: dict[str, str]) -> int:
    """Copy, `cx init`, apply the edits, `cx validate` (exit 0); return the number of lines changed."""
    shutil.copytree(source, folder)
    assert main(["init", str(folder)]) == 0
    path = folder / "source.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    for pattern, line in edits.items():
        hits = [i for i, text in enumerate(lines) if re.search(pattern, text)]
        assert len(hits) == 1, (pattern, hits)
        lines[hits[0]] = line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert validate(folder, out=out, err=err) == 0, out.getvalue() + err.getvalue()
    return len(edits)


def _report(folder: Path, arguments: list[str], out: Path) -> subprocess.CompletedProcess:
    """`cx report` on ``folder`` in Dutch, as a user runs it (a subprocess of this Python)."""
    command = [
        sys.executable,
        "-m",
        "cxlib.cli",
        "report",
        "--data",
        str(folder),
        "--out",
        str(out),
        "--workers",
        "1",
        "--lang",
        "nl",
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every folder prepared and reported once: name → (data folder, page folder, exit status, stderr)."""
    root = tmp_path_factory.mktemp("exports")
    runs = {}
    for name, (edits, arguments) in FIXTURES.items():
        assert _prepare(EXPORTS / name, root / "data" / name, edits) <= MAX_EDITS
        runs[name] = (root / "data" / name, arguments)
    if REAL.is_dir():
        for name, (edits, arguments) in REAL_EXPORTS.items():
            assert _prepare(REAL / name, root / "data" / name, edits) <= MAX_EDITS
            runs[name] = (root / "data" / name, arguments)
    for name, (_, arguments) in SAMPLE.items():
        runs[name] = (paths.SAMPLE_DATA, arguments)
    order = sorted(runs, key=lambda n: "--by" not in runs[n][1])  # the runs with several units first
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        done = dict(zip(order, pool.map(lambda n: _report(runs[n][0], runs[n][1], root / "reports" / n), order)))
    out = {}
    for name, (folder, arguments) in runs.items():
        period = arguments[arguments.index("--period") + 1]
        out[name] = (folder, root / "reports" / name / period, done[name].returncode, done[name].stderr)
    return out


def pages(rendered, name: str) -> Path:
    """The folder of ``name``'s pages, after asserting that `cx report` exited 0."""
    if name not in rendered:
        pytest.skip(f"{REAL} is absent (shared exports)")
    _, folder, status, stderr = rendered[name]
    assert status == 0, f"{name}: cx report exited {status}: {stderr[-2000:]}"
    return folder


def data(rendered, name: str) -> Path:
    return rendered[name][0]


def tile(folder: Path, page: str, kpi: str) -> str:
    """The value shown on a KPI tile of ``page`` (the Dutch text, e.g. '9,1' or '71,4%')."""
    text = (folder / page).read_text(encoding="utf-8")
    found = re.search(rf'data-kpi="{kpi}">.*?<div class="cx-value">(.*?)</div>', text, flags=re.S)
    assert found, f"{page}: no tile {kpi}"
    return html.unescape(found.group(1))


def rows(path: Path, header_rows: int = 1, delimiter: str = ",", encoding: str = "utf-8") -> list[dict]:
    """The raw file's records as dicts, keyed by its first header row; the other header rows skipped."""
    with open(path, encoding=encoding, newline="") as handle:
        table = list(csv.reader(handle, delimiter=delimiter))
    return [dict(zip(table[0], r)) for r in table[header_rows:]]


def nps(scores: list[int]) -> float:
    """NPS by its definition: % promoters (9–10) − % detractors (0–6)."""
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def shown(value: float, unit: str = "") -> str:
    """A value as a Dutch tile shows it: one decimal, decimal comma (values below 1,000 here)."""
    return f"{value:.1f}".replace(".", ",") + unit


def units(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.html") if p.name != "index.html")


def test_every_export_renders_every_unit(rendered):
    for name in [*FIXTURES, *REAL_EXPORTS]:
        if name not in rendered:
            continue
        folder = pages(rendered, name)
        index = (folder / "index.html").read_text(encoding="utf-8")
        assert "mislukt" not in index and not (folder / "failed").exists(), name
        assert "whole-company.html" in units(folder), name
        if "--by" not in {**FIXTURES, **REAL_EXPORTS}[name][1]:  # without --by: the whole company only
            assert units(folder) == ["whole-company.html"], name
    assert units(pages(rendered, "survey_only")) == ["service-noord.html", "service-zuid.html", "whole-company.html"]


def test_survey_exports_show_their_hand_computed_kpis(rendered):
    raw = rows(data(rendered, "qualtrics") / "Warmtewijzer_CX_survey_2024.csv", header_rows=3)
    scores = [int(r["Q1"]) for r in raw if r["Q1"]]  # all of 2024; 5 promoters, 4 detractors of 11: 9.1
    assert tile(pages(rendered, "qualtrics"), "whole-company.html", "nps") == shown(nps(scores))
    csat = [int(r["Q2"]) for r in raw if r["Q2"]]  # CSAT = % of 4 and 5 on the 1–5 scale
    assert tile(pages(rendered, "qualtrics"), "whole-company.html", "csat") == shown(
        100 * sum(s >= 4 for s in csat) / len(csat), unit="%"
    )
    monkey = rows(data(rendered, "surveymonkey") / "Warmtewijzer_feedback_SurveyMonkey.csv", header_rows=2)
    question = "How likely is it that you would recommend Warmtewijzer to a friend or colleague?"
    assert tile(pages(rendered, "surveymonkey"), "whole-company.html", "nps") == shown(
        nps([int(r[question]) for r in monkey if r[question]])
    )  # 4 − 2 of 9: 22.2
    wide = rows(data(rendered, "wide_ratings") / "passenger_satisfaction.csv")
    overall = [int(r["Overall satisfaction"]) for r in wide]  # every travel month is in 2023-Q3
    assert tile(pages(rendered, "wide_ratings"), "whole-company.html", "csat") == shown(
        100 * sum(s >= 4 for s in overall) / len(overall), unit="%"
    )


def test_a_survey_folder_reports_per_team_from_its_responses(rendered):
    raw = rows(data(rendered, "survey_only") / "nps_onderzoek_2023_2024.csv", delimiter=";", encoding="cp1252")
    for team, page in (("Service Noord", "service-noord.html"), ("Service Zuid", "service-zuid.html")):
        scores = [int(r["Aanbeveling"]) for r in raw if r["Afdeling"] == team and r["Jaar"] == "2024"]
        assert tile(pages(rendered, "survey_only"), page, "nps") == shown(nps(scores)), team
    text = (pages(rendered, "survey_only") / "service-noord.html").read_text(encoding="utf-8")
    assert "Acties verschijnen zodra er een actielijst is" in text  # no actions table: one line says so


def test_a_unit_column_the_data_lacks_is_named_with_the_usable_ones(rendered, capsys, tmp_path):
    # issue 12: `--by team` without teams.csv, in a folder no table of which has a team column
    status = main(
        [
            "report",
            "--data",
            str(data(rendered, "crm_churn")),
            "--period",
            "2024-Q3",
            "--by",
            "team",
            "--out",
            str(tmp_path / "reports"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 2 and "--by 'team' is not a label column of the data" in err and "region" in err, err
    assert not (tmp_path / "reports").exists()


def test_a_crm_table_reports_churn_and_an_event_log_its_sla(rendered):
    raw = rows(data(rendered, "crm_churn") / "customer_base_export.csv")
    at_risk = [r for r in raw if int(r["TenureMonths"]) > 0]  # tenure 0: signed up on 1 July, not at risk yet
    churned = sum(r["Churned"] == "Yes" for r in at_risk)  # 5 of 19
    assert tile(pages(rendered, "crm_churn"), "whole-company.html", "churn_rate") == shown(
        100 * churned / len(at_risk), unit="%"
    )
    # event log, business hours (Mon–Fri 09–17): INC1 Mon 08:55→10:30 = 1.5 h, INC2 Mon 11:00→Tue
    # 09:00 = 6 h, INC3 0.75 h, INC5 2 h, INC6 and INC7 answered before 09:00 = 0 h; INC4 never;
    # INC8 rejected (an event dated 31/2): within 4 business hours 5 of 7 tickets
    assert tile(pages(rendered, "event_log"), "whole-company.html", "sla_attainment") == shown(500 / 7, unit="%")


def test_the_real_nps_export_reports_per_touchpoint(rendered):
    folder = pages(rendered, "nps-verbatims")
    raw = rows(data(rendered, "nps-verbatims") / "text_data.csv")
    when = {id(r): dt.datetime.strptime(r["CUSTOMER_RESPONSE_DATE"].strip(), "%d/%m/%Y %H:%M") for r in raw}
    quarter = [
        r for r in raw if r["NPS_SCORE"].strip() and dt.datetime(2018, 1, 1) <= when[id(r)] < dt.datetime(2018, 4, 1)
    ]
    assert tile(folder, "whole-company.html", "nps") == shown(nps([int(r["NPS_SCORE"]) for r in quarter]))
    kinds = sorted({r["SURVEY_SUB_TYPE"] for r in raw})  # Equipment Received, First Payment, Order, Service in Use
    assert len(kinds) == 4 and len(units(folder)) == len(kinds) + 1
    for kind in kinds:
        slug = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-")
        scores = [int(r["NPS_SCORE"]) for r in quarter if r["SURVEY_SUB_TYPE"] == kind]
        expected = shown(nps(scores)) if len(scores) >= MIN_N else "te weinig antwoorden"
        assert tile(folder, f"{slug}.html", "nps") == expected, kind


def test_the_real_crm_export_reports_its_churn(rendered):
    folder = pages(rendered, "telco-churn")
    raw = rows(data(rendered, "telco-churn") / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    at_risk = [r for r in raw if int(r["tenure"]) > 0]  # tenure 0 signed up on the snapshot day
    churned = sum(r["Churn"] == "Yes" for r in at_risk)  # README: 1,869 churned; the 11 of tenure 0 stayed
    assert churned == 1869 and len(at_risk) == 7032
    assert tile(folder, "whole-company.html", "churn_rate") == shown(100 * churned / len(at_risk), unit="%")


def test_the_samples_first_quarter_renders_every_region(rendered):
    folder = pages(rendered, "sample-2024-Q4")
    assert units(folder) == ["noord.html", "oost.html", "west.html", "whole-company.html", "zuid.html"]
    assert "mislukt" not in (folder / "index.html").read_text(encoding="utf-8")
    text = (folder / "noord.html").read_text(encoding="utf-8")
    assert "geen vorig kwartaal" in text and "Geen vorig kwartaal in de data" in text
