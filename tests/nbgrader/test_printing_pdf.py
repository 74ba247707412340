"""The printed material as PDF: every course's booklet and guide, laid out by WeasyPrint and read back.

The PDFs are made once per course for this file (a few seconds each on two
cores) and read with pypdf: every module title is there and the glossary; no
answer key is in the booklet while the guide has them; each PDF is tagged
(a structure tree, marked content), has its title shown and its language set,
and embeds its fonts. Then the course run: ``cirkel run create`` writes the run's
material, ``cirkel courses print --run`` makes it again, and a run whose
course is gone or without Pango is told so in Swedish. In the nbgrader lane
with the other tests that are slow by nature.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

from grading.course.loading import load_course
from grading.reports.printing import BOOKLET, GUIDE, RUN_FOLDER, print_course
from widgets.core.i18n import t

from course_paths import COURSES
from no_pango import NoPango

pytestmark = pytest.mark.nbgrader

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test dependency (pyproject.toml [test])")

COURSE_DIRS = sorted(p.parent for p in COURSES.glob("*/course.yml"))


@pytest.fixture(autouse=True)
def _swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def _flat(text: str) -> str:
    """Text as compared: compatibility forms folded (ligatures), no white space at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


class Printed:
    """A course and its two PDFs, read back."""

    def __init__(self, course, material):
        self.course = course
        self.material = material
        self.booklet = pypdf.PdfReader(material.booklet.path)
        self.guide = pypdf.PdfReader(material.guide.path)
        self.booklet_text = _flat("".join(page.extract_text() or "" for page in self.booklet.pages))
        self.guide_text = _flat("".join(page.extract_text() or "" for page in self.guide.pages))


@pytest.fixture(scope="module", params=[p.name for p in COURSE_DIRS])
def printed(request, tmp_path_factory) -> Printed:
    course = load_course(COURSES / request.param)
    material = print_course(course, tmp_path_factory.mktemp("tryck"))
    return Printed(course, material)


def test_both_pdfs_are_made_with_the_courses_name(printed: Printed) -> None:
    course_id = printed.course.id
    assert printed.material.booklet.path.name == f"{course_id}-{BOOKLET}"
    assert printed.material.guide.path.name == f"{course_id}-{GUIDE}"
    assert printed.material.booklet.pages == len(printed.booklet.pages) > 2 * len(printed.course.modules)
    assert printed.material.guide.pages == len(printed.guide.pages) > len(printed.course.modules)


def test_every_module_title_and_the_glossary_are_in_both(printed: Printed) -> None:
    for number, module in enumerate(printed.course.modules, start=1):
        heading = _flat(t("print.module_heading", number=number, title=module.title))
        assert heading in printed.booklet_text, module.name
        assert heading in printed.guide_text, module.name
    for text in (printed.booklet_text, printed.guide_text):
        assert _flat(t("print.glossary")) + _flat(t("print.glossary_intro")) in text
        assert _flat("studietimme45minuter") in text.lower()


def test_no_answer_key_in_the_booklet_and_every_one_in_the_guide(printed: Printed) -> None:
    from widgets.models.quiz_bank import load_bank
    from widgets.models.suppression import load_suppression_bank
    from widgets.models.voting import load_voting_bank

    keys: list[str] = []
    for module in printed.course.modules:
        for ex in module.exercises:
            path = module.path / ex.content if ex.content else None
            if ex.widget == "MeetingRoleQuiz":
                for question in load_bank(path).questions:
                    right = [f"{chr(65 + i)}. {o.text}" for i, o in enumerate(question.options) if o.correct]
                    # the booklet prints every option with its letter: the key is the line that names the right ones
                    label = t("print.key.right_many") if len(right) > 1 else t("print.key.right_one")
                    keys += [f"{label} {' '.join(right)}", question.explanation]
            elif ex.widget == "SuppressionTechniques":
                keys += [card.explanation for card in load_suppression_bank(path).cards]
            elif ex.widget == "VotingProcedure":
                for scenario in load_voting_bank(path).scenarios:
                    keys += ["".join(step.text for step in scenario.steps()), scenario.explanation]
    assert keys, "the course has exercises with answer keys"
    for key in filter(None, keys):
        assert _flat(key) not in printed.booklet_text, key[:60]
        assert _flat(key) in printed.guide_text, key[:60]
    assert _flat(t("print.key.right_one")) not in printed.booklet_text
    assert _flat(t("print.guide.key")) in printed.guide_text


