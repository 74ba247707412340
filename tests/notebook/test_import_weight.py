"""What starting the ``cirkel`` command and a learner's module kernel pulls into memory.

Issue 8 counts memory per learner session and the ``cirkel`` command's start-up:
neither may carry the Jupyter stack or pandas when it does not use them. Each
check runs in a fresh Python process (``sys.modules`` of this test process is
full of everything), and none is timed: ``benchmarks/cli_startup.py`` and
``benchmarks/session_memory.py`` measure the time and the memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grading.course.build import write_module
from grading.course.loading import load_course
from widgets import EXERCISE_WIDGETS
from widgets.models.kinds import KINDS

pytestmark = pytest.mark.notebook

REPO = Path(__file__).resolve().parents[2]
CIRKEL = Path(sys.executable).parent / "cirkel"

#: The Jupyter stack and the data libraries: ``cirkel --help`` needs none of them.
JUPYTER_STACK = (
    "jupyter_server",
    "jupyter_client",
    "jupyter_core",
    "nbgrader",
    "nbconvert",
    "nbformat",
    "ipywidgets",
    "ipykernel",
    "IPython",
    "traitlets",
    "tornado",
    "zmq",
    "sqlalchemy",
    "voila",
    "pandas",
    "numpy",
)
#: What an exercise's page needs only for an export, a download or a report, if ever.
NOT_FOR_A_LEARNER = (
    "pandas",
    "numpy",
    "openpyxl",
    "xlsxwriter",
    "fpdf",
    "docx",
    "lxml",
    "matplotlib",
    "PIL",
    "nbgrader",
    "nbconvert",
    "sqlalchemy",
    "jupyter_server",
    "grading.reports.dashboard",
    "grading.reports.completion",
    "grading.reports.exports",
    "grading.autograde.pipeline",
    "grading.course_runs.run",
)


def _python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=300)


def _present(modules: list[str], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (packages, or dotted modules) are among ``modules``."""
    loaded = set(modules) | {m.split(".")[0] for m in modules}
    return [name for name in names if name in loaded]


def test_cirkel_help_from_the_installed_command_imports_no_jupyter_stack():
    """The console script a course leader types, as Python itself reports its imports."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", str(CIRKEL), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(CIRKEL.parent), "CIRKEL_LANG": "sv"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "användning: cirkel" in proc.stdout and "autograde" in proc.stdout and "serve" in proc.stdout
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    ]
    assert "grading.cli" in imported  # the probe sees the command's own imports
    assert _present(imported, JUPYTER_STACK) == []


def test_every_subcommands_help_imports_no_jupyter_stack():
    """``cirkel <command> --help`` for every command and subcommand, all in one process."""
    code = """
import argparse, contextlib, io, json, sys
from grading.cli import build_parser, main

def helps(parser, prefix):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield [*prefix, name]
                yield from helps(sub, [*prefix, name])

seen = []
for words in helps(build_parser(), []):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main([*words, "--help"])
    seen.append([" ".join(words), "användning: cirkel" in out.getvalue()])
print(json.dumps({"seen": seen, "modules": sorted(sys.modules)}))
"""
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.splitlines()[-1])
    commands = dict(report["seen"])
    assert {"run create", "learners import", "autograde", "serve", "report"} <= set(commands)
    assert all(commands.values()), [c for c, shown in commands.items() if not shown]
    assert _present(report["modules"], JUPYTER_STACK) == []


@pytest.mark.parametrize("module", sorted({*EXERCISE_WIDGETS.values(), "widgets.pages.submit"}))
def test_importing_an_exercise_widget_imports_nothing_it_does_not_use(module):
    proc = _python(f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))")
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = json.loads(proc.stdout.splitlines()[-1])
    assert "ipywidgets" in modules  # it is a widget module: the probe would see a heavy import
    assert _present(modules, NOT_FOR_A_LEARNER) == []


def _course_ids() -> list[str]:
    return sorted(p.parent.name for p in (REPO / "courses").glob("*/course.yml"))


@pytest.mark.parametrize("course_id", _course_ids())
def test_a_module_notebooks_kernel_imports_nothing_it_does_not_use(course_id, tmp_path):
    """Every code cell of every module notebook, grading cells included, as a Voilà kernel runs them.

    The cells run in one process, module after module, in each module's own
    folder; after each module the process reports what it has imported, so a
    heavy import is named by the first module that pulled it in.
    """
    course = load_course(REPO / "courses" / course_id)
    notebooks = [write_module(course, module, tmp_path / "source") for module in course.modules]
    code = """
