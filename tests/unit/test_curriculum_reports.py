"""The curriculum's reports: LIX per module, the coverage of the commitments, the markers in the
text, and the ``cirkel courses`` commands that print them (the courses of ``tests/curriculum_support.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.course.curriculum import coverage, guide_minutes, guide_timing, lix_report, load_courses
from grading.course.loading import load_course
from grading.course.teaching import strip_markers, text_markers
from grading.course.timing import exercise_time
from widgets.core.lix import analyse

from curriculum_support import GUIDE, PROSE, edit, parts_of, two_courses
from mini_module import QUIZ_YML

pytestmark = pytest.mark.unit


@pytest.fixture
def courses(tmp_path, monkeypatch) -> Path:
    """Two small valid courses in ``tmp_path/kurser``: all parts there, one commitment left uncovered."""
    monkeypatch.delenv("CIRKEL_COMMITMENTS", raising=False)
    return two_courses(tmp_path / "kurser")


def test_guide_minutes_leave_out_the_pause_and_the_total():
    assert guide_minutes(GUIDE) == ([10, 30, 35, 5, 10], [90])
    timing = guide_timing(GUIDE)
    assert timing.parts == {"reading": 30, "discussion": 20, "exercise": 35, "reflection": 5}
    assert timing.unknown == []


def test_the_exercise_part_must_hold_the_quiz(courses):
    """1.5 minutes a quiz question: 30 questions need 45 minutes, and the module gives 35."""
    module = courses / "forsta" / "01-prov"
    question = QUIZ_YML.split("questions:\n", 1)[1]
    many = (
        QUIZ_YML.split("questions:\n", 1)[0]
        + "questions:\n"
        + "".join(question.replace("id: syfte", f"id: syfte-{i}") for i in range(30))
    )
    (module / "fragor.yml").write_text(many, encoding="utf-8")
    found = parts_of(courses)
    assert [m.key for m in found] == ["exercise_time"], [str(m) for m in found]
    assert found[0].part == "tid för övningarna"
    assert found[0].reason == (
        "övningarna behöver minst 45 minuter (fragor: 30 × 1,5 min = 45), men minutes.exercise i module.yml ger 35"
    )
    need = exercise_time(load_course(courses / "forsta").module("01-prov"))
    assert need.needed == 45 and need.details == (("fragor", 30, 1.5, 45.0),)


def test_lix_report_per_module_median_and_limits(courses):
    loaded = load_courses(courses)
    report = lix_report(loaded)
    assert [(m.course, m.module) for m in report.modules] == [
        ("andra", "01-ett"),
        ("forsta", "01-prov"),
        ("forsta", "02-andra"),
    ]
    by_hand = analyse(PROSE)
    assert (by_hand.words, by_hand.sentences, by_hand.long_words) == (47, 8, 3)
    first = report.modules[0]
    assert first.result.words == 7 * 47 + 2  # the heading "Ett prov" is a sentence too
    assert first.lix == pytest.approx(
        first.result.words / first.result.sentences + 100 * first.result.long_words / first.result.words
    )
    assert report.median == pytest.approx(first.lix) and report.ok
    lines = report.lines()
    assert lines[0].split() == ["Modul", "LIX", "Svårighet", "Ord", "Meningar", "Långa", "ord"]
    assert lines[2].startswith("andra/01-ett ")
    assert f"{first.lix:.1f}".replace(".", ",") in lines[2]

    strict = type(report)(report.modules, median_limit=5, module_limit=5)
    assert not strict.ok
    assert len(strict.problems) == 4
    assert strict.problems[0].startswith("andra/01-ett har LIX ")
    assert "Medianen för modulerna är LIX" in strict.problems[-1]


def test_coverage_lists_modules_per_commitment_in_document_order(courses):
    table = coverage(load_courses(courses))
    assert [(r.id, r.modules, r.taught_in) for r in table.rows] == [
        ("moten-1", ("forsta/01-prov", "forsta/02-andra"), ("forsta/01-prov", "forsta/02-andra")),
        ("moten-2", ("andra/01-ett", "forsta/02-andra"), ("andra/01-ett", "forsta/02-andra")),
        ("ledarskap-1", (), ()),
    ]
    assert table.uncovered == ["ledarskap-1"] and table.covered_count == 2 and table.taught_count == 2
    assert table.only_listed == []
    lines = table.lines()
    assert lines[0].split() == ["Åtagande", "Avsnitt", "Lärs", "ut", "i", "Bara", "listat", "i"]
    assert lines[-3].startswith("ledarskap-1") and lines[-3].split()[-3:] == ["(ingen", "modul)", "–"]
    assert lines[-2] == "2 av 3 åtaganden tas upp av minst en modul."
    assert lines[-1].startswith("2 av 3 åtaganden lärs ut i varje modul som tar upp dem")


def test_a_commitment_only_listed_is_named_with_what_is_missing(courses):
    """A module that lists moten-2 but neither explains it nor works with it: listed, not taught."""
    edit(
        courses / "andra" / "01-ett" / "module.yml",
        "commitments: [moten-2]\nsamtal",
        "commitments: [moten-2, moten-1]\nsamtal",
    )
    table = coverage(load_courses(courses))
    row = table.rows[0]
    assert row.id == "moten-1" and not row.taught
    assert row.modules == ("andra/01-ett", "forsta/01-prov", "forsta/02-andra")
    assert row.taught_in == ("forsta/01-prov", "forsta/02-andra")
    assert [(cid, item.module, item.in_text, item.worked_with) for cid, item in table.only_listed] == [
        ("moten-1", "andra/01-ett", False, ())
    ]
    line = next(line for line in table.lines() if line.startswith("moten-1"))
    assert line.endswith(
        "andra/01-ett (text.md förklarar det inte (markera stycket med <!-- åtagande: id -->) "
        "och ingen samtalsfråga eller övning arbetar med det)"
    )
    # The samtalsfråga works with it now, but the text still does not explain it.
    edit(
        courses / "andra" / "01-ett" / "module.yml",
        "    commitments: [moten-2]\n",
        "    commitments: [moten-2, moten-1]\n",
    )
    (item,) = [item for _, item in coverage(load_courses(courses)).only_listed]
    assert (item.in_text, item.worked_with) == (False, ("samtalsfråga 1",))
    # And the text marks a paragraph explaining it: taught.
    edit(courses / "andra" / "01-ett" / "text.md", "<!-- åtagande: moten-2 -->", "<!-- åtagande: moten-2, moten-1 -->")
    assert coverage(load_courses(courses)).rows[0].taught


def test_markers_name_the_paragraph_they_stand_before():
    text = "\n".join(
        [
            "# Rubrik",
            "<!-- åtagande: klass-1, klass-2 -->",
            "",
            " ".join(["ord"] * 30),
            "",
            "<!--åtagande:klass-3-->",
            "- en punkt i en lista med många ord " + " ".join(["ord"] * 30),
            "<!-- något annat -->",
        ]
    )
    markers = text_markers(text)
    assert [(m.ids, m.line, m.words, m.explains) for m in markers] == [
        (("klass-1", "klass-2"), 2, 30, True),
        (("klass-3",), 6, 0, False),
    ]
    assert "åtagande" not in strip_markers(text) and "<!-- något annat -->" in strip_markers(text)


def test_cirkel_courses_coverage_fails_naming_the_uncovered(courses, cirkel):
    proc = cirkel("courses", "coverage", "--courses", courses)
    assert proc.returncode == 1
    assert "moten-2  " in proc.stdout and "andra/01-ett, forsta/02-andra" in proc.stdout
    assert proc.stderr.strip() == "cirkel: Åtaganden som ingen modul tar upp (1): ledarskap-1"
    edit(courses / "andra" / "01-ett" / "module.yml", "[moten-2]", "[moten-2, ledarskap-1]")
    edit(
        courses / "andra" / "01-ett" / "text.md",
        "<!-- åtagande: moten-2 -->",
        "<!-- åtagande: moten-2, ledarskap-1 -->",
    )
    proc = cirkel("courses", "coverage", "--courses", courses)
    assert proc.returncode == 0, proc.stderr
    assert "3 av 3 åtaganden tas upp av minst en modul." in proc.stdout
    assert "3 av 3 åtaganden lärs ut i varje modul som tar upp dem" in proc.stdout


def test_cirkel_courses_coverage_fails_on_a_commitment_only_listed(courses, cirkel):
    """A broken mini course: forsta/02-andra lists ledarskap-1 and does nothing with it."""
    edit(
        courses / "forsta" / "02-andra" / "module.yml",
        "commitments: [moten-1, moten-2]\nsamtal",
        "commitments: [moten-1, moten-2, ledarskap-1]\nsamtal",
    )
    proc = cirkel("courses", "coverage", "--courses", courses)
    assert proc.returncode == 1
    row = next(line for line in proc.stdout.splitlines() if line.startswith("ledarskap-1"))
    assert "(ingen modul)" in row and "forsta/02-andra (text.md förklarar det inte" in row
    assert proc.stderr.strip() == (
        "cirkel: Åtaganden som en modul bara listar, utan att lära ut dem (1): ledarskap-1 i forsta/02-andra "
        "(text.md förklarar det inte (markera stycket med <!-- åtagande: id -->) "
        "och ingen samtalsfråga eller övning arbetar med det)"
    )
    assert "Traceback" not in proc.stderr
    proc = cirkel("courses", "check", "--courses", courses / "forsta")
    assert proc.returncode == 1
    assert "  02-andra: åtaganden som lärs ut: ledarskap-1 står under commitments men lärs inte ut" in proc.stdout


def test_cirkel_courses_check_reports_parts_and_lix(courses, cirkel):
    proc = cirkel("courses", "check", "--courses", courses)
    assert proc.returncode == 0, proc.stderr
    assert "Kurs forsta (forsta)" in proc.stdout
    assert "  01-prov: alla delar finns" in proc.stdout
    assert "Medianen för 3 moduler är LIX" in proc.stdout
    edit(courses / "forsta" / "02-andra" / "cirkelledare.md", "## Så avslutar du", "## Slut")
    proc = cirkel("courses", "check", "--courses", courses / "forsta")
    assert proc.returncode == 1
    assert "  02-andra: hur du avslutar träffen: cirkelledare.md har ingen rubrik om det" in proc.stdout
    assert "Kurs andra" not in proc.stdout  # one course's own folder checks that course only
    assert "1 problem hittades" in proc.stderr and "Traceback" not in proc.stderr


def test_cirkel_courses_names_a_broken_course_or_an_empty_folder(courses, cirkel, tmp_path):
    proc = cirkel("courses", "check", "--courses", tmp_path / "tom")
    assert proc.returncode == 1
    assert "Det finns ingen kurs i" in proc.stderr and "Traceback" not in proc.stderr
    edit(courses / "andra" / "01-ett" / "module.yml", "  - Vad kan vi ändra?\n", "")
    proc = cirkel("courses", "coverage", "--courses", courses)
    assert proc.returncode == 1
    assert "01-ett" in proc.stderr and "module.yml" in proc.stderr and "Traceback" not in proc.stderr
