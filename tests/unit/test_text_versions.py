"""Other versions of a module's text: every module has them, they are readable, and broken ones are refused.

- every module of both courses has a lättläst version, and every partiföreningsskola
  module an English one; a lättläst text's own prose has LIX at most 25;
- the course loader refuses a broken version (``grading.course.variants``) with a Swedish
  message naming the file and the field;
- the learner's choice (``widgets.TextVersions``) works through its traits: it
  switches the text and the reflection's prompt, is kept in the answer store under
  its reserved id and comes back in a new widget, and autograde reads the standard text.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from traitlets import TraitError

from grading.course.build import VERSIONS_FILE, build_notebook, text_versions
from grading.course.curriculum import discover_courses
from grading.course.loading import load_course, load_module
from grading.course.variant_checks import LATTLAST_LIX_LIMIT, variant_findings, variant_lix
from grading.course.variants import LATTLAST
from widgets import Reflection, TextVersions
from widgets.core.lix import analyse, module_prose
from widgets.models.content import ContentError
from widgets.models.text_versions import STANDARD, TEXT_VERSION_ID, TextVersion, dump_versions, load_versions
from widgets.storage.answers import AnswerStore

from course_paths import COMMITMENTS, COURSES
from mini_module import QUIZ_YML, module_yml

pytestmark = pytest.mark.unit

REAL_COURSES = {course.name: load_course(course) for course in discover_courses(COURSES)}
REAL_MODULES = [(course, module) for course in REAL_COURSES.values() for module in course.modules]
IDS = [f"{course.id}/{module.name}" for course, module in REAL_MODULES]


# -- the real courses ------------------------------------------------------------------------------


def test_both_courses_are_there():
    assert {"partiforeningsskola", "ledarskap"} <= set(REAL_COURSES)


@pytest.mark.parametrize(("course", "module"), REAL_MODULES, ids=IDS)
def test_every_module_has_a_lattlast_version(course, module):
    assert LATTLAST in module.variants, f"{module.path} has no text.lattlast.md and module.lattlast.yml"
    variant = module.variants[LATTLAST]
    assert variant.variant.language == course.language == "sv"
    assert variant.text_file == module.path / "text.lattlast.md"


@pytest.mark.parametrize("module", REAL_COURSES["partiforeningsskola"].modules, ids=lambda m: m.name)
def test_every_partiforeningsskola_module_is_in_english(module):
    assert "en" in module.variants, f"{module.path} has no text.en.md and module.en.yml"
    english = module.variants["en"]
    assert english.variant.language == "en"
    assert english.variant.label == "English"


@pytest.mark.parametrize("module", REAL_COURSES["partiforeningsskola"].modules, ids=lambda m: m.name)
def test_every_quotation_in_english_is_followed_by_the_courses_translation(module):
    blocks = re.split(r"\n\s*\n", module.variants["en"].text)
    for i, block in enumerate(blocks):
        if block.lstrip().startswith(">") and re.search(r"^> – Del \d", block, re.M):
            following = blocks[i + 1].strip() if i + 1 < len(blocks) else ""
            assert following.startswith("*The course's translation:*"), f"{module.name}: {block[:80]!r}"


@pytest.mark.parametrize(("course", "module"), REAL_MODULES, ids=IDS)
def test_lattlast_prose_has_lix_at_most_25(course, module):
    result = analyse(module_prose(module.path, LATTLAST))
    assert result.lix <= LATTLAST_LIX_LIMIT == 25, (
        f"{module.path / 'text.lattlast.md'}: LIX {result.lix:.1f}, longest sentences: "
        + " | ".join(sorted(result.sentence_list, key=lambda s: len(s.split()), reverse=True)[:3])
    )
    # and it is easier than the standard text, or as easy
    assert result.lix <= analyse(module_prose(module.path)).lix + 0.5


def test_variant_lix_lists_every_lattlast_text_in_teaching_order():
    rows = variant_lix(REAL_COURSES[name] for name in ("partiforeningsskola", "ledarskap"))
    assert [(r.course, r.module) for r in rows] == [(c.id, m.name) for c, m in REAL_MODULES if c.id != "ledarskap"] + [
        (c.id, m.name) for c, m in REAL_MODULES if c.id == "ledarskap"
    ]
    assert all(r.result.lix <= LATTLAST_LIX_LIMIT for r in rows)


@pytest.mark.parametrize(("course", "module"), REAL_MODULES, ids=IDS)
def test_every_version_teaches_what_the_module_teaches(course, module):
    # every commitment explained in the version's own prose, the internfeminist perspective and
    # the word on functional ability kept, LIX kept: nothing found
    assert variant_findings(module, course.language) == []
    for variant in module.variants.values():
        assert len(variant.goals) == len(module.goals)
        assert len(variant.samtalsfragor) == len(module.samtalsfragor)
        reflections = [ex.id for ex in module.exercises if ex.is_reflection]
        assert sorted(variant.prompts) == sorted(reflections)


# -- the loader refuses broken versions ------------------------------------------------------------

OVERLAY = textwrap.dedent("""\
    title: Ett lätt prov
    goals:
      - Du vet vad ett möte är.
    samtalsfragor:
      - text: Vad är ett bra möte?
      - Vem pratar mest?
      - Vad kan vi ändra?
    exercises:
      - id: reflektion
        prompt: Vad tar du med dig hem?
    """)

TEXT = textwrap.dedent("""\
    Det här är en lätt text om möten.

    <!-- åtagande: moten-1 -->
    Partiet lovar att göra en guide för bra möten. Den ska säga varför vi har mötet. Den ska säga vem som tar hand om stämningen. Alla ska kunna vara med, oavsett funktionsförmåga. Internfeminism ingår.
    """)


def _course(tmp_path: Path, variants: str | None = "  - id: lattlast\n    label: Lättläst\n") -> Path:
    course = tmp_path / "provkurs"
    module = course / "01-prov"
    module.mkdir(parents=True)
    listed = "" if variants is None else f"variants:\n{variants}"
    (course / "course.yml").write_text(
        f"id: provkurs\ntitle: Provkurs\ndescription: Ett prov.\nlanguage: sv\n{listed}modules:\n  - 01-prov\n",
        encoding="utf-8",
    )
    shutil.copy(COMMITMENTS, course / "commitments.yml")
    (module / "module.yml").write_text(module_yml(), encoding="utf-8")
    (module / "fragor.yml").write_text(QUIZ_YML, encoding="utf-8")
    (module / "text.md").write_text("Ett möte.\n", encoding="utf-8")
    (module / "text.lattlast.md").write_text(TEXT, encoding="utf-8")
    (module / "module.lattlast.yml").write_text(OVERLAY, encoding="utf-8")
    return course


def _refused(course: Path) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_course(course)
    return caught.value


def test_a_whole_version_is_loaded(tmp_path):
    course = load_course(_course(tmp_path))
    (module,) = course.modules
    variant = module.variants[LATTLAST]
    assert variant.title == "Ett lätt prov"
    assert variant.samtalsfragor == ("Vad är ett bra möte?", "Vem pratar mest?", "Vad kan vi ändra?")
    assert variant.prompts == {"reflektion": "Vad tar du med dig hem?"}
    assert variant_findings(module) == []


def test_a_course_without_a_variants_list_offers_lattlast_and_english(tmp_path):
    course = load_course(_course(tmp_path, variants=None))
    (module,) = course.modules
    assert module.variants[LATTLAST].variant.label == "Lättläst"


def test_an_overlay_field_module_yml_does_not_have_is_refused(tmp_path):
    course = _course(tmp_path)
    overlay = course / "01-prov" / "module.lattlast.yml"
    overlay.write_text(OVERLAY + "sammanfattning: Kort.\n", encoding="utf-8")
    error = _refused(course)
    assert error.path == overlay
    assert error.where == "sammanfattning"
    assert "”sammanfattning” finns inte i module.yml" in str(error)
    assert "module.lattlast.yml" in str(error)


def test_an_overlay_may_not_change_what_is_not_read(tmp_path):
    course = _course(tmp_path)
    overlay = course / "01-prov" / "module.lattlast.yml"
    overlay.write_text(OVERLAY + "minutes: {reading: 40, discussion: 10, exercise: 35, reflection: 5}\n", "utf-8")
    error = _refused(course)
    assert (error.path, error.where) == (overlay, "minutes")
    assert "kan inte ändras i en version" in str(error)


def test_a_version_without_its_text_is_refused(tmp_path):
    course = _course(tmp_path)
    (course / "01-prov" / "text.lattlast.md").unlink()
    error = _refused(course)
    assert error.path == course / "01-prov" / "text.lattlast.md"
    assert "texten till versionen saknas" in str(error)
    assert "module.lattlast.yml finns, men inte text.lattlast.md" in str(error)


def test_a_text_without_its_overlay_is_refused(tmp_path):
    course = _course(tmp_path)
    (course / "01-prov" / "module.lattlast.yml").unlink()
    error = _refused(course)
    assert error.path == course / "01-prov" / "module.lattlast.yml"
    assert "module.lattlast.yml saknas" in str(error)


def test_a_missing_field_is_refused(tmp_path):
    course = _course(tmp_path)
    overlay = course / "01-prov" / "module.lattlast.yml"
    overlay.write_text(OVERLAY.replace("goals:\n  - Du vet vad ett möte är.\n", ""), encoding="utf-8")
    error = _refused(course)
    assert (error.path, error.where) == (overlay, "goals")
    assert "”goals” saknas" in str(error)


def test_a_different_number_of_samtalsfragor_is_refused(tmp_path):
    course = _course(tmp_path)
    overlay = course / "01-prov" / "module.lattlast.yml"
    overlay.write_text(OVERLAY.replace("  - Vad kan vi ändra?\n", ""), encoding="utf-8")
    error = _refused(course)
    assert (error.path, error.where) == (overlay, "samtalsfragor")
    assert "har 2 punkter, men module.yml har 3" in str(error)


def test_a_prompt_for_an_exercise_module_yml_does_not_have_is_refused(tmp_path):
    course = _course(tmp_path)
    overlay = course / "01-prov" / "module.lattlast.yml"
    overlay.write_text(OVERLAY.replace("id: reflektion", "id: eftertanke"), encoding="utf-8")
    error = _refused(course)
    assert error.path == overlay
    assert "övningen ”eftertanke” finns inte i module.yml" in str(error)


def test_a_version_the_course_does_not_offer_is_refused(tmp_path):
    course = _course(tmp_path)
    (course / "01-prov" / "text.en.md").write_text("A meeting.\n", encoding="utf-8")
    error = _refused(course)
    assert error.path == course / "01-prov" / "text.en.md"
    assert "versionen ”en” finns inte bland kursens versioner" in str(error)
    assert "Kursen har: lattlast" in str(error)


def test_a_version_that_explains_too_little_or_is_hard_to_read_is_named(tmp_path):
    course = _course(tmp_path)
    hard = "Organisationsutvecklingsarbetet förutsätter långsiktighet, systematiskt ledarskapsengagemang. " * 20
    (course / "01-prov" / "text.lattlast.md").write_text(hard + "\nInternfeminism och funktionsförmåga.\n", "utf-8")
    (module,) = load_course(course).modules
    reasons = [f.reason for f in variant_findings(module)]
    assert "variant_not_explained" in reasons
    assert "variant_lix" in reasons


# -- the learner's choice, through its traits ------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_chooser_left_behind():
    """A chooser sets the prompt of every reflection built after it (one module per kernel): close it."""
    yield
    from widgets.exercises import text_versions

    chooser = text_versions._current[0]() if text_versions._current else None
    if chooser is not None:
        chooser.close()
    assert not text_versions._current


def _versions() -> list[TextVersion]:
    return [
        TextVersion(STANDARD, "Standard", "sv", "", {"reflektion": "Vad tar du med dig?"}),
        TextVersion(LATTLAST, "Lättläst", "sv", "<p>En lätt mening.</p>", {"reflektion": "Vad tar du med dig hem?"}),
        TextVersion("en", "English", "en", "<p>An English sentence.</p>", {"reflektion": "What will you take home?"}),
    ]


def test_the_choice_switches_the_text_and_the_reflection_prompt(tmp_path):
    store = AnswerStore(tmp_path / "svar")
    chooser = TextVersions(_versions(), store=store)
    reflection = Reflection(exercise_id="reflektion", prompt="Vad tar du med dig?", store=store)
    assert chooser.versions == [STANDARD, LATTLAST, "en"]
    assert chooser.version == STANDARD and chooser.body.value == ""
    assert [label for label, _ in chooser.choice.options] == ["Standard", "Lättläst", "English"]
    assert chooser.choice.description == "Version av texten"  # its label, read by a screen reader

    chooser.version = LATTLAST
    assert "En lätt mening." in chooser.body.value and 'lang="sv"' in chooser.body.value
    assert "cirkel-textversion-other" in chooser._dom_classes
    assert reflection.prompt == "Vad tar du med dig hem?" and reflection.prompt_lang == ""

    chooser.choice.value = "en"  # as the learner does, in the drop-down
    assert chooser.version == "en"
    assert "An English sentence." in chooser.body.value and 'lang="en"' in chooser.body.value
    assert reflection.prompt == "What will you take home?" and reflection.prompt_lang == "en"

    chooser.version = STANDARD
    assert chooser.body.value == "" and "cirkel-textversion-other" not in chooser._dom_classes
    assert reflection.prompt == "Vad tar du med dig?"


def test_the_choice_is_kept_and_comes_back(tmp_path):
    store = AnswerStore(tmp_path / "svar")
    TextVersions(_versions(), store=store).version = LATTLAST
    saved = json.loads((tmp_path / "svar" / f"{TEXT_VERSION_ID}.json").read_text(encoding="utf-8"))
    assert saved["data"] == {"version": LATTLAST}
    again = TextVersions(_versions(), store=store)  # a reload: a new kernel, a new widget
    assert again.version == LATTLAST and again.choice.value == LATTLAST
    assert "En lätt mening." in again.body.value


def test_autograde_shows_the_standard_text(tmp_path, monkeypatch):
    store = AnswerStore(tmp_path / "svar")
    TextVersions(_versions(), store=store).version = "en"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert TextVersions(_versions(), store=store).version == STANDARD


def test_an_unknown_version_is_refused_and_a_stale_one_falls_back(tmp_path):
    store = AnswerStore(tmp_path / "svar")
    chooser = TextVersions(_versions(), store=store)
    with pytest.raises(TraitError, match="finns inte i modulen"):
        chooser.version = "fr"
    store.path_for(TEXT_VERSION_ID).parent.mkdir(parents=True, exist_ok=True)
    store.path_for(TEXT_VERSION_ID).write_text(
        json.dumps({"schema": 1, "exercise_id": TEXT_VERSION_ID, "kind": "textversion", "data": {"version": "fr"}}),
        encoding="utf-8",
    )
    stale = TextVersions(_versions(), store=store)
    assert stale.version == STANDARD
    assert stale.status == ""  # read, not set aside as damaged


def test_the_built_versions_file_has_every_version_of_a_real_module(tmp_path):
    course = REAL_COURSES["partiforeningsskola"]
    module = course.modules[0]
    versions = text_versions(module, course.commitments, course.language)
    assert [v.id for v in versions] == [STANDARD, LATTLAST, "en"]
    path = tmp_path / VERSIONS_FILE
    path.write_text(dump_versions(module.name, versions), encoding="utf-8")
    assert load_versions(path) == versions
    english = versions[2]
    assert english.lang == "en" and module.variants["en"].title in english.html
    # the grading cells are the same as without versions: only the locked choice cell is added
    nb = build_notebook(module, course.commitments)
    assert nb.cells[0].metadata.nbgrader == {
        "grade": False,
        "grade_id": f"{module.name}-textversion",
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }


def test_load_module_alone_finds_its_versions():
    module = load_module(COURSES / "ledarskap" / "01-brett-ledarskap")
    assert list(module.variants) == [LATTLAST]
