"""From a raw export to KPIs: `cx init`, a few edited lines, `cx validate`, load, KPIs.

The six fixtures in tests/data/exports/ were written for these tests, in the shapes of real
exports: Qualtrics (three header lines), SurveyMonkey (two), a survey-only folder with a year
column, a CRM churn table with tenure, a wide ratings survey (0 = not applicable) and an
ITSM-style event log ('?' for missing). Every expected KPI is computed here from the raw file
with the csv module and plain arithmetic (or derived by hand in a comment), never taken from
cxlib's output.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cxlib as cx
from cxlib.analysis.key_drivers import default_features
from cxlib.cli import main
from cxlib.io import SourceError
from cxlib.io.draft import draft, init
from cxlib.io.validate import run as validate

EXPORTS = Path(__file__).parent / "data" / "exports"
AMS = "Europe/Amsterdam"
MAX_EDITS = 3
"""'At most a few edited lines' (issue 12)."""


def drafted(name: str, tmp_path: Path, edits: dict[str, str] | None = None) -> tuple[Path, int]:
    """Copy fixture ``name``, run `cx init`, apply ``edits`` (regex → replacement line), and
    return the folder and the number of lines that differ from the draft."""
    folder = tmp_path / name
    shutil.copytree(EXPORTS / name, folder)
    assert main(["init", str(folder)]) == 0
    path = folder / "source.yaml"
    original = path.read_text(encoding="utf-8").splitlines()
    lines = list(original)
    for pattern, replacement in (edits or {}).items():
        hits = [i for i, line in enumerate(lines) if re.search(pattern, line)]
        assert len(hits) == 1, (pattern, hits)
        lines[hits[0]] = replacement
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = sum(1 for op in difflib.ndiff(original, lines) if op.startswith("+ "))
    return folder, changed


def validated(folder: Path) -> cx.CXData:
    out, err = io.StringIO(), io.StringIO()
    code = validate(folder, out=out, err=err)
    assert code == 0, out.getvalue() + err.getvalue()
    return cx.load(folder)


def records(path: Path, header_rows: int = 1, delimiter: str = ",", encoding: str = "utf-8"):
    """The data records of ``path`` as dicts keyed by the first header line."""
    with open(path, encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    return [dict(zip(rows[0], r)) for r in rows[header_rows:]]


def nps_by_hand(scores: list[int]) -> tuple[int, int, int, float]:
    p = sum(s >= 9 for s in scores)
    m = sum(7 <= s <= 8 for s in scores)
    d = sum(s <= 6 for s in scores)
    return p, m, d, 100 * (p - d) / len(scores)


def kpi_row(frame: pd.DataFrame, **where) -> pd.Series:
    for column, value in where.items():
        frame = frame[frame[column].astype(str) == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


# --- Qualtrics: three header lines -------------------------------------------------------------


def test_qualtrics_export(tmp_path):
    folder, changed = drafted("qualtrics", tmp_path)
    assert changed == 0
    text = (folder / "source.yaml").read_text(encoding="utf-8")
    assert "header_rows: 3" in text and "Q1: nps" in text and "Q2: csat" in text
    data = validated(folder)
    raw = records(folder / "Warmtewijzer_CX_survey_2024.csv", header_rows=3)
    scored = [int(r["Q1"]) for r in raw if r["Q1"]]
    p, m, d, value = nps_by_hand(scored)  # 5, 2, 4 of 11: 100 * (5 - 4) / 11 = 9.09
    nps = kpi_row(cx.measure(data, "nps", freq=None, min_n=1))
    assert (nps["promoters"], nps["passives"], nps["detractors"], nps["n"]) == (p, m, d, len(scored))
    assert nps["value"] == pytest.approx(value) == pytest.approx(100 / 11)
    csat = [int(r["Q2"]) for r in raw if r["Q2"]]
    row = kpi_row(cx.measure(data, "csat", freq=None, min_n=1))
    assert row["value"] == pytest.approx(100 * sum(s >= 4 for s in csat) / len(csat))  # 6 of 11
    # the response without scores is kept for its comment (12 records, 12 accepted)
    assert len(data.responses) == len(raw) == 12
    no_score = data.responses[data.responses["nps"].isna()]
    assert no_score["comment"].tolist() == ["Didn't give scores, but: the invoice\nwas wrong"]
    # region from the same file, one customer per response: NPS per region by hand
    region = {r["ResponseId"]: r["Region"] for r in raw}
    by_region = cx.measure(data, "nps", by="region", freq=None, min_n=1)
    for name in ("Noord", "Zuid", "Oost"):
        scores = [int(r["Q1"]) for r in raw if r["Q1"] and region[r["ResponseId"]] == name]
        assert kpi_row(by_region, region=name)["value"] == pytest.approx(nps_by_hand(scores)[3])
    # ratings from the matrix question, and the drivers' default features
    assert default_features(data.responses, "nps") == ["csat", "rating_speed", "rating_friendliness", "rating_price"]
    speed = [int(r["Q3_1"]) for r in raw if r["Q3_1"]]
    assert data.responses["rating_speed"].mean() == pytest.approx(sum(speed) / len(speed))


# --- SurveyMonkey: two header lines, US dates, CSAT in words -------------------------------------

CSAT_WORDS = {
    "Very satisfied": 5,
    "Somewhat satisfied": 4,
    "Neither satisfied nor dissatisfied": 3,
    "Somewhat dissatisfied": 2,
    "Very dissatisfied": 1,
}
"""SurveyMonkey's 5-point satisfaction scale, in its order."""


