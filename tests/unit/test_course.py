"""Loading a course: the real course loads; a broken one names the file, the place and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.course.loading import load_course
from widgets.core.i18n import yaml_data
from widgets.models.content import ContentError

pytestmark = pytest.mark.unit


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name", ["partiforeningsskola", "ledarskap"])
def test_real_course_loads_in_teaching_order(courses_dir, name):
    """Each real course loads with no warnings, its modules in course.yml's order, whichever they are."""

    listed = yaml_data((courses_dir / name / "course.yml").read_text(encoding="utf-8"))["modules"]
    course = load_course(courses_dir / name)
    assert course.id == name
    assert [m.name for m in course.modules] == listed
    assert course.commitments, "courses/kalla/commitments.yml was not found"
    for module in course.modules:
        assert len(module.samtalsfragor) >= 3
        assert any(ex.check for ex in module.exercises), module.name
        assert any(ex.is_reflection for ex in module.exercises), module.name
        assert module.text.strip()
    assert course.warnings == []


def test_mini_course_loads(mini_course):
    course = load_course(mini_course)
    module = course.module("01-prov")
    assert module.max_points == 3
    assert [ex.id for ex in module.exercises] == ["fragor", "reflektion"]


def test_malformed_yaml_names_file_and_line(mini_course):
    path = mini_course / "01-prov" / "module.yml"
    _edit(path, "study_hours: 2", "study_hours: [2")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    message = str(info.value)
    assert "module.yml" in message and "01-prov" in message
    assert "rad " in message
    assert info.value.path == path


def test_missing_key_names_the_place(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "    points: 2\n", "")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.where == "exercises[1].points"
    assert "”points” saknas" in str(info.value)


def test_missing_title_in_course_yml(mini_course):
    _edit(mini_course / "course.yml", "title: Minikurs\n", "")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.path.name == "course.yml"
    assert info.value.where == "title"


@pytest.mark.parametrize("bad", ["../hemligt", "01/prov", "..", "Stor"])
def test_module_names_with_dots_or_slashes_are_refused(mini_course, bad):
    _edit(mini_course / "course.yml", "  - 01-prov", f"  - {bad!r}")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.where == "modules[1]"
    assert "går inte att använda" in str(info.value)


def test_unknown_module_is_refused(mini_course):
    course = load_course(mini_course)
    with pytest.raises(ContentError, match="ingen modul som heter ”99-finns-inte”"):
        course.module("99-finns-inte")


def test_unknown_commitment_only_warns(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "[moten-1]", "[moten-1, pahittat-99]")
    course = load_course(mini_course)
    assert len(course.warnings) == 1
    assert "pahittat-99" in course.warnings[0]


def test_unknown_widget_is_named(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "widget: MeetingRoleQuiz", "widget: Frågesport")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.where == "exercises[1].widget"
    assert "Frågesport" in str(info.value)


def test_missing_content_file_is_named(mini_course):
    (mini_course / "01-prov" / "fragor.yml").unlink()
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.path.name == "fragor.yml"
    assert "finns inte" in str(info.value)


def test_course_id_must_match_folder(mini_course):
    _edit(mini_course / "course.yml", "id: minikurs", "id: annan")
    with pytest.raises(ContentError, match="mappens namn"):
        load_course(mini_course)


def test_too_few_samtalsfragor(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "  - Vad kan vi ändra?\n", "")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.where == "samtalsfragor"


def test_minutes_per_part_are_read(mini_course):
    module = load_course(mini_course).module("01-prov")
    assert module.minutes == {"reading": 30, "discussion": 20, "exercise": 35, "reflection": 5}
    assert module.samtal_commitments == (("moten-1",), (), ())
    assert module.samtalsfragor[0] == "Vad är ett bra möte?"


MINUTES = "minutes: {reading: 30, discussion: 20, exercise: 35, reflection: 5}"


@pytest.mark.parametrize(
    ("minutes", "where", "words"),
    [
        ("", "minutes", "”minutes” saknas"),
        (
            "minutes: {reading: 30, discussion: 20, exercise: 40, reflection: 5}",
            "minutes",
            "delarna blir 30 + 20 + 40 + 5 = 95 minuter, men 2 studietimmar är 90 minuter",
        ),
        (
            "minutes: {reading: 30, discussion: 25, exercise: 35}",
            "minutes.reflection",
            "minuterna för ”reflection” saknas. En träff delas i: reading, discussion, exercise, reflection",
        ),
        (
            "minutes: {reading: 30, discussion: 20, exercise: 35, reflection: 5, paus: 15}",
            "minutes.paus",
            "”paus” är ingen del av en träff",
        ),
        (
            "minutes: {reading: 30, discussion: 20, exercise: 34.5, reflection: 5.5}",
            "minutes.exercise",
            "minuterna för ”exercise” ska vara ett helt tal",
        ),
    ],
    ids=["missing", "sum", "part-missing", "unknown-part", "not-whole"],
)
def test_minutes_that_do_not_add_up_name_file_and_field(mini_course, minutes, where, words):
    path = mini_course / "01-prov" / "module.yml"
    _edit(path, MINUTES + "\n", minutes + "\n" if minutes else "")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.path == path
    assert info.value.where == where
    assert words in str(info.value)
    # the file, the line (the key's own line, from the YAML composer's marks) and the field
    assert str(info.value).startswith(f"Fel i {path}, rad {info.value.line}, fält `{where}`: ")
    if minutes:  # a missing key: the line of the mapping that lacks it
        assert path.read_text(encoding="utf-8").splitlines()[info.value.line - 1].startswith("minutes:")


def test_a_samtalsfraga_names_commitments_as_a_list(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "    commitments: [moten-1]\n", "    commitments: moten-1\n")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.where == "samtalsfragor[1].commitments"
    _edit(mini_course / "01-prov" / "module.yml", "    commitments: moten-1\n", "    kommentar: [moten-1]\n")
    with pytest.raises(ContentError, match="”kommentar” är inte en känd nyckel"):
        load_course(mini_course)


def test_an_unknown_commitment_in_a_samtalsfraga_or_exercise_warns(mini_course):
    path = mini_course / "01-prov" / "module.yml"
    _edit(path, "    commitments: [moten-1]\n", "    commitments: [moten-1, pahittat-7]\n")
    _edit(path, "    points: 2\n", "    points: 2\n    commitments: [pahittat-8]\n")
    course = load_course(mini_course)
    assert [w.split("åtagandet ")[1] for w in course.warnings] == [
        "”pahittat-7” finns inte i commitments.yml",
        "”pahittat-8” finns inte i commitments.yml",
    ]
    assert course.module("01-prov").exercises[0].commitments == ("pahittat-8",)
