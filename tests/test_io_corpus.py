"""The loader's bad-input corpus (issue 15): every case is a crafted file laid over the minimal
export (tests/data/exports/minimal). Expectations are written by hand from the bytes of each
case: the number of physical records (lines that hold a record, counted by eye; header and
blank lines are not records), and per rejected record its line, column, raw value and reason
(which says what was expected). Whole-file problems name file, line and column where known.

Three outcomes count against the loader, and the last test prints and asserts their totals:
- a *crash*: any exception other than the one SourceError a whole-file case expects;
- a *silent loss*: read, accepted + rejected, or the rows in the table differ from the hand
  count of physical records;
- a *silent change*: a record accepted that should be rejected, or an accepted value that is
  not the value the file holds (mojibake, 1e1 read as 10, a swallowed line).
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from cxlib.io import SourceError, load

MINIMAL = Path(__file__).parent / "data" / "exports" / "minimal"
AMS = "Europe/Amsterdam"
MiB = 1 << 20

# --- expected reasons, as docs/data.md lists them -------------------------------------------
WHOLE = "not a whole number (expected digits, such as 7)"
NUMBER = "not a number (expected digits and a decimal point, such as 12.50)"
INVISIBLE = "invisible or control character (expected printable text)"
LATE_DT = "implausible datetime (expected from 1990-01-01 up to the time of loading)"
LATE_D = "implausible date (expected from 1990-01-01 up to the time of loading)"
BAD_DT = "unparseable datetime (expected ISO 8601 (YYYY-MM-DDTHH:MM[:SS][+HH:MM]) or DD-MM-YYYY HH:MM[:SS])"
BAD_D = "unparseable date (expected YYYY-MM-DD or DD-MM-YYYY)"
BOOL = "not a boolean (expected one of true, yes, y, ja, j, waar, 1, false, no, n, nee, onwaar, 0)"
MALFORMED = (
    'malformed quoting (expected "" for a quote inside a quoted field and a delimiter or '
    "line end after the closing quote)"
)


def unclosed(first: int, last: int) -> str:
    return (
        f"unclosed quote (the field opened on line {first} would run to line {last}; "
        "expected a closing quote before the end of the line)"
    )


# --- building blocks: the minimal export's headers and one good row per table ----------------
RH = "response_id,customer_id,submitted_at,touchpoint,channel,team,nps,csat,ces,comment,language"
CH = "customer_id,segment,region,signup_date,churn_date"
OH = "order_id,customer_id,order_date,amount,product"
TH = "ticket_id,customer_id,team,agent_id,channel,category,created_at,first_response_at,resolved_at,escalated"
BH = "observation_id,observed_at,team,source,category,item,passed"
PH = "pulse_id,submitted_on,team,question,score"
AH = "action_id,created_on,team,owner,kpi,trigger,description,status,due_on,done_on"
EH = "team,region,function"
CUSTOMERS = [
    "C001,consumer,Noord,2024-01-15,",
    "C002,smb,Zuid,2024-03-01,2025-06-30",
    "C003,enterprise,Noord,2024-06-10,",
    "C004,consumer,Zuid,2025-02-28,",
]
TEAMS = ["service-noord,Noord,service", "field-noord,Noord,field", "service-zuid,Zuid,service", "field-zuid,Zuid,field"]


def resp(
    i: int,
    comment: str = "Goed",
    *,
    nps="9",
    csat="5",
    ces="6",
    rid=None,
    cust=None,
    team="field-noord",
    at="2025-01-12T10:15:00+01:00",
    lang="nl",
) -> str:
    """One responses record (customers C001..C004 and the teams exist in the minimal export)."""
    return ",".join(
        [
            rid or f"R{i:03d}",
            cust or f"C00{(i - 1) % 4 + 1}",
            at,
            "delivery",
            "email",
            team,
            nps,
            csat,
            ces,
            comment,
            lang,
        ]
    )


def ticket(
    i: int,
    *,
    created="2025-01-05T09:00:00+01:00",
    first="2025-01-05T11:30:00+01:00",
    resolved="2025-01-06T10:00:00+01:00",
    escalated="false",
    category="question",
    agent="A01",
) -> str:
    return ",".join(
        [f"T{i:03d}", "C001", "service-noord", agent, "email", category, created, first, resolved, escalated]
    )


def text(*lines: str, end: str = "\n") -> bytes:
    return (end.join(lines) + end).encode("utf-8")


@dataclass
class Case:
    table: str
    content: bytes | None = None
    records: int = 0
    rejected: list = field(default_factory=list)
    accepted: dict = field(default_factory=dict)
    error: dict | None = None
    file: str | None = None
    remove: tuple = ()
    link_outside: bytes | None = None
    """Make the table's file a link to a file outside the data folder holding these bytes."""


