"""The dashboard without a browser: password hashes, dashboard.yaml, who sees what, the seam's
row selection, the live store (reload, failed reload), the CLI and the missing extra."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

import cxlib as cx
from cxlib import paths
from cxlib.dashboard import access, content
from cxlib.dashboard.users import (
    User,
    UsersError,
    hash_password,
    load_users,
    verify_password,
)

TEAMS = pd.DataFrame(
    {
        "team": ["Service Noord", "Field Noord", "Service West", "Field West"],
        "region": ["Noord", "Noord", "West", "West"],
    }
)
LEADER = User("anna", "leader")
LEAD = User("bram", "team_lead", team="Service West")
VIEWER = User("carla", "viewer")
REGION_VIEWER = User("dirk", "viewer", region="Noord")


# ---- password hashes ---------------------------------------------------------------------------


def test_rfc_7914_vector_is_verified():
    # RFC 7914, section 12: scrypt(P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64)
    key = bytes.fromhex(
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886f"
        "f109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
    )
    stored = f"scrypt$n=1024,r=8,p=16${base64.b64encode(b'NaCl').decode()}${base64.b64encode(key).decode()}"
    assert verify_password("password", stored)
    assert not verify_password("Password", stored)


def test_hash_round_trip_salted_and_owasp_parameters():
    first, second = hash_password("geheim-42"), hash_password("geheim-42")
    assert first != second  # a new salt each time
    assert first.startswith("scrypt$n=131072,r=8,p=1$")
    assert verify_password("geheim-42", first) and verify_password("geheim-42", second)
    assert not verify_password("geheim-43", first)
    for broken in (None, "", "plain-text", "scrypt$n=2,r=1$x$y", "bcrypt$abc"):
        assert not verify_password("geheim-42", broken)
    with pytest.raises(ValueError):
        hash_password("")


def test_cli_hash_password_from_stdin():
    env = {**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "cxlib.cli", "dashboard", "hash-password", "--stdin"],
        input="s3cret pass\n",
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert verify_password("s3cret pass", out.stdout.strip())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "de"], "language 'de' is not supported; expected one of nl, en"),
        (["--port", "70000"], "--port 70000 must lie between 0"),
        (["--data", "nowhere-at-all"], "--data 'nowhere-at-all': no such folder"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(tmp_path, args, message):
    env = {**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "cxlib.cli", "dashboard", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2 and done.stderr.startswith("cx dashboard: ") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""


def test_missing_extra_is_named(monkeypatch):
    from cxlib.dashboard import require_panel

    monkeypatch.setitem(sys.modules, "panel", None)  # what an environment without the extra looks like
    with pytest.raises(ImportError, match=r"pip install 'cxlib\[dashboard\]'"):
        require_panel()


# ---- dashboard.yaml ----------------------------------------------------------------------------


def _users_file(tmp_path, users, **extra) -> Path:
    path = tmp_path / "dashboard.yaml"
    path.write_text(yaml.safe_dump({"users": users, **extra}), encoding="utf-8")
    return path


def test_users_file_is_read_and_checked(tmp_path):
    pw = hash_password("x")
    users = load_users(
        _users_file(
            tmp_path,
            {
                "anna": {"role": "leader", "password": pw, "lang": "en"},
                "bram": {"role": "team_lead", "team": "Service West", "password": pw},
            },
        )
    )
    assert users.get("anna").role == "leader" and users.get("anna").lang == "en"
    assert users.get("bram").team == "Service West" and users.get("nobody") is None
    bad = [
        ({"x": {"role": "boss", "password": pw}}, "role 'boss'"),
        ({"x": {"role": "team_lead", "password": pw}}, "without a team"),
        ({"x": {"role": "leader"}}, "no password hash"),
        ({"x": {"role": "leader", "password": "secret"}}, "no password hash"),
        ({"x": {"role": "viewer", "password": pw, "lang": "de"}}, "lang 'de'"),
        ({"x": {"role": "viewer", "password": pw, "shoe": 42}}, "unknown key"),
    ]
    for spec, message in bad:
        with pytest.raises(UsersError, match=message):
            load_users(_users_file(tmp_path, spec))
    with pytest.raises(UsersError, match="CX_TEST_UNSET_SECRET"):
        load_users(
            _users_file(
                tmp_path,
                {"x": {"role": "leader"}},
                oauth={"provider": "github", "key": "id", "secret_env": "CX_TEST_UNSET_SECRET"},
            )
        )
    with pytest.raises(UsersError, match="file not found"):
        load_users(tmp_path / "nothing.yaml")
    users = load_users(_users_file(tmp_path, {"x": {"role": "team_lead", "team": "Atlantis", "password": pw}}))
    with pytest.raises(UsersError, match="team 'Atlantis'"):
        access.check_users(users, TEAMS)


# ---- who sees what -----------------------------------------------------------------------------


def test_scopes_per_role():
    def keys(user):
        return [s.key for s in access.allowed(user, TEAMS)]

    assert keys(LEADER) == [
        "company",
        "region:Noord",
        "team:Field Noord",
        "team:Service Noord",
        "region:West",
        "team:Field West",
        "team:Service West",
    ]
    assert keys(VIEWER) == keys(LEADER)
    assert keys(LEAD) == ["company", "team:Service West"]
    assert keys(REGION_VIEWER) == ["company", "region:Noord", "team:Field Noord", "team:Service Noord"]
    for bad in ("team:Service Noord", "region:West", "team:Service West ", "company;drop", "", "../actions"):
        with pytest.raises(PermissionError):
            access.resolve(LEAD, bad, TEAMS)
    assert access.resolve(LEAD, "team:Service West", TEAMS) == access.Scope("team", "Service West")
    assert access.totals_only(LEAD, access.COMPANY) and not access.totals_only(LEADER, access.COMPANY)
    assert not access.totals_only(LEAD, access.Scope("team", "Service West"))


def test_who_may_write_for_which_team():
    west = access.Scope("team", "Service West")
    assert access.writable_teams(LEAD, TEAMS, west) == ["Service West"]
    assert access.writable_teams(LEAD, TEAMS, access.COMPANY) == ["Service West"]
    assert access.writable_teams(VIEWER, TEAMS, west) == []
    assert access.writable_teams(LEADER, TEAMS, access.Scope("region", "Noord")) == ["Field Noord", "Service Noord"]
    assert access.children(access.COMPANY, TEAMS, LEAD) == [west]
    assert access.parent(west, TEAMS, LEAD) == access.COMPANY
    assert access.parent(west, TEAMS, LEADER) == access.Scope("region", "West")


def test_subset_by_team_selects_the_responses_it_served(sample):
    unit = cx.subset(sample, "team", "Service West")
    assert len(unit.responses) == int((sample.responses["team"] == "Service West").sum())
    assert set(unit.tickets["team"]) == {"Service West"}
    assert set(unit.actions["team"]) == {"Service West"}


def test_restricted_views_hold_no_other_team_rows(sample):
    teams = sample.teams[["team", "region"]].astype("string")
    alerts = content.compute("signals", sample, "company", "2026-Q3", "en")
    company_only = content.select("signals", alerts, access.COMPANY, teams, totals_only=True)
    assert len(company_only) and not company_only["group"].isin(teams["team"]).any()
    assert set(company_only["group"]) == {"all"}  # the whole company is the key "all", translated when shown
    west = content.select("signals", alerts, access.Scope("team", "Service West"), teams)
    assert set(west["group"]) <= {"Service West"}
    actions = content.compute("actions", sample, "company", "2026-Q3", "en")
    assert content.select("actions", actions, access.COMPANY, teams, totals_only=True).empty
    assert set(content.select("actions", actions, access.Scope("team", "Service West"), teams)["team"]) == {
        "Service West"
    }
    # the overdue flag is action_progress's: not done, not cancelled, due before the day (A045 due 2026-09-25)
    flagged = content.compute(
        "actions", sample, "company", "2026-Q3", "en", today=pd.Timestamp("2026-10-01", tz="Europe/Amsterdam")
    )
    assert flagged.set_index("action_id").loc["A045", "overdue"]
    assert not flagged.set_index("action_id").loc["A044", "overdue"]  # due 2026-10-16


def test_action_descriptions_are_redacted_and_escaped():
    from cxlib.dashboard.render import actions_html

    frame = pd.DataFrame(
        {
            "action_id": ["A1"],
            "team": ["Service West"],
            "owner": ["Bram"],
            "description": ["Bel <b>Jan</b> terug: jan.jansen@example.nl"],
            "status": ["open"],
            "due_on": [pd.Timestamp("2026-10-01", tz="Europe/Amsterdam")],
            "done_on": [pd.NaT],
            "overdue": [True],
        }
    )
    html = actions_html(frame, "en")
    assert "jan.jansen@example.nl" not in html and "[email]" in html  # placeholder of docs/privacy.md
    assert "<b>Jan</b>" not in html and "&lt;b&gt;Jan&lt;/b&gt;" in html
    assert "overdue" in html


# ---- the live store ----------------------------------------------------------------------------


@pytest.mark.slow
def test_store_reloads_and_keeps_the_last_good_data(tmp_path):
    from cxlib.dashboard.store import Key, Store

    folder = tmp_path / "data"
    shutil.copytree(paths.SAMPLE_DATA, folder)
    store = Store(folder, langs=["en"], poll=0.2, scopes_for_warmup=[access.COMPANY]).start()
    try:
        assert store.wait_ready(timeout=300)
        first = store.current
        assert first.period == "2026-Q3" and first.version == 1
        key = Key("tiles", "company", "2026-Q3", "en")
        store.want("s", [key])
        _wait(lambda: store.lookup(key)[0] is not None, 300)
        html, fresh = store.lookup(key)
        assert fresh and 'data-kpi="nps"' in html
        original = (folder / "responses.csv").read_bytes()
        extra = b"RX000001,C000001,2026-09-30T12:00:00+02:00,support,email,Service West,10,5,7,,nl\n"
        (folder / "responses.csv").write_bytes(original + extra)
        _wait(lambda: store.version == 2, 120)
        assert len(store.current.data.responses) == len(first.data.responses) + 1
        stale, fresh = store.lookup(key)  # the previous load's tiles until the new ones are ready
        assert stale is not None
        # a file without required columns: the error is kept, the last good data stays
        (folder / "responses.csv").write_bytes(b"response_id,comment\nR1,hello\n")
        _wait(lambda: store.error is not None, 120)
        assert "responses.csv" in store.error[1] and store.version == 2
        (folder / "responses.csv").write_bytes(original)
        _wait(lambda: store.version == 3 and store.error is None, 120)
        assert len(store.current.data.responses) == len(first.data.responses)
    finally:
        store.stop()


@pytest.mark.slow
def test_view_refuses_a_forged_scope(tmp_path):
    from cxlib.dashboard.app import Context, View
    from cxlib.dashboard.store import Store
    from cxlib.dashboard.users import Users

    folder = tmp_path / "data"
    shutil.copytree(paths.SAMPLE_DATA, folder)
    store = Store(folder, langs=["en"], scopes_for_warmup=[]).start()
    try:
        assert store.wait_ready(timeout=300)
        users = Users({"bram": LEAD})
        view = View(Context(store, users, folder, "en"), LEAD, {"scope": [b"team:Service Noord"]}, "s")
        assert view.scope == access.Scope("team", "Service West")  # the URL asked for another team
        view._on_scope(SimpleNamespace(new="team:Service Noord"))  # as if the widget said so
        assert view.scope == access.Scope("team", "Service West")
        assert "No access" in view.message.object
        assert all(k.scope == "team:Service West" for k in view.wanted())
    finally:
        store.stop()


def _wait(check, timeout: float) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            pytest.fail("timed out")
        time.sleep(0.1)
