"""One error root: every Cirkel exception is a CirkelError, and `cirkel` shows messages, never tracebacks.

What a course leader checks: a mistyped command, a wrong folder or a bad learner id gets a
Swedish sentence on stderr and a non-zero exit; a bug in Cirkel gets one Swedish line naming
the file with the details, and the screen never shows a traceback.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import stat
from pathlib import Path

import pytest

import grading
import voila_apps
import widgets
from widgets.core.errors import CirkelError

# lanes per test: the in-process ones are unit, those with a process or a course run nbgrader

ENGLISH = ("Traceback", "error:", "usage:", "Error", "the following arguments")


def _shown_in_swedish(proc, *fragments: str, status: int = 1) -> None:
    assert proc.returncode == status, proc.stdout + proc.stderr
    for word in ENGLISH:
        assert word not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


# -- every command, given a folder that is not a course run (or a course that is not there) --------
NOT_THERE = "/finns/inte"
BAD_INPUT = {
    "run create": (["run", "create", NOT_THERE, "--dir", "{tmp}/ny"], "mappen finns inte"),
    "learners import": (["learners", "import", NOT_THERE, "{tmp}/d.csv"], "finns inte"),
    "release": (["release", NOT_THERE], "finns inte"),
    "collect": (["collect", NOT_THERE], "finns inte"),
    "autograde": (["autograde", NOT_THERE], "finns inte"),
    "fetch": (["fetch", NOT_THERE, "--learner", "anna"], "finns inte"),
    "submit": (["submit", "{tmp}"], "går inte att lämna in"),
    "report": (["report", NOT_THERE], "finns inte"),
    "courses check": (["courses", "check", "--courses", NOT_THERE], "Det finns ingen kurs"),
    "courses coverage": (["courses", "coverage", "--courses", NOT_THERE], "Det finns ingen kurs"),
    "courses print": (["courses", "print", NOT_THERE, "--out", "{tmp}/ut"], "Det finns ingen kurs"),
    "hub adduser": (["hub", "adduser", "Inte OK", "--role", "deltagare"], "går inte att använda"),
    "circle create": (["circle", "create", NOT_THERE, "malmo", "--name", "M", "--leader", "a"], "finns inte"),
    "circle status": (["circle", "status", NOT_THERE], "finns inte"),
    "circle export": (["circle", "export", NOT_THERE, "malmo", "--out", "{tmp}/n.csv"], "finns inte"),
    "person export": (["person", "export", NOT_THERE, "anna", "--out", "{tmp}/p"], "finns inte"),
    "person erase": (["person", "erase", NOT_THERE, "anna"], "finns inte"),
    "prune": (["prune", NOT_THERE], "finns inte"),
    "export completion": (["export", "completion", NOT_THERE, "--out", "{tmp}/k.csv"], "finns inte"),
    "export certificate": (["export", "certificate", NOT_THERE, "anna", "--out", "{tmp}/i.pdf"], "finns inte"),
    "export plans": (["export", "plans", NOT_THERE, "malmo", "--out", "{tmp}/p.docx"], "finns inte"),
}


@pytest.mark.unit
@pytest.mark.parametrize("command", sorted(BAD_INPUT))
def test_each_command_says_what_is_wrong_in_swedish(cirkel, command, tmp_path, monkeypatch):
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(tmp_path / "hub"))
    args, fragment = BAD_INPUT[command]
    proc = cirkel(*[arg.format(tmp=tmp_path) for arg in args])
    _shown_in_swedish(proc, "cirkel: ", fragment)


@pytest.mark.unit
def test_serve_names_a_missing_run(cirkel):
    _shown_in_swedish(cirkel("serve", "--run", NOT_THERE), "finns inte", status=2)


# -- argparse's own messages, in the string table's words -------------------------------------------
@pytest.mark.unit
@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["release"], ("användning: cirkel release", "cirkel release: fel: det här saknas: OMGÅNG")),
        (["ingetkommando"], ("cirkel: fel: KOMMANDO: 'ingetkommando' finns inte (välj bland 'run'",)),
        (["report", "r", "--csv"], ("--csv: ett värde behövs",)),
        (["report", "r", "--inget"], ("okända argument: --inget",)),
        (["hub", "adduser", "kim", "--role", "chef"], ("--role: 'chef' finns inte",)),
        (["run", "create", "k", "--dir", "d", "--ends", "2026-02-30"], ('--ends: "2026-02-30" är inget datum',)),
        (["serve", "--port", "hamn"], ("--port: ogiltigt värde: 'hamn'",)),
    ],
)
def test_a_mistyped_command_is_answered_in_swedish(cirkel, args, fragments):
    _shown_in_swedish(cirkel(*args), *fragments, status=2)


@pytest.mark.unit
def test_help_headings_are_swedish(cirkel):
    proc = cirkel("release", "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("användning: cirkel release")
    assert "val:" in proc.stdout and "visa den här hjälpen och avsluta" in proc.stdout
    assert "options" not in proc.stdout and "show this help" not in proc.stdout


@pytest.mark.unit
def test_argparse_is_left_as_it_was_after_the_command():
    """The translation is lent to argparse for ``cirkel``'s own command line only."""
    import argparse

    from grading.cli import main

    with pytest.raises(SystemExit):
        main(["release"])
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