def xlsx(rows: list[list]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("responses.csv", text(RH, resp(1)))
    return out.getvalue()


def ts(value: str) -> pd.Timestamp:
    return pd.Timestamp(value, tz=AMS) if "+" not in value[10:] else pd.Timestamp(value).tz_convert(AMS)


FORTY = [resp(i, '"Onafgesloten' if i == 5 else '"Prima, dank"' if i == 19 else "Goed") for i in range(1, 41)]
XLSX_ROWS = [
    RH.split(","),
    [
        "R001",
        "C001",
        pd.Timestamp("2025-01-12 10:15").to_pydatetime(),
        "delivery",
        "email",
        "field-noord",
        9,
        5,
        6,
        "Snel",
        "nl",
    ],
    [],
    [
        "R002",
        "C002",
        pd.Timestamp("2025-03-30 14:00").to_pydatetime(),
        "support",
        "phone",
        "service-zuid",
        3,
        2.0,
        None,
        "1+1=2 (tekst)",
        "nl",
    ],
]
XLSX_ACCEPTED = {
    "response_id": ["R001", "R002"],
    "nps": [9, 3],
    "csat": [5, 2],
    "submitted_at": [ts("2025-01-12 10:15"), ts("2025-03-30 14:00")],
    "comment": ["Snel", "1+1=2 (tekst)"],
}

CASES: dict[str, Case] = {
    # --- quoting: nothing swallowed, nothing re-joined -----------------------------------------
    # line 3 opens a quote that never closes: it is cut at its own line; lines 4-5 are records
    "runaway_quote_to_end": Case(
        "responses",
        text(RH, resp(1), resp(2, '"Onafgesloten'), resp(3), resp(4)),
        4,
        [(3, "comment", '"Onafgesloten,nl', unclosed(3, 5))],
        {"response_id": ["R001", "R003", "R004"]},
    ),
    # issue 15's example: 40 records, record 5 (line 6) opens a quote that the quoted comment of
    # record 19 (line 20) would close; before, 40 records were read as 11
    "runaway_quote_40_records": Case(
        "responses",
        text(RH, *FORTY),
        40,
        [(6, "comment", '"Onafgesloten,nl', unclosed(6, 20))],
        {"comment": ["Goed"] * 17 + ["Prima, dank"] + ["Goed"] * 21},
    ),
    "malformed_closing_quote": Case(
        "responses",
        text(RH, resp(1, '"Hij zei "hoi" toen"'), resp(2)),
        2,
        [(2, "comment", '"Hij zei "hoi" toen",nl', MALFORMED)],
        {"response_id": ["R002"]},
    ),
    "quote_then_text": Case(
        "responses", text(RH, resp(1, '""leeg'), resp(2)), 2, [(2, "comment", '""leeg,nl', MALFORMED)]
    ),
    "literal_quote_in_unquoted_field": Case(
        "responses",
        text(RH, resp(1, 'Kabel van 5" te kort'), resp(2)),
        2,
        [],
        {"comment": ['Kabel van 5" te kort', "Goed"]},
    ),
    "doubled_quotes_and_delimiters": Case(
        "responses",
        text(RH, resp(1, '"Zei ""nee"", toen ja"'), resp(2)),
        2,
        [],
        {"comment": ['Zei "nee", toen ja', "Goed"]},
    ),
    "quoted_multiline_comment": Case(
        "responses",
        text(RH, resp(1, '"regel 1\n\nregel 3"'), resp(2)),
        2,
        [],
        {"comment": ["regel 1\n\nregel 3", "Goed"]},
    ),
    # --- field size ---------------------------------------------------------------------------
    "field_over_limit": Case(
        "responses",
        text(RH, resp(1, "x" * (MiB + 1)), resp(2)),
        2,
        [(2, "comment", "x" * 79 + "…", "field too long (1,048,577 bytes; expected at most 1,048,576 bytes)")],
        {"response_id": ["R002"]},
    ),
    "field_at_limit": Case("responses", text(RH, resp(1, "y" * MiB), resp(2)), 2, [], {"comment": ["y" * MiB, "Goed"]}),
    # issue 15: a field over 128 KiB next to one stray quote crashed the csv module
    "big_field_and_stray_quote": Case(
        "responses",
        text(RH, resp(1, "z" * 200_000), resp(2, 'maat 5" scherm')),
        2,
        [],
        {"comment": ["z" * 200_000, 'maat 5" scherm']},
    ),
    # --- line ends ----------------------------------------------------------------------------
    "cr_line_ends": Case(
        "responses", text(RH, resp(1), resp(2), resp(3), end="\r"), 3, [], {"response_id": ["R001", "R002", "R003"]}
    ),
    "crlf_inside_quotes": Case(
        "responses", text(RH, resp(1, '"a\r\nb"'), resp(2), end="\r\n"), 2, [], {"comment": ["a\nb", "Goed"]}
    ),
    # LF, CRLF and CR mixed: still one record per line; R003 on line 4, the bad one on line 5
    "mixed_line_ends": Case(
        "responses",
        (RH + "\n" + resp(1) + "\r\n" + resp(2) + "\r" + resp(3) + "\n" + resp(4, nps="1e1") + "\n").encode(),
        4,
        [(5, "nps", "1e1", WHOLE)],
        {"response_id": ["R001", "R002", "R003"]},
    ),
    # --- encodings ----------------------------------------------------------------------------
    # line 2 is UTF-8, line 3 Latin-1 (0xe9 for é): line 3 is reported, line 2 is not mojibake
    "mixed_utf8_and_latin1": Case(
        "responses",
        text(RH, resp(1, "Café"), resp(2, "Caf?")).replace(b"Caf?", b"Caf\xe9"),
        2,
        [(3, "comment", "Caf\\xe9", ("undecodable bytes \\xe9 (expected UTF-8 text, as the rest of the file)"))],
        {"comment": ["Café"]},
    ),
    "cp1252_file": Case(
        "responses", (RH + "\n" + resp(1, '"€ 5; café"') + "\n").encode("cp1252"), 1, [], {"comment": ["€ 5; café"]}
    ),
    # 0x81 is undefined in cp1252 (and invalid UTF-8): only its record goes
    "cp1252_undefined_byte": Case(
        "responses",
        (RH + "\n" + resp(1, "café") + "\n" + resp(2, "x?") + "\n").encode("cp1252").replace(b"x?", b"x\x81"),
        2,
        [(3, "comment", "x\\x81", "undecodable bytes \\x81 (expected cp1252 text)")],
        {"comment": ["café"]},
    ),
    "utf8_bom": Case("responses", codecs.BOM_UTF8 + text(RH, resp(1, "Één")), 1, [], {"comment": ["Één"]}),
    "utf16_with_bom": Case(
        "responses", (RH + "\n" + resp(1, "Één") + "\n").encode("utf-16"), 1, [], {"comment": ["Één"]}
    ),
    "utf16le_without_bom": Case(
        "responses", (RH + "\r\n" + resp(1, "Één") + "\r\n").encode("utf-16-le"), 1, [], {"comment": ["Één"]}
    ),
    "utf16be_without_bom": Case(
        "responses", (RH + "\n" + resp(1, "Één") + "\n").encode("utf-16-be"), 1, [], {"comment": ["Één"]}
    ),
    "nul_byte": Case(
        "responses",
        text(RH, resp(1), resp(2, "a\x00b")),
        error={
            "file": "responses.csv",
            "line": 3,
            "column": "comment",
            "problem": "contains NUL bytes (a binary file?)",
        },
    ),
    "undecodable_header": Case(
        "responses",
        (b"response_id,customer_id,submitted_at,touchpoint,channel,team,nps,csat,ces,comment,language").replace(
            b"language", b"langu\xffage"
        )
        + b"\n"
        + text(resp(1, "é")),
        error={"file": "responses.csv", "line": 1, "problem": "byte 0xff cannot be decoded in the header row"},
    ),
    # --- other formats ------------------------------------------------------------------------
    "xlsx_named_csv": Case("responses", xlsx(XLSX_ROWS), 2, [], XLSX_ACCEPTED),
    "xlsx_file": Case(
        "responses", xlsx(XLSX_ROWS), 2, [], XLSX_ACCEPTED, file="responses.xlsx", remove=("responses.csv",)
    ),
    "xlsx_bad_cell": Case(
        "responses",
        xlsx([RH.split(","), ["R001", "C001", "gisteren", "delivery", "email", "field-noord", 9, 5, 6, "x", "nl"]]),
        1,
        [(2, "submitted_at", "gisteren", BAD_DT)],
    ),
    "xls_workbook": Case(
        "responses",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        error={"file": "responses.csv", "problem": "this is an Excel 97-2003 workbook (.xls), not CSV text"},
    ),
    "zip_archive": Case(
        "responses", zipped(), error={"file": "responses.csv", "problem": "this is a ZIP archive, not CSV text"}
    ),
    "link_outside_folder": Case(
        "customers",
        link_outside=b"root:x:0:0:root:/root:/bin/bash\n",
        error={"file": "customers.csv", "problem": "the file is a link that leads outside the data folder"},
    ),
    "empty_file": Case("orders", b"", error={"file": "orders.csv", "problem": "file is empty"}),
    "header_only": Case("orders", text(OH), 0, []),
    "header_unclosed_quote": Case(
        "responses",
        text('response_id,"customer_id,submitted_at', resp(1)),
        error={"file": "responses.csv", "line": 1, "problem": "the header row has an unclosed or malformed quote"},
    ),
    "missing_required_column": Case(
        "responses",
        text(RH.replace(",submitted_at", ""), "R001,C001"),
        error={"file": "responses.csv", "column": "submitted_at", "problem": "required column missing"},
    ),
    "column_twice": Case(
        "responses",
        text(RH + ",nps", resp(1) + ",8"),
        error={"file": "responses.csv", "column": "nps", "problem": "column appears more than once"},
    ),
    # --- responses: values --------------------------------------------------------------------
    "nps_exponent": Case(
        "responses", text(RH, resp(1, nps="1e1"), resp(2)), 2, [(2, "nps", "1e1", WHOLE)], {"nps": [9]}
    ),
    "nps_decimal_zero": Case("responses", text(RH, resp(1, nps="7.0")), 1, [(2, "nps", "7.0", WHOLE)]),
    "csat_fraction": Case("responses", text(RH, resp(1, csat="4.5")), 1, [(2, "csat", "4.5", WHOLE)]),
    "ces_in_words": Case("responses", text(RH, resp(1, ces="zeven")), 1, [(2, "ces", "zeven", WHOLE)]),
    "nps_hex": Case("responses", text(RH, resp(1, nps="0x9")), 1, [(2, "nps", "0x9", WHOLE)]),
    "nps_out_of_range": Case(
        "responses", text(RH, resp(1, nps="11")), 1, [(2, "nps", "11", "out of range (expected 0–10)")]
    ),
    "nps_signed_and_padded": Case("responses", text(RH, resp(1, nps="+07")), 1, [], {"nps": [7]}),
    "submitted_before_1990": Case(
        "responses",
        text(RH, resp(1, at="1989-12-31T10:00:00+01:00")),
        1,
        [(2, "submitted_at", "1989-12-31T10:00:00+01:00", LATE_DT)],
    ),
    "submitted_in_future": Case(
        "responses",
        text(RH, resp(1, at="2099-01-01T10:00:00+01:00")),
        1,
        [(2, "submitted_at", "2099-01-01T10:00:00+01:00", LATE_DT)],
    ),
    "submitted_30_february": Case(
        "responses",
        text(RH, resp(1, at="2025-02-30T10:00:00+01:00")),
        1,
        [(2, "submitted_at", "2025-02-30T10:00:00+01:00", BAD_DT)],
    ),
    "response_id_zero_width": Case(
        "responses", text(RH, resp(1, rid="R\u200b001"), resp(2)), 2, [(2, "response_id", "R\u200b001", INVISIBLE)]
    ),
    "team_bidi_override": Case(
        "responses", text(RH, resp(1, team="service-noord\u202e")), 1, [(2, "team", "service-noord\u202e", INVISIBLE)]
    ),
    "unquoted_delimiter_in_comment": Case(
        "responses",
        text(RH, resp(1, "ja, goed"), resp(2)),
        2,
        [(2, None, "12 fields", "wrong number of fields (expected 11)")],
    ),
    "record_cut_off": Case(
        "responses",
        text(RH, resp(1).rsplit(",", 1)[0], resp(2)),
        2,
        [(2, None, "10 fields", "wrong number of fields (expected 11)")],
    ),
    "row_of_delimiters": Case("responses", text(RH, resp(1), ",,,,,,,,,,"), 2, [(3, None, None, "empty row")]),
    "blank_and_space_lines": Case(
        "responses", text(RH, resp(1), "", "   \t", resp(2)), 2, [], {"response_id": ["R001", "R002"]}
    ),
    "duplicate_response_id": Case(
        "responses",
        text(RH, resp(1), resp(2, rid="R001")),
        2,
        [(3, "response_id", "R001", "duplicate response_id (first occurrence kept)")],
    ),
    # issue 12: a comment without a score is kept (themes, feedback review); no answer at all is not
    "no_answer": Case(
        "responses",
        text(RH, resp(1, "", nps="", csat="", ces="")),
        1,
        [(2, "nps, csat, ces, comment", None, "no answer (expected at least one of nps, csat, ces, comment)")],
    ),
    "comment_without_score": Case("responses", text(RH, resp(1, nps="", csat="", ces="")), 1, []),
    "unknown_customer": Case(
        "responses",
        text(RH, resp(1, cust="C999")),
        1,
        [(2, "customer_id", "C999", "unknown customer_id (not in customers.csv)")],
    ),
    "unknown_team": Case(
        "responses",
        text(RH, resp(1, team="service-west")),
        1,
        [(2, "team", "service-west", "unknown team (not in teams.csv)")],
    ),
    # --- customers ------------------------------------------------------------------------------
    "churn_before_signup": Case(
        "customers",
        text(CH, *CUSTOMERS, "C005,smb,Zuid,2024-05-01,2024-04-30"),
        5,
        [(6, "churn_date", "2024-04-30", "churn_date before signup_date")],
    ),
    "signup_1900": Case(
        "customers", text(CH, *CUSTOMERS, "C005,smb,Zuid,1900-01-01,"), 5, [(6, "signup_date", "1900-01-01", LATE_D)]
    ),
    "signup_31_february": Case(
        "customers", text(CH, *CUSTOMERS, "C005,smb,Zuid,31-02-2024,"), 5, [(6, "signup_date", "31-02-2024", BAD_D)]
    ),
    "customer_id_zero_width_twin": Case(
        "customers",
        text(CH, *CUSTOMERS, "C001\u200b,smb,Zuid,2024-05-01,"),
        5,
        [(6, "customer_id", "C001\u200b", INVISIBLE)],
    ),
    "customer_id_padded": Case(
        "customers",
        text(CH, *CUSTOMERS, " C005 ,smb,Zuid,2024-05-01,"),
        5,
        [],
        {"customer_id": ["C001", "C002", "C003", "C004", "C005"]},
    ),
    "customer_id_missing": Case(
        "customers",
        text(CH, *CUSTOMERS, ",smb,Zuid,2024-05-01,"),
        5,
        [(6, "customer_id", None, "missing value (required)")],
    ),
    # --- orders -----------------------------------------------------------------------------------
    "amount_decimal_comma_quoted": Case(
        "orders", text(OH, 'O001,C001,2025-01-10,"12,50",router'), 1, [(2, "amount", "12,50", NUMBER)]
    ),
    "amount_exponent": Case(
        "orders", text(OH, "O001,C001,2025-01-10,1.23457E+11,router"), 1, [(2, "amount", "1.23457E+11", NUMBER)]
    ),
    "amount_with_currency": Case(
        "orders", text(OH, "O001,C001,2025-01-10,€ 12.50,router"), 1, [(2, "amount", "€ 12.50", NUMBER)]
    ),
    "amount_negative": Case(
        "orders",
        text(OH, "O001,C001,2025-01-10,-5.00,router"),
        1,
        [(2, "amount", "-5.00", "negative amount (expected ≥ 0)")],
    ),
    "order_in_future": Case(
        "orders", text(OH, "O001,C001,2099-01-10,5.00,router"), 1, [(2, "order_date", "2099-01-10", LATE_D)]
    ),
    "order_unknown_customer": Case(
        "orders",
        text(OH, "O001,C999,2025-01-10,5.00,router"),
        1,
        [(2, "customer_id", "C999", "unknown customer_id (not in customers.csv)")],
    ),
    # --- tickets ----------------------------------------------------------------------------------
    "resolved_before_first_response": Case(
        "tickets",
        text(TH, ticket(1, resolved="2025-01-05T10:00:00+01:00")),
        1,
        [(2, "resolved_at", "2025-01-05T10:00:00+01:00", "resolved_at before first_response_at")],
    ),
    "first_response_before_created": Case(
        "tickets",
        text(TH, ticket(1, first="2025-01-05T08:00:00+01:00")),
        1,
        [(2, "first_response_at", "2025-01-05T08:00:00+01:00", "first_response_at before created_at")],
    ),
    "escalated_not_boolean": Case(
        "tickets", text(TH, ticket(1, escalated="misschien")), 1, [(2, "escalated", "misschien", BOOL)]
    ),
    "category_unknown": Case(
        "tickets",
        text(TH, ticket(1, category="klacht")),
        1,
        [(2, "category", "klacht", "unknown value (expected one of question, complaint, request)")],
    ),
    "agent_id_ansi_escape": Case(
        "tickets", text(TH, ticket(1, agent="A01\x1b[2J")), 1, [(2, "agent_id", "A01\x1b[2J", INVISIBLE)]
    ),
    "ticket_created_1989": Case(
        "tickets",
        text(TH, ticket(1, created="1989-01-05T09:00:00+01:00")),
        1,
        [(2, "created_at", "1989-01-05T09:00:00+01:00", LATE_DT)],
    ),
    "unanswered_ticket": Case("tickets", text(TH, ticket(1, first="", resolved="")), 1, [], {"ticket_id": ["T001"]}),
    # --- observations -----------------------------------------------------------------------------
    "observation_duplicate_key": Case(
        "observations",
        text(
            BH,
            "OB01,2025-02-03T10:00:00+01:00,service-noord,coach,standard,greeting,true",
            "OB01,2025-02-03T10:00:00+01:00,service-noord,coach,standard,greeting,false",
        ),
        2,
        [(3, "observation_id, item", "OB01, greeting", "duplicate (observation_id, item) (first occurrence kept)")],
        {"passed": [True]},
    ),
    "observation_passed_words": Case(
        "observations",
        text(BH, "OB01,2025-02-03T10:00:00+01:00,service-noord,coach,standard,greeting,yes please"),
        1,
        [(2, "passed", "yes please", BOOL)],
    ),
    "observation_source_unknown": Case(
        "observations",
        text(BH, "OB01,2025-02-03T10:00:00+01:00,service-noord,audit,standard,greeting,true"),
        1,
        [(2, "source", "audit", "unknown value (expected one of mystery_guest, coach, spot_check)")],
    ),
    "observation_in_future": Case(
        "observations",
        text(BH, "OB01,2099-02-03T10:00:00+01:00,service-noord,coach,standard,greeting,true"),
        1,
        [(2, "observed_at", "2099-02-03T10:00:00+01:00", LATE_DT)],
    ),
    # --- pulse --------------------------------------------------------------------------------------
    "pulse_score_decimal": Case(
        "pulse", text(PH, "P001,2025-01-31,service-noord,workload,4.0"), 1, [(2, "score", "4.0", WHOLE)]
    ),
    "pulse_score_range": Case(
        "pulse",
        text(PH, "P001,2025-01-31,service-noord,workload,6"),
        1,
        [(2, "score", "6", "out of range (expected 1–5)")],
    ),
    "pulse_1980": Case(
        "pulse", text(PH, "P001,1980-01-31,service-noord,workload,3"), 1, [(2, "submitted_on", "1980-01-31", LATE_D)]
    ),
    "pulse_unknown_team": Case(
        "pulse",
        text(PH, "P001,2025-01-31,service-oost,workload,3"),
        1,
        [(2, "team", "service-oost", "unknown team (not in teams.csv)")],
    ),
    # --- actions ------------------------------------------------------------------------------------
    "action_done_without_date": Case(
        "actions",
        text(AH, "AC01,2025-02-01,service-zuid,Petra,csat,low csat,Train,done,2025-03-31,"),
        1,
        [(2, "done_on", None, "status done without done_on")],
    ),
    "action_due_far_ahead": Case(
        "actions",
        text(AH, "AC01,2025-02-01,service-zuid,Petra,csat,low csat,Train,open,2099-12-31,"),
        1,
        [],
        {"due_on": [pd.Timestamp("2099-12-31", tz=AMS)]},
    ),
    "action_done_before_created": Case(
        "actions",
        text(AH, "AC01,2025-02-01,service-zuid,Petra,csat,low csat,Train,done,2025-03-31,2025-01-15"),
        1,
        [(2, "done_on", "2025-01-15", "done_on before created_on")],
    ),
    "action_created_in_future": Case(
        "actions",
        text(AH, "AC01,2099-02-01,service-zuid,Petra,csat,low csat,Train,open,2099-03-31,"),
        1,
        [(2, "created_on", "2099-02-01", LATE_D)],
    ),
    "action_formula_description": Case(
        "actions",
        text(AH, 'AC01,2025-02-01,service-zuid,Petra,csat,low csat,"=HYPERLINK(""http://x"")",open,2025-03-31,'),
        1,
        [],
        {"description": ['=HYPERLINK("http://x")']},
    ),
    # --- teams --------------------------------------------------------------------------------------
    "team_function_unknown": Case(
        "teams",
        text(EH, *TEAMS, "sales-noord,Noord,sales"),
        5,
        [(6, "function", "sales", "unknown value (expected one of service, field)")],
    ),
    "team_with_tab": Case(
        "teams", text(EH, *TEAMS, "service\toost,Oost,service"), 5, [(6, "team", "service\toost", INVISIBLE)]
    ),
}


# --- running a case -------------------------------------------------------------------------


def lay_out(name: str, case: Case, root: Path) -> Path:
    """The minimal export's customers, responses and teams (what references need) and the
    case's table, with the case's file in place (fewer tables: a faster corpus)."""
    folder = root / name
    keep = {"customers.csv", "responses.csv", "teams.csv", f"{case.table}.csv"}
    shutil.copytree(MINIMAL, folder, ignore=lambda _, names: [n for n in names if n not in keep])
    for gone in case.remove:
        (folder / gone).unlink()
    target = folder / (case.file or f"{case.table}.csv")
    if case.link_outside is not None:
        outside = root / f"{name}-outside.txt"
        outside.write_bytes(case.link_outside)
        target.unlink()
        os.symlink(outside, target)
    else:
        target.write_bytes(case.content)
    return folder


def judge(name: str, case: Case, root: Path) -> dict:
    """{'crash', 'loss', 'change': list of what went wrong; 'data' or 'error'}."""
    verdict = {"crash": [], "loss": [], "change": [], "data": None, "error": None}
    folder = lay_out(name, case, root)
    try:
        data = load(folder)
    except SourceError as exc:
        verdict["error"] = exc
        if case.error is None:
            verdict["crash"].append(f"SourceError, nothing loaded: {exc}")
        return verdict
    except Exception as exc:  # noqa: BLE001 - any other exception is what the corpus counts
        verdict["crash"].append(f"{type(exc).__name__}: {exc}")
        return verdict
    verdict["data"] = data
    if case.error is not None:
        verdict["change"].append("loaded a file that should have been refused")
        return verdict
    row = data.summary.set_index("table").loc[case.table]
    frame = data.tables[case.table]
    if not (
        row["read"] == case.records
        and row["accepted"] + row["rejected"] == case.records
        and len(frame) == row["accepted"]
    ):
        verdict["loss"].append(
            f"records {case.records}, read {row['read']}, accepted "
            f"{row['accepted']}, rejected {row['rejected']}, rows {len(frame)}"
        )
    got = data.rejected[data.rejected["table"] == case.table].sort_values("line")
    got = [
        tuple(None if pd.isna(v) else v for v in r)
        for r in got[["line", "column", "value", "reason"]].itertuples(index=False)
    ]
    if got != case.rejected:
        verdict["change"].append(f"rejected {got}, expected {case.rejected}")
    if (data.rejected["file"][data.rejected["table"] == case.table] != data.files[case.table].name).any():
        verdict["change"].append("rejected rows name another file")
    others = data.rejected[data.rejected["table"] != case.table]
    if len(others):
        verdict["change"].append(f"other tables rejected rows: {others.to_dict('records')}")
    for column, values in case.accepted.items():
        have = [None if pd.isna(v) else v for v in frame[column].tolist()]
        if have != values:
            verdict["change"].append(f"{column}: {have[:5]} instead of {values[:5]}")
    return verdict


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("corpus")
    return {name: judge(name, case, root) for name, case in CASES.items()}


def test_the_corpus_is_big_and_covers_every_table():
    assert len(CASES) >= 60
    assert {c.table for c in CASES.values()} == {
        "responses",
        "customers",
        "orders",
        "tickets",
        "observations",
        "pulse",
        "actions",
        "teams",
    }


@pytest.mark.parametrize("name", list(CASES))
def test_case(name, verdicts):
    case, verdict = CASES[name], verdicts[name]
    assert not verdict["crash"], verdict["crash"]
    assert not verdict["loss"], verdict["loss"]
    assert not verdict["change"], verdict["change"]
    if case.error is not None:
        exc = verdict["error"]
        for part, want in case.error.items():
            assert getattr(exc, part) == want, (part, getattr(exc, part))
        message = str(exc)
        assert message.startswith(case.error["file"]) and "expected" in message
        if "line" in case.error:
            assert f"line {case.error['line']}" in message
        if "column" in case.error:
            assert f"column '{case.error['column']}'" in message
        assert "root:x" not in message  # a refused file's contents never reach the message


def test_rejected_rows_name_file_line_column_value_and_expectation(verdicts):
    # every rejected record of the corpus: a file, a line, and a reason that says what was
    # expected, in words or as the documented rule ("... before ...", "duplicate ...")
    rules = ("before", "duplicate", "unknown", "missing value", "empty row", "status done")
    for name, verdict in verdicts.items():
        if verdict["data"] is None:
            continue
        for r in verdict["data"].rejected.itertuples():
            assert r.file and r.line >= 2, name
            assert "expected" in r.reason or any(w in r.reason for w in rules), (name, r.reason)


def test_zero_silent_losses_crashes_and_changes(verdicts, capsys):
    totals = {k: sum(bool(v[k]) for v in verdicts.values()) for k in ("loss", "crash", "change")}
    with capsys.disabled():
        print(
            f"\nbad-input corpus: {len(verdicts)} cases, {totals['loss']} silent losses, "
            f"{totals['crash']} crashes, {totals['change']} silent changes"
        )
    assert totals == {"loss": 0, "crash": 0, "change": 0}, {
        name: {k: v[k] for k in ("loss", "crash", "change") if v[k]}
        for name, v in verdicts.items()
        if v["loss"] or v["crash"] or v["change"]
    }
