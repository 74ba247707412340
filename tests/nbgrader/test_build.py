"""From module text to nbgrader source notebook, and the course run that holds them."""

from __future__ import annotations

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from grading.course.build import GRADING_TAG, build_notebook, reflection_cells
from grading.course.loading import load_course
from grading.course_runs.run import CourseRun, RunError, create_run
from widgets.core.i18n import yaml_data

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def course(course_dir):
    return load_course(course_dir)


def _cell(nb, grade_id):
    (cell,) = [c for c in nb.cells if c.metadata.nbgrader["grade_id"] == grade_id]
    return cell


def test_notebook_layout_follows_the_course_format(course):
    for module in course.modules:
        nb = build_notebook(module, course.commitments)
        kinds = [(c.cell_type, c.metadata.nbgrader["grade_id"]) for c in nb.cells]
        if module.variants:  # the learner's choice of text version comes first
            assert kinds[0] == ("code", f"{module.name}-textversion")
            assert (
                nb.cells[0].source == "from widgets import TextVersions\nTextVersions.from_file('textversioner.json')"
            )
            assert nb.cells[0].metadata.nbgrader["locked"]
            kinds = kinds[1:]
        assert kinds[:3] == [
            ("markdown", f"{module.name}-intro"),
            ("markdown", f"{module.name}-text"),
            ("markdown", f"{module.name}-samtal"),
        ]
        assert kinds[-1] == ("code", f"{module.name}-submit")
        assert nb.cells[-1].source == "from widgets import SubmitPanel\nSubmitPanel()"
        assert _cell(nb, f"{module.name}-intro").source.startswith(f"# {module.title}")
        samtal = _cell(nb, f"{module.name}-samtal").source
        assert "## Samtalsfrågor" in samtal
        for question in module.samtalsfragor:
            assert question.strip() in samtal
        # the exercises come under a heading of their own, not under the samtalsfrågor
        assert kinds[3] == ("markdown", f"{module.name}-ovningar")
        assert _cell(nb, f"{module.name}-ovningar").source == "## Övningar"
        assert kinds[4] == ("code", f"{module.exercises[0].id}-widget")
        assert nb.metadata.kernelspec.name == "python3"
        MetadataValidator().validate_nb(nb)


def test_cells_carry_nbgrader_metadata_and_no_outputs(course):
    module = course.modules[0]
    nb = build_notebook(module, course.commitments)
    ids = [c.metadata.nbgrader["grade_id"] for c in nb.cells]
    assert len(ids) == len(set(ids))
    for cell in nb.cells:
        meta = cell.metadata.nbgrader
        assert meta["schema_version"] == 3
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    graded = [ex for ex in module.exercises if ex.check]
    for ex in graded:
        (test,) = [c for c in nb.cells if c.metadata.nbgrader["grade_id"] == f"{ex.id}-check"]
        meta = test.metadata.nbgrader
        assert meta["grade"] and meta["locked"] and not meta["solution"]
        assert meta["points"] == ex.points
        assert GRADING_TAG in test.metadata.tags
        last = test.source.splitlines()[-1]
        assert last == f"{ex.check}({ex.id!r}, points={int(ex.points)}, content={ex.content!r})"


def test_reflection_is_a_manually_graded_markdown_answer(course):
    module = course.modules[0]
    (ex,) = [ex for ex in module.exercises if ex.is_reflection]
    nb = build_notebook(module, course.commitments)
    cell = reflection_cells(nb)[ex.id]
    assert cell.cell_type == "markdown"
    meta = cell.metadata.nbgrader
    assert meta["grade"] and meta["solution"] and not meta["locked"]
    assert meta["points"] == ex.points
    assert GRADING_TAG in cell.metadata.tags
    (widget,) = [c for c in nb.cells if c.metadata.nbgrader["grade_id"] == f"{ex.id}-widget"]
    assert widget.source.startswith("from widgets import Reflection\nReflection(exercise_id='reflektion', prompt=")
    assert widget.metadata.nbgrader["locked"]


