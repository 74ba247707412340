"""Each exercise kind is declared once (issue 19, point 3): the registry and everything that reads it.

Every kind in ``widgets.models.kinds`` names a widget, an answer model, a grading check,
a gallery sample and a content schema, each of which exists and fits the others;
and the lists that once had to be kept in step by hand (the widgets a module may
name, the content loaders, the checks an autograder cell may call, the solutions'
checks, the gallery's widgets) are read from it.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pydantic import BaseModel

import grading
import widgets
from grading import checks
from grading.course import build, solutions, timing
from grading.course import loading as course
from widgets.kit.exercise import Exercise
from widgets.models.answer_keys import key_places
from widgets.models.check import validate
from widgets.models.kinds import KINDS, kind_for, resolve
from widgets.pages import gallery

pytestmark = pytest.mark.unit

#: A kind with no content file and no automatic check: a person reads and grades it.
GRADED_BY_A_PERSON = {"Reflection"}


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_every_kind_names_a_widget_answer_model_check_sample_and_schema(kind):
    cls = getattr(__import__(kind.module, fromlist=[kind.widget]), kind.widget)
    assert issubclass(cls, Exercise)
    assert cls.kind == kind.answer_kind  # the kind its answer files carry
    assert kind_for(kind.answer_kind) is kind
    assert issubclass(resolve(kind.answer_model), BaseModel)
    sample = gallery.DEFAULT_SOURCE / kind.sample
    assert gallery.load_entry(sample).widget == kind.widget
    if kind.widget in GRADED_BY_A_PERSON:
        assert kind.check is None and kind.content_schema is None and kind.content_loader is None
        return
    check = resolve(kind.check)
    assert getattr(checks, kind.check_name) is check
    assert list(inspect.signature(check).parameters)[:3] == ["exercise_id", "points", "content"]
    schema = resolve(kind.content_schema)
    assert issubclass(schema, BaseModel)
    assert callable(resolve(kind.content_loader))
    if kind.key_places:  # each place starts at a list or key the content file has
        assert all(place[0] in schema.model_fields for place in resolve(kind.key_places))
    if kind.item_minutes:
        assert kind.item_minutes[0] in schema.model_fields and kind.item_minutes[1] > 0


def test_the_lists_of_kinds_are_read_from_the_registry():
    assert widgets.EXERCISE_WIDGETS == {name: kind.module for name, kind in KINDS.items()}
    assert set(widgets.EXERCISE_CONTENT_LOADERS) == set(KINDS) - GRADED_BY_A_PERSON
    assert grading.CHECKS == tuple(kind.check_name for kind in KINDS.values() if kind.check)
    assert set(checks.__all__) - {"saved_data"} == set(grading.CHECKS)
    assert solutions.CHECK_FOR_WIDGET == {k.widget: k.check_name for k in KINDS.values() if k.check}
    assert set(solutions.SOLVERS) == set(KINDS) and all(callable(f) for f in solutions.SOLVERS.values())
    assert set(gallery.exercise_classes()) == set(KINDS)
    assert set(course.WIDGET_CLASSES) == set(KINDS)
    # what the build, the meeting's timing and the answer keys need of a kind
    assert build.SHOWS_POINTS == {k.widget for k in KINDS.values() if k.shows_points}
    assert timing.ITEM_MINUTES == {k.widget: k.item_minutes for k in KINDS.values() if k.item_minutes}
    assert set(timing.UNTIMED_EXERCISES) == {k.widget for k in KINDS.values() if not k.timed}
    assert {w for w in KINDS if key_places(w)} == {k.widget for k in KINDS.values() if k.key_places}
    # one gallery sample per kind, and no sample for a widget the registry does not know
    assert {gallery.load_entry(p).widget for p in gallery.discover()} == set(KINDS)


def test_a_kind_added_to_the_registry_reaches_the_module_check(monkeypatch, tmp_path):
    """The module.yml model reads the registry: a new entry is all a module needs to name it."""
    from widgets.models.content import ContentError
    from widgets.models.course import ExerciseEntry
    from widgets.models.kinds import Kind

    entry = {"id": "prov", "widget": "Provtyp", "points": 1, "content": "prov.yml"}
    with pytest.raises(ContentError, match="övningstypen ”Provtyp” finns inte"):
        validate(ExerciseEntry, entry, tmp_path / "module.yml")
    monkeypatch.setitem(
        KINDS,
        "Provtyp",
        Kind("Provtyp", "widgets.exercises.quiz", "prov", "widgets.models.answers:QuizAnswer", None, "x.yml"),
    )
    assert validate(ExerciseEntry, entry, tmp_path / "module.yml").widget == "Provtyp"


def test_every_gallery_sample_fits_its_content_schema_and_its_solution_fits_the_answer_model(tmp_path):
    """The models describe the real files: each sample's content, and the answers its solution saves."""
    from widgets.models.content import load_yaml
    from widgets.storage.answers import AnswerStore

    entries = [gallery.load_entry(p) for p in gallery.discover()]
    work = gallery.prepare_workdir(entries, gallery.DEFAULT_SOURCE, tmp_path / "arbete")
    store = AnswerStore(work / "svar")
    for entry in entries:
        kind = KINDS[entry.widget]
        content = entry.content_file or entry.content_name
        if kind.content_schema:
            path = Path(work / content) if entry.content_name else (gallery.DEFAULT_SOURCE / content)
            validate(resolve(kind.content_schema), load_yaml(path), path)
        spec = {"id": entry.exercise_id, "widget": entry.widget, "content": str(content) if content else None}
        solutions.solve(solutions.build_exercise(work, spec, store=store, **entry.options))
        saved = store.load(entry.exercise_id, kind=kind.answer_kind)
        assert saved is not None, entry.widget
        answer = resolve(kind.answer_model).model_validate(saved.data)
        assert not answer.model_extra, (entry.widget, sorted(answer.model_extra))  # every key it writes is modelled


def test_a_check_scores_only_answers_in_the_shape_its_kinds_model_describes(tmp_path, monkeypatch):
    """A hand-edited answer file the widget could not have written counts as damaged: 0 points."""
    import json
    import shutil

    from widgets.models.quiz_bank import load_bank

    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copy(gallery.DEFAULT_SOURCE.parent.parent / "courses/partiforeningsskola/05-moten/motesroller.yml", ".")
    question = load_bank("motesroller.yml").questions[0]
    right = sorted(question.correct)
    (tmp_path / "svar").mkdir()

    def score(state: dict) -> float:
        record = {"schema": 1, "exercise_id": "motesroller", "kind": "quiz", "saved_at": "", "data": state}
        (tmp_path / "svar" / "motesroller.json").write_text(json.dumps(record), encoding="utf-8")
        return checks.score_quiz("motesroller", 10)

    assert score({"questions": {question.id: {"chosen": right, "tries": [right], "retrying": False}}}) > 0
    assert score({"questions": {question.id: {"chosen": right, "tries": [right], "retrying": "nej"}}}) == 0