# -- a bug: one Swedish line and the log; the traceback only in the log or with --debug -------------
def _broken_report(args):
    raise ZeroDivisionError("ett fel i Cirkel")


@pytest.mark.unit
def test_a_bug_shows_one_swedish_line_and_where_the_details_are(cirkel, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr("grading.cli.command_report", _broken_report)
    proc = cirkel("report", NOT_THERE)
    log = tmp_path / "state" / "cirkel" / "senaste-fel.log"
    _shown_in_swedish(proc, "något oväntat gick fel", str(log), "--debug")
    assert proc.stderr.count("\n") == 1  # one line, not a page
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: ett fel i Cirkel" in text and "report /finns/inte" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600  # it may name a learner: its owner's alone


@pytest.mark.unit
def test_debug_shows_the_traceback(monkeypatch, tmp_path):
    from grading.cli import main

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr("grading.cli.command_report", _broken_report)
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "report", NOT_THERE])
    assert not (tmp_path / "state").exists()


@pytest.mark.nbgrader
def test_the_installed_command_refuses_without_a_traceback(cirkel_command, tmp_path):
    """The real ``cirkel`` in a process of its own: a usage error and a folder that is no run."""
    usage = cirkel_command("fetch")
    _shown_in_swedish(usage, "användning: cirkel fetch", "fel: det här saknas: OMGÅNG", status=2)
    _shown_in_swedish(cirkel_command("fetch", tmp_path, "--learner", "anna"), "är ingen kursomgång")


@pytest.mark.nbgrader
@pytest.mark.parametrize(
    ("csv", "fragment"), [("saknas/klar.csv", "Mappen {tmp}/saknas finns inte"), (".", "{tmp} är en mapp")]
)
def test_report_names_a_csv_it_cannot_write_in_swedish(cirkel, mini_course, tmp_path, monkeypatch, csv, fragment):
    """pandas says "Cannot save file into a non-existent directory"; the course leader reads Swedish."""
    from run_cache import create_run

    run = create_run(mini_course, tmp_path / "omgang", course_id="prov")
    monkeypatch.chdir(tmp_path)
    proc = cirkel("report", run.root, "--csv", tmp_path / csv if csv != "." else tmp_path)
    _shown_in_swedish(proc, fragment.format(tmp=tmp_path))
    assert "Cannot" not in proc.stderr and "directory" not in proc.stderr


# -- one root ------------------------------------------------------------------------------------------
def _config_file(path: Path) -> bool:
    """A Jupyter configuration file (``get_config()``), loaded by Jupyter with ``-f``, never imported."""
    return "get_config()" in path.read_text(encoding="utf-8") and path.name.endswith("_config.py")


def _modules():
    for package in (widgets, grading, voila_apps):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            spec = importlib.util.find_spec(info.name)
            if spec is not None and spec.origin and _config_file(Path(spec.origin)):
                yield info.name, None, Path(spec.origin)
            else:
                yield info.name, importlib.import_module(info.name), None


@pytest.mark.unit
def test_every_exception_class_is_a_cirkel_error():
    found, config_files = [], 0
    for name, module, path in _modules():
        if module is None:  # a configuration file defines no classes at all
            assert not [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.ClassDef)]
            config_files += 1
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, BaseException):
                found.append(cls)
    strays = [f"{cls.__module__}.{cls.__qualname__}" for cls in found if not issubclass(cls, CirkelError)]
    assert not strays, f"not a CirkelError: {strays}"
    names = {cls.__name__ for cls in found}
    assert {"ContentError", "RunError", "RosterError", "SubmitError", "TooManyPages", "PodRefused"} <= names
    assert len(found) >= 25 and config_files >= 5


@pytest.mark.unit
def test_the_old_bases_still_catch_them():
    """``except ValueError`` written for a bad content file, or tornado's handling of a 429, still work."""
    from grading.course_runs.student_ids import validate_student_id
    from grading.servers.kernel_cap import TooManyPages
    from widgets.models.content import ContentError

    error = ContentError("kurs/module.yml", "exercises", "saknas")
    assert isinstance(error, ValueError) and "kurs/module.yml" in error.message
    with pytest.raises(ValueError, match="Anna Berg"):
        validate_student_id("Anna Berg")
    page = TooManyPages(3, 10)
    assert page.status_code == 429 and "3" in page.message


@pytest.mark.unit
def test_a_cirkel_error_carries_its_message_from_the_string_table():
    error = CirkelError.from_key("cli.interrupted")
    assert error.message == str(error) == "avbrutet"
    assert CirkelError("Mappen finns inte.").message == "Mappen finns inte."
