"""``grupp: true`` in module.yml: checked by the course loader, set on the exercises a circle does together."""

from __future__ import annotations

import pytest

from grading.course.loading import load_course
from widgets.models.content import ContentError

pytestmark = pytest.mark.unit


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_group_flag_is_read(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "    points: 2\n", "    points: 2\n    grupp: true\n")
    module = load_course(mini_course).module("01-prov")
    assert [(ex.id, ex.group) for ex in module.exercises] == [("fragor", True), ("reflektion", False)]


def test_group_flag_must_be_true_or_false(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "    points: 2\n", "    points: 2\n    grupp: ja tack\n")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.where == "exercises[1].grupp"
    assert "”grupp” ska vara true (gruppuppgift) eller false, inte ”ja tack”" in str(info.value)


def test_a_reflection_cannot_be_group_work(mini_course):
    _edit(mini_course / "01-prov" / "module.yml", "    points: 1\n", "    points: 1\n    grupp: true\n")
    with pytest.raises(ContentError) as info:
        load_course(mini_course)
    assert info.value.where == "exercises[2].grupp"
    assert "en gruppuppgift" in str(info.value) and "behöver ”check”" in str(info.value)


def test_the_courses_mark_what_a_circle_does_together(courses_dir):
    marked = {
        (course, module.name, ex.id)
        for course in ("partiforeningsskola", "ledarskap")
        for module in load_course(courses_dir / course).modules
        for ex in module.exercises
        if ex.group
    }
    assert marked == {
        ("partiforeningsskola", "07-hallbart-engagemang", "forvantningar"),
        ("partiforeningsskola", "08-internfeminism", "talarstatistik"),
        ("ledarskap", "02-strategiska-planer", "strategisk-plan"),
        ("ledarskap", "03-mentorskap", "overlamning"),
    }
