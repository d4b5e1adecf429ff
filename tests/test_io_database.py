"""PostgreSQL as a source (issue 17, item 4), against a real server started here.

The module starts Debian's PostgreSQL (initdb + pg_ctl; `make postgres` installs it) as an
unprivileged user in a temporary folder, listening on a free loopback port only, loads the
sample company's CSV files into typed tables with COPY, and stops the server at the end.
"""

from __future__ import annotations

import glob
import io
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from cxlib import paths
from cxlib.io import load
from cxlib.io.database import DatabaseError

USER, PASSWORD = "cx", "s3cret-for-tests"
DDL = {
    "teams": "team text, region text, function text",
    "crm_klanten": "klant_id text, segment text, region text, signup_date date, churn_date date",
    "orders": "order_id text, customer_id text, order_date date, amount numeric(12, 2), product text",
    "survey_responses": (
        "response_id text, customer_id text, submitted_at timestamptz, touchpoint text,"
        " channel text, team text, nps integer, csat integer, ces integer,"
        " comment text, language text"
    ),
    "tickets": (
        "ticket_id text, customer_id text, team text, agent_id text, channel text, category text,"
        " created_at timestamptz, first_response_at timestamptz, resolved_at timestamptz,"
        " escalated boolean"
    ),
    "observations": (
        "observation_id text, observed_at timestamptz, team text, source text, category text, item text, passed boolean"
    ),
    "pulse": "pulse_id text, submitted_on date, team text, question text, score integer",
    "actions": (
        "action_id text, created_on date, team text, owner text, kpi text, trigger text,"
        " description text, status text, due_on date, done_on date"
    ),
}
FILES = {"crm_klanten": "customers.csv", "survey_responses": "responses.csv"}
SOURCE = """\
database: postgresql://cx@127.0.0.1:{port}/cx
password_env: CX_TEST_PG_PASSWORD
tables:
  responses:
    table: survey_responses
  customers:
    query: SELECT * FROM crm_klanten ORDER BY klant_id
    columns: {{klant_id: customer_id}}
"""


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
    if found is None:
        pytest.fail(
            "The database tests need Debian's PostgreSQL server: run `make postgres` (apt-get install postgresql)",
            pytrace=False,
        )
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_nobody():
    """preexec_fn: PostgreSQL refuses to run as root, so drop to nobody when we are root."""
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)


