"""Benchmark: `cx init` and `cx validate` on 100,000-row exports (issue 12: each under 5 s).

Three exports in the shapes of the test fixtures, scaled up with numpy (seeded):
1. a Qualtrics-style survey (three header lines, 25 columns, NPS, CSAT, three ratings, a
   comment, one file read as responses and customers);
2. an ITSM-style event log (100,000 events of 25,000 tickets, '?' for missing, d/m/yyyy
   times), collapsed to tickets;
3. a CRM churn table (tenure in months, churned yes/no, a snapshot).

For each: `cx init` (draft source.yaml) and `cx validate` (load, checks, failed-read
diagnosis) in wall and CPU seconds, best of --repeat, with the ratio to a bare
`pandas.read_csv` of the same file.

    python benchmarks/bench_init_validate.py [--rows 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxlib.io.draft import init
from cxlib.io.validate import run as validate

TARGET = 5.0


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """Best wall and CPU seconds over ``repeat`` runs, and the last result."""
    best_wall = best_cpu = float("inf")
    result = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best_wall, best_cpu, result


def qualtrics(folder: Path, n: int, rng: np.random.Generator) -> Path:
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86400, n), unit="s")
    nps = rng.integers(0, 11, n).astype(object)
    nps[rng.random(n) < 0.02] = ""
    comments = np.array(
        [
            "Quick install, friendly fitter",
            "Had to call twice",
            "",
            "",
            "Late delivery, no update",
            "Price too high",
            "",
            "Great",
        ]
    )
    frame = pd.DataFrame(
        {
            "StartDate": (start - pd.Timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M:%S"),
            "EndDate": start.strftime("%Y-%m-%d %H:%M:%S"),
            "Status": "IP Address",
            "IPAddress": [f"203.0.{i % 250}.{i % 199}" for i in range(n)],
            "Progress": 100,
            "Duration (in seconds)": rng.integers(60, 900, n),
            "Finished": "True",
            "RecordedDate": start.strftime("%Y-%m-%d %H:%M:%S"),
            "ResponseId": [f"R_{i:012d}x" for i in range(n)],
            "RecipientLastName": "",
            "RecipientFirstName": "",
            "RecipientEmail": "",
            "ExternalReference": [f"K-{i}" for i in range(n)],
            "LocationLatitude": "52.3676",
            "LocationLongitude": "4.9041",
            "DistributionChannel": rng.choice(["email", "anonymous"], n),
            "UserLanguage": rng.choice(["EN", "NL"], n),
            "Q1": nps,
            "Q1_NPS_GROUP": rng.choice(["Promoter", "Passive", "Detractor"], n),
            "Q2": rng.integers(1, 6, n),
            "Q3_1": rng.integers(1, 11, n),
            "Q3_2": rng.integers(1, 11, n),
            "Q3_3": rng.integers(1, 11, n),
            "Q4": rng.choice(comments, n),
            "Region": rng.choice(["Noord", "Zuid", "Oost", "West"], n),
        }
    )
    questions = list(frame.columns)
    questions[17] = "How likely are you to recommend us to a friend or colleague?"
    questions[19] = "Overall, how satisfied are you with us?"
    questions[20:23] = [f"How would you rate us on the following? - {a}" for a in ("Speed", "Friendliness", "Price")]
    questions[23] = "What is the main reason for your score?"
    imports = [f'{{"ImportId":"{c}"}}' for c in frame.columns]
    path = folder / "survey.csv"
    buf = io.StringIO()
    pd.DataFrame([questions, imports], columns=frame.columns).to_csv(buf, index=False)
    frame.to_csv(buf, index=False, header=False)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def event_log(folder: Path, n: int, rng: np.random.Generator) -> Path:
    tickets = n // 4
    ids = np.repeat(np.arange(tickets), 4)[:n]
    step = np.tile(np.arange(4), tickets)[:n]
    opened = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86400, tickets), unit="s")
    when = opened[ids] + pd.to_timedelta(step * rng.integers(600, 20000, n), unit="s")
    state = np.array(["New", "Active", "Resolved", "Closed"])[step]
    group = rng.choice(["Group 56", "Group 70", "Group 24", "?"], n)
    frame = pd.DataFrame(
        {
            "number": [f"INC{i:07d}" for i in ids],
            "incident_state": state,
            "active": np.where(step < 2, "true", "false"),
            "reassignment_count": 0,
            "sys_updated_at": [f"{t.day}/{t.month}/{t.year} {t:%H:%M}" for t in when],
            "opened_at": [f"{t.day}/{t.month}/{t.year} {t:%H:%M}" for t in opened[ids]],
            "contact_type": rng.choice(["Phone", "Email", "Self service"], n),
            "caller_id": [f"Caller {i % 5000}" for i in ids],
            "category": rng.choice([f"Category {k}" for k in range(40)], n),
            "assignment_group": group,
            "assigned_to": rng.choice(["Resolver 17", "Resolver 31", "?"], n),
            "priority": "3 - Moderate",
        }
    )
    frame = frame.sample(frac=1, random_state=1)  # events need not be in order
    path = folder / "incident_event_log.csv"
    frame.to_csv(path, index=False)
    return path


def crm(folder: Path, n: int, rng: np.random.Generator) -> Path:
    frame = pd.DataFrame(
        {
            "customerID": [f"{i:04d}-{chr(65 + i % 26)}QX" for i in range(n)],
            "gender": rng.choice(["Female", "Male"], n),
            "tenure": rng.integers(0, 73, n),
            "Contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
            "PaymentMethod": rng.choice(["Electronic check", "Mailed check", "Bank transfer"], n),
            "MonthlyCharges": np.round(rng.uniform(18, 119, n), 2),
            "Churn": np.where(rng.random(n) < 0.265, "Yes", "No"),
        }
    )
    path = folder / "telco.csv"
    frame.to_csv(path, index=False)
    return path


def bench(label: str, path: Path, repeat: int, header_rows: int = 1) -> None:
    folder = path.parent
    draft_wall, draft_cpu, _ = timed(lambda: init(folder, force=True), repeat)
    sink = io.StringIO()
    val_wall, val_cpu, code = timed(lambda: validate(folder, out=sink, err=sink), repeat)
    bare, _, _ = timed(
        lambda: pd.read_csv(path, dtype=str, keep_default_na=False, skiprows=range(1, header_rows)), repeat
    )
    rows = sum(1 for _ in path.open(encoding="utf-8")) - header_rows

    def ok(x):
        return "OK" if x < TARGET else "OVER TARGET"

    print(label)
    print(f"  records         {rows:>10,}  ({path.stat().st_size / 1e6:.1f} MB)")
    print(
        f"  cx init         {draft_wall:>8.2f} s wall  {draft_cpu:.2f} s CPU   target < {TARGET:.0f} s: "
        f"{ok(draft_wall)}   ratio to read_csv {draft_wall / bare:.1f}x"
    )
    print(
        f"  cx validate     {val_wall:>8.2f} s wall  {val_cpu:.2f} s CPU   target < {TARGET:.0f} s: "
        f"{ok(val_wall)}   ratio to read_csv {val_wall / bare:.1f}x   exit {code}"
    )
    print(f"  bare read_csv   {bare:>8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(20260105)
    with tempfile.TemporaryDirectory() as tmp:
        for label, make, header_rows in (
            ("Qualtrics-style survey (3 header lines, responses + customers)", qualtrics, 3),
            ("ITSM-style event log (collapsed to tickets)", event_log, 1),
            ("CRM churn table (tenure, snapshot)", crm, 1),
        ):
            folder = Path(tmp) / make.__name__
            folder.mkdir()
            path = make(folder, args.rows, rng)
            bench(label, path, args.repeat, header_rows)


if __name__ == "__main__":
    main()
