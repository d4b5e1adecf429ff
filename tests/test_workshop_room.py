"""One language setting for the room (issue 14 item 8), read by every workshop notebook."""

from __future__ import annotations

import nbformat
import pytest

from cxlib.paths import PROJECT_ROOT
from cxlib.workshop import ROOM_FILE, ROOM_VARIABLE, SOURCE, room_language


def test_the_room_file_sets_the_language_and_the_variable_overrides_it(tmp_path, monkeypatch):
    monkeypatch.delenv(ROOM_VARIABLE, raising=False)
    room = tmp_path / "room.yaml"
    assert room_language(room_file=room) == "nl"  # no file: Dutch
    room.write_text("lang: en\n")
    assert room_language(room_file=room) == "en"
    assert room_language("nl", room_file=room) == "nl"  # a notebook's own choice wins
    monkeypatch.setenv(ROOM_VARIABLE, "nl")
    assert room_language(room_file=room) == "nl"
    monkeypatch.setenv(ROOM_VARIABLE, "de")
    with pytest.raises(ValueError, match=f"{ROOM_VARIABLE}='de'"):
        room_language(room_file=room)
    monkeypatch.delenv(ROOM_VARIABLE)
    room.write_text("lang: fr\n")
    with pytest.raises(ValueError, match="room.yaml: lang is 'fr'"):
        room_language(room_file=room)


def test_every_workshop_notebook_reads_the_room_language():
    assert ROOM_FILE.exists()
    for path in sorted(SOURCE.glob("*.ipynb")):
        code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        assert 'lang: str = ""' in code[1], path.name  # the parameters cell leaves it to the room
        assert code[2].startswith("lang = workshop.room_language(lang)"), path.name


def test_the_facilitator_guide_names_the_exercises_that_need_a_line_of_code():
    guide = (PROJECT_ROOT / "docs" / "facilitator-guide.md").read_text(encoding="utf-8")
    assert (
        "no Python beyond running cells" not in guide.split("## Language")[0].replace("\n", " ")
        or "one line of code" in guide
    )
    for exercise in ("2b", "3a", "3b", "5a", "5b"):
        assert f"| {exercise} " in guide.split("### Exercises that need a line of code")[1].split("## ")[0], exercise
    assert "room.yaml" in guide and "CX_WORKSHOP_LANG" in guide