@pytest.fixture(scope="module")
def server():
    """(port, folder with source.yaml): a PostgreSQL server holding the sample company."""
    import psycopg

    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    root = Path(tempfile.mkdtemp(prefix="cx-pg-"))
    if os.geteuid() == 0:
        os.chown(root, 65534, 65534)
    root.chmod(0o700)
    (root / "pw").write_text(PASSWORD)
    if os.geteuid() == 0:
        os.chown(root / "pw", 65534, 65534)
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C"}
    run = {"preexec_fn": _as_nobody, "env": env, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        [
            initdb,
            "-D",
            str(root / "data"),
            "-U",
            USER,
            "--pwfile",
            str(root / "pw"),
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        **run,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [pg_ctl, "-D", str(root / "data"), "-o", options, "-l", str(root / "log"), "-w", "start"], check=True, **run
    )
    try:
        with psycopg.connect(
            host="127.0.0.1", port=port, user=USER, password=PASSWORD, dbname="postgres", autocommit=True
        ) as con:
            con.execute("CREATE DATABASE cx")
        with psycopg.connect(host="127.0.0.1", port=port, user=USER, password=PASSWORD, dbname="cx") as con:
            for table, columns in DDL.items():
                con.execute(f"CREATE TABLE {table} ({columns})")
                csv = paths.SAMPLE_DATA / FILES.get(table, f"{table}.csv")
                with con.cursor().copy(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                    copy.write(csv.read_bytes())
        folder = root / "source"
        folder.mkdir()
        (folder / "source.yaml").write_text(SOURCE.format(port=port))
        shutil.copy(paths.SAMPLE_DATA / "goals.yaml", folder / "goals.yaml")
        yield port, folder
    finally:
        subprocess.run([pg_ctl, "-D", str(root / "data"), "-m", "immediate", "stop"], check=False, **run)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("CX_TEST_PG_PASSWORD", PASSWORD)


def kpis(data) -> dict[str, pd.DataFrame]:
    import cxlib as cx

    frames = cx.measure_many(data, ["nps", "csat", "compliance", "actions_done"], by="team")
    frames["ces"] = cx.measure(data, "ces", by="region", freq="month")
    frames["churn_rate"] = cx.measure(data, "churn_rate", by="segment")
    frames.update(cx.measure_many(data, ["first_response_time", "sla_attainment"], by="team", n_resamples=200))
    return frames


@pytest.fixture(scope="module")
def db_data(server):
    """The sample company loaded from the database (once for the module)."""
    _, folder = server
    os.environ["CX_TEST_PG_PASSWORD"] = PASSWORD
    try:
        return load(folder)
    finally:
        del os.environ["CX_TEST_PG_PASSWORD"]


def test_kpis_from_postgresql_equal_the_csv_path(db_data, sample):
    data = db_data
    assert data.files["responses"].name == "survey_responses"
    assert data.files["customers"].name == "query:customers"
    # every planted invalid row is found again, for the same reason, in the same column
    want = sample.rejected.groupby(["table", "column", "reason"]).size()
    named = data.rejected.assign(
        reason=data.rejected["reason"].str.replace("query:customers", "customers.csv")
    )  # the customers came from a query, not the file
    got = named.groupby(["table", "column", "reason"]).size()
    pd.testing.assert_series_equal(got, want)
    pd.testing.assert_frame_equal(data.summary.drop(columns="file"), sample.summary.drop(columns="file"))
    from_db = kpis(data)
    for name, frame in kpis(sample).items():
        pd.testing.assert_frame_equal(from_db[name], frame, check_exact=False, rtol=1e-12, obj=name)


def test_rows_from_the_database_keep_their_types_and_values(db_data, sample):
    data = db_data
    for table in ("responses", "tickets", "orders", "customers", "actions"):
        key = data.tables[table].columns[0]
        a = data.tables[table].sort_values(key, kind="stable").reset_index(drop=True)
        b = sample.tables[table].sort_values(key, kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=table)


def cx_validate(folder) -> tuple[int, str, str]:
    from cxlib.io.validate import run

    out, err = io.StringIO(), io.StringIO()
    code = run(folder, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def with_source(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "source.yaml").write_text(text)
    return folder


def test_unreachable_server_is_one_line_and_exit_2(tmp_path, password):
    folder = with_source(tmp_path, f"database: postgresql://cx@127.0.0.1:{_free_port()}/cx\n")
    code, out, err = cx_validate(folder)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: 127.0.0.1:") and "cannot connect" in err
    assert "expected a PostgreSQL server accepting connections there" in err


def test_wrong_password_is_one_line_and_exit_2(tmp_path, server, monkeypatch):
    port, _ = server
    monkeypatch.setenv("CX_TEST_PG_PASSWORD", "not-the-password")
    folder = with_source(tmp_path, SOURCE.format(port=port))
    code, _, err = cx_validate(folder)
    assert code == 2 and err.count("\n") == 1
    assert err == (
        f"error: 127.0.0.1:{port}/cx: the server refused the password; expected the "
        "password of this user in the environment variable CX_TEST_PG_PASSWORD\n"
    )
    assert "not-the-password" not in err


def test_missing_table_is_one_line_and_exit_2(tmp_path, server, password):
    port, _ = server
    folder = with_source(tmp_path, SOURCE.format(port=port).replace("survey_responses", "enquete"))
    code, _, err = cx_validate(folder)
    assert code == 2 and err.count("\n") == 1
    assert err == (
        f"error: 127.0.0.1:{port}/cx: table 'enquete': does not exist; expected a table, "
        "view or SELECT that exists in the database (tables.responses in source.yaml)\n"
    )
    with pytest.raises(DatabaseError):
        load(folder)
