"""A broken bank, plan or scenario is found by ``cirkel run create`` and ``cirkel release``, not by a learner.

Each exercise's content file is read by its widget's own loader before anything is
written; the message names the file and the line. The real courses pass the same check.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from grading.autograde.pipeline import check_released_module
from grading.course.content_check import line_of
from grading.course.loading import load_course

from course_paths import COMMITMENTS
from run_cache import create_run

pytestmark = pytest.mark.nbgrader

NO_CORRECT = ("        correct: true\n", "")  # a single-choice question with no right answer


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_with(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` and a digest of its bytes."""
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.unit
def test_run_create_names_a_broken_bank_with_file_and_line_and_writes_nothing(cirkel, mini_course, tmp_path):
    bank = mini_course / "01-prov" / "fragor.yml"
    _edit(bank, *NO_CORRECT)
    target = tmp_path / "ny-omgang"

    proc = cirkel("run", "create", mini_course, "--dir", target)

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert str(bank) in proc.stderr
    assert f"{bank}, rad {_line_with(bank, 'options:')}, fält `questions[1].options`: " in proc.stderr
    assert "exakt ett rätt svar" in proc.stderr
    assert not target.exists()


@pytest.mark.unit
@pytest.mark.parametrize("name", ["partiforeningsskola", "ledarskap"])
def test_every_content_file_of_the_real_courses_passes_its_widgets_loader(courses_dir, name):
    course = load_course(courses_dir / name)  # runs the check; a broken file raises
    assert sum(1 for m in course.modules for ex in m.exercises if ex.content) >= len(course.modules)


@pytest.mark.unit
def test_line_of_follows_a_place_to_its_key(tmp_path):
    path = tmp_path / "bank.yml"
    path.write_text(
        "title: T\nquestions:\n  - id: a\n    options:\n      - text: x\n      - text: y\n", encoding="utf-8"
    )
    assert line_of(path, "questions[1].options") == 4
    assert line_of(path, "questions[1].options[2].text") == 6
    assert line_of(path, "questions[1].saknas") == 3  # the mapping that lacks the key
    assert line_of(path, "") == 1


@pytest.fixture
def released(courses_dir, tmp_path, cirkel):
    """A run of the real module 05-moten (quiz, voting, meeting plan), released once."""
    course = tmp_path / "kontrollkurs"
    course.mkdir()
    shutil.copytree(courses_dir / "partiforeningsskola" / "05-moten", course / "05-moten")
    (course / "course.yml").write_text(
        "id: kontrollkurs\ntitle: Kontroll\ndescription: En modul.\nlanguage: sv\nmodules:\n  - 05-moten\n",
        encoding="utf-8",
    )
    shutil.copy(COMMITMENTS, course / "commitments.yml")
    run = create_run(course, tmp_path / "omg")
    cirkel("release", run.root, check=True)
    return run


@pytest.mark.parametrize(
    ("content", "old", "new", "place", "problem"),
    [
        ("motesroller.yml", "        correct: true\n", "", "options:", "exakt ett rätt svar"),
        ("voteringsordning.yml", "scenarios:", "scenarier:", "scenarier:", "scenarier"),
        # YAML notices the open list on the next line, and says so
        ("motesplanering.yml", "default_length: 120", "default_length: [120", "steps:", "YAML"),
    ],
    ids=["quiz-bank", "voting-scenarios", "meeting-plan-syntax"],
)
def test_release_names_a_broken_content_file_in_the_run_and_releases_nothing(
    released, cirkel, content, old, new, place, problem
):
    run = released
    source = run.source_dir / "05-moten" / content
    _edit(source, old, new)
    before = {name: _tree(run.root / name) for name in ("release", "exchange")}

    proc = cirkel("release", run.root)

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert str(source) in proc.stderr
    assert f"rad {_line_with(source, place)}" in proc.stderr
    assert problem in proc.stderr
    assert {name: _tree(run.root / name) for name in ("release", "exchange")} == before
    with pytest.raises(Exception, match="rad"):
        check_released_module(run.source_dir / "05-moten")
