"""Untrusted text stays inert: escaped in what `cx validate` prints, no formulas in the
rejected-rows CSV (issue 15, item 2; OWASP "CSV Injection")."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd

from cxlib.io import SourceError
from cxlib.io.inert import escape_control, neutralise_cell, neutralise_frame
from cxlib.io.validate import run

MINIMAL = Path(__file__).parent / "data" / "exports" / "minimal"
ESC = "\x1b"


def folder_with(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINIMAL, folder)
    (folder / name).write_bytes(content)
    return folder


def test_escape_control_writes_escapes_for_control_and_format_characters():
    assert escape_control("a\x1b[31mb") == "a\\x1b[31mb"
    assert escape_control("x\u202ey\u200bz\n") == "x\\u202ey\\u200bz\\x0a"
    assert escape_control('Café 5" €') == 'Café 5" €'  # printable text is left alone


def test_neutralise_cell_follows_owasp():
    # OWASP: cells starting with = + - @ tab or carriage return get a leading apostrophe
    assert [neutralise_cell(v) for v in ("=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", "ok", 7)] == [
        "'=1+1",
        "'+cmd",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
        7,
    ]
    frame = pd.DataFrame({"value": pd.Series(['=HYPERLINK("x")', None, "fine"], dtype="string"), "line": [2, 3, 4]})
    out = neutralise_frame(frame)
    assert out["value"].tolist()[0] == '\'=HYPERLINK("x")' and pd.isna(out["value"][1])
    assert out["line"].tolist() == [2, 3, 4] and frame["value"][0].startswith("=")


def test_validate_prints_no_terminal_escapes(tmp_path):
    # an ANSI escape in an ignored header field, and in a rejected value
    header = "response_id,customer_id,submitted_at,touchpoint,channel,team,nps,csat,ces,comment,language,note\x1b[2J"
    row = "R001,C001,2025-01-12T10:15:00+01:00,delivery,email,field-noord,9,5,6,x,nl,y"
    bad = "R002,C002,2025-01-12T10:15:00+01:00,delivery,email,field-noord\x1b[31m,9,5,6,x,nl,y"
    data = folder_with(tmp_path, "responses.csv", f"{header}\n{row}\n{bad}\n".encode())
    out, err = io.StringIO(), io.StringIO()
    assert run(data, out=out, err=err) == 0
    printed = out.getvalue()
    assert ESC not in printed
    assert "note\\x1b[2J" in printed  # the ignored column, shown escaped


def test_source_errors_are_escaped(tmp_path):
    data = folder_with(tmp_path, "responses.csv", b'response_id,\x1b[31m"x\nR1,"y\n')
    out, err = io.StringIO(), io.StringIO()
    assert run(data, out=out, err=err) == 1
    assert ESC not in err.getvalue()
    e = SourceError("a\x1b.csv", "found \x1b[2J", "text", column="c\x07", found="\u202e")
    assert ESC not in str(e) and "\x07" not in str(e) and "\u202e" not in str(e)
    assert e.file == "a\x1b.csv"  # the attribute keeps the raw value for tools


def test_rejected_csv_holds_no_formulas(tmp_path):
    header = "order_id,customer_id,order_date,amount,product"
    rows = [
        'O001,=HYPERLINK("http://evil";"klik"),2025-01-10,1.00,router',  # unknown customer
        "O002,C001,2025-01-10,+cmd|' /C calc'!A0,router",  # not a number
        "O003,@SUM(1+1),2025-01-10,1.00,router",  # unknown customer
        "O004,C001,2025-01-10,-5.00,router",
    ]  # negative amount
    data = folder_with(tmp_path, "orders.csv", "\n".join([header, *rows, ""]).encode())
    target = tmp_path / "out" / "rejected.csv"
    # every record rejected: a failed read (exit 1, issue 12), the rejected rows still written
    assert run(data, target, out=io.StringIO(), err=io.StringIO()) == 1
    with open(target, newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # by hand: the four rejected values, each kept as text behind an apostrophe
    for value in ('=HYPERLINK("http://evil";"klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-5.00"):
        assert "'" + value in cells
