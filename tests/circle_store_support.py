"""A course run with learners for the study circle tests (``tests/nbgrader/test_circle*.py``),
and circle ids of each test's own."""

from __future__ import annotations

from pathlib import Path

from grading.course_runs.roster import import_roster
from grading.course_runs.run import CourseRun

from run_cache import create_run

LEARNERS = ["anna", "bo", "cilla", "dan", "eva", "zelda.radera"]


def run_with_learners(course_dir: Path, folder: Path) -> CourseRun:
    """A run of ``course_dir`` in ``folder/omg`` with ``LEARNERS`` imported from a roster (no circles yet)."""
    course_run = create_run(course_dir, folder / "omg")
    roster = folder / "deltagare.csv"
    roster.write_text(
        "id,namn\n" + "".join(f"{sid},{sid.split('.')[0].title()} Efternamn\n" for sid in LEARNERS), encoding="utf-8"
    )
    import_roster(course_run, roster)
    return course_run


_counter = iter(range(1, 10_000))


def new_circle_id() -> str:
    """A circle id of the test's own (the run is shared by a test file)."""
    return f"c{next(_counter)}"