def test_commitments_are_shown_with_their_text(mini_course):
    course = load_course(mini_course)
    nb = build_notebook(course.modules[0], course.commitments)
    assert "göra varje möte till ett genomtänkt möte (moten-1)" in nb.cells[0].source
    assert "Strategidokumentet, Del 2: Varje möte ett genomtänkt möte" in nb.cells[0].source


def test_intro_shows_the_minutes_and_the_text_leaves_out_its_markers(course):
    """The meeting's minutes per part are in the first cell; ``<!-- åtagande: ... -->`` never reaches learners."""
    for module in course.modules:
        nb = build_notebook(module, course.commitments)
        m = module.minutes
        assert (
            f"**Träffens tid:** läsning {m['reading']} minuter, samtal {m['discussion']}, "
            f"övningar {m['exercise']} och reflektion {m['reflection']}."
        ) in _cell(nb, f"{module.name}-intro").source
        assert "<!-- åtagande" in module.text
        assert "<!-- åtagande" not in _cell(nb, f"{module.name}-text").source


@pytest.fixture(scope="module")
def made_run(course_dir, tmp_path_factory):
    return create_run(course_dir, tmp_path_factory.mktemp("omg") / "hosten")


def test_create_run_writes_an_nbgrader_course_directory(made_run, course_dir):
    run = CourseRun(made_run.root)
    assert run.course_id == "partiforeningsskola"
    info = yaml_data((run.root / "cirkel-run.yml").read_text(encoding="utf-8"))
    assert info["retention_days"] == 730
    assert info["source"] == str(course_dir)
    assert info["modules"] == run.modules
    for module in run.modules:
        folder = run.root / "source" / module
        nb = nbformat.read(folder / f"{module}.ipynb", as_version=4)
        assert nb.metadata.kernelspec.name == "python3"
        assert (folder / "module.yml").is_file()
        spec = yaml_data((folder / "module.yml").read_text(encoding="utf-8"))
        for ex in spec["exercises"]:
            if ex.get("content"):
                assert (folder / ex["content"]).is_file()
    cfg = run.config()
    assert cfg.Exchange.root == str(run.exchange_root)
    assert cfg.Exchange.path_includes_course is True
    steps = list(cfg.Autograde.sanitize_preprocessors)
    assert (
        steps.index("grading.autograde.preprocessors.FillReflections")
        == steps.index("nbgrader.preprocessors.OverwriteCells") + 1
    )
    assert "SKRIV" in cfg.ClearSolutions.code_stub["python"]
    with run.gradebook() as gb:
        assert sorted(a.name for a in gb.assignments) == sorted(run.modules)


def test_create_run_refuses_a_non_empty_folder(made_run, course_dir):
    with pytest.raises(RunError, match="finns redan och är inte tom"):
        create_run(course_dir, made_run.root)


def test_run_refuses_unknown_or_unsafe_modules(made_run):
    with pytest.raises(RunError, match="ingen modul som heter ”99-inget”"):
        made_run.check_module("99-inget")
    with pytest.raises(RunError, match="går inte att använda"):
        made_run.check_module("../source")
    path = made_run.notebook_path("anna", made_run.modules[0])
    assert path == made_run.root / "deltagare" / "anna" / "partiforeningsskola" / made_run.modules[0] / (
        f"{made_run.modules[0]}.ipynb"
    )


def test_opening_a_folder_that_is_not_a_run(tmp_path):
    with pytest.raises(RunError, match="ingen kursomgång"):
        CourseRun(tmp_path)
    with pytest.raises(RunError, match="finns inte"):
        CourseRun(tmp_path / "saknas")


def test_data_files_a_content_file_refers_to_are_released_too(tmp_path):
    """GoalCalculator's content names an example CSV: it must reach the learner's folder."""
    from pathlib import Path

    from grading.course.build import write_module
    from grading.course.loading import load_course

    course = load_course(Path(__file__).resolve().parents[2] / "courses" / "partiforeningsskola")
    module = course.module("02b-den-unga-generationen")
    notebook = write_module(course, module, tmp_path / "source")
    released = sorted(p.name for p in notebook.parent.iterdir())
    assert "mal-2030-exempel.csv" in released
    assert "mal-2030.yml" in released
    assert "text.md" not in released and "cirkelledare.md" not in released
