"""The widget gallery without a kernel: discovery, validation with clear errors, the working folder.

The page, the repository's own gallery files and the app: ``test_gallery_page.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets import MeetingRoleQuiz
from widgets.core.i18n import t, yaml_data
from widgets.kit.exercise import Exercise
from widgets.models.content import ContentError
from widgets.pages.gallery import build_widget, discover, exercise_classes, gallery_dir, load_entry, prepare_workdir
from widgets.storage.answers import AnswerStore

from gallery_support import BANK, gallery_source, quiz_file, reflection_file, write

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _swedish(monkeypatch):
    monkeypatch.delenv("CIRKEL_LANG", raising=False)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return gallery_source(tmp_path / "galleri")


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