def test_surveymonkey_export(tmp_path):
    folder, changed = drafted("surveymonkey", tmp_path)
    assert changed == 0
    data = validated(folder)
    raw = records(folder / "Warmtewijzer_feedback_SurveyMonkey.csv", header_rows=2)
    nps_q = "How likely is it that you would recommend Warmtewijzer to a friend or colleague?"
    csat_q = "Overall, how satisfied or dissatisfied are you with Warmtewijzer?"
    ces_q = "How easy was it to get your issue resolved?"
    p, m, d, value = nps_by_hand([int(r[nps_q]) for r in raw if r[nps_q]])  # 4, 3, 2 of 9
    nps = kpi_row(cx.measure(data, "nps", freq=None, min_n=1))
    assert (nps["promoters"], nps["passives"], nps["detractors"]) == (p, m, d)
    assert nps["value"] == pytest.approx(value) == pytest.approx(200 / 9)
    csat = [CSAT_WORDS[r[csat_q]] for r in raw if r[csat_q]]
    assert kpi_row(cx.measure(data, "csat", freq=None, min_n=1))["value"] == pytest.approx(
        100 * sum(s >= 4 for s in csat) / len(csat)
    )  # 5 of 9
    ces = [int(r[ces_q]) for r in raw if r[ces_q]]
    assert kpi_row(cx.measure(data, "ces", freq=None, min_n=1))["value"] == pytest.approx(sum(ces) / len(ces))
    # "03/21/2024 04:45:12 PM" in the End Date column: 21 March 2024, 16:45:12 CET
    r = data.responses.set_index("response_id")
    assert r.loc["114358023422", "submitted_at"] == pd.Timestamp("2024-03-21 16:45:12", tz=AMS)
    assert r.loc["114358023464", "comment"] == "I only want to say: the app is confusing"
    assert r[["rating_installation", "rating_invoice"]].notna().sum().tolist() == [9, 9]
    assert data.customers["region"].value_counts().to_dict() == {"Noord": 5, "Zuid": 5}


# --- a survey-only folder: ';', cp1252, a year column, eight driver ratings, teams -----------------


def test_survey_only_folder_with_a_year_column(tmp_path):
    folder, changed = drafted("survey_only", tmp_path)
    assert changed == 0
    data = validated(folder)
    assert data.customers.empty and data.teams.empty  # responses alone
    raw = records(folder / "nps_onderzoek_2023_2024.csv", delimiter=";", encoding="cp1252")
    by_year = cx.measure(data, "nps", freq="year", min_n=1)
    for year in ("2023", "2024"):  # 2023: 2 - 2 of 5 = 0; 2024: 3 - 1 of 5 = 40
        scores = [int(r["Aanbeveling"]) for r in raw if r["Jaar"] == year]
        assert kpi_row(by_year, period=year)["value"] == pytest.approx(nps_by_hand(scores)[3])
    # the team comes from the responses themselves (no teams.csv): every team is a unit
    by_team = cx.measure(data, "nps", by="team", freq=None, min_n=1)
    assert sorted(by_team["team"].astype(str)) == ["Service Noord", "Service Zuid"]
    for team in ("Service Noord", "Service Zuid"):  # Noord: 3 - 1 of 5 = 40; Zuid: 2 - 2 = 0
        scores = [int(r["Aanbeveling"]) for r in raw if r["Afdeling"] == team]
        assert kpi_row(by_team, team=team)["value"] == pytest.approx(nps_by_hand(scores)[3])
    # 'n.v.t.' is missing: the App rating has 8 values
    assert data.responses["rating_app"].notna().sum() == sum(r["App"] != "n.v.t." for r in raw) == 8
    assert len(default_features(data.responses, "nps")) == 8


