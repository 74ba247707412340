"""The widget gallery without a kernel: discovery, validation with clear errors, building, persistence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from grading.serve import GALLERY_NOTEBOOK, gallery_path, install_apps
from widgets import MeetingRoleQuiz, Reflection
from widgets._exercise import Exercise
from widgets.content import ContentError
from widgets.gallery import (
    DEFAULT_SOURCE,
    Gallery,
    build_widget,
    discover,
    exercise_classes,
    gallery_dir,
    load_entry,
    prepare_workdir,
)
from widgets.i18n import t, yaml_data
from widgets.store import AnswerStore

pytestmark = pytest.mark.unit

BANK = {
    "title": "Mötesroller",
    "attempts": 2,
    "retry_credit": 0.5,
    "questions": [
        {
            "id": "ordforande",
            "type": "single",
            "text": "Vem leder mötet?",
            "options": [{"text": "Mötesordföranden", "correct": True}, {"text": "Sekreteraren"}],
            "explanation": "Mötesordföranden leder mötet efter dagordningen.",
        }
    ],
}


@pytest.fixture(autouse=True)
def _swedish(monkeypatch):
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


def write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def reflection_file(**changes: object) -> dict:
    entry = {
        "widget": "Reflection",
        "title": "Reflektion",
        "intro": "En fråga och en textruta.",
        "exercise_id": "reflektion",
        "options": {"prompt": "Vad tar du med dig?", "min_words": 5},
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


def quiz_file(**changes: object) -> dict:
    entry = {
        "widget": "MeetingRoleQuiz",
        "title": "Quiz",
        "intro": "Ett quiz.",
        "exercise_id": "quiz",
        "content": BANK,
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "galleri"
    folder.mkdir()
    write(folder, "reflektion.yml", reflection_file())
    write(folder, "quiz.yml", quiz_file())
    return folder


# -- discovery -------------------------------------------------------------------------------


def test_discover_finds_gallery_files_in_name_order_and_nothing_else(source):
    (source / "talare.csv").write_text("namn,kön\n", encoding="utf-8")
    (source / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    assert [p.name for p in discover(source)] == ["quiz.yml", "reflektion.yml"]
    assert discover(source / "finns-inte") == []


def test_gallery_dir_is_the_environment_variable_or_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CIRKEL_GALLERY_DIR", str(tmp_path / "g"))
    assert gallery_dir() == tmp_path / "g"
    monkeypatch.delenv("CIRKEL_GALLERY_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "hem"))
    assert gallery_dir() == tmp_path / "hem" / ".cirkel" / "galleri"


# -- validation ---------------------------------------------------------------------------------


def test_a_good_file_becomes_an_entry(source):
    entry = load_entry(source / "reflektion.yml")
    assert (entry.widget, entry.title, entry.exercise_id) == ("Reflection", "Reflektion", "reflektion")
    assert entry.options == {"prompt": "Vad tar du med dig?", "min_words": 5}
    assert entry.content is None and entry.content_file is None and entry.content_name is None
    assert entry.anchor == "galleri-reflektion"
    assert load_entry(source / "quiz.yml").content_name == "quiz.yml"


@pytest.mark.parametrize(
    ("name", "data", "where", "problem"),
    [
        ("reflektion.yml", reflection_file(widget=None), "widget", t("content.missing_key", key="widget")),
        ("reflektion.yml", reflection_file(title=None), "title", t("content.missing_key", key="title")),
        ("reflektion.yml", reflection_file(intro="  "), "intro", t("content.missing_key", key="intro")),
        (
            "reflektion.yml",
            reflection_file(intro=["en lista"]),
            "intro",
            t("content.wrong_type", key="intro", expected=t("content.kind.text")),
        ),
        ("reflektion.yml", reflection_file(titel="stavfel"), "titel", None),
        (
            "reflektion.yml",
            reflection_file(exercise_id="annan"),
            "exercise_id",
            t("gallery.id_not_file_name", exercise_id="annan", stem="reflektion"),
        ),
        (
            "Reflektion.yml",
            reflection_file(exercise_id="Reflektion"),
            "exercise_id",
            t("store.bad_id", exercise_id="Reflektion"),
        ),
        ("reflektion.yml", reflection_file(widget="Reflektion"), "widget", None),
        ("reflektion.yml", reflection_file(widget="AnswerStore"), "widget", None),
        (
            "reflektion.yml",
            reflection_file(content={"a": 1}),
            "content",
            t("gallery.no_content_file", widget="Reflection"),
        ),
        (
            "reflektion.yml",
            reflection_file(options={"store": "x"}),
            "options.store",
            t("gallery.reserved_option", key="store"),
        ),
        (
            "reflektion.yml",
            reflection_file(options={"exercise_id": "x"}),
            "options.exercise_id",
            t("gallery.reserved_option", key="exercise_id"),
        ),
        (
            "reflektion.yml",
            reflection_file(options={"inte ett namn": 1}),
            "options.inte ett namn",
            t("gallery.bad_option", key="inte ett namn"),
        ),
        (
            "reflektion.yml",
            reflection_file(options=["prompt"]),
            "options",
            t("content.wrong_type", key="options", expected=t("content.kind.mapping")),
        ),
        ("quiz.yml", quiz_file(content_file="bank.yml"), "content_file", t("gallery.content_twice")),
        (
            "quiz.yml",
            quiz_file(content=None, content_file="saknas.yml"),
            "content_file",
            t("gallery.content_file_missing", file="saknas.yml"),
        ),
        ("quiz.yml", quiz_file(content=12), "content", t("gallery.bad_content")),
    ],
)
def test_a_wrong_file_names_the_place_and_the_problem(tmp_path, name, data, where, problem):
    path = write(tmp_path, name, data)
    with pytest.raises(ContentError) as caught:
        load_entry(path)
    assert caught.value.path == path
    assert caught.value.where == where
    if problem is not None:
        assert caught.value.problem == problem
    assert str(path) in str(caught.value)


def test_an_unknown_widget_lists_the_exercises_there_are(tmp_path):
    path = write(tmp_path, "reflektion.yml", reflection_file(widget="Reflektion"))
    with pytest.raises(ContentError) as caught:
        load_entry(path)
    for name in ("MeetingRoleQuiz", "Reflection", "StrategicPlanBuilder"):
        assert name in caught.value.problem
    assert "AnswerStore" not in caught.value.problem and "SubmitPanel" not in caught.value.problem


def test_yaml_syntax_and_a_list_at_the_top_are_content_errors(tmp_path):
    broken = write(tmp_path, "a.yml", "widget: Reflection\ntitle: [oavslutad\n")
    with pytest.raises(ContentError) as caught:
        load_entry(broken)
    assert caught.value.where.startswith("rad ")  # line and column, as content.line writes them
    listed = write(tmp_path, "b.yml", "- widget: Reflection\n")
    with pytest.raises(ContentError) as caught:
        load_entry(listed)
    assert caught.value.problem == t("content.not_mapping")


def test_exercise_classes_are_the_exported_exercises():
    classes = exercise_classes()
    assert classes["MeetingRoleQuiz"] is MeetingRoleQuiz
    assert all(issubclass(cls, Exercise) for cls in classes.values())
    assert "SubmitPanel" not in classes and "AnswerStore" not in classes


# -- the working folder ---------------------------------------------------------------------------


def test_workdir_gets_content_and_sibling_files_and_keeps_answers(source, tmp_path):
    (source / "talare.csv").write_text("namn,minuter\nA,3\n", encoding="utf-8")
    (source / "bilder").mkdir()
    (source / "bilder" / "a.txt").write_text("bild", encoding="utf-8")
    work = tmp_path / "arbete"
    entries = [load_entry(p) for p in discover(source)]
    prepare_workdir(entries, source, work)
    assert yaml_data((work / "quiz.yml").read_text(encoding="utf-8")) == BANK
    assert (work / "talare.csv").read_text(encoding="utf-8") == "namn,minuter\nA,3\n"
    assert (work / "bilder" / "a.txt").read_text(encoding="utf-8") == "bild"
    assert not (work / "reflektion.yml").exists()  # the gallery files themselves stay where they are
    assert (work / "svar").is_dir()

    AnswerStore(work / "svar").save("quiz", "quiz", {"questions": {}})
    changed = dict(BANK, title="Nytt namn")
    write(source, "quiz.yml", quiz_file(content=changed))
    prepare_workdir([load_entry(p) for p in discover(source)], source, work)
    assert yaml_data((work / "quiz.yml").read_text(encoding="utf-8"))["title"] == "Nytt namn"
    assert AnswerStore(work / "svar").load("quiz") is not None
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []  # no temporaries left


def test_text_content_is_written_as_markdown(tmp_path):
    source = tmp_path / "galleri"
    source.mkdir()
    entry = load_entry(write(source, "quiz.yml", quiz_file(content="# Rubrik\n\nText.\n")))
    assert entry.content_name == "quiz.md"
    prepare_workdir([entry], source, tmp_path / "arbete")
    assert (tmp_path / "arbete" / "quiz.md").read_text(encoding="utf-8") == "# Rubrik\n\nText.\n"


def test_build_widget_reads_content_relative_to_the_workdir(source, tmp_path):
    work = tmp_path / "arbete"
    entry = load_entry(source / "quiz.yml")
    prepare_workdir([entry], source, work)
    quiz = build_widget(entry, work, AnswerStore(work / "svar"))
    assert isinstance(quiz, MeetingRoleQuiz)
    assert quiz.bank.title == "Mötesroller" and quiz.max_score == 1
    assert Path.cwd() != work  # the working directory is given back


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

    from grading import serve
    from grading.serve.run_command import print_addresses

    server = serve.Server(process=None, base_url="http://127.0.0.1:9/", token="abc", root=tmp_path)  # type: ignore[arg-type]
    course_run = SimpleNamespace(modules=[], gradebook=None)
    print_addresses(server, course_run)  # type: ignore[arg-type]
    printed = capsys.readouterr().out
    assert (
        t("serve.gallery", url="http://127.0.0.1:9/voila/render/appar/galleri.ipynb?token=abc") in printed.splitlines()
    )
