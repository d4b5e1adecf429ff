"""The two real public exports in ../shared/real-exports (see its README): `cx init`, at most
a few edited lines, `cx validate`, load, and the published values.

The files are not part of the repository (their licences differ): the folder is the project
root's sibling ``shared/real-exports``, or ``$CX_REAL_EXPORTS`` (``cxlib.paths.real_exports``),
and these tests skip when it is absent. The files are copied to a temporary folder, since init
writes source.yaml there. Expected values: the README's published figures, recomputed below from
the raw file with the csv module.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cxlib as cx
from cxlib.cli import main
from cxlib.io.validate import run as validate
from cxlib.paths import real_exports

REAL = real_exports()
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason=f"{REAL} is absent (shared exports)")


def copied(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    shutil.copytree(REAL / name, folder)
    return folder


def edit(path: Path, edits: dict[str, str]) -> int:
    """Replace the lines starting with each key (stripped); return the lines changed."""
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = 0
    for start, replacement in edits.items():
        hits = [i for i, line in enumerate(lines) if line.strip().startswith(start)]
        assert len(hits) == 1, start
        lines[hits[0]] = replacement
        changed += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def test_nps_verbatims(tmp_path):
    folder = copied("nps-verbatims", tmp_path)
    assert main(["init", str(folder)]) == 0  # the draft needs no edits
    out, err = io.StringIO(), io.StringIO()
    assert validate(folder, out=out, err=err) == 0, err.getvalue()
    data = cx.load(folder)
    with open(folder / "text_data.csv", encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    scores = [int(r["NPS_SCORE"]) for r in raw if r["NPS_SCORE"].strip()]
    p, m, d = (sum(s >= 9 for s in scores), sum(7 <= s <= 8 for s in scores), sum(s <= 6 for s in scores))
    assert (p, m, d, len(scores)) == (690, 392, 1271, 2353)  # the README's figures
    nps = cx.measure(data, "nps", freq=None).iloc[0]
    assert (nps["promoters"], nps["passives"], nps["detractors"], nps["n"]) == (p, m, d, 2353)
    assert nps["value"] == pytest.approx(100 * (p - d) / len(scores))
    assert round(nps["value"], 2) == -24.69
    # the 32 answers without a score are kept, each with its comment
    assert len(data.responses) == len(raw) == 2385 and data.rejected.empty
    unscored = data.responses[data.responses["nps"].isna()]
    assert len(unscored) == 32 and unscored["comment"].notna().all()
    # dd/mm/yyyy hh:mm, local time: the first record is 11 April 2018 20:09 (CEST)
    assert data.responses["submitted_at"].iloc[0] == pd.Timestamp("2018-04-11 20:09", tz="Europe/Amsterdam")
    assert data.responses["submitted_at"].min() >= pd.Timestamp("2017-12-11", tz="Europe/Amsterdam")
    assert sorted(data.responses["touchpoint"].unique()) == [
        "Equipment Received",
        "First Payment",
        "Order",
        "Service in Use",
    ]


def test_telco_churn(tmp_path):
    folder = copied("telco-churn", tmp_path)
    assert main(["init", str(folder)]) == 0
    # no dates in the file: the snapshot (tenure counts back from it) and the churners' date
    changed = edit(
        folder / "source.yaml",
        {"snapshot:": "    snapshot: 2018-01-01", "churn_date: {": '      churn_date: {"Yes": 2018-01-31, "No": ""}'},
    )
    assert changed == 2
    out, err = io.StringIO(), io.StringIO()
    assert validate(folder, out=out, err=err) == 0, err.getvalue()
    data = cx.load(folder)
    with open(folder / "WA_Fn-UseC_-Telco-Customer-Churn.csv", encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    churned = sum(r["Churn"] == "Yes" for r in raw)
    assert (churned, len(raw)) == (1869, 7043)  # the README's figures
    row = cx.measure(data, "churn_rate", freq=None).iloc[0]
    assert (row["successes"], row["n"]) == (1869, 7043)
    assert round(row["value"], 2) == 26.54
    by_contract = cx.measure(data, "churn_rate", by="segment", freq=None).set_index("segment")
    month = [r for r in raw if r["Contract"] == "Month-to-month"]
    assert by_contract.loc["Month-to-month", "value"] == pytest.approx(
        100 * sum(r["Churn"] == "Yes" for r in month) / len(month)
    )
