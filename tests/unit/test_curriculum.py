"""grading.course.curriculum on small courses made to be broken: finding the courses and a module's parts.

Each rule of a module's parts is broken once, and the finding must name the
course, the module and the part. LIX, coverage, markers and the ``cirkel courses
check|coverage`` commands: ``test_curriculum_reports.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.course.curriculum import DEFAULT_COURSES, discover_courses, load_courses

from curriculum_support import PROSE, edit, parts_of, two_courses

pytestmark = pytest.mark.unit


@pytest.fixture
def courses(tmp_path, monkeypatch) -> Path:
    """Two small valid courses in ``tmp_path/kurser``: all parts there, one commitment left uncovered."""
    monkeypatch.delenv("CIRKEL_COMMITMENTS", raising=False)
    return two_courses(tmp_path / "kurser")


def test_courses_are_found_by_their_course_yml(courses):
    assert [p.name for p in discover_courses(courses)] == ["andra", "forsta"]
    assert discover_courses(courses / "forsta") == [courses / "forsta"]
    assert discover_courses(courses / "finns-inte") == []
    assert [c.id for c in load_courses(courses)] == ["andra", "forsta"]
    assert {p.name for p in discover_courses(DEFAULT_COURSES)} >= {"partiforeningsskola", "ledarskap"}


def test_a_complete_module_lacks_nothing(courses):
    assert parts_of(courses) == []


BROKEN = [
    (
        "module.yml",
        "study_hours: 2\nminutes: {reading: 30,",
        "study_hours: 4\nminutes: {reading: 120,",
        "study_hours",
        "studietimmar",
        "study_hours är 4",
    ),
    ("module.yml", "goals:\n  - Du vet vad ett möte är.\n", "goals: []\n", "goals", "lärandemål", "saknas"),
    ("module.yml", "commitments: [moten-1]\nsamtal", "commitments: []\nsamtal", "commitments", "åtaganden", "saknas"),
    (
        "module.yml",
        "commitments: [moten-1]\nsamtal",
        "commitments: [moten-1, pahittat-9]\nsamtal",
        "commitments",
        "åtaganden",
        "pahittat-9",
    ),
    (
        "module.yml",
        "    section: Varje möte ett genomtänkt möte\n",
        "",
        "source",
        "källa i strategidokumentet",
        "del och avsnitt",
    ),
    ("module.yml", "check: score_quiz", "check: score_voting", "graded", "rättad övning", "score_quiz"),
    (
        "module.yml",
        "widget: Reflection",
        # another exercise in its place, with a content file its widget reads (run create checks it)
        "widget: MeetingRoleQuiz\n    content: fragor.yml",
        "reflection",
        "reflektion",
        "Reflection",
    ),
    ("text.md", "internfeminism", "omtanke", "internfeminism", "internfeministiskt perspektiv", "text.md"),
    ("text.md", "funktionsförmåga", "förmåga", "accessibility", "alla ska kunna vara med", "funktionsförmåga"),
    (
        "cirkelledare.md",
        "| Läs texten | läsning | 30 |",
        "| Läs texten | läsning | 25 |",
        "guide_timing",
        "tider i cirkelledarhandledningen",
        "85 minuter",
    ),
    (
        "cirkelledare.md",
        "| Läs texten | läsning | 30 |",
        "| Läs texten | läsa | 30 |",
        "guide_timing",
        "tider i cirkelledarhandledningen",
        "”läsa” i kolumnen Del",
    ),
    (
        "cirkelledare.md",
        "| Reflektion | reflektion | 5 |\n| Avsluta träffen | samtal | 10 |",
        "| Reflektion | reflektion | 10 |\n| Avsluta träffen | samtal | 5 |",
        "guide_timing",
        "tider i cirkelledarhandledningen",
        "samtal är 15 minuter i tabellen men 20 i module.yml; reflektion är 10 minuter i tabellen men 5",
    ),
    (
        "module.yml",
        "reading: 30, discussion: 20, exercise: 35, reflection: 5}",
        "reading: 40, discussion: 20, exercise: 25, reflection: 5}",
        "guide_timing",
        "tider i cirkelledarhandledningen",
        "läsning är 30 minuter i tabellen men 40 i module.yml",
    ),
    (
        "text.md",
        "<!-- åtagande: moten-1 -->\n",
        "",
        "taught",
        "åtaganden som lärs ut",
        "moten-1 står under commitments men lärs inte ut: text.md förklarar det inte",
    ),
    (
        "module.yml",
        "  - text: Vad är ett bra möte?\n    commitments: [moten-1]\n",
        "  - Vad är ett bra möte?\n",
        "taught",
        "åtaganden som lärs ut",
        "ingen samtalsfråga eller övning arbetar med det",
    ),
    (
        "module.yml",
        "    commitments: [moten-1]\n",
        "    commitments: [moten-1, moten-2]\n",
        "commitments",
        "åtaganden",
        "samtalsfråga 1 nämner moten-2, som modulen inte har under commitments",
    ),
    (
        "text.md",
        "<!-- åtagande: moten-1 -->\n",
        "<!-- åtagande: moten-1 -->\n## En rubrik\n\n",
        "taught",
        "åtaganden som lärs ut",
        "markeringen av moten-1 på rad 3 i text.md står inte före ett eget stycke",
    ),
    ("cirkelledare.md", "**90**", "**95**", "guide_timing", "tider i cirkelledarhandledningen", "summaraden"),
    ("cirkelledare.md", "## Så öppnar du", "## Början", "guide_opening", "hur du öppnar träffen", "Så öppnar du"),
    (
        "cirkelledare.md",
        "## Så gör ni övningen",
        "## Mitten",
        "guide_exercise",
        "hur ni gör gruppövningen",
        "Så gör ni övningen",
    ),
    ("cirkelledare.md", "## Så avslutar du", "## Slutet", "guide_closing", "hur du avslutar träffen", "Så avslutar du"),
    (
        "cirkelledare.md",
        "talarstatistik",
        "statistik",
        "internfeminism",
        "internfeministiskt perspektiv",
        "talarstatistik",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "key", "part", "words"), BROKEN, ids=[f"{b[3]}:{b[2][:12]}" for b in BROKEN]
)
def test_a_missing_part_is_named_with_course_and_module(courses, file, old, new, key, part, words):
    edit(courses / "forsta" / "01-prov" / file, old, new)
    found = parts_of(courses)
    also = ["guide_timing"] if key == "study_hours" else []  # 4 hours: the guide's 90 minutes no longer fit
    assert [m.key for m in found] == [key, *also], [str(m) for m in found]
    missing = found[0]
    assert (missing.course, missing.module, missing.part) == ("forsta", "01-prov", part)
    assert words in missing.reason
    assert str(missing).startswith(f"forsta/01-prov: {part}: ")


def test_no_guide_and_little_prose_are_named(courses):
    module = courses / "forsta" / "01-prov"
    (module / "cirkelledare.md").unlink()
    (module / "text.md").write_text(f"{PROSE}\n\n> Ett långt citat ur dokumentet räknas inte.\n", encoding="utf-8")
    found = {m.key: m for m in parts_of(courses)}
    assert set(found) == {"guide", "text", "taught"}  # the new text no longer marks what it explains
    assert "cirkelledare.md saknas" in found["guide"].reason
    assert "har bara 47 egna ord" in found["text"].reason
