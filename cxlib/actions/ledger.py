"""The action ledger (actions.csv): accepted proposals become owned actions.

Contract (DESIGN.md): action_id, created_on, team, owner, kpi, trigger, description, status,
due_on, done_on; the same CSV format as the sample (UTF-8, ``,``, ``\\n`` line ends, header,
minimal quoting, dates ``YYYY-MM-DD``, empty = missing), so ``cx.load`` reads it.

Method: ``ledger_rows`` turns proposals into ledger rows (pure). ``accept_actions`` appends
the rows whose action_id is not yet in the file: the existing bytes are kept exactly as they
are (nothing is re-parsed and re-written, so no row is lost or altered) and the new rows are
added after them; the whole file is then written atomically (``cxlib.atomic.write_atomic``:
temporary file + rename). Ids are stable (``cxlib.actions.proposals.action_key``), so accepting
the same proposal twice leaves the file unchanged. Where the platform has ``fcntl``, an
exclusive lock on the ledger's folder serialises concurrent writers (their read-append-write
cycles take turns, so none loses another's rows).

``set_action_status`` ticks an action off (in progress, done with done_on today) in place and
logs who did it and when in ``actions_log.csv`` beside the ledger.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cxlib.atomic import locked, write_atomic
from cxlib.business_hours import local_timestamp
from cxlib.catalogue import kpi_keys
from cxlib.paths import TIMEZONE

__all__ = ["LEDGER_COLUMNS", "LOG_COLUMNS", "STATUSES", "accept_actions", "ledger_rows", "set_action_status"]

LEDGER_COLUMNS = (
    "action_id",
    "created_on",
    "team",
    "owner",
    "kpi",
    "trigger",
    "description",
    "status",
    "due_on",
    "done_on",
)
STATUSES = ("open", "in_progress", "done", "cancelled")


def _date(value, what: str) -> pd.Timestamp:
    ts = local_timestamp(value)
    if pd.isna(ts):
        raise ValueError(f"{what} is missing")
    return ts.normalize()


def _per_row(value, teams: pd.Series, what: str) -> list:
    """A value per row: one value for all, a mapping team -> value, or a sequence/Series by row."""
    if isinstance(value, Mapping):
        missing = sorted({str(t) for t in teams if t not in value})
        if missing:
            raise ValueError(f"{what}: no entry for team(s) {', '.join(missing)}")
        return [value[t] for t in teams]
    if isinstance(value, (pd.Series, list, tuple)):
        values = list(value)
        if len(values) != len(teams):
            raise ValueError(f"{what}: {len(values)} values for {len(teams)} actions")
        return values
    return [value] * len(teams)


def ledger_rows(
    proposed: pd.DataFrame, owner, due_on, created_on=None, status: str = "open", done_on=None
) -> pd.DataFrame:
    """Ledger rows (``LEDGER_COLUMNS``) for the proposals, without writing anything.

    ``proposed``: a frame from ``propose_actions`` (action_id, team, kpi, trigger, description).
    ``owner`` (the person): one name, a mapping team -> name or one per row. ``due_on``: a date,
    a mapping team -> date, one per row, or a number of days / a Timedelta after ``created_on``
    (default today, Europe/Amsterdam). ``status`` one of open, in_progress, done, cancelled;
    done needs ``done_on``. Raises ValueError naming the action for a missing team, an unknown
    KPI, a missing owner or a due date before the creation date. Duplicate ids are kept once.
    """
    if status not in STATUSES:
        raise ValueError(f"status {status!r} must be one of {', '.join(STATUSES)}")
    if status == "done" and done_on is None:
        raise ValueError("status done needs done_on")
    for column in ("action_id", "team", "kpi", "trigger", "description"):
        if column not in proposed.columns:
            raise ValueError(f"proposed actions have no column {column!r} (use cx.propose_actions)")
    rows = proposed.drop_duplicates("action_id").reset_index(drop=True)
    created = _date(created_on if created_on is not None else pd.Timestamp.now(tz=TIMEZONE), "created_on")
    teams = rows["team"].astype("string")
    owners = _per_row(owner, teams, "owner")
    if isinstance(due_on, (int, pd.Timedelta)) and not isinstance(due_on, bool):
        dues = [created + (pd.Timedelta(days=due_on) if isinstance(due_on, int) else due_on)] * len(rows)
    else:
        dues = [_date(d, "due_on") for d in _per_row(due_on, teams, "due_on")]
    keys = set(kpi_keys())
    for i, row in rows.iterrows():  # validation, one message per problem row
        where = f"action {row['action_id']}"
        if pd.isna(row["team"]) or not str(row["team"]).strip():
            raise ValueError(f"{where}: no owner team")
        if str(row["kpi"]) not in keys:
            raise ValueError(f"{where}: kpi {row['kpi']!r} is not a KPI catalogue key")
        if owners[i] is None or pd.isna(owners[i]) or not str(owners[i]).strip():
            raise ValueError(f"{where}: no owner for team {row['team']}")
        if dues[i].normalize() < created:
            raise ValueError(f"{where}: due_on {dues[i].date()} is before created_on {created.date()}")
    done = _date(done_on, "done_on") if done_on is not None else None
    if done is not None and done < created:
        raise ValueError(f"done_on {done.date()} is before created_on {created.date()}")
    return pd.DataFrame(
        {
            "action_id": rows["action_id"].astype("string"),
            "created_on": pd.Series([created] * len(rows), dtype=f"datetime64[us, {TIMEZONE}]"),
            "team": teams,
            "owner": pd.array([str(o) for o in owners], dtype="string"),
            "kpi": rows["kpi"].astype("string"),
            "trigger": rows["trigger"].astype("string"),
            "description": rows["description"].astype("string"),
            "status": pd.array([status] * len(rows), dtype="string"),
            "due_on": pd.Series([d.normalize() for d in dues], dtype=f"datetime64[us, {TIMEZONE}]"),
            "done_on": pd.Series([done] * len(rows), dtype=f"datetime64[us, {TIMEZONE}]"),
        }
    )


def _text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return " ".join(str(value).split())  # one physical line per field: no CR/LF inside


def _existing(raw: bytes, path: Path) -> tuple[list[str], set[str]]:
    """Header and action ids of the current file (parsed with the csv module: quoted fields may
    hold commas and line breaks)."""
    text = raw.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return list(LEDGER_COLUMNS), set()
    missing = [c for c in LEDGER_COLUMNS if c != "done_on" and c not in header]
    if missing:
        raise ValueError(f"{path}: line 1: the header lacks {', '.join(missing)}; expected {','.join(LEDGER_COLUMNS)}")
    at = header.index("action_id")
    return header, {row[at] for row in reader if len(row) > at}


def accept_actions(
    proposed: pd.DataFrame, ledger_path, owner, due_on, created_on=None, status: str = "open", done_on=None
) -> pd.DataFrame:
    """Append the proposed actions to the ledger ``ledger_path`` (actions.csv) and return the rows added.

    Rows are built by ``ledger_rows`` (same arguments). A proposal whose action_id is already
    in the file is skipped, so accepting the same proposals twice leaves the file byte for byte
    the same. The existing content is kept exactly; new rows follow it in the file's own column
    order (columns the file lacks are not written; ``done_on`` left empty when absent). The file
    is written atomically, under an exclusive lock where available; a missing file is created
    with the contract header.
    """
    path = Path(ledger_path)
    rows = ledger_rows(proposed, owner, due_on, created_on, status, done_on)
    with locked(path.parent):
        raw = path.read_bytes() if path.exists() else b""
        header, ids = _existing(raw, path)
        new = rows[~rows["action_id"].isin(ids).to_numpy(dtype=bool)].reset_index(drop=True)
        if new.empty:
            return new
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        if not raw.strip():
            writer.writerow(header)
            raw = b""
        for record in new.itertuples(index=False):
            values = record._asdict()
            writer.writerow([_text(values.get(column)) for column in header])
        if raw and not raw.endswith(b"\n"):
            raw += b"\n"
        write_atomic(path, raw + buffer.getvalue().encode("utf-8"))
    return new


LOG_FILE = "actions_log.csv"
LOG_COLUMNS = ("changed_at", "action_id", "status_before", "status_after", "done_on", "changed_by")


def set_action_status(
    ledger_path, action_id: str, status: str, by: str, *, on=None, expected: str | None = None, log_path=None
) -> dict:
    """Set the status of one action in the ledger and log who changed it and when.

    ``status``: open, in_progress, done or cancelled; done sets ``done_on`` to ``on`` (default
    today, Europe/Amsterdam), any other status clears it. ``by``: who (the login).
    ``expected``: the status the person saw; when the ledger holds another one now, ValueError
    (someone else changed it) and nothing is written, so no change is lost. The row is changed
    in place through ``cxlib.io.writer.replace_record`` (validated as ``cx.load`` reads it,
    the other rows keep their bytes) and one row is appended to the change log ``log_path``
    (default ``actions_log.csv`` beside the ledger: changed_at, action_id, status_before,
    status_after, done_on, changed_by), both under the folder's lock. Returns the log row.
    """
    from cxlib.io.writer import csv_field, replace_record

    if status not in STATUSES:
        raise ValueError(f"status {status!r} must be one of {', '.join(STATUSES)}")
    if by is None or not str(by).strip():
        raise ValueError("who changed the action (by) is missing")
    path = Path(ledger_path)
    log = Path(log_path) if log_path is not None else path.parent / LOG_FILE
    now = pd.Timestamp.now(tz=TIMEZONE)
    done = _date(on if on is not None else now, "done_on") if status == "done" else None
    with locked(path.parent):
        before, after = replace_record(
            path.parent,
            "actions",
            "action_id",
            str(action_id),
            {"status": status, "done_on": done},
            expected=None if expected is None else {"status": expected},
            lock=False,
        )
        row = {
            "changed_at": csv_field(now, "datetime"),
            "action_id": str(action_id),
            "status_before": before["status"],
            "status_after": after["status"],
            "done_on": after.get("done_on", ""),
            "changed_by": csv_field(by),
        }
        raw = log.read_bytes() if log.exists() else b""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        if not raw.strip():
            writer.writerow(LOG_COLUMNS)
            raw = b""
        elif not raw.endswith(b"\n"):
            raw += b"\n"
        writer.writerow([row[c] for c in LOG_COLUMNS])
        write_atomic(log, raw + buffer.getvalue().encode("utf-8"))
    return row
