"""Loading the minimal export in the sample format: canonical columns, dtypes and values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cxlib.io import SCHEMAS, TABLES, CXData, SourceError, load
from cxlib.io.schemas import canonical_dtype
from cxlib.paths import SAMPLE_DATA

MINIMAL = Path(__file__).parent / "data" / "exports" / "minimal"
AMS = "Europe/Amsterdam"


@pytest.fixture(scope="module")
def data() -> CXData:
    return load(MINIMAL)


def canonical(frame: pd.DataFrame, table: str) -> bool:
    """True when ``frame`` has exactly the canonical columns and dtypes of ``table``."""
    columns = SCHEMAS[table].columns
    if list(frame.columns) != list(columns):
        return False
    for name, spec in columns.items():
        want, got = canonical_dtype(spec), frame[name].dtype
        if isinstance(want, pd.CategoricalDtype) and want.categories is None:
            if not isinstance(got, pd.CategoricalDtype):
                return False
        elif got != want:
            return False
    return True


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert(AMS)


def test_every_table_has_canonical_columns_and_dtypes(data):
    assert set(data.tables) == set(TABLES)
    for name, frame in data.tables.items():
        assert canonical(frame, name), name
        assert isinstance(frame.index, pd.RangeIndex)


def test_dtypes_are_the_architecture_ones(data):
    r, t = data.responses, data.tickets
    assert r["response_id"].dtype == "string" and r["customer_id"].dtype == "string"
    assert r["team"].dtype == "string" and r["comment"].dtype == "string"
    assert isinstance(r["touchpoint"].dtype, pd.CategoricalDtype)
    assert r["nps"].dtype == "Int64"
    assert str(r["submitted_at"].dtype) == "datetime64[us, Europe/Amsterdam]"
    assert t["escalated"].dtype == "boolean"
    assert data.orders["amount"].dtype == "float64"
    assert list(t["category"].cat.categories) == ["question", "complaint", "request"]
    assert list(data.actions["status"].cat.categories) == ["open", "in_progress", "done", "cancelled"]


def test_values(data):
    r = data.responses.set_index("response_id")
    assert r.loc["R001", "submitted_at"] == ts("2025-01-12T10:15:00+01:00")
    assert r.loc["R002", "comment"] == 'Lang gewacht.\nTwee keer gebeld, "geen" antwoord.'
    assert (r.loc["R001", "nps"], r.loc["R001", "csat"], r.loc["R001", "ces"]) == (9, 5, 6)
    assert pd.isna(r.loc["R003", "csat"]) and pd.isna(r.loc["R003", "comment"])
    # 02:30 +01:00 on 26 Oct 2025 is the second 02:30 of that night: the offset is kept
    assert r.loc["R004", "submitted_at"].utcoffset() == pd.Timedelta(hours=1)
    c = data.customers.set_index("customer_id")
    assert c.loc["C002", "churn_date"] == pd.Timestamp("2025-06-30", tz=AMS)
    assert pd.isna(c.loc["C001", "churn_date"])
    assert data.orders["amount"].tolist() == [129.95, 49.50, 1200.00, 0.00]
    t = data.tickets.set_index("ticket_id")
    assert t["escalated"].tolist() == [False, True, False]
    assert pd.isna(t.loc["T002", "first_response_at"]) and pd.isna(t.loc["T003", "agent_id"])
    assert data.observations["passed"].tolist() == [True, False, True]
    assert pd.isna(data.actions.loc[1, "done_on"])


def test_dates_are_local_midnight(data):
    for frame, column in (
        (data.customers, "signup_date"),
        (data.orders, "order_date"),
        (data.pulse, "submitted_on"),
        (data.actions, "due_on"),
    ):
        values = frame[column].dropna()
        assert (values == values.dt.normalize()).all()
    # 2024-06-10 is summer time, 2024-01-15 winter time
    assert data.customers["signup_date"].dt.strftime("%z").tolist() == ["+0100", "+0100", "+0200", "+0100"]


def test_open_labels_have_sorted_categories_in_use(data):
    assert list(data.customers["segment"].cat.categories) == ["consumer", "enterprise", "smb"]
    assert list(data.teams["function"].cat.categories) == ["service", "field"]


def test_summary_and_provenance(data):
    s = data.summary.set_index("table")
    assert s.loc["responses", ["read", "accepted", "rejected"]].tolist() == [4, 4, 0]
    assert s.loc["tickets", "file"] == "tickets.csv"
    assert (s["accepted"] + s["rejected"] == s["read"]).all()
    assert data.rejected.empty
    assert list(data.rejected.columns) == ["table", "file", "line", "column", "value", "reason"]
    assert data.goals_path == MINIMAL / "goals.yaml"
    assert data.path == MINIMAL
    assert len(data.fingerprint) == 64 and int(data.fingerprint, 16) >= 0
    assert data["responses"] is data.responses


def test_fingerprint_is_stable_and_follows_the_bytes(tmp_path, data):
    copy = tmp_path / "copy"
    shutil.copytree(MINIMAL, copy)
    assert load(copy).fingerprint == data.fingerprint  # the folder's name does not count
    pulse = copy / "pulse.csv"
    pulse.write_bytes(pulse.read_bytes().replace(b"P003,2025-02-28", b"P003,2025-02-27"))
    assert load(copy).fingerprint != data.fingerprint


def test_optional_tables_may_be_absent(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("customers.csv", "responses.csv"):
        shutil.copy(MINIMAL / name, folder / name)
    data = load(folder)
    assert data.goals_path is None
    for name in ("orders", "tickets", "observations", "pulse", "actions", "teams"):
        frame = data.tables[name]
        assert frame.empty and canonical(frame, name), name
    s = data.summary.set_index("table")
    assert pd.isna(s.loc["orders", "file"]) and s.loc["orders", "read"] == 0
    # without teams.csv no team is unknown
    assert len(data.responses) == 4


def test_optional_columns_may_be_absent(tmp_path):
    folder = tmp_path / "narrow"
    shutil.copytree(MINIMAL, folder)
    (folder / "responses.csv").write_text(
        "response_id,customer_id,submitted_at,touchpoint,channel,nps\n"
        "R1,C001,2025-01-12T10:15:00+01:00,delivery,email,8\n",
        encoding="utf-8",
    )
    r = load(folder).responses
    assert list(r.columns) == list(SCHEMAS["responses"].columns)
    assert r["comment"].isna().all() and r["comment"].dtype == "string"
    assert r["csat"].dtype == "Int64" and r["nps"].tolist() == [8]


def test_extra_columns_are_listed_not_loaded(tmp_path):
    folder = tmp_path / "extra"
    shutil.copytree(MINIMAL, folder)
    (folder / "teams.csv").write_text(
        "team,Manager,region,function\nservice-noord,Els,Noord,service\n", encoding="utf-8"
    )
    data = load(folder)
    assert list(data.teams.columns) == ["team", "region", "function"]
    assert data.summary.set_index("table").loc["teams", "ignored_columns"] == "Manager"


def test_header_only_file_is_an_empty_table(tmp_path):
    folder = tmp_path / "header"
    shutil.copytree(MINIMAL, folder)
    (folder / "pulse.csv").write_text("pulse_id,submitted_on,team,question,score\n", encoding="utf-8")
    data = load(folder)
    assert data.pulse.empty and data.pulse["score"].dtype == "Int64"


def test_missing_folder():
    with pytest.raises(SourceError, match="data folder not found"):
        load(MINIMAL / "nowhere")


@pytest.mark.skipif(not (SAMPLE_DATA / "responses.csv").exists(), reason="data/sample not written yet")
def test_the_sample_loads_with_canonical_dtypes():
    data = load(SAMPLE_DATA)
    s = data.summary
    assert s["file"].notna().all()  # the sample has every table
    assert (s["accepted"] + s["rejected"] == s["read"]).all()
    for name, frame in data.tables.items():
        assert canonical(frame, name), name
    assert data.goals_path == SAMPLE_DATA / "goals.yaml"
    # exactly the invalid rows planted by the generator (data/sample/README.md, "Invalid rows")
    got = sorted(data.rejected[["table", "column", "reason"]].itertuples(index=False, name=None))
    assert got == sorted(
        [
            ("responses", "nps", "out of range (expected 0–10)"),
            ("responses", "ces", "out of range (expected 1–7)"),
            ("responses", "nps, csat, ces, comment", "no answer (expected at least one of nps, csat, ces, comment)"),
            ("responses", "customer_id", "unknown customer_id (not in customers.csv)"),
            ("responses", "response_id", "duplicate response_id (first occurrence kept)"),
            ("tickets", "first_response_at", "first_response_at before created_at"),
            ("tickets", "first_response_at", "first_response_at before created_at"),
            ("tickets", "resolved_at", "resolved_at before created_at"),
            ("tickets", "customer_id", "unknown customer_id (not in customers.csv)"),
            ("customers", "customer_id", "duplicate customer_id (first occurrence kept)"),
            ("customers", "churn_date", "churn_date before signup_date"),
            ("orders", "amount", "negative amount (expected ≥ 0)"),
            ("orders", "customer_id", "unknown customer_id (not in customers.csv)"),
            ("observations", "observation_id, item", "duplicate (observation_id, item) (first occurrence kept)"),
            ("pulse", "score", "out of range (expected 1–5)"),
            ("actions", "done_on", "status done without done_on"),
        ]
    )
    dup = data.rejected[data.rejected["column"] == "response_id"].iloc[0]
    assert dup["value"] == "R0019200"


def test_docs_list_every_column_in_schema_order():
    text = (Path(__file__).parents[1] / "docs" / "data.md").read_text(encoding="utf-8")
    section = text.split("## Tables, columns and dtypes")[1].split("\n## ")[0]
    documented: dict[str, list[tuple[str, bool]]] = {}
    table = None
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("table", "---") or cells[1] == "*(row)*":
            continue
        table = cells[0] or table
        name, optional = cells[1].removesuffix(" *opt*"), cells[1].endswith("*opt*")
        documented.setdefault(table, []).append((name, optional))
    assert documented == {
        name: [(c, not spec.required) for c, spec in schema.columns.items()] for name, schema in SCHEMAS.items()
    }
