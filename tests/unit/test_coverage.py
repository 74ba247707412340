"""Every one of the strategy document's commitments is taught, and ``cirkel courses coverage`` says so.

Taught: a module lists it, its text marks the paragraph that explains it
(``<!-- åtagande: id -->``) and a samtalsfråga or an exercise names it as one it
works with; and every module that lists it does all of that. The same table
``cirkel courses coverage`` prints: commitment -> modules that teach it and
modules that only list it, in the document's order, over every course in ``courses/``.
"""

from __future__ import annotations

import pytest

from grading.course.curriculum import coverage, load_courses

from course_paths import COURSES

pytestmark = pytest.mark.unit


def test_every_commitment_is_taught_where_it_is_taken_up(cirkel):
    table = coverage(load_courses(COURSES))
    print("\n" + "\n".join(table.lines()))
    assert len(table.rows) == 49
    assert table.uncovered == [], f"{len(table.uncovered)} åtaganden tas inte upp av någon modul: {table.uncovered}"
    only_listed = [f"{cid} i {item.module}: {item.missing}" for cid, item in table.only_listed]
    assert only_listed == [], "\n".join(only_listed)
    assert table.taught_count == 49
    proc = cirkel("courses", "coverage")
    assert proc.returncode == 0, proc.stderr
    assert "49 av 49 åtaganden tas upp av minst en modul." in proc.stdout
    assert "49 av 49 åtaganden lärs ut i varje modul som tar upp dem" in proc.stdout
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["Åtagande", "Avsnitt", "Lärs", "ut", "i", "Bara", "listat", "i"]
    rows = {line.split()[0]: line for line in lines[2:51]}
    assert len(rows) == 49 and all(line.rstrip().endswith("–") for line in rows.values())


@pytest.mark.parametrize(
    ("cid", "module"),
    [
        ("klass-3", "partiforeningsskola/02-klass-unga-platsen"),
        ("unga-2", "partiforeningsskola/02b-den-unga-generationen"),
        ("landsbygd-1", "partiforeningsskola/02-klass-unga-platsen"),
        ("vaga-vara-vanster-2", "partiforeningsskola/01-vansterpartiets-roll"),
        ("rorelsens-rost-4", "partiforeningsskola/03-rorelsens-rost"),
        ("arbetsgivare-3", "ledarskap/06-organisationen"),
    ],
)
def test_the_thin_themes_are_taught_where_the_document_puts_them(cid, module):
    """The unions, Ung Vänster, growing outside the cities, climate, governing and employing."""
    row = next(row for row in coverage(load_courses(COURSES)).rows if row.id == cid)
    assert module in row.taught_in, row
