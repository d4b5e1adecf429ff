"""source.yaml features for real exports (issue 12), each on a small file written here.

Expected values are read off the file text in each test by hand; line numbers count the
header as line 1.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import cxlib as cx
from cxlib.analysis.key_drivers import default_features
from cxlib.io import SourceError, load, read_source

AMS = "Europe/Amsterdam"


def folder(tmp_path: Path, files: dict[str, str], source: str | None = None) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    if source is not None:
        (tmp_path / "source.yaml").write_text(source, encoding="utf-8")
    return tmp_path


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=AMS)


# --- the contract asks only for what is used -------------------------------------------------


def test_responses_alone_with_only_a_date_and_a_score(tmp_path):
    data = load(folder(tmp_path, {"responses.csv": "submitted_at,nps\n2025-01-03,9\n2025-01-04,3\n"}))
    r = data.responses
    # no id: the line number; no customer: one per response; no touchpoint/channel: unknown
    assert r["response_id"].tolist() == ["2", "3"]
    assert r["customer_id"].tolist() == ["2", "3"]
    assert r["touchpoint"].tolist() == ["unknown", "unknown"]
    assert r["channel"].astype(str).tolist() == ["unknown", "unknown"]
    assert r["submitted_at"].tolist() == [day("2025-01-03"), day("2025-01-04")]  # local midnight
    assert data.customers.empty and data.tickets.empty
    row = data.summary.set_index("table").loc["responses"]
    assert "touchpoint: unknown (not in the file)" in row["defaults"]
    assert "response_id: the record's line number" in row["defaults"]


def test_customers_alone_and_tickets_alone(tmp_path):
    c = tmp_path / "c"
    c.mkdir()
    data = load(
        folder(c, {"customers.csv": "customer_id,signup_date,churn_date\nA,2024-01-01,\nB,2024-02-01,2024-06-30\n"})
    )
    assert data.customers["segment"].tolist() == ["unknown", "unknown"]
    assert data.customers["region"].tolist() == ["unknown", "unknown"]
    t = tmp_path / "t"
    t.mkdir()
    data = load(folder(t, {"tickets.csv": "ticket_id,created_at\nT1,2025-03-03 09:00\n"}))
    assert data.tickets["ticket_id"].tolist() == ["T1"]
    assert pd.isna(data.tickets.loc[0, "category"]) and pd.isna(data.tickets.loc[0, "escalated"])
    assert data.tickets["channel"].tolist() == ["unknown"]


def test_empty_label_is_unknown_and_a_comment_without_score_is_kept(tmp_path):
    data = load(
        folder(
            tmp_path,
            {
                "responses.csv": (
                    "response_id,submitted_at,touchpoint,nps,comment\n"
                    "R1,2025-01-03 10:00,delivery,9,\n"
                    "R2,2025-01-03 11:00,,,Only a remark\n"  # line 3: kept, touchpoint unknown
                    "R3,2025-01-03 12:00,billing,,   \n"
                )
            },
        )
    )  # line 4: nothing but blanks: rejected
    r = data.responses.set_index("response_id")
    assert r.loc["R2", "comment"] == "Only a remark" and pd.isna(r.loc["R2", "nps"])
    assert r.loc["R2", "touchpoint"] == "unknown"
    rej = data.rejected.iloc[0]
    assert (rej["line"], rej["column"]) == (4, "nps, csat, ces, comment")
    assert rej["reason"] == "no answer (expected at least one of nps, csat, ces, comment)"
    # the remark counts for nothing in the NPS: n = 1 (R1 only)
    assert cx.measure(data, "nps", freq=None, min_n=1)["n"].tolist() == [1]


# --- constants, copies, value maps --------------------------------------------------------------


def test_constants_copies_and_value_maps(tmp_path):
    data = load(
        folder(
            tmp_path,
            {
                "survey.csv": (
                    "Nr;Datum;Kanaal;Cijfer;Regio\n"
                    "7;05-01-2025;Telefoon;8;Noord\n"
                    "8;06-01-2025;Fax;6;\n"  # Fax: unmapped -> "*" default; empty region
                    "9;07-01-2025;;10;Zuid\n"
                )
            },  # empty channel -> the "" entry
            """
