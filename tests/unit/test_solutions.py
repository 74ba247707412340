"""The solution answers: every widget kind, driven through its public controls, gets full points.

No kernel and no nbgrader: each gallery sample (valid content of every widget
kind) and each module of every real course is answered by
``grading.course.solutions`` in a working folder, and the grading check that
nbgrader would call reads the saved answers. A blank folder gets zero.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import pytest

import grading.checks as checks
from grading.course.curriculum import discover_courses, load_courses
from grading.course.solutions import (
    CHECK_FOR_WIDGET,
    ManualClock,
    build_exercise,
    module_exercises,
    solve,
    solve_module,
)
from widgets import EXERCISE_WIDGETS
from widgets.pages.gallery import DEFAULT_SOURCE, discover, load_entry, prepare_workdir

from course_paths import COURSES

pytestmark = pytest.mark.unit

GALLERY = [load_entry(path) for path in discover(DEFAULT_SOURCE)]
MODULES = [(course.id, module) for course in load_courses(COURSES) for module in course.modules]


@pytest.fixture(autouse=True)
def _no_answer_dir_from_outside(monkeypatch):
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)


def _spec(entry) -> dict:
    content = entry.content_file or entry.content_name
    return {"id": entry.exercise_id, "widget": entry.widget, "content": str(content) if content else None}


def _score(folder: Path, widget: str, exercise_id: str, content: str | None, points: float = 7) -> float:
    check = getattr(checks, CHECK_FOR_WIDGET[widget])
    with contextlib.chdir(folder):
        return check(exercise_id, points, content=content)


def test_every_widget_kind_has_a_solver_and_a_gallery_sample():
    assert set(CHECK_FOR_WIDGET) | {"Reflection"} == set(EXERCISE_WIDGETS)
    assert {entry.widget for entry in GALLERY} == set(EXERCISE_WIDGETS)
    assert set(CHECK_FOR_WIDGET.values()) == set(checks.__all__) - {"saved_data"}


@pytest.mark.parametrize("entry", [e for e in GALLERY if e.widget != "Reflection"], ids=lambda e: e.widget)
def test_gallery_sample_solved_gets_full_points_and_blank_gets_zero(entry, tmp_path):
    work = prepare_workdir(GALLERY, DEFAULT_SOURCE, tmp_path / "arbete")
    spec = _spec(entry)
    assert _score(work, entry.widget, entry.exercise_id, spec["content"]) == 0
    widget = build_exercise(work, spec, **entry.options)
    assert widget.status == ""
    solve(widget)
    saved = json.loads((work / "svar" / f"{entry.exercise_id}.json").read_text(encoding="utf-8"))
    assert saved["exercise_id"] == entry.exercise_id and saved["kind"] == widget.kind
    assert _score(work, entry.widget, entry.exercise_id, spec["content"]) == 7


def test_reflection_sample_gets_a_text_long_enough(tmp_path):
    entry = next(e for e in GALLERY if e.widget == "Reflection")
    widget = build_exercise(tmp_path, _spec(entry), **entry.options)
    solve(widget, reflection="Kort.")
    assert widget.words >= widget.min_words > 0
    saved = json.loads((tmp_path / "svar" / "reflektion.json").read_text(encoding="utf-8"))
    assert saved["data"]["text"].startswith("Kort.")


def test_speaker_stats_gets_a_manual_clock_and_exact_times(tmp_path):
    entry = next(e for e in GALLERY if e.widget == "SpeakerStats")
    work = prepare_workdir(GALLERY, DEFAULT_SOURCE, tmp_path / "arbete")
    widget = build_exercise(work, _spec(entry))
    assert isinstance(widget.clock, ManualClock)
    solve(widget)
    assert widget.running == ""
    assert widget.total_contributions == widget.settings.min_contributions
    assert sum(widget.seconds().values()) == 60 * widget.settings.min_contributions


@pytest.mark.parametrize(("course", "module"), MODULES, ids=[f"{c}/{m.name}" for c, m in MODULES])
def test_every_module_solved_gets_full_points_on_every_check(course, module, tmp_path):
    """A copy of the module folder, answered as a learner would; each check as nbgrader calls it."""
    folder = tmp_path / module.name
    shutil.copytree(module.path, folder)
    graded = [ex for ex in module.exercises if ex.check]
    for ex in graded:
        with contextlib.chdir(folder):
            assert getattr(checks, ex.check)(ex.id, ex.points, content=ex.content) == 0, ex.id
    solved = solve_module(folder)
    assert set(solved) == {ex.id for ex in module.exercises}
    for ex in graded:
        with contextlib.chdir(folder):
            assert getattr(checks, ex.check)(ex.id, ex.points, content=ex.content) == ex.points, ex.id
    for ex in module.exercises:
        if ex.is_reflection:
            saved = json.loads((folder / "svar" / f"{ex.id}.json").read_text(encoding="utf-8"))
            assert saved["data"]["text"].strip()


def test_module_exercises_read_from_a_released_folder(tmp_path):
    """A released module has module.yml and the content files but no text.md: enough to solve."""
    course = discover_courses(COURSES)[0]
    module = next(p for p in sorted(course.iterdir()) if (p / "module.yml").is_file())
    for item in module.iterdir():
        if item.suffix == ".yml":
            shutil.copy(item, tmp_path / item.name)
    assert [ex["id"] for ex in module_exercises(tmp_path)]
    assert set(solve_module(tmp_path)) == {ex["id"] for ex in module_exercises(tmp_path)}
