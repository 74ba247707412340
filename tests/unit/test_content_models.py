"""Content checked by pydantic models (issue 19, point 4): Swedish messages with file, line and field.

A course author who writes ``study_hours: tre`` reads the file, the line and the
field in Swedish, never pydantic's English; the real courses load as before; the
JSON Schema in ``docs/schema/`` is what the models make.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.course.content_schema import DEFAULT_OUT, schemas
from grading.course.curriculum import discover_courses
from grading.course.loading import load_course
from widgets.models.check import validate
from widgets.models.content import ContentError, load_yaml
from widgets.models.kinds import KINDS, resolve

from course_paths import COURSES, REPO

pytestmark = pytest.mark.unit

#: Words of pydantic's own (English) messages; none may reach a person.
PYDANTIC_WORDS = ("Input should", "Field required", "Extra inputs", "validation error", "pydantic")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_with(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("study_hours: 2", "study_hours: tre", "study_hours", "ska vara ett heltal"),
        ("study_hours: 2", "study_hours: yes", "study_hours", "ska vara ett heltal"),
        ("    points: 2\n", "    points: två\n", "exercises[1].points", "”points” ska vara ett tal"),
        ("reading: 30,", "reading: 30.5,", "minutes.reading", "minuterna för ”reading” ska vara ett helt tal"),
        ("    check: score_quiz\n", "    check: score_quizz\n", "exercises[1].check", "rättningen ”score_quizz”"),
        ("  - Vem talar mest?\n", "  - [Vem, talar]\n", "samtalsfragor[2]", "här ska det stå en text"),
        ("    widget: Reflection\n", "    widget: Reflection\n    grupp: kanske\n", "exercises[2].grupp", "”grupp”"),
        ("    widget: Reflection\n", "    widget: Reflection\n    grupp:\n", "exercises[2].grupp", "”grupp”"),
    ],
    ids=[
        "hours-text",
        "hours-yes",
        "points-text",
        "minutes-half",
        "check-typo",
        "question-list",
        "group-maybe",
        "group-empty",
    ],
)
def test_a_bad_module_yml_names_file_line_and_field_in_swedish(mini_course, old, new, field, problem):
    path = mini_course / "01-prov" / "module.yml"
    _edit(path, old, new)
    with pytest.raises(ContentError) as caught:
        load_course(mini_course)
    message = str(caught.value)
    first_line = new.strip().splitlines()[-1].strip()
    line = _line_with(path, first_line)
    assert message.startswith(f"Fel i {path}, rad {line}, fält `{field}`: "), message
    assert problem in message
    assert not any(word in message for word in PYDANTIC_WORDS)


def test_a_bad_course_yml_names_file_line_and_field(mini_course):
    path = mini_course / "course.yml"
    _edit(path, "  - 01-prov\n", "  - 01-prov\n  - 01-prov\n")
    with pytest.raises(ContentError) as caught:
        load_course(mini_course)
    assert str(caught.value).startswith(f"Fel i {path}, rad 7, fält `modules[2]`: ”01-prov” finns redan")
    _edit(path, "title: Minikurs", "titel: Minikurs")
    with pytest.raises(ContentError) as caught:
        load_course(mini_course)
    assert str(caught.value) == f"Fel i {path}, rad 1, fält `title`: ”title” saknas"


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("title: Frågor\n", "title: Frågor\nattempts: två\n", "attempts", "ska vara ett heltal"),
        ("        correct: true\n", "        correct: ja\n", "questions[1].options[1].correct", "ja eller nej"),
        ("    type: single\n", "    typ: single\n", "questions[1].typ", "”typ” är inte en känd nyckel"),
    ],
    ids=["attempts-text", "correct-text", "key-typo"],
)
def test_a_bad_bank_names_file_line_and_field_in_swedish(mini_course, old, new, field, problem):
    bank = mini_course / "01-prov" / "fragor.yml"
    _edit(bank, old, new)
    with pytest.raises(ContentError) as caught:
        load_course(mini_course)
    message = str(caught.value)
    line = _line_with(bank, new.strip().splitlines()[-1].strip())
    assert message.startswith(f"Fel i {bank}, rad {line}, fält `{field}`: "), message
    assert problem in message
    assert not any(word in message for word in PYDANTIC_WORDS)


def test_every_course_loads_and_every_content_file_fits_its_kinds_schema():
    found = 0
    for course_dir in discover_courses(COURSES):
        course = load_course(course_dir)
        for module in course.modules:
            for exercise in module.exercises:
                schema = KINDS[exercise.widget].content_schema
                if schema and exercise.content:
                    path = module.path / exercise.content
                    validate(resolve(schema), load_yaml(path), path)
                    found += 1
    assert found >= 20


def test_committed_schemas_are_the_generated_ones():
    """``cirkel courses schema`` (or ``make schema``) writes them; run it after changing a model."""
    made = schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / DEFAULT_OUT).glob("*.json")}
    assert sorted(committed) == sorted(made)
    for name, text in made.items():
        assert committed[name] == text, f"docs/schema/{name} is stale: run `cirkel courses schema`"
    assert "docs/schema/" in (REPO / "docs" / "course-format.md").read_text(encoding="utf-8")


def test_schema_command_writes_the_files_and_says_so_in_swedish(cirkel, tmp_path):
    proc = cirkel("courses", "schema", "--out", tmp_path / "schema", check=True)
    assert f"{len(schemas())} schemafiler skrivna i {tmp_path / 'schema'}" in proc.stdout
    assert (tmp_path / "schema" / "module.json").read_text(encoding="utf-8") == schemas()["module.json"]


def test_every_message_a_model_can_give_is_in_the_string_table():
    """Each ``problem("key")`` of a model and each pydantic error type mapped has a Swedish and an English text."""
    import re

    from widgets.core.i18n import strings_for

    keys: set[str] = set()
    for path in (REPO / "widgets").rglob("*.py"):
        keys |= set(re.findall(r"""\bproblem\(\s*"([a-z_.]+)\"""", path.read_text(encoding="utf-8")))
    assert len(keys) > 20
    for lang in ("sv", "en"):
        assert sorted(keys - set(strings_for(lang))) == []
    # an error type with no text of its own gets the general one, never pydantic's English
    from widgets.models.check import ContentModel

    class Odd(ContentModel):
        when: __import__("datetime").date

    with pytest.raises(ContentError) as caught:
        validate(Odd, {"when": "igår"}, "prov.yml")
    assert str(caught.value) == "Fel i prov.yml (when): värdet går inte att använda här"


def test_a_capitalised_key_is_named_as_written(mini_course):
    """An unknown key is the author's own word, however it is spelt (pydantic's union tags are not)."""
    bank = mini_course / "01-prov" / "fragor.yml"
    _edit(bank, "title: Frågor\n", "Titel: Frågor\ntitle: Frågor\n")
    with pytest.raises(ContentError) as caught:
        load_course(mini_course)
    assert str(caught.value).startswith(f"Fel i {bank}, rad 1, fält `Titel`: ”Titel” är inte en känd nyckel här.")


def test_schema_command_says_plainly_when_it_cannot_write(cirkel, tmp_path):
    (tmp_path / "upptagen").write_text("en fil, ingen mapp", encoding="utf-8")
    proc = cirkel("courses", "schema", "--out", tmp_path / "upptagen")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "det gick inte att skriva schemafilerna här" in proc.stderr