tables:
  responses:
    file: survey.csv
    columns:
      Nr: [response_id, customer_id]
      Datum: submitted_at
      Kanaal: channel
      Cijfer: nps
    constants: {touchpoint: support}
    values:
      channel: {Telefoon: phone, "": not recorded, "*": other}
  customers:
    file: survey.csv
    columns: {Nr: customer_id, Regio: region}
""",
        )
    )
    r = data.responses
    assert r["response_id"].tolist() == ["7", "8", "9"] == r["customer_id"].tolist()
    assert r["touchpoint"].tolist() == ["support"] * 3
    assert r["channel"].tolist() == ["phone", "other", "not recorded"]
    assert r["submitted_at"].tolist() == [day("2025-01-05"), day("2025-01-06"), day("2025-01-07")]
    c = data.customers
    assert c["customer_id"].tolist() == ["7", "8", "9"]
    assert c["region"].tolist() == ["Noord", "unknown", "Zuid"]
    # the customers' ids are the responses' customers, so attributes attach
    assert cx.attach(r, c, ["region"])["region"].tolist() == ["Noord", "unknown", "Zuid"]
    s = data.summary.set_index("table")
    assert s.loc["responses", "ignored_columns"] == "" == s.loc["customers", "ignored_columns"]


def test_unmapped_value_without_default_is_rejected_naming_the_map(tmp_path):
    data = load(
        folder(
            tmp_path,
            {"responses.csv": "response_id,submitted_at,csat\nA,2025-01-01,Blij\nB,2025-01-01,Heel blij\n"},
            "tables: {responses: {values: {csat: {Heel blij: 5}}}}\n",
        )
    )
    assert data.responses["csat"].tolist() == [5]
    rej = data.rejected.iloc[0]
    assert (rej["line"], rej["value"]) == (2, "Blij")
    assert rej["reason"] == ("not a whole number (expected digits, such as 7, or a value mapped in source.yaml)")


# --- dates ------------------------------------------------------------------------------------


def test_year_and_year_month_columns(tmp_path):
    data = load(
        folder(
            tmp_path,
            {
                "responses.csv": "Jaar,nps\n2023,9\n2024,5\n",
                "customers.csv": "customer_id,Maand\nA,2024-07\nB,2023-11\n",
            },
            """
tables:
  responses: {columns: {Jaar: submitted_at}, formats: {submitted_at: "%Y"}}
  customers: {columns: {Maand: signup_date}, formats: {signup_date: "%Y-%m"}}
""",
        )
    )
    assert data.responses["submitted_at"].tolist() == [day("2023-01-01"), day("2024-01-01")]
    assert data.customers["signup_date"].tolist() == [day("2024-07-01"), day("2023-11-01")]
    nps = cx.measure(data, "nps", freq="year", min_n=1)
    assert nps["period"].tolist() == ["2023", "2024"]


def test_date_only_value_in_a_datetime_column_is_local_midnight(tmp_path):
    data = load(
        folder(
            tmp_path,
            {"responses.csv": ("response_id,submitted_at,nps\nA,30/09/2021,9\nB,30/09/2021 14:05,7\nC,2021-10-31,8\n")},
            'datetime_format: "%d/%m/%Y %H:%M"\n',
        )
    )
    assert data.responses["submitted_at"].tolist() == [day("2021-09-30 00:00"), day("2021-09-30 14:05")]
    assert data.responses["submitted_at"].iloc[0].utcoffset() == pd.Timedelta(hours=2)  # CEST
    # an ISO date does not follow the format source.yaml names: rejected, not guessed
    assert data.rejected[["line", "value"]].values.tolist() == [[4, "2021-10-31"]]
    # without a format: ISO and dd-mm-yyyy date-only values are midnight too
    (tmp_path / "source.yaml").unlink()
    data = load(tmp_path)
    assert data.responses["submitted_at"].tolist() == [
        day("2021-09-30 00:00"),
        day("2021-09-30 14:05"),
        day("2021-10-31 00:00"),
    ]


def test_a_column_mixing_dd_mm_and_mm_dd_is_rejected_not_read_half_one_way(tmp_path):
    text = (
        "response_id,submitted_at,nps\n"
        "A,30/09/2021,9\n"  # line 2: only dd/mm
        "B,09/30/2021,7\n"  # line 3: only mm/dd
        "C,05/06/2021,8\n"  # line 4: either
        "D,2021-10-31,6\n"
    )  # line 5: ISO, unambiguous
    data = load(folder(tmp_path, {"responses.csv": text}))
    assert data.responses["response_id"].tolist() == ["D"]
    rej = data.rejected.sort_values("line")
    assert rej["line"].tolist() == [2, 3, 4]
    reason = "unclear date order: '30/09/2021' is dd/mm but '09/30/2021' is mm/dd; set date_format in source.yaml"
    assert set(rej["reason"]) == {reason}


def test_durations_before_a_snapshot(tmp_path):
    data = load(
        folder(
            tmp_path,
            {"crm.csv": "id,tenure,days,left\nA,0,0,No\nB,14,31,Yes\nC,1,,No\nD,x,5,No\nE,2.5,5,No\n"},
            """