import json, os, sys
import nbformat
before = set(sys.modules)  # the probe's own nbformat does not count
for path in sys.argv[1:]:
    os.chdir(os.path.dirname(path))
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, path, "exec"), {"__name__": "__main__"})
    print(json.dumps([os.path.basename(path), sorted(set(sys.modules) - before)]), flush=True)
"""
    proc = subprocess.run(
        [sys.executable, "-c", code, *map(str, notebooks)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "CIRKEL_LANG": "sv"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    reports = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("[")]
    assert [name for name, _ in reports] == [nb.name for nb in notebooks]  # every module ran to its end
    for name, modules in reports:
        assert "widgets.kit.exercise" in modules and "grading.checks" in modules, name
        assert _present(modules, NOT_FOR_A_LEARNER) == [], f"{name} imports {_present(modules, NOT_FOR_A_LEARNER)}"


def test_the_learners_home_before_any_submission_leaves_nbgrader_unloaded(tmp_path):
    """ "Mina moduler" is the page learners open most: it needs nbgrader only to fetch feedback
    for something submitted. Here feedback is out in the exchange (for others), but this learner
    has submitted nothing."""
    exchange = tmp_path / "exchange"
    (exchange / "kurs" / "feedback").mkdir(parents=True)
    workspace = tmp_path / "anna"
    module = workspace / "kurs" / "01-moten"
    module.mkdir(parents=True)
    (module / "01-moten.ipynb").write_text(
        json.dumps({"cells": [{"cell_type": "markdown", "source": "# Möten"}]}), encoding="utf-8"
    )
    (workspace / ".cirkel-deltagare.json").write_text(
        json.dumps({"student_id": "anna", "course_id": "kurs", "exchange_root": str(exchange)}), encoding="utf-8"
    )
    code = (
        "import json, sys\n"
        "from widgets.pages.home import HomeApp\n"
        "app = HomeApp(workspace=sys.argv[1])\n"
        "print(json.dumps([app.body.value, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(workspace)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CIRKEL_LANG": "sv"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    body, modules = json.loads(proc.stdout.splitlines()[-1])
    assert "Möten" in body and "ej påbörjad" in body, body  # the home drew the module and its state
    assert _present(modules, NOT_FOR_A_LEARNER) == []


def _model_modules() -> dict[str, set[str]]:
    """Each exercise widget's model modules: its content loader's module, and the kinds' shared content models."""
    models: dict[str, set[str]] = {}
    for kind in KINDS.values():
        models[kind.widget] = {
            target.partition(":")[0] for target in (kind.content_loader, kind.content_schema) if target
        }
    return models


#: One module with the most kinds (quiz, voting, meeting planner, reflection) and one with a quiz only.
KERNEL_MODULES = ("05-moten", "01-vansterpartiets-roll")


@pytest.mark.parametrize("module_name", KERNEL_MODULES)
def test_a_module_kernel_starts_without_heavy_libraries_or_other_kinds_models(module_name, tmp_path):
    """A real ipykernel, started as Voilà starts one in the module's folder, runs the module's code cells.

    What it has imported at the end, its own start included, may hold none of NOT_FOR_A_LEARNER
    (pandas, numpy, sqlalchemy, the writers of XLSX/PDF/DOCX, nbgrader, the leader's views), and of
    the exercise kinds' model modules only those of the exercises this module shows: a grading cell
    or a quiz that loads every kind's models costs each learner's kernel their import at every page.
    """
    from jupyter_client.manager import start_new_kernel

    course = load_course(REPO / "courses" / "partiforeningsskola")
    (module,) = [m for m in course.modules if m.name == module_name]
    notebook = write_module(course, module, tmp_path / "source")
    cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    shown = {name for name in EXERCISE_WIDGETS if any(f"import {name}" in cell for cell in cells)}
    assert "MeetingRoleQuiz" in shown and "Reflection" in shown  # the probe reads the notebook's widgets

    manager, client = start_new_kernel(cwd=str(notebook.parent), env={**os.environ, "CIRKEL_LANG": "sv"})
    printed: list[str] = []

    def output(msg):
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            printed.append("\n".join(msg["content"]["traceback"]))

    try:
        for source in [*cells, "import json, sys; print(json.dumps(sorted(sys.modules)))"]:
            reply = client.execute_interactive(source, timeout=120, output_hook=output)
            assert reply["content"]["status"] == "ok", f"{source}\n{''.join(printed)[-2000:]}"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    modules = json.loads(printed[-1])
    assert "ipykernel" in modules and "widgets.exercises.quiz" in modules  # the probe ran in the module's kernel
    assert _present(modules, NOT_FOR_A_LEARNER) == []
    models = _model_modules()
    allowed = set().union(*(models[name] for name in shown))
    every_model = set().union(*models.values())
    assert sorted(every_model & set(modules) - allowed) == []
