"""The `cirkel` command: starts fast, speaks Swedish, and ends expected errors without a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.nbgrader

HEAVY = ("pandas", "nbgrader", "ipywidgets", "jupyter_server", "jupyter_client", "notebook", "nbconvert")


def _refused(proc, *fragments):
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("cirkel: ")
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_help_imports_nothing_heavy():
    code = (
        "import sys\n"
        "from grading.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:', sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "HEAVY: []" in out
    for command in ("run", "learners", "release", "fetch", "collect", "autograde", "report", "serve"):
        assert command in out


def test_help_is_swedish(cirkel_command):
    """The installed command itself (a process of its own), as a course leader types it."""
    proc = cirkel_command("release", "--help")
    assert proc.returncode == 0
    assert "dela ut moduler" in proc.stdout.lower() or "modulernas namn" in proc.stdout
    serve = cirkel_command("serve", "--help").stdout
    assert "--demo" in serve and "--port" in serve and "--ip" in serve and "--run" in serve


@pytest.fixture(scope="module")
def run_dir(course_dir, tmp_path_factory, cirkel):
    target = tmp_path_factory.mktemp("cli") / "omg"
    proc = cirkel("run", "create", course_dir, "--dir", target, "--no-material", check=True)  # PDFs: test_printing_pdf
    assert "Kursomgången partiforeningsskola är skapad" in proc.stdout
    return target


def test_missing_run_dir(cirkel, tmp_path):
    _refused(cirkel("release", tmp_path / "saknas"), "finns inte")


def test_not_a_course_run(cirkel, tmp_path):
    _refused(cirkel("report", tmp_path), "är ingen kursomgång")


def test_unknown_module(cirkel, run_dir):
    _refused(cirkel("release", run_dir, "99-inget"), "ingen modul som heter ”99-inget”", "05-moten")


def test_module_with_dots_is_refused(cirkel_command, run_dir):
    _refused(cirkel_command("collect", run_dir, "../source"), "går inte att använda")


def test_create_refuses_a_non_empty_folder(cirkel, course_dir, run_dir):
    _refused(cirkel("run", "create", course_dir, "--dir", run_dir), "finns redan och är inte tom")


def test_create_names_a_malformed_course(cirkel, mini_course, tmp_path):
    path = mini_course / "01-prov" / "module.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("study_hours: 2", "study_hours: [2"), encoding="utf-8")
    proc = cirkel("run", "create", mini_course, "--dir", tmp_path / "ny")
    _refused(proc, "module.yml", "rad ", "YAML")
    assert not (tmp_path / "ny").exists()


def test_bad_roster_names_lines_and_imports_nothing(cirkel, run_dir, tmp_path):
    roster = tmp_path / "lista.csv"
    roster.write_text("id,namn\nanna,Anna\nanna,Anna Igen\nbo,\n", encoding="utf-8")
    _refused(cirkel("learners", "import", run_dir, roster), "rad 3:", "rad 4: namn saknas", "Ingen deltagare")
    report = cirkel("report", run_dir)
    assert report.returncode == 0
    assert "inga deltagare" in report.stdout


def test_fetch_for_an_unknown_learner(cirkel, run_dir):
    _refused(cirkel("fetch", run_dir, "--learner", "okand"), "”okand” finns inte i kursomgången")


def test_autograde_with_nothing_collected(cirkel, run_dir):
    proc = cirkel("autograde", run_dir)
    assert proc.returncode == 0
    assert "inga insamlade inlämningar" in proc.stdout


def test_usage_errors_exit_non_zero(cirkel_command):
    proc = cirkel_command("fetch")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_submit_outside_a_workspace(cirkel, tmp_path):
    _refused(cirkel("submit", tmp_path), "det framgår inte vem du är")
