"""The gallery's page: one section per file, answers kept, a broken file or widget said plainly;
the repository's own gallery files built with no kernel; the app notebook and ``cirkel serve``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grading.servers.serve import GALLERY_NOTEBOOK, gallery_path, install_apps
from widgets import MeetingRoleQuiz, Reflection
from widgets.core.i18n import t
from widgets.pages.gallery import DEFAULT_SOURCE, Gallery, build_widget, discover, load_entry, prepare_workdir
from widgets.storage.answers import AnswerStore

from gallery_support import BANK, gallery_source, quiz_file, reflection_file, write

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _swedish(monkeypatch):
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return gallery_source(tmp_path / "galleri")


# -- the page ------------------------------------------------------------------------------------


def _html_of(gallery: Gallery) -> str:
    return "".join(child.value for child in gallery.children if hasattr(child, "value")) + "".join(
        grandchild.value
        for child in gallery.children
        for grandchild in getattr(child, "children", ())
        if hasattr(grandchild, "value")
    )


def test_gallery_page_has_heading_contents_and_one_section_per_file(source, tmp_path):
    gallery = Gallery(source, tmp_path / "arbete")
    assert gallery.count == 2 and gallery.shown == ["quiz", "reflektion"] and gallery.problems == {}
    page = _html_of(gallery)
    assert f'<h1 class="cirkel-gallery-title">{t("gallery.title")}</h1>' in page
    assert '<nav class="cirkel-gallery-toc" aria-labelledby="galleri-innehall">' in page
    assert re.search(r'<li><a href="#galleri-quiz" style="[^"]*underline[^"]*">Quiz</a></li>', page)
    assert page.index('href="#galleri-quiz"') < page.index('href="#galleri-reflektion"')
    assert 'id="galleri-quiz"' in page and 'id="galleri-reflektion"' in page
    assert t("gallery.usage", widget="MeetingRoleQuiz") in page
    sections = [c for c in gallery.children if "cirkel-gallery-section" in c._dom_classes]
    assert len(sections) == 2
    assert isinstance(sections[0].children[1], MeetingRoleQuiz)
    assert isinstance(sections[1].children[1], Reflection)
    assert sections[1].children[1].prompt == "Vad tar du med dig?"
    assert "cirkel-gallery-id-reflektion" in sections[1]._dom_classes


def test_answers_survive_a_rebuilt_gallery(source, tmp_path):
    work = tmp_path / "arbete"
    first = Gallery(source, work)
    first.exercises["reflektion"].textarea.value = "Jag ska lyssna mer."
    first.exercises["quiz"].choose("ordforande", [0])
    first.exercises["quiz"].submit_answer("ordforande")

    again = Gallery(source, work)
    assert again.exercises["reflektion"].text == "Jag ska lyssna mer."
    assert again.exercises["quiz"].score == 1
    assert again.exercises["quiz"].state("ordforande").phase == "right"
    assert sorted(p.name for p in (work / "svar").iterdir()) == ["quiz.json", "reflektion.json"]


def test_a_broken_file_shows_a_plain_message_and_the_others_still_work(source, tmp_path):
    write(source, "fel.yml", reflection_file(exercise_id="fel", widget="Finns"))
    write(source, "trasig.yml", quiz_file(exercise_id="trasig", content=dict(BANK, attempts=0)))
    gallery = Gallery(source, tmp_path / "arbete")
    assert gallery.shown == ["quiz", "reflektion"]
    assert set(gallery.problems) == {"fel.yml", "trasig.yml"}
    assert "fel.yml" in gallery.problems["fel.yml"] and "(widget)" in gallery.problems["fel.yml"]
    # Inline content that a widget rejects is reported in the gallery file, at content.<place>.
    assert str(source / "trasig.yml") in gallery.problems["trasig.yml"]
    assert "(content.attempts)" in gallery.problems["trasig.yml"]
    page = _html_of(gallery)
    assert page.count('role="alert"') == 2 and "Traceback" not in page
    assert re.search(r'href="#galleri-fil-fel"[^>]*>fel.yml</a>', page)  # still in the contents, by file name


def test_a_widget_that_fails_to_build_is_one_sentence(source, tmp_path):
    write(source, "reflektion.yml", reflection_file(options={"min_words": -3}))
    gallery = Gallery(source, tmp_path / "arbete")
    assert gallery.shown == ["quiz"]
    message = gallery.problems["reflektion.yml"]
    assert message == t("gallery.widget_failed", widget="Reflection", reason=t("reflection.bad_min_words", value=-3))


def test_an_unusable_workdir_is_said_plainly(source, tmp_path):
    blocked = tmp_path / "fil"
    blocked.write_text("inte en mapp", encoding="utf-8")
    gallery = Gallery(source, blocked)
    assert gallery.shown == []
    page = _html_of(gallery)
    assert t("gallery.workdir_failed", folder=str(blocked), reason="")[:30] in page
    assert 'role="alert"' in page


def test_an_empty_gallery_says_so(tmp_path):
    gallery = Gallery(tmp_path / "tom", tmp_path / "arbete")
    assert gallery.count == 0
    assert t("gallery.none_found", folder=str(tmp_path / "tom")) in _html_of(gallery)


# -- the repository's own gallery files ------------------------------------------------------------


REAL_FILES = discover(DEFAULT_SOURCE)


def test_the_foundation_widgets_are_in_the_gallery():
    shown = {
        name: load_entry(DEFAULT_SOURCE / f"{name}.yml").widget
        for name in ("motesroller", "strategisk-plan", "reflektion")
    }
    assert shown == {
        "motesroller": "MeetingRoleQuiz",
        "strategisk-plan": "StrategicPlanBuilder",
        "reflektion": "Reflection",
    }


@pytest.mark.parametrize("path", REAL_FILES, ids=[p.stem for p in REAL_FILES])
def test_every_gallery_file_builds_its_widget_with_no_kernel(path, tmp_path):
    entry = load_entry(path)
    work = prepare_workdir([entry], DEFAULT_SOURCE, tmp_path / "arbete")
    widget = build_widget(entry, work, AnswerStore(work / "svar"))
    assert type(widget).__name__ == entry.widget
    assert widget.exercise_id == entry.exercise_id
    assert widget.status == ""  # no complaint about saved answers on a fresh start


def test_the_whole_real_gallery_builds_and_leaves_the_repository_alone(tmp_path):
    before = sorted(p.name for p in DEFAULT_SOURCE.iterdir())
    gallery = Gallery(workdir=tmp_path / "arbete")
    assert gallery.problems == {}
    assert gallery.shown == [p.stem for p in REAL_FILES]
    assert sorted(p.name for p in DEFAULT_SOURCE.iterdir()) == before


def test_the_foundation_samples_reuse_the_course_content():
    quiz = load_entry(DEFAULT_SOURCE / "motesroller.yml")
    plan = load_entry(DEFAULT_SOURCE / "strategisk-plan.yml")
    courses = DEFAULT_SOURCE.parent.parent / "courses"
    assert quiz.content_file == (courses / "partiforeningsskola" / "05-moten" / "motesroller.yml").resolve()
    assert plan.content_file == (courses / "ledarskap" / "02-strategiska-planer" / "strategisk-plan.yml").resolve()


# -- the app and cirkel serve ---------------------------------------------------------------------------


def test_the_app_notebook_is_a_few_lines_with_no_outputs():
    import nbformat

    notebook = nbformat.read(GALLERY_NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) == 1 and code[0].outputs == [] and code[0].execution_count is None
    assert code[0].source.rstrip().endswith("Gallery()")
    assert "widgets" not in notebook.metadata  # no widget state in git


def test_serve_installs_the_gallery_beside_the_report(tmp_path):
    folder = install_apps(tmp_path)
    assert (folder / "galleri.ipynb").read_bytes() == GALLERY_NOTEBOOK.read_bytes()
    assert (tmp_path / gallery_path()).exists()


def test_the_printed_addresses_name_the_gallery(tmp_path, capsys):
    from types import SimpleNamespace

    from grading.servers import serve
    from grading.servers.serve.run_command import print_addresses

    server = serve.Server(process=None, base_url="http://127.0.0.1:9/", token="abc", root=tmp_path)  # type: ignore[arg-type]
    course_run = SimpleNamespace(modules=[], gradebook=None)
    print_addresses(server, course_run)  # type: ignore[arg-type]
    printed = capsys.readouterr().out
    assert (
        t("serve.gallery", url="http://127.0.0.1:9/voila/render/appar/galleri.ipynb?token=abc") in printed.splitlines()
    )