tables:
  customers:
    file: crm.csv
    snapshot: 2024-03-31
    columns: {id: customer_id, tenure: signup_date, left: churn_date}
    durations: {signup_date: months}
    values: {churn_date: {"Yes": 2024-04-15, "No": ""}}
""",
        )
    )
    c = data.customers.set_index("customer_id")
    # 31 March minus 14 months = 31 January 2023; minus 1 month = 29 February 2024 (the last day)
    assert c["signup_date"].tolist() == [day("2024-03-31"), day("2023-01-31"), day("2024-02-29")]
    assert c.loc["B", "churn_date"] == day("2024-04-15") and pd.isna(c.loc["A", "churn_date"])
    rej = data.rejected.sort_values("line")
    assert rej["value"].tolist() == ["x", "2.5"]  # not a number; not a whole number of months
    assert rej["reason"].iloc[0] == (
        "not a duration (expected a whole number of months before the snapshot 2024-03-31, not negative)"
    )


# --- ratings, header lines, event logs -------------------------------------------------------------


def test_ratings_with_not_applicable_and_drivers_default(tmp_path):
    data = load(
        folder(
            tmp_path,
            {"r.csv": ("id,when,nps,Seat comfort,Wifi\n1,2024-05-01,9,5,0\n2,2024-05-02,6,2,3\n3,2024-05-03,8,4,6\n")},
            """
tables:
  responses:
    file: r.csv
    columns: {id: response_id, when: submitted_at}
    ratings:
      scale: [1, 5]
      not_applicable: [0]
      columns: {Seat comfort: seat_comfort, Wifi: wifi}
""",
        )
    )
    r = data.responses
    assert r["rating_seat_comfort"].tolist() == [5, 2]
    assert r["rating_wifi"].isna().tolist() == [True, False]  # 0 = not applicable
    assert str(r["rating_wifi"].dtype) == "Int64"
    rej = data.rejected.iloc[0]
    assert (rej["line"], rej["column"], rej["value"]) == (4, "rating_wifi", "6")
    assert rej["reason"] == "out of range (expected 1–5)"
    assert default_features(r, "nps") == ["rating_seat_comfort", "rating_wifi"]


def test_header_rows_name_matrix_columns(tmp_path):
    text = "Respondent ID,Date,Rate us:,,Comment\n,,Speed,Price,Open-Ended Response\n11,2024-01-02,4,5,Good\n"
    data = load(
        folder(
            tmp_path,
            {"sm.csv": text},
            """
tables:
  responses:
    file: sm.csv
    header_rows: 2
    columns: {Respondent ID: response_id, Date: submitted_at, Comment: comment}
    ratings:
      scale: [1, 5]
      columns: {"Rate us: / Speed": speed, "Rate us: / Price": price}
