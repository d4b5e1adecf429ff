"""Record splitting and physical line numbers (cxlib.io.csvread)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxlib.io import SourceError, csvread
from cxlib.io.decode import decode
from cxlib.io.source import TableSource

HEADER = "team,region,function\n"


def read(body: str, monkeypatch=None, **options):
    table = TableSource(table="teams", file="teams.csv", **options)
    raw = (HEADER + body).encode("utf-8")
    return csvread.read_raw(Path("teams.csv"), raw, table, {"region"})


def test_lines_follow_quoted_newlines_and_skip_blank_lines():
    body = (
        'a,"Noord\nwest",service\n'  # lines 2-3
        "\n"  # line 4: blank, not a record
        'b,"""Zuid""",field\n'  # line 5
        "   \n"  # line 6: whitespace only, not a record
        'c,"x\n\ny\nz",field\n'  # lines 7-10
        "d,Oost,service"
    )  # line 11, no final newline
    rt = read(body)
    assert rt.lines.tolist() == [2, 5, 7, 11]
    assert rt.fields.tolist() == [3, 3, 3, 3]
    assert rt.frame["team"].tolist() == ["a", "b", "c", "d"]
    assert rt.frame["region"].astype(str).tolist() == ["Noord\nwest", '"Zuid"', "x\n\ny\nz", "Oost"]


def test_delimiters_inside_quotes_do_not_count_as_fields():
    rt = read('a,"Noord, ""west""",service\nb,Zuid,field,extra\nc,Oost\n')
    assert rt.fields.tolist() == [3, 4, 2]
    assert rt.frame["function"].isna().tolist() == [False, False, True]


def test_odd_quote_is_literal_inside_an_unquoted_field():
    # a quote in the middle of an unquoted field is a character (RFC 4180 relaxed, as csv/Arrow)
    rt = read('a,5" wide,service\nb,"Zuid\nOost",field\nc,West,field\n')
    assert rt.lines.tolist() == [2, 3, 5]
    assert rt.frame["region"].astype(str).tolist() == ['5" wide', "Zuid\nOost", "West"]
    assert rt.problems.empty


def test_arrow_reads_well_formed_files(monkeypatch):
    monkeypatch.setattr(csvread, "_read_exact", lambda *a: pytest.fail("exact path used"))
    assert read('a,"N\nO",service\n').lines.tolist() == [2]


def test_leading_zeros_survive_category_reading():
    rt = read("a,007,service\nb,7,field\nc,7.0,field\n")
    assert rt.frame["region"].astype(str).tolist() == ["007", "7", "7.0"]


@pytest.mark.parametrize(
    "header, expected",
    [
        (b"a,b;c;d", ";"),
        (b"a,b,c", ","),
        (b"a\tb\tc", "\t"),
        (b"a|b|c", "|"),
        (b"abc", ","),
    ],
)
def test_sniff(header, expected):
    assert csvread.sniff(header) == expected


def test_decode_reports_nul_bytes():
    with pytest.raises(SourceError, match="NUL bytes") as err:
        decode(b"team,region\nx,\x00y\nz,q\n", "teams.csv")
    assert (err.value.line, err.value.column) == (2, "region")


def test_decode_with_a_named_encoding():
    assert decode("é".encode("latin-1"), "t.csv", "latin-1").buf == "é".encode()
    # a named encoding never falls back: the undecodable byte is kept track of, as U+FFFD
    d = decode(b"a\n\xff\n", "t.csv", "utf-8")
    assert d.buf == "a\n\ufffd\n".encode() and d.bad.tolist() == [2]
    assert d.bad_bytes.tolist() == [0xFF] and d.expected == "UTF-8 text, as the rest of the file"


def test_quote_after_a_space_is_literal_and_the_count_says_so():
    # pandas and the csv module both read ` "x` and `y"` as two fields: four in all
    rt = read('a, "x,y",service\nb,Zuid,field\n')
    assert rt.fields.tolist() == [4, 3]
    assert rt.frame["region"].astype(str).tolist() == [' "x', "Zuid"]


def test_a_record_wider_than_counted_is_never_cut_silently():
    # the quote pair hides a delimiter from the count but not from the parser
    rt = read('a,5",6",service\nb,Zuid,field\n')
    assert rt.fields.tolist() == [4, 3]
