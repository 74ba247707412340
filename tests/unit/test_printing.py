"""The printed material without laying out a PDF: what the booklet and the guide hold, as HTML.

Fast checks over every course: each exercise kind has a print form, the
booklet prints every question and option but never an answer key while the
guide has them all, the shared texts are plain Swedish with every rule filled
in, the glossary lists only words the courses use, and the command refuses in
Swedish. ``test_printing_pdf.py`` builds the real PDFs.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from grading.course.loading import load_course
from grading.reports.printing import kinds
from grading.reports.printing.booklet import CIRCLE_TEXT, booklet_html
from grading.reports.printing.document import PRINT_DIR, adopted, course_words, load_glossary, shared_text
from grading.reports.printing.guide import GUIDE_TEXT, guide_html
from grading.reports.printing.rules import rule_values
from widgets import EXERCISE_WIDGETS
from widgets.core.i18n import strings_for, t
from widgets.core.lix import lix

from course_paths import COURSES
from no_pango import NoPango

pytestmark = pytest.mark.unit

COURSE_DIRS = sorted(p.parent for p in COURSES.glob("*/course.yml"))


@pytest.fixture(autouse=True)
def _swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


@pytest.fixture(scope="module", params=[p.name for p in COURSE_DIRS])
def printed(request) -> tuple:
    """A course with its booklet and guide as HTML (as plain text too, tags and spacing gone)."""
    course = load_course(COURSES / request.param)
    booklet, guide = booklet_html(course), guide_html(course, year=2026)
    return course, booklet, guide, _flat(booklet), _flat(guide)


def _flat(html: str) -> str:
    """Text without tags and without any white space, entities undone: what a reader sees, in one run."""
    import html as html_lib

    return re.sub(r"\s+", "", html_lib.unescape(re.sub(r"<[^>]+>", "", html)))


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _contents(course, widget: str):
    for module in course.modules:
        for ex in module.exercises:
            if ex.widget == widget:
                yield module, module.path / ex.content


def test_every_exercise_kind_has_a_print_form_and_words_for_paper_and_screen() -> None:
    assert set(kinds.PRINT_KINDS) == set(EXERCISE_WIDGETS)
    assert all(isinstance(kind, kinds.PrintKind) for kind in kinds.PRINT_KINDS.values())
    table = strings_for("sv")
    for widget in EXERCISE_WIDGETS:
        for key in (f"print.run.{widget}.paper", f"print.run.{widget}.screen", f"print.kind.{widget}"):
            assert key in table, key
    for app in kinds.GROUP_APPS:
        assert f"print.app.{app}" in table
    assert {k.group_app for k in kinds.PRINT_KINDS.values()} - {None} == set(kinds.GROUP_APPS)


def test_every_module_and_its_parts_are_in_both(printed) -> None:
    course, booklet, guide, flat_booklet, flat_guide = printed
    for number, module in enumerate(course.modules, start=1):
        heading = _key(t("print.module_heading", number=number, title=module.title))
        assert heading in flat_booklet and heading in flat_guide, module.name
        for question in module.samtalsfragor:
            assert _key(question) in flat_booklet and _key(question) in flat_guide
        for ex in module.exercises:
            if ex.is_reflection:
                assert _key(ex.prompt) in flat_booklet
    # the glossary closes both
    assert booklet.rfind(t("print.glossary")) > booklet.rfind(course.modules[-1].title)
    assert guide.rfind(t("print.glossary")) > guide.rfind(course.modules[-1].title)


def test_the_booklet_prints_every_question_and_option_and_no_answer(printed) -> None:
    from widgets.models.quiz_bank import load_bank

    course, booklet, guide, flat_booklet, flat_guide = printed
    assert _key(t("print.key.right_one")) not in flat_booklet
    assert _key(t("print.guide.key")) not in flat_booklet
    assert "\u2612" not in booklet and "\u2611" not in booklet  # no ticked box anywhere
    for _module, path in _contents(course, "MeetingRoleQuiz"):
        for question in load_bank(path).questions:
            assert _key(question.text) in flat_booklet
            for option in question.options:
                assert _key(option.text) in flat_booklet
            assert _key(question.explanation) not in flat_booklet, question.id
            assert _key(question.explanation) in flat_guide, question.id
            right = " ".join(f"{chr(65 + i)}. {o.text}" for i, o in enumerate(question.options) if o.correct)
            assert _key(right) in flat_guide, question.id


def test_the_other_answer_keys_are_in_the_guide_only(printed) -> None:
    from widgets.models.suppression import load_suppression_bank
    from widgets.models.voting import load_voting_bank

    course, _booklet, _guide, flat_booklet, flat_guide = printed
    explanations = []
    for _module, path in _contents(course, "SuppressionTechniques"):
        explanations += [card.explanation for card in load_suppression_bank(path).cards]
    for _module, path in _contents(course, "VotingProcedure"):
        for scenario in load_voting_bank(path).scenarios:
            explanations.append(scenario.explanation)
            decision = dict(scenario.outcomes())[scenario.decision()]
            assert _key(t("print.voting.key_decision") + decision) in flat_guide
            right_order = "".join(step.text for step in scenario.steps())
            assert _key(right_order) in flat_guide and _key(right_order) not in flat_booklet
    for explanation in filter(None, explanations):
        assert _key(explanation) not in flat_booklet
        assert _key(explanation) in flat_guide


def test_the_guide_has_each_meetings_timing_and_the_study_associations_rules(printed) -> None:
    course, _booklet, guide, _flat_booklet, flat_guide = printed
    for module in course.modules:
        # the timing table of cirkelledare.md, its total row included
        assert _key(f"Summa{module.study_hours * 45}") in flat_guide, module.name
    rules = rule_values()
    assert _key(f"En cirkel har {rules['min_people']} till {rules['max_people']} personer") in flat_guide
    assert _key(f"En studietimme är {rules['hour_minutes']} minuter") in flat_guide
    # when to use each group app: in the guide's own pages, and beside each exercise it fits
    for app in ("Gruppquiz.", "Talarstatistik.", "Gemensam plan."):
        assert _key(app) in flat_guide
    widgets = {ex.widget for module in course.modules for ex in module.exercises}
    for widget, kind in kinds.PRINT_KINDS.items():
        if kind.group_app and widget in widgets:
            assert _key(t(f"print.app.{kind.group_app}")) in flat_guide, widget


def test_shared_texts_fill_every_rule_and_read_plainly() -> None:
    for name in (CIRCLE_TEXT, GUIDE_TEXT):
        text = shared_text(name, **rule_values())
        assert "{" not in text and "}" not in text, name
        assert lix(text) <= 40, (name, lix(text))


def test_the_glossary_lists_only_words_the_courses_use() -> None:
    words = load_glossary()
    assert len(words) >= 30
    everything = "\n".join(course_words(load_course(p)) for p in COURSE_DIRS)
    everything += shared_text(CIRCLE_TEXT, **rule_values()).lower() + shared_text(GUIDE_TEXT, **rule_values()).lower()
    unused = [w.word for w in words if not any(re.search(rf"(?<!\w){re.escape(f)}", everything) for f in w.forms)]
    assert unused == []
    for needed in ("studietimme", "cirkelledare", "härskarteknik", "strategisk plan", "mandatperiod", "partiförening"):
        assert needed in {w.word for w in words}
    for needed in ("distrikt", "motion", "interpellation", "talarstatistik", "internfeminism"):
        assert needed in {w.word for w in words}
    assert (PRINT_DIR / "README.md").is_file()


def test_a_commitment_prints_as_adopted() -> None:
    struck = "utveckla metoder för att ~~nå och organisera ungdomar~~ hjälpa Ung Vänster att starta upp där man inte finns (E11:2)"
    assert adopted(struck) == "utveckla metoder för att hjälpa Ung Vänster att starta upp där man inte finns"


def test_authors_markup_is_printed_never_obeyed(mini_course: Path) -> None:
    text = mini_course / "01-prov" / "text.md"
    text.write_text('Ett möte <script>alert(1)</script> och <img src="http://example.org/x.png">.\n', encoding="utf-8")
    html = booklet_html(load_course(mini_course))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_the_command_needs_a_place_for_the_files(cirkel) -> None:
    proc = cirkel("courses", "print", COURSES / "ledarskap")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert t("print.cli.out_or_run") in proc.stderr


def test_the_command_refuses_a_missing_course_in_swedish(cirkel, tmp_path: Path) -> None:
    proc = cirkel("courses", "print", tmp_path / "finns-inte", "--out", tmp_path / "ut")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "finns-inte" in proc.stderr and "kurs" in proc.stderr.lower()
    assert not (tmp_path / "ut").exists()


def test_the_command_names_a_broken_course(cirkel, mini_course: Path, tmp_path: Path) -> None:
    path = mini_course / "01-prov" / "module.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("study_hours: 2", "study_hours: [2"), encoding="utf-8")
    proc = cirkel("courses", "print", mini_course, "--out", tmp_path / "ut")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "module.yml" in proc.stderr and "YAML" in proc.stderr


def test_without_pango_the_command_says_what_to_install(cirkel, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    proc = cirkel("courses", "print", COURSES / "ledarskap", "--out", tmp_path / "ut")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "Pango" in proc.stderr and "apt-get install libpango-1.0-0" in proc.stderr
    assert "WeasyPrint could not import" not in proc.stdout + proc.stderr  # its own English advice is kept quiet
    assert not (tmp_path / "ut").exists()


def test_the_leaders_start_page_links_the_runs_booklet_and_guide() -> None:
    import jinja2
    from jupyterhub._data import DATA_FILES_PATH

    from grading.hub.config import TEMPLATES, page_vars

    loader = jinja2.FileSystemLoader([str(TEMPLATES), DATA_FILES_PATH])
    template = jinja2.Environment(loader=loader, autoescape=True).get_template("home.html")
    leader = {
        "leader": True,
        "guest": False,
        "runs": [{"id": "ht26", "title": "ht26", "href": "services/ht26/", "live": "services/ht26-samverkan/"}],
    }
    context = template.new_context({"prefix": "/", "cirkel_person": leader, "cirkel": page_vars()})
    page = "".join(template.blocks["main"](context))
    assert 'href="/services/ht26/files/material/deltagarhafte.pdf"' in page
    assert 'href="/services/ht26/files/material/cirkelledarhandledning.pdf"' in page
    assert t("hub.page.run_booklet") in page and t("hub.page.run_guide") in page
