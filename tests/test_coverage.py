"""Every one of the strategy document's commitments is taken up by at least one module of the courses.

The same table ``cirkel courses coverage`` prints: commitment -> modules, in
the document's order, over every course in ``courses/``.
"""

from __future__ import annotations

import pytest

from grading.curriculum import coverage, load_courses

from course_paths import COURSES

pytestmark = pytest.mark.unit


def test_every_commitment_is_taken_up_by_a_module(cirkel):
    table = coverage(load_courses(COURSES))
    print("\n" + "\n".join(table.lines()))
    assert len(table.rows) == 49
    assert table.uncovered == [], f"{len(table.uncovered)} åtaganden tas inte upp av någon modul: {table.uncovered}"
    proc = cirkel("courses", "coverage")
    assert proc.returncode == 0, proc.stderr
    assert "49 av 49 åtaganden tas upp av minst en modul." in proc.stdout