""",
        )
    )
    r = data.responses
    assert r[["rating_speed", "rating_price"]].values.tolist() == [[4, 5]]
    assert data.rejected.empty and r["comment"].tolist() == ["Good"]


EVENTS = (
    "number,state,updated,group\n"
    "I1,New,2024-03-04 09:00,G1\n"  # line 2
    "I2,New,2024-03-04 10:00,\n"  # line 3
    "I1,Active,2024-03-04 09:45,G2\n"  # line 4
    "I2,Escalated,2024-03-04 10:10,G3\n"  # line 5
    "I1,Resolved,2024-03-04 12:00,G2\n"  # line 6
    "I2,Active,2024-03-04 13:00,G3\n"  # line 7
    "I3,New,yesterday,G1\n"  # line 8: its ticket is rejected
    "I3,Active,2024-03-05 09:00,G1\n"
)  # line 9


def test_event_log_collapses_to_one_ticket_per_id(tmp_path):
    data = load(
        folder(
            tmp_path,
            {"log.csv": EVENTS},
            """
tables:
  tickets:
    file: log.csv
    columns: {number: ticket_id, group: team}
    events:
      time: updated
      kind: state
      first_response: [active]
      resolved: [Resolved, Closed]
      escalated: escalated
""",
        )
    )
    t = data.tickets.set_index("ticket_id")
    assert t.index.tolist() == ["I1", "I2"]
    assert t["created_at"].tolist() == [day("2024-03-04 09:00"), day("2024-03-04 10:00")]
    assert t["first_response_at"].tolist() == [day("2024-03-04 09:45"), day("2024-03-04 13:00")]
    assert t.loc["I1", "resolved_at"] == day("2024-03-04 12:00") and pd.isna(t.loc["I2", "resolved_at"])
    assert t["escalated"].tolist() == [False, True]
    assert t["team"].tolist() == ["G1", "G3"]  # first non-missing value in time order
    s = data.summary.set_index("table").loc["tickets"]
    assert (s["rows"], s["read"], s["accepted"], s["rejected"]) == (8, 3, 2, 1)
    rej = data.rejected.iloc[0]
    assert (rej["line"], rej["column"], rej["value"]) == (8, "updated", "yesterday")
    # response times in calendar hours: I1 0.75 h, I2 3 h; median (0.75 + 3) / 2
    rt = cx.measure(data, "first_response_time", freq=None, min_n=1, hours="calendar")
    assert rt["value"].tolist() == [pytest.approx(1.875)]


# --- errors name the source.yaml line ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("tables:\n  responses:\n    colums: {}\n", 3, "unknown key 'colums' in tables.responses"),
        (
            "tables:\n  responses:\n    constants:\n      mood: happy\n",
            4,
            "unknown column 'mood' in tables.responses.constants",
        ),
        ("tables:\n  customers:\n    durations: {signup_date: months}\n", 3, "is not mapped from a column"),
        ("tables:\n  customers:\n    snapshot: 31-03-2024\n", 3, "tables.customers.snapshot is not a date"),
        ("tables:\n  responses:\n    ratings:\n      scale: [5, 1]\n", 4, "ratings.scale is not a range"),
        ("tables:\n  customers:\n    events: {time: a, kind: b}\n", 3, "events under tables.customers"),
        ("tables:\n  responses:\n    file: a.csv\n    file: b.csv\n", 4, "key 'file' appears twice"),
        ("header_rows: 0\n", 1, "header_rows is not a line count"),
    ],
)
def test_source_yaml_mistakes_name_their_line(tmp_path, text, line, message):
    (tmp_path / "source.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message) as err:
        read_source(tmp_path)
    assert err.value.line == line
    assert str(err.value).startswith(f"{tmp_path / 'source.yaml'}, line {line}: ")


def test_a_mapped_column_missing_from_the_file_names_the_line(tmp_path):
    folder(
        tmp_path,
        {"responses.csv": "response_id,Date,nps\nA,2025-01-01,9\n"},
        "tables:\n  responses:\n    columns:\n      Datum: submitted_at\n",
    )
    with pytest.raises(SourceError) as err:
        load(tmp_path)
    e = err.value
    assert (Path(e.file).name, e.line) == ("source.yaml", 4)
    assert e.problem == "column 'Datum' of tables.responses is not in responses.csv"
    assert e.found == "response_id, Date, nps"