# --- a CRM churn table: tenure in months, churned yes/no, no dates -------------------------------


def test_crm_churn_table_with_tenure(tmp_path):
    # the export was taken on 1 July 2024; churners left during July
    folder, changed = drafted(
        "crm_churn",
        tmp_path,
        {
            r"^\s+snapshot:": "    snapshot: 2024-07-01",
            r"^\s+churn_date: \{": '      churn_date: {"Yes": 2024-07-31, "No": ""}',
        },
    )
    assert changed == 2
    data = validated(folder)
    raw = records(folder / "customer_base_export.csv")
    churned = sum(r["Churned"] == "Yes" for r in raw)
    row = kpi_row(cx.measure(data, "churn_rate", freq=None, min_n=1))
    assert (row["n"], row["successes"]) == (len(raw), churned) == (20, 5)
    assert row["value"] == pytest.approx(25.0)
    by_region = cx.measure(data, "churn_rate", by="region", freq=None, min_n=1)
    for region in ("Noord", "Zuid"):  # Noord 3 of 10, Zuid 2 of 10
        mine = [r for r in raw if r["Region"] == region]
        assert kpi_row(by_region, region=region)["value"] == pytest.approx(
            100 * sum(r["Churned"] == "Yes" for r in mine) / len(mine)
        )
    # by quarter: in 2024-Q3 the customer with tenure 0 (signed up on 1 July) is not yet at
    # risk: 19 active at the start of the quarter, 5 churned
    q3 = kpi_row(cx.measure(data, "churn_rate", freq="quarter", min_n=1), period="2024-Q3")
    assert (q3["n"], q3["successes"]) == (19, 5)
    # tenure 14 months before 1 July 2024 is 1 May 2023
    c = data.customers.set_index("customer_id")
    assert c.loc["CUS-0001", "signup_date"] == pd.Timestamp("2023-05-01", tz=AMS)
    assert c["segment"].value_counts().to_dict() == {"Basic": 8, "Plus": 7, "Premium": 5}


# --- a wide ratings survey: 14 aspects 0-5, 0 = not applicable, a year-month column --------------


def test_wide_ratings_survey(tmp_path):
    folder, changed = drafted("wide_ratings", tmp_path)
    assert changed == 0
    data = validated(folder)
    raw = records(folder / "passenger_satisfaction.csv")
    overall = [int(r["Overall satisfaction"]) for r in raw]
    assert kpi_row(cx.measure(data, "csat", freq=None, min_n=1))["value"] == pytest.approx(
        100 * sum(s >= 4 for s in overall) / len(overall)
    )
    seat = [int(r["Seat comfort"]) for r in raw if r["Seat comfort"] != "0"]
    r = data.responses
    assert r["rating_seat_comfort"].mean() == pytest.approx(sum(seat) / len(seat))
    zeros = sum(
        v == "0"
        for row in raw
        for k, v in row.items()
        if k in ("Inflight wifi service", "Food and drink", "Cleanliness")
    )
    assert (
        int(r[["rating_inflight_wifi_service", "rating_food_and_drink", "rating_cleanliness"]].isna().sum().sum())
        == zeros
    )
    assert len(default_features(r, "csat")) == 14
    months = sorted({row["Travel month"] for row in raw})  # 2023-07 .. 2023-09: the 1st of each
    assert sorted(r["submitted_at"].unique()) == [pd.Timestamp(f"{m}-01", tz=AMS) for m in months]


# --- an ITSM-style event log --------------------------------------------------------------------