@pytest.mark.parametrize("which", ["booklet", "guide"])
def test_each_pdf_is_tagged_with_its_title_and_language(printed: Printed, which: str) -> None:
    reader = getattr(printed, which)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == printed.course.language == "sv"
    assert "/StructTreeRoot" in root and root["/StructTreeRoot"]["/K"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    kind = t("print.booklet.kind") if which == "booklet" else t("print.guide.kind")
    assert reader.metadata.title == f"{printed.course.title}: {kind}"


@pytest.mark.parametrize("which", ["booklet", "guide"])
def test_fonts_are_the_machines_dejavu_embedded(printed: Printed, which: str) -> None:
    reader = getattr(printed, which)
    fonts = {}
    for page in reader.pages[:4]:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            fonts[str(font["/BaseFont"])] = descriptor is not None and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts), fonts


def test_a_new_run_has_its_material_and_can_print_it_again(cirkel, mini_course: Path, tmp_path: Path) -> None:
    run = tmp_path / "omg"
    made = cirkel("run", "create", mini_course, "--dir", run, check=True)
    folder = run / RUN_FOLDER
    assert t("print.cli.run_material", path=str(folder)) in made.stdout
    booklet, guide = folder / BOOKLET, folder / GUIDE
    assert pypdf.PdfReader(booklet).metadata.title == "Minikurs: " + t("print.booklet.kind")
    assert pypdf.PdfReader(guide).metadata.title == "Minikurs: " + t("print.guide.kind")
    booklet.unlink()
    again = cirkel("courses", "print", "--run", run, check=True)
    assert str(booklet) in again.stdout and booklet.is_file()
    assert not list(folder.glob(".*.tmp")), "no temporary file is left behind"
    # readable like the run's other files (the run's service serves them), not mkstemp's 0600
    assert booklet.stat().st_mode & 0o777 == (run / "cirkel-run.yml").stat().st_mode & 0o777


def test_a_run_whose_course_is_gone_is_told_where_to_point(cirkel, mini_course: Path, tmp_path: Path) -> None:
    run = tmp_path / "omg"
    cirkel("run", "create", mini_course, "--dir", run, "--no-material", check=True)
    assert not (run / RUN_FOLDER).exists()
    (tmp_path / "flyttad").mkdir()
    moved = mini_course.rename(tmp_path / "flyttad" / mini_course.name)
    proc = cirkel("courses", "print", "--run", run)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "finns inte längre" in proc.stderr and "cirkel courses print KURSMAPP --run" in proc.stderr
    cirkel("courses", "print", moved, "--run", run, check=True)
    assert (run / RUN_FOLDER / BOOKLET).is_file()


def test_without_pango_a_new_run_still_stands(cirkel, monkeypatch, mini_course: Path, tmp_path: Path) -> None:
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    proc = cirkel("run", "create", mini_course, "--dir", tmp_path / "omg")
    assert proc.returncode == 0, proc.stderr
    assert "Pango" in proc.stderr and "cirkel courses print --run" in proc.stderr
    assert (tmp_path / "omg" / "cirkel-run.yml").is_file() and not (tmp_path / "omg" / RUN_FOLDER).exists()


def test_a_courses_material_is_made_once_per_version_and_copied_into_each_new_run(
    cirkel, monkeypatch, mini_course: Path, tmp_path: Path
) -> None:
    """``make run`` and every ``cirkel run create`` ask for the same PDFs: made once, anew when anything changed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kept = tmp_path / "cache" / "cirkel" / "material"
    cirkel("run", "create", mini_course, "--dir", tmp_path / "a", check=True)
    (version,) = kept.iterdir()
    with open(version / BOOKLET, "ab") as booklet:  # a mark only the kept copy has (a PDF comment)
        booklet.write(b"%kept\n")

    second = cirkel("run", "create", mini_course, "--dir", tmp_path / "b", check=True)
    assert t("print.cli.run_material", path=str(tmp_path / "b" / RUN_FOLDER)) in second.stdout
    assert (tmp_path / "b" / RUN_FOLDER / BOOKLET).read_bytes().endswith(b"%kept\n")  # copied, not made
    assert (tmp_path / "b" / RUN_FOLDER / GUIDE).read_bytes() == (tmp_path / "a" / RUN_FOLDER / GUIDE).read_bytes()

    course_yml = mini_course / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8").replace("Minikurs", "Vårens minikurs"), "utf-8")
    cirkel("run", "create", mini_course, "--dir", tmp_path / "c", check=True)
    booklet = tmp_path / "c" / RUN_FOLDER / BOOKLET
    assert not booklet.read_bytes().endswith(b"%kept\n")  # the course changed: made anew
    assert pypdf.PdfReader(booklet).metadata.title == "Vårens minikurs: " + t("print.booklet.kind")
    assert len(list(kept.iterdir())) == 2
