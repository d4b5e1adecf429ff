"""Real exports: source.yaml mapping, encodings, ';' with decimal commas, dd-mm-yyyy, DST."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cxlib.io import SourceError, load, read_source

EXPORTS = Path(__file__).parent / "data" / "exports"
DUTCH = EXPORTS / "dutch"
MINIMAL = EXPORTS / "minimal"
AMS = "Europe/Amsterdam"


@pytest.fixture(scope="module")
def dutch():
    return load(DUTCH)


def local(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=AMS)


def test_dutch_export_files_are_what_they_claim():
    assert (DUTCH / "klanten.csv").read_bytes().startswith(codecs.BOM_UTF8)
    enquete = (DUTCH / "enquete.csv").read_bytes()
    assert b"caf\xe9" in enquete and b"\r\n" in enquete  # cp1252 é, Windows line ends
    with pytest.raises(UnicodeDecodeError):
        enquete.decode("utf-8")


def test_dutch_summary(dutch):
    s = dutch.summary.set_index("table")
    assert s.loc["customers", "file"] == "klanten.csv"
    assert s.loc["responses", ["read", "accepted", "rejected"]].tolist() == [4, 3, 1]
    assert s.loc["orders", ["read", "accepted"]].tolist() == [2, 2]
    assert s.loc["tickets", ["read", "accepted"]].tolist() == [2, 2]
    assert pd.isna(s.loc["pulse", "file"])


def test_unmapped_label_is_rejected_with_its_physical_line(dutch):
    # E-2's comment spans lines 3-5, so E-4 is on line 7
    row = dutch.rejected.iloc[0]
    assert len(dutch.rejected) == 1
    assert (row["file"], row["line"], row["column"], row["value"]) == ("enquete.csv", 7, "csat", "Heel blij")
    assert row["reason"] == "not a whole number (expected digits, such as 7, or a value mapped in source.yaml)"


def test_columns_and_values_are_mapped(dutch):
    c = dutch.customers.set_index("customer_id")
    assert c["segment"].tolist() == ["consumer", "smb", "enterprise"]
    assert c.loc["K-0001", "signup_date"] == local("2024-01-15")
    assert c.loc["K-0002", "churn_date"] == local("2025-06-30")
    assert pd.isna(c.loc["K-0003", "churn_date"])  # "n.v.t."
    r = dutch.responses.set_index("response_id")
    assert r["touchpoint"].tolist() == ["delivery", "installation", "billing"]
    assert r["channel"].tolist() == ["email", "phone", "web"]
    assert r["language"].tolist() == ["nl", "nl", "en"]
    assert r["csat"].tolist() == [5, 2, 3]  # Zeer tevreden, Ontevreden, Neutraal
    assert r["nps"].tolist()[0] == 9
    assert r["nps"].isna().tolist() == [False, True, True]  # "?" and "-"
    assert pd.isna(r.loc["E-3", "ces"])  # "n.v.t."
    assert r.loc["E-1", "comment"] == "Snel geleverd; monteur was café-vriendelijk"
    assert r.loc["E-2", "comment"] == "Twee keer\ngebeld,\nniemand thuis"


def test_decimal_commas(dutch):
    assert dutch.orders["amount"].tolist() == [129.95, 1200.0]


def test_booleans_and_missing_tokens(dutch):
    t = dutch.tickets.set_index("ticket_id")
    assert t["escalated"].tolist() == [False, True]  # nee, ja
    assert t["category"].tolist() == ["question", "complaint"]
    assert pd.isna(t.loc["M-1", "resolved_at"])  # "-"
    assert pd.isna(t.loc["M-1", "agent_id"]) and t.loc["M-2", "agent_id"] == "A7"


def test_naive_local_times_and_dst(dutch):
    r = dutch.responses.set_index("response_id")["submitted_at"]
    assert r["E-1"] == pd.Timestamp("2026-01-05 09:13", tz=AMS)
    assert r["E-1"].utcoffset() == pd.Timedelta(hours=1)
    # 29 Mar 2026 02:30 does not exist (clocks jump 02:00 -> 03:00): moved forward to 03:00 +02:00
    assert r["E-2"] == pd.Timestamp("2026-03-29T03:00:00+02:00")
    # 25 Oct 2026 02:30 happens twice: read as the first one, still summer time (+02:00)
    assert r["E-3"] == pd.Timestamp("2026-10-25T02:30:00+02:00")
    t = dutch.tickets.set_index("ticket_id")
    hours = (t.loc["M-1", "first_response_at"] - t.loc["M-1", "created_at"]) / pd.Timedelta(hours=1)
    assert hours == 0.75


def write_variant(tmp_path: Path, encoding: str, delimiter: str, bom: bytes = b"", newline: str = "\n") -> Path:
    """The minimal export with its responses re-written in another encoding/dialect."""
    folder = tmp_path / "variant"
    shutil.copytree(MINIMAL, folder)
    text = (
        (
            "response_id,customer_id,submitted_at,touchpoint,channel,nps,comment\n"
            'R1,C001,2025-01-12T10:15:00+01:00,delivery,email,9,"Heel snel, één dag"\n'
            'R2,C002,05-02-2025 14:00,support,phone,4,"Eerst gewacht\n'
            'daarna prima"\n'
            "R3,C003,2025-07-01T09:00:00+02:00,billing,web,12,Ça va\n"
        )
        .replace(",", delimiter)
        .replace("\n", newline)
    )
    (folder / "responses.csv").write_bytes(bom + text.encode(encoding))
    return folder


@pytest.mark.parametrize(
    "encoding, delimiter, bom, newline",
    [
        ("utf-8", ",", b"", "\n"),
        ("utf-8", ";", codecs.BOM_UTF8, "\r\n"),
        ("cp1252", ";", b"", "\r\n"),
        ("utf-16-le", ",", codecs.BOM_UTF16_LE, "\n"),
    ],
)
def test_encodings_and_dialects(tmp_path, encoding, delimiter, bom, newline):
    data = load(write_variant(tmp_path, encoding, delimiter, bom, newline))
    r = data.responses.set_index("response_id")
    assert r.loc["R1", "comment"] == f"Heel snel{delimiter} één dag"
    assert r.loc["R2", "comment"] == "Eerst gewacht\ndaarna prima"
    assert r.loc["R2", "submitted_at"] == pd.Timestamp("2025-02-05 14:00", tz=AMS)  # dd-mm-yyyy
    rej = data.rejected
    assert rej[["line", "column", "value"]].values.tolist() == [[5, "nps", "12"]]


def test_semicolon_file_reads_decimal_commas_by_default(tmp_path):
    folder = tmp_path / "semi"
    shutil.copytree(MINIMAL, folder)
    (folder / "orders.csv").write_text(
        "order_id;customer_id;order_date;amount;product\n"
        "O1;C001;10-01-2025;1234,5;router\n"
        "O2;C002;11-01-2025;12.50;router\n"
        "O3;C003;12-01-2025;1.234,56;router\n"
        "O4;C001;13-01-2025;2.500;router\n",
        encoding="utf-8",
    )
    data = load(folder)
    # '.' is a thousands separator in 1.234,56 and 2.500; in 12.50 it is ambiguous
    assert data.orders["amount"].tolist() == [1234.5, 1234.56, 2500.0]
    rej = data.rejected.iloc[0]
    assert len(data.rejected) == 1
    assert (rej["line"], rej["column"], rej["value"]) == (3, "amount", "12.50")
    assert rej["reason"] == "not a number (expected a decimal comma, such as 12,50)"


def test_source_can_be_given_as_a_mapping(tmp_path):
    folder = tmp_path / "mapped"
    shutil.copytree(MINIMAL, folder)
    (folder / "teams.csv").unlink()
    (folder / "enquete.csv").write_text(
        "Id|Klant|Datum|Moment|Kanaal|Cijfer\nX1|C001|2025-03-01 10:00|Levering|mail|8\n", encoding="utf-8"
    )
    (folder / "responses.csv").unlink()
    source = {
        "tables": {
            "responses": {
                "file": "enquete.csv",
                "delimiter": "|",
                "columns": {
                    "Id": "response_id",
                    "Klant": "customer_id",
                    "Datum": "submitted_at",
                    "Moment": "touchpoint",
                    "Kanaal": "channel",
                    "Cijfer": "nps",
                },
                "values": {"touchpoint": {"levering": "delivery"}, "channel": {"MAIL": "email"}},
            }
        }
    }
    r = load(folder, source=source).responses
    assert r[["response_id", "touchpoint", "channel"]].values.tolist() == [["X1", "delivery", "email"]]
    assert r.loc[0, "submitted_at"] == pd.Timestamp("2025-03-01 10:00", tz=AMS)


@pytest.mark.parametrize(
    "text, message",
    [
        ("tabels: {}", "unknown key 'tabels' in source.yaml"),
        ("tables: {reponses: {}}", "unknown key 'reponses' in tables"),
        ("tables: {responses: {columns: {Cijfer: score}}}", "maps 'Cijfer' to an unknown column"),
        ("tables: {responses: {values: {stars: {a: 1}}}}", "unknown key 'stars' in tables.responses.values"),
        ("delimiter: '#'", "delimiter is not supported"),
        ("encoding: klingon", "encoding is unknown"),
        ("missing: '?'", "missing is not a list"),
        ("booleans: {true: [ja]}", "booleans needs both lists"),
    ],
)
def test_source_yaml_mistakes_name_the_key(tmp_path, text, message):
    path = tmp_path / "source.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message) as err:
        read_source(tmp_path)
    assert err.value.file == str(path)


def test_yaml_keeps_ja_nee_yes_no_as_text(tmp_path):
    (tmp_path / "source.yaml").write_text("booleans: {true: [ja, yes, on], false: [nee, no, off]}\n", encoding="utf-8")
    table = read_source(tmp_path).tables["tickets"]
    assert (table.true, table.false) == (("ja", "yes", "on"), ("nee", "no", "off"))