def test_event_log_collapses_to_tickets(tmp_path):
    folder, changed = drafted("event_log", tmp_path)
    assert changed == 0
    out, err = io.StringIO(), io.StringIO()
    assert validate(folder, out=out, err=err) == 0
    assert "(27 rows collapsed to 9 records)" in out.getvalue()
    data = cx.load(folder)
    t = data.tickets.set_index("ticket_id")
    # 8 ticket ids and one event without an id (line 27); INC0008's first event has 31 Feb
    # (line 23): 7 tickets accepted, 2 records rejected
    assert sorted(t.index) == [f"INC000{i}" for i in range(1, 8)]
    assert sorted(data.rejected["line"]) == [23, 27]
    # created = opened_at; first response = first 'Active'; resolved = first Resolved/Closed.
    # Calendar hours to first response: INC1 08:55→10:30 = 1.5833, INC2 11:00→next day 09:00
    # = 22, INC3 14:00→14:45 = 0.75, INC5 10:00→12:00 = 2, INC6 08:00→09:00 = 1,
    # INC7 08:00→08:30 = 0.5, INC4 never: unanswered for days, past the 4 h target, so it is
    # censored as slower than every answered ticket (issue 13). Median of seven, the 4th of
    # 0.5, 0.75, 1, 1.5833, 2, 22, (INC4) = 1.5833 h.
    rt = pd.concat(
        cx.measure_many(data, ["first_response_time", "sla_attainment"], freq=None, min_n=1, hours="calendar").values()
    ).set_index("kpi")
    assert rt.loc["first_response_time", "value"] == pytest.approx(95 / 60)
    assert rt.loc["first_response_time", "n"] == 7
    # within 4 h: INC1, 3, 5, 6, 7 = 5 of 7 (INC4, unanswered for days, counts as missed)
    assert (rt.loc["sla_attainment", "successes"], rt.loc["sla_attainment", "n"]) == (5, 7)
    assert t["escalated"].sum() == 1 and bool(t.loc["INC0003", "escalated"])
    assert t.loc["INC0005", "resolved_at"] == pd.Timestamp("2024-03-06 16:00", tz=AMS)
    assert pd.isna(t.loc["INC0004", "first_response_at"])
    # every category maps to request ("*"); INC0004 has none ('?' in all its events)
    assert t["category"].isna().tolist() == [i == "INC0004" for i in t.index]
    assert set(t["category"].dropna()) == {"request"}
    assert t.loc["INC0003", "team"] == "Group 24"  # the first event's group was '?'


# --- cx init: never overwrite, xlsx ---------------------------------------------------------------


def test_init_keeps_an_existing_source_yaml(tmp_path, capsys):
    folder = tmp_path / "q"
    shutil.copytree(EXPORTS / "survey_only", folder)
    (folder / "source.yaml").write_text("# mine\n", encoding="utf-8")
    assert main(["init", str(folder)]) == 1
    assert "source.yaml exists already" in capsys.readouterr().err
    assert (folder / "source.yaml").read_text(encoding="utf-8") == "# mine\n"
    with pytest.raises(SourceError):
        init(folder)
    assert main(["init", str(folder), "--force"]) == 0
    assert "Aanbeveling: nps" in (folder / "source.yaml").read_text(encoding="utf-8")


def test_init_reads_xlsx(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Respondent", "Datum", "Aanbeveling", "Opmerking"])
    rows = [
        (1, pd.Timestamp("2024-02-01 10:00").to_pydatetime(), 9, "Goed geholpen door de monteur"),
        (2, pd.Timestamp("2024-02-13 11:30").to_pydatetime(), 4, "Factuur klopte niet helemaal"),
        (3, pd.Timestamp("2024-02-20 09:15").to_pydatetime(), 10, ""),
    ]
    for row in rows:
        sheet.append(list(row))
    book.save(tmp_path / "enquete.xlsx")
    text = draft(tmp_path)
    assert "file: enquete.xlsx" in text
    assert re.search(r"Datum: submitted_at\s+# dates with a time, ISO 8601", text)
    assert re.search(r"Aanbeveling: nps ", text) and re.search(r"Opmerking: comment ", text)


def test_a_canonical_folder_reads_the_same_with_its_draft(tmp_path):
    folder = tmp_path / "minimal"
    shutil.copytree(EXPORTS / "minimal", folder)
    init(folder)
    drafted_data, plain = cx.load(folder), cx.load(EXPORTS / "minimal")
    for name in plain.tables:
        pd.testing.assert_frame_equal(drafted_data[name], plain[name], check_categorical=False)
    assert drafted_data.rejected.empty and plain.rejected.empty
