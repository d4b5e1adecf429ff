"""Workshop materials: one source, two editions; checks that accept the right answers and reject the
classic wrong ones; every solution notebook passes all its checks.

The expected answers are computed by the checker from the data with cxlib's functions. The tests
below state them conceptually, as the sample company's planted truths (data/sample/README.md):
Field Zuid fails follow-up (7), enterprise × billing falls behind a flat total (5), the snow week
of 2026-01-05 answered about 3× slower while the autumn peak did not (1, 6), Service Oost's
training in 2025-Q3 worked (2), and billing errors are the theme of the billing touchpoint (8).
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from cxlib import cli, i18n, paths
from cxlib.actions import load_taxonomy
from cxlib.actions.taxonomy import theme_labels
from cxlib.workshop import EDITIONS, SOURCE, build, check, exercises, read_checks
from cxlib.workshop.checks import _html
from cxlib.workshop.exercises import JUDGES

WORKSHOP = paths.NOTEBOOKS / "workshop"
SOURCES = sorted(SOURCE.glob("*.ipynb"))
NAMES = [p.name for p in SOURCES]
CHECK_CALL = re.compile(r"workshop\.check\(\s*[\"'](\w+)[\"']")


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _tags(cell):
    return set(cell.metadata.get("tags", []))


def _checked_exercises(path):
    return [key for cell in _cells(path) if cell.cell_type == "code" for key in CHECK_CALL.findall(cell.source)]


# ---------------------------------------------------------------- one source, two editions
def test_sources_cover_an_introduction_and_the_five_steps():
    assert NAMES == [
        "00_introduction.ipynb",
        "01_goals.ipynb",
        "02_data.ipynb",
        "03_analysis.ipynb",
        "04_action_plan.ipynb",
        "05_monitoring.ipynb",
    ]


def test_build_regenerates_the_committed_editions_byte_identically(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    written = build(out=first)
    build(out=second)
    assert len(written) == 2 * len(SOURCES)
    for edition in EDITIONS:
        committed = sorted(p.name for p in (WORKSHOP / edition).glob("*.ipynb"))
        assert committed == NAMES, f"{edition}: stale or missing notebooks; run `cx workshop build`"
        for name in NAMES:
            built = (first / edition / name).read_bytes()
            assert built == (second / edition / name).read_bytes(), f"{edition}/{name}: two builds differ"
            assert built == (WORKSHOP / edition / name).read_bytes(), (
                f"{edition}/{name} differs from its source; run `cx workshop build`"
            )


def test_cx_workshop_build_command(tmp_path):
    assert cli.main(["workshop", "build", "--out", str(tmp_path)]) == 0
    for edition in EDITIONS:
        for name in NAMES:
            assert (tmp_path / edition / name).read_bytes() == (WORKSHOP / edition / name).read_bytes()


def test_build_refuses_an_empty_source(tmp_path):
    with pytest.raises(FileNotFoundError, match="no source notebooks"):
        build(out=tmp_path / "out", source=tmp_path)


@pytest.mark.parametrize("name", NAMES)
def test_participant_edition_holds_no_solution(name):
    source = _cells(SOURCE / name)
    participant = _cells(WORKSHOP / "participant" / name)
    solution = _cells(WORKSHOP / "solution" / name)
    assert not any("solution" in _tags(c) for c in participant)
    assert not any("participant" in _tags(c) for c in solution)
    participant_text = "\n".join(c.source for c in participant)
    for cell in source:
        if "solution" in _tags(cell):
            assert cell.source not in participant_text, f"{name}: a solution cell leaks into the participant edition"
    assert [c.source for c in participant] == [c.source for c in source if "solution" not in _tags(c)]
    assert [c.source for c in solution] == [c.source for c in source if "participant" not in _tags(c)]
    assert all(not c.get("outputs") for c in participant + solution if c.cell_type == "code")


@pytest.mark.parametrize("name", NAMES)
def test_every_exercise_has_an_open_answer_and_a_worked_one(name):
    cells = _cells(SOURCE / name)
    keys = _checked_exercises(SOURCE / name)
    assert keys, f"{name}: no workshop.check(...) call"
    assert keys == [k for k, notebook in exercises().items() if f"{notebook}.ipynb" == name]
    open_answers = [c for c in cells if "participant" in _tags(c)]
    assert len(open_answers) == len(keys)
    for cell in open_answers:  # the placeholder only: participant notebooks must run without it
        assigned = [n for n in ast.parse(cell.source).body]
        assert len(assigned) == 1 and ast.unparse(assigned[0]) == "answer = ...", cell.source
    assert sum("solution" in _tags(c) and c.cell_type == "code" and "answer =" in c.source for c in cells) == len(keys)


def test_every_exercise_is_asked_in_a_notebook():
    asked = [k for name in NAMES for k in _checked_exercises(SOURCE / name)]
    assert sorted(asked) == sorted(JUDGES) == sorted(exercises())


# ---------------------------------------------------------------- the solutions pass, in a real kernel
@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_solution_notebook_passes_all_its_checks(name):
    from nbclient import NotebookClient

    path = WORKSHOP / "solution" / name
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="cxlib", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    results = read_checks(notebook)
    assert [r["exercise"] for r in results] == _checked_exercises(path)
    failed = [r for r in results if not r["passed"]]
    assert not failed, f"{name}: checks not passed: {failed}"


# ---------------------------------------------------------------- right answers (planted truths)
RIGHT = [
    ("intro_nps", 31.4),  # about 31 every quarter (truth 5); the checker computes 2026-Q3 exactly
    (
        "kpi_choice",
        {
            "Lower churn": ["churn_rate", "nps"],
            "More efficient support": ["first_response_time", "sla_attainment", "complaint_rate"],
            "More cross-sell": ["csat", "ces"],
        },
    ),
    (
        "kpi_choice",
        {
            "lower churn": ["nps"],
            "More efficient support": ["sla_attainment", "compliance"],
            "More cross-sell": ["ces", "nps"],
        },
    ),
    ("goal_at_risk", ["churn_rate", "sla_attainment"]),
    ("data_rejected", {"table": "responses", "rejected": 16}),
    ("behaviour_team", {"team": "Field Zuid", "item": "follow_up"}),
    ("behaviour_team", {"team": "field zuid", "item": "Follow-up"}),
    ("behaviour_team", {"team": "Field Zuid", "item": "opvolging"}),
    ("hidden_segment", {"total_changed": False, "segment": "enterprise", "touchpoint": "billing"}),
    ("hidden_segment", {"total_changed": False, "segment": "Enterprise", "touchpoint": "facturatie"}),
    ("peak_week", {"week": "2026-01-05", "slower": 3}),
    ("peak_week", {"week": "2026-01-08", "slower": 2.9}),  # any day of that week names it
    ("training", ["Service Oost"]),
    ("common_thread", "billing"),
    ("common_thread", "Facturen"),
    ("common_thread", "Enterprise customers find errors on their invoice and are charged twice."),
    ("common_thread", "De rekening klopt niet: er wordt dubbel afgeschreven."),
    ("noise", "no action"),
    ("noise", "Geen actie"),
    ("action_effect", []),  # neither can be credited: A019 overlaps A006 and A026 (issue 13)
]


@pytest.mark.parametrize("exercise,answer", RIGHT, ids=[f"{e}-{i}" for i, (e, _) in enumerate(RIGHT)])
def test_right_answers_pass(sample, exercise, answer):
    result = check(exercise, answer, sample, lang="en")
    assert result.passed and result.reason.startswith("pass"), result.message


# ---------------------------------------------------------------- typical wrong answers are rejected
NINE_KPIS = {
    "Lower churn": ["churn_rate", "nps", "complaint_rate"],
    "More efficient support": ["first_response_time", "sla_attainment", "compliance"],
    "More cross-sell": ["csat", "ces", "behaviour"],
}
# (exercise, wrong answer, the feedback it gets, words of the right answer the feedback must not give away)
WRONG = [
    ("intro_nps", 0.314, "fraction", []),
    ("intro_nps", 30.8, "other_quarter", []),  # the NPS of 2024-Q4
    ("kpi_choice", NINE_KPIS, "too_many", []),  # the classic: nine KPIs
    (
        "kpi_choice",
        {
            "Lower churn": ["churn_rate", "nps", "csat", "ces"],
            "More efficient support": ["sla_attainment"],
            "More cross-sell": ["csat"],
        },
        "per_goal",
        [],
    ),
    (
        "kpi_choice",
        {"Lower churn": ["churn_rate"], "More efficient support": ["actions_done"], "More cross-sell": ["csat"]},
        "management_kpi",
        [],
    ),
    (
        "kpi_choice",
        {
            "Lower churn": ["churn_rate", "first_response_time"],
            "More efficient support": ["sla_attainment"],
            "More cross-sell": ["csat"],
        },
        "fit",
        [],
    ),
    ("kpi_choice", {"Lower churn": ["churn_rate"], "More efficient support": ["sla_attainment"]}, "missing_goal", []),
    ("goal_at_risk", ["sla_attainment"], "missing", ["churn_rate"]),  # churn's point estimate looks met
    ("goal_at_risk", ["churn_rate", "sla_attainment", "nps"], "extra_missed", []),
    ("goal_at_risk", ["csat"], "extra_met", ["churn_rate", "sla_attainment"]),
    ("data_rejected", {"table": "tickets", "rejected": 16}, "table", ["responses"]),
    ("data_rejected", {"table": "responses", "rejected": 15}, "reason_lines", ["16"]),  # lines of the reasons table
    ("data_rejected", {"table": "responses", "rejected": 5}, "table_count", ["16"]),
    ("behaviour_team", {"team": "Service Oost", "item": "follow_up"}, "standards_team", ["Field Zuid"]),
    ("behaviour_team", {"team": "Field Noord", "item": "follow_up"}, "team", ["Field Zuid"]),
    ("behaviour_team", {"team": "Field Zuid", "item": "initiative"}, "item", ["follow_up", "follow-up"]),
    ("behaviour_team", "Field Zuid", "item_missing", ["follow_up", "follow-up"]),
    (
        "hidden_segment",
        {"total_changed": False, "segment": "consumer", "touchpoint": "installation"},
        "noise",
        ["enterprise", "billing"],
    ),  # naming "consumer": its dip is inside the interval
    (
        "hidden_segment",
        {"total_changed": False, "segment": "consumer", "touchpoint": "billing"},
        "rising",
        ["enterprise"],
    ),
    ("hidden_segment", {"total_changed": True, "segment": "enterprise", "touchpoint": "billing"}, "total_flat", []),
    (
        "hidden_segment",
        {"total_changed": False, "segment": "enterprise", "touchpoint": "support"},
        "touchpoint",
        ["billing"],
    ),
    ("peak_week", {"week": "2025-10-13", "slower": 3}, "calm_peak", ["2026-01-05"]),  # the autumn peak
    ("peak_week", {"week": "2026-01-12", "slower": 3}, "not_peak", ["2026-01-05"]),  # the week after the snow
    ("peak_week", {"week": "2026-01-05", "slower": 7.8}, "calendar", []),  # calendar hours, not business hours
    ("peak_week", {"week": "2026-01-05", "slower": 1.5}, "ratio", []),
    ("training", ["Service Oost", "Service Zuid"], "straddles", []),  # Service Zuid: below target, interval not
    ("training", [], "missing", ["Service Oost"]),
    ("training", ["Field Zuid"], "above", ["Service Oost"]),
    ("common_thread", "The app and the website do not work", "minor", ["billing", "invoice"]),
    ("common_thread", "Customers are unhappy", "no_theme", []),
    ("noise", "act", "act", ["no action"]),  # acting on a difference inside its interval
    ("noise", "training", "act", ["no action"]),
    ("action_effect", ["A016"], "not_effective", ["A006", "A026"]),  # done, but no effect
    ("action_effect", ["A019"], "not_effective", ["A006", "A026"]),  # its effect overlaps other actions
    ("action_effect", ["A016", "A019"], "not_effective", []),
]


@pytest.mark.parametrize(
    "exercise,answer,reason,secret", WRONG, ids=[f"{e}-{r}-{i}" for i, (e, _, r, _) in enumerate(WRONG)]
)
def test_wrong_answers_are_rejected_with_a_hint(sample, exercise, answer, reason, secret):
    for lang in ("en", "nl"):
        result = check(exercise, answer, sample, lang=lang)
        assert not result.passed and result.answered
        assert result.reason == reason, result.message
        assert result.message and "{" not in result.message
        for word in secret:  # what is off and a hint, never the answer outright
            assert word.lower() not in result.message.lower(), result.message


def test_every_feedback_text_exists_in_both_languages():
    # the feedback lives in cxlib/data/workshop.yaml, read through cxlib.i18n (which checks nl and en exist)
    keys = i18n.keys("workshop.message.")
    exercises = {k.split(".")[2] for k in keys}
    assert exercises == set(JUDGES)
    for exercise in exercises:
        assert f"workshop.message.{exercise}.pass" in keys
        assert f"workshop.title.{exercise}" in i18n.keys("workshop.title.")
    for key in keys:
        assert i18n.label(key, "nl") != i18n.label(key, "en"), key


def test_feedback_honours_lang(sample):
    wrong = check("kpi_choice", NINE_KPIS, sample, lang="nl")
    assert wrong.message.startswith("Je koos 9 verschillende KPI's")
    assert check("kpi_choice", NINE_KPIS, sample, lang="en").message.startswith("You chose 9 different KPIs")
    right = check("behaviour_team", {"team": "Field Zuid", "item": "follow_up"}, sample, lang="nl")
    assert right.passed and "36,7%" in right.message  # Dutch number format
    dutch_label = theme_labels(load_taxonomy(), "nl")["billing"]
    assert dutch_label in check("common_thread", "billing", sample, lang="nl").message
    with pytest.raises(ValueError, match="language"):
        check("noise", "act", sample, lang="de")


@pytest.mark.parametrize("exercise", sorted(JUDGES))
@pytest.mark.parametrize("answer", [..., None, "", [...]], ids=["ellipsis", "none", "empty", "list-of-ellipsis"])
def test_unanswered_exercise_gets_a_friendly_note_and_does_not_raise(exercise, answer):
    result = check(exercise, answer, data=None, lang="en")
    assert not result.passed and not result.answered and result.reason == "unanswered"
    assert "answer = ..." in result.message


def test_malformed_answers_get_the_format_not_an_error(sample):
    for exercise in JUDGES:
        result = check(exercise, 12345 if exercise != "intro_nps" else "thirty", sample, lang="en")
        assert not result.passed and result.answered
        assert result.reason in {"format", "number"}, (exercise, result.reason)


@pytest.mark.parametrize(
    "answer",
    [{}, {"x": 1}, [1, 2.5], True, 3.5, "???", {"week": "not a date"}, {"team": None, "item": "?"}, ["nps", {"a": 1}]],
    ids=repr,
)
def test_odd_answers_never_raise(sample, answer):
    for exercise in JUDGES:
        result = check(exercise, answer, sample, lang="nl")
        assert not result.passed and result.answered and result.message, (exercise, answer)


def test_unknown_exercise_is_named():
    with pytest.raises(KeyError, match="unknown exercise 'nope'"):
        check("nope", 1)


def test_feedback_html_is_escaped(sample):
    payload = "<script>alert(1)</script><img src=x onerror=alert(1)>"
    result = check("common_thread", payload, sample, lang="en")
    assert result.reason == "no_theme" and payload in result.message  # the answer is quoted back...
    shown = _html(result, "en")
    assert "<script" not in shown and "<img" not in shown and "&lt;script&gt;" in shown  # ...as text only
    assert "<code>" in _html(check("noise", "act", sample, lang="en"), "en")  # `code` becomes <code>


def test_in_a_kernel_the_feedback_is_displayed_and_recorded(sample):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    try:
        with capture_output() as captured:
            result = check("noise", "act", sample, lang="en")
    finally:
        InteractiveShell.clear_instance()
    (output,) = captured.outputs
    assert output.data["text/html"] == _html(result, "en")
    assert output.data["text/plain"].endswith(result.message)
    notebook = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "display_data", "data": output.data}]}]}
    assert read_checks(notebook) == [{"exercise": "noise", "passed": False, "answered": True, "reason": "act"}]
