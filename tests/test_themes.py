"""Theme tagging (Dutch and English), the theme summary and taxonomy extension."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxlib.actions import load_taxonomy, tag_themes, themes
from cxlib.paths import SAMPLE_DATA

DEFAULT_THEMES = ["waiting_time", "delivery", "friendliness", "billing", "installation_quality", "digital"]


def tags_of(text: str, language: str | None = None, taxonomy=None, semantic=False, detect=False) -> set[str]:
    """Keyword tags by default (these tests pin the keyword lists; semantic tests: test_themes_semantic.py)."""
    frame = pd.DataFrame({"response_id": ["r1"], "comment": [text], "language": [language]})
    return set(tag_themes(frame, taxonomy=taxonomy, semantic=semantic, detect=detect)["theme"].astype(str))


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Dutch compounds, inflections and accents
        ("De wachttijden aan de telefoon zijn belachelijk", "nl", {"waiting_time"}),
        ("Ik heb 40 minuten in de wacht gestaan", "nl", {"waiting_time"}),
        ("Het duurde erg lang voordat iemand reageerde", "nl", {"waiting_time"}),
        ("De bezorgdienst kwam niet opdagen", "nl", {"delivery"}),
        ("Pakketbezorger gooide alles over het hek", "nl", {"delivery"}),
        ("Levering was keurig op tijd", "nl", {"delivery"}),
        ("Zeer vriendelijke en behulpzame medewerker", "nl", {"friendliness"}),
        ("De medewerker was onbeleefd en onvriendelijk", "nl", {"friendliness"}),
        ("Er is dubbel afgeschreven van mijn rekening", "nl", {"billing"}),
        ("Mijn factuur klopte niet", "nl", {"billing"}),
        ("De eindafrekening is veel te hoog", "nl", {"billing"}),
        ("De monteur heeft de ketel vakkundig geïnstalleerd", "nl", {"installation_quality"}),
        ("keurig geinstalleerd", "nl", {"installation_quality"}),  # without the diaeresis
        ("Inloggen in de app lukt niet", "nl", {"digital"}),
        ("De website is gebruiksvriendelijk", "nl", {"digital"}),  # not friendliness
        ("Door de sneeuw en gladheid had de monteur vertraging", "nl", {"installation_quality"}),
        ("Sneeuwval, dus een dag later bezorgd", "nl", {"delivery"}),
        # English
        ("I was on hold for ages and the app kept crashing", "en", {"waiting_time", "digital"}),
        ("It took ages before the parcel was delivered", "en", {"waiting_time", "delivery"}),
        ("The installer was rude", "en", {"installation_quality", "friendliness"}),
        ("I was charged twice on my invoice", "en", {"billing"}),
        ("Very friendly staff", "en", {"friendliness"}),
        ("Can't log in to the website", "en", {"digital"}),
        ("Delivery was delayed by the snow", "en", {"delivery"}),
        # no theme: words that only look like theme words
        ("Apparently the appointment was fine", "en", set()),  # app* is not "app"
        ("Het apparaat doet het prima", "nl", set()),  # apparaat is not "app"
        ("Wij houden er rekening mee", "nl", set()),  # "rekening houden" = take into account
        ("It was kind of okay", "en", set()),  # "kind of" is not kindness
        ("My phone charger works", "en", set()),  # charger is not a charge
        ("Ik verwacht meer van jullie", "nl", set()),  # verwacht is not wacht
        ("Het wachtwoord is eenvoudig te wijzigen", "nl", {"digital"}),  # not waiting
        ("A user-friendly site", "en", {"digital"}),  # not friendliness
        ("", "nl", set()),
    ],
)
def test_tagging_dutch_and_english(text, language, expected):
    assert tags_of(text, language) == expected


def test_snow_delay_is_the_sample_companys_own_theme():
    assert "snow_delay" not in load_taxonomy()["themes"]
    sample = load_taxonomy(SAMPLE_DATA)
    assert list(sample["themes"]) == DEFAULT_THEMES + ["snow_delay"]
    assert tags_of("Door de sneeuw en gladheid had de monteur vertraging", "nl", SAMPLE_DATA) == {
        "snow_delay",
        "installation_quality",
    }
    assert tags_of("Delivery was delayed by the snow", "en", SAMPLE_DATA) == {"delivery", "snow_delay"}


def test_language_decides_the_patterns():
    # "glad" is Dutch for slippery (snow_delay) but English for happy
    assert tags_of("I'm glad it worked out", "en", SAMPLE_DATA) == set()
    assert tags_of("Het was erg glad op de weg", "nl", SAMPLE_DATA) == {"snow_delay"}
    # a missing or unknown language uses both lists
    assert tags_of("Het was erg glad op de weg", None, SAMPLE_DATA) == {"snow_delay"}
    assert tags_of("Lange wachttijd, slow delivery", "de") == {"waiting_time", "delivery"}
    # an English keyword in a Dutch comment is not looked for
    assert tags_of("Ik heb lang gewacht, invoice?", "nl") == {"waiting_time"}


def test_tag_themes_is_long_tidy_and_order_independent():
    frame = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d"],
            "comment": ["Factuur te hoog en monteur te laat", "prima", None, "Lang wachten"],
            "language": pd.Categorical(["nl", "nl", "nl", "nl"]),
        }
    )
    tags = tag_themes(frame, semantic=False)
    assert list(tags.columns) == ["response_id", "theme", "method", "evidence", "similarity"]
    assert tags["evidence"].tolist() == ["keyword: factu*", "keyword: *monteur*", "keyword: wachten"]
    assert tags["method"].astype(str).tolist() == ["keyword"] * 3
    assert tags["response_id"].tolist() == ["a", "a", "d"]
    assert tags["theme"].astype(str).tolist() == ["billing", "installation_quality", "waiting_time"]
    assert list(tags["theme"].cat.categories) == DEFAULT_THEMES
    shuffled = tag_themes(frame.iloc[[3, 1, 0, 2]], semantic=False)
    key = ["response_id", "theme"]
    pd.testing.assert_frame_equal(
        shuffled.sort_values(key).reset_index(drop=True), tags.sort_values(key).reset_index(drop=True)
    )


@pytest.fixture
def scored():
    # 6 comments in group A, 2 in group B (plus an empty and a missing comment in A).
    return pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(10)],
            "team": ["A"] * 8 + ["B"] * 2,
            "language": ["nl"] * 10,
            "comment": [
                "Lang wachten op de monteur",  # waiting, installation
                "Wachttijd was te lang",  # waiting
                "De factuur klopt niet",  # billing
                "Wachten en een verkeerde factuur",  # waiting, billing
                "Prima geholpen",  # none
                "Top",  # none
                "",  # not a comment
                None,  # not a comment
                "Lange wachttijd",  # waiting
                "Goede levering",  # delivery
            ],
            "nps": pd.array([10, 9, 3, pd.NA, 8, 7, 0, 0, 6, 10], dtype="Int64"),
            "csat": pd.array([5, 4, 1, 2, 4, 4, 1, 1, pd.NA, 5], dtype="Int64"),
        }
    )


def test_theme_summary_by_hand(scored):
    out = themes(scored, semantic=False)
    assert out["theme"].astype(str).tolist() == DEFAULT_THEMES
    w = out.set_index(out["theme"].astype(str)).loc["waiting_time"]
    # comments: 8 non-empty; waiting mentioned in r0, r1, r3, r8 -> 4 of 8 = 50 %
    assert (w["n_mentions"], w["n_comments"]) == (4, 8)
    assert w["share"] == pytest.approx(50.0)
    # Wilson 95 %, p = 0.5, n = 8, z = 1.959964: centre = 0.5,
    # half = z * sqrt(0.25/8 + z^2/256) / (1 + z^2/8) = 1.959964 * 0.215071 / 1.480182 = 0.284784
    assert w["ci_low"] == pytest.approx(100 * (0.5 - 0.284784), abs=0.001)
    assert w["ci_high"] == pytest.approx(100 * (0.5 + 0.284784), abs=0.001)
    # NPS of mentioners with a score: r0 10, r1 9, r8 6 (r3 has none) -> (2 - 1)/3 = 33.3
    assert (w["nps_n"], w["nps"]) == (3, pytest.approx(100 / 3))
    assert w["mean_nps"] == pytest.approx((10 + 9 + 6) / 3)
    # CSAT of mentioners: r0 5, r1 4, r3 2 (r8 none)
    assert (w["csat_n"], w["mean_csat"]) == (3, pytest.approx(11 / 3))
    assert w["label"] == "Waiting time"
    f = out.set_index(out["theme"].astype(str)).loc["friendliness"]
    assert (f["n_mentions"], f["n_comments"], f["share"], f["ci_low"]) == (0, 8, 0.0, 0.0)
    assert math.isnan(f["nps"]) and f["nps_n"] == 0


def test_theme_summary_by_group(scored):
    out = themes(scored, by="team", lang="nl", semantic=False)
    assert len(out) == 2 * len(DEFAULT_THEMES)
    a = out[(out["team"] == "A")].set_index("theme")
    b = out[(out["team"] == "B")].set_index("theme")
    assert a.loc["waiting_time", "n_mentions"] == 3 and a.loc["waiting_time", "n_comments"] == 6
    assert a.loc["billing", "n_mentions"] == 2
    assert a.loc["billing", "nps"] == pytest.approx(-100.0)  # r2 scored 3; r3 has no NPS
    assert b.loc["waiting_time", "n_mentions"] == 1 and b.loc["waiting_time", "n_comments"] == 2
    assert b.loc["delivery", "share"] == pytest.approx(50.0)
    assert b.loc["delivery", "label"] == "Levering"
    assert list(out.columns[:3]) == ["team", "theme", "label"]


def test_theme_interval_narrows_with_confidence(scored):
    wide = themes(scored, confidence=0.99, semantic=False).iloc[0]
    narrow = themes(scored, confidence=0.80, semantic=False).iloc[0]
    assert wide["ci_low"] < narrow["ci_low"] < 50 < narrow["ci_high"] < wide["ci_high"]


# --- the taxonomy is data ------------------------------------------------------------------
def test_extend_the_taxonomy_from_a_data_folder(tmp_path):
    (tmp_path / "taxonomy.yaml").write_text(
        "extends: default\n"
        "themes:\n"
        "  parking:\n"
        "    label: {nl: Parkeren, en: Parking}\n"
        "    nl: {keywords: ['parkeer*', '*parkeerplaats']}\n"
        "    en: {keywords: ['parking']}\n"
        "  delivery:\n"
        "    nl: {keywords: ['ophaalpunt*']}\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(tmp_path)
    assert list(tax["themes"])[-1] == "parking" and "waiting_time" in tax["themes"]
    assert tags_of("Geen parkeerplaats bij de winkel", "nl", tmp_path) == {"parking"}
    assert tags_of("Het ophaalpunt was dicht", "nl", tmp_path) == {"delivery"}
    assert tags_of("Het ophaalpunt was dicht", "nl") == set()  # the default is untouched
    assert tags_of("De levering was laat", "nl", tmp_path) == {"delivery"}  # kept


def test_a_taxonomy_file_without_extends_replaces_the_default(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "themes:\n  price:\n    label: {en: Price}\n    en: {regex: ['\\bexpensive\\b']}\n",
        encoding="utf-8",
    )
    frame = pd.DataFrame({"response_id": ["x"], "comment": ["Too EXPENSIVE, slow delivery"], "language": ["en"]})
    out = themes(frame, taxonomy=path)
    assert out["theme"].astype(str).tolist() == ["price"]
    assert out["n_mentions"].tolist() == [1]


def test_a_folder_without_taxonomy_uses_the_default(tmp_path):
    assert list(load_taxonomy(tmp_path)["themes"]) == DEFAULT_THEMES


def test_taxonomy_errors_name_file_theme_and_pattern(tmp_path):
    path = tmp_path / "taxonomy.yaml"
    path.write_text("themes:\n  broken:\n    nl: {regex: ['(unclosed']}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"taxonomy\.yaml: theme 'broken', nl regex #1"):
        load_taxonomy(path)
    path.write_text("themes:\n  broken:\n    nl: {words: [x]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected keys"):
        load_taxonomy(path)


# --- the sample company: planted themes ---------------------------------------------------------
@pytest.mark.skipif(not (SAMPLE_DATA / "responses.csv").exists(), reason="no sample data yet")
def test_sample_themes_recover_the_planted_ones():
    responses = pd.read_csv(
        SAMPLE_DATA / "responses.csv",
        dtype={"response_id": "string", "comment": "string", "language": "string"},
    )
    times = pd.to_datetime(responses["submitted_at"], utc=True, format="ISO8601")
    responses["snow_week"] = np.where(
        times.dt.tz_convert("Europe/Amsterdam").between(
            pd.Timestamp("2026-01-05", tz="Europe/Amsterdam"),
            pd.Timestamp("2026-01-12", tz="Europe/Amsterdam"),
            inclusive="left",
        ),
        "snow",
        "other",
    )
    overall = themes(responses, SAMPLE_DATA).set_index("theme")
    # each planted theme is a recurring theme: at least 5 % of comments
    for theme in ["waiting_time", "delivery", "friendliness", "billing", "installation_quality", "digital"]:
        assert overall.loc[theme, "share"] >= 5, theme
    # most comments carry at least one theme
    tagged = tag_themes(responses, SAMPLE_DATA)["response_id"].nunique()
    n_comments = overall["n_comments"].iloc[0]
    assert tagged / n_comments >= 0.8
    # the theme planted most often at each touchpoint (data/sample/README.md) comes out on top
    by_touchpoint = themes(responses, SAMPLE_DATA, by="touchpoint")
    top = by_touchpoint.loc[by_touchpoint.groupby("touchpoint")["share"].idxmax()]
    assert dict(zip(top["touchpoint"], top["theme"].astype(str))) == {
        "purchase": "digital",
        "delivery": "delivery",
        "installation": "installation_quality",
        "support": "waiting_time",
        "billing": "billing",
    }
    # snow and delay: concentrated in the snow week
    week = themes(responses, SAMPLE_DATA, by="snow_week").set_index(["snow_week", "theme"])
    snow, other = week.loc[("snow", "snow_delay")], week.loc[("other", "snow_delay")]
    assert snow["ci_low"] > 5 * other["ci_high"]
    assert snow["n_mentions"] > other["n_mentions"] / 2  # most snow comments fall in that week
