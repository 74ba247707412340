"""What a reviewer checks before anything lands: clean notebooks, a fast CLI, a true README."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


def _tracked(pattern: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", pattern],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [REPO / p for p in out]


def test_notebooks_in_git_carry_no_outputs_or_widget_state():
    notebooks = _tracked("*.ipynb")
    dirty = []
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
                dirty.append(f"{path.relative_to(REPO)}: outputs")
                break
        if "widgets" in nb.get("metadata", {}):
            dirty.append(f"{path.relative_to(REPO)}: widget state")
    assert not dirty, "Strip these notebooks: " + ", ".join(dirty)


def test_cirkel_help_does_not_import_the_jupyter_stack():
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['cirkel', '--help']\n"
        "try:\n"
        "    from grading.cli import main; main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pandas', 'nbgrader', 'ipywidgets', 'jupyter_server', 'nbconvert', 'voila')"
        " if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "run" in result.stdout  # the help names the subcommands
    assert "HEAVY=\n" in result.stdout, result.stdout


@pytest.mark.parametrize("needle", ["make run", "make test"])
def test_readme_gives_the_two_commands(needle):
    assert needle in (REPO / "README.md").read_text(encoding="utf-8")


def test_swedish_course_leader_guide_sits_beside_the_readme():
    guide = (REPO / "KURSLEDARE.md").read_text(encoding="utf-8")
    for command in ("cirkel run create", "cirkel learners import", "cirkel release", "cirkel report"):
        assert command in guide


def test_ci_runs_make_test():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_no_module_aliases_ipywidgets_as_widgets():
    alias = "import ipywidgets as " + "widgets"
    offenders = [str(p.relative_to(REPO)) for p in _tracked("*.py") if alias in p.read_text(encoding="utf-8")]
    assert not offenders


def test_no_module_of_the_three_packages_is_over_400_lines():
    """Issue 19: small modules with one job; one that grows past 400 lines becomes a package named by job."""
    too_long = {
        path: lines
        for p in _tracked("*.py")
        if p.relative_to(REPO).parts[0] in ("widgets", "grading", "voila_apps")
        for path, lines in [(p.relative_to(REPO).as_posix(), len(p.read_text(encoding="utf-8").splitlines()))]
        if lines > 400
    }
    assert too_long == {}


#: the one module that names Cirkel's environment variables (issue 19, point 8: one configuration)
SETTING_NAMES = REPO / "widgets" / "core" / "setting_env.py"
_CIRKEL_VARIABLE = re.compile(r"CIRKEL_[A-Z]")
#: string literals (Python 3.12 splits an f-string into parts; 3.11 keeps it one STRING)
_STRING_TOKENS = {
    tokenize.STRING,
    *(getattr(tokenize, name) for name in ("FSTRING_MIDDLE",) if hasattr(tokenize, name)),
}


def _strings_naming_a_variable(path: Path) -> list[str]:
    """Where a Python file's string literals (docstrings and f-strings too) name a ``CIRKEL_`` variable."""
    text = path.read_bytes()
    if b"CIRKEL_" not in text:  # most files: no need to tokenize them
        return []
    tokens = list(tokenize.tokenize(io.BytesIO(text).readline))
    return [
        f"{path.relative_to(REPO)}:{tok.start[0]}"
        for tok in tokens
        if _CIRKEL_VARIABLE.search(tok.string) and tok.type in _STRING_TOKENS
    ]


def test_only_the_settings_module_names_cirkel_environment_variables():
    """Readers ask ``widgets.core.settings``; writers passing a setting on use ``widgets.core.setting_env``'s names."""
    assert _strings_naming_a_variable(SETTING_NAMES)  # the probe sees the names where they are declared
    offenders = []
    for package in ("widgets", "grading", "voila_apps"):
        for path in sorted((REPO / package).rglob("*.py")):
            if path != SETTING_NAMES:
                offenders += _strings_naming_a_variable(path)
        for path in sorted((REPO / package).rglob("*.ipynb")):
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            code = ["".join(cell.get("source", "")) for cell in cells if cell.get("cell_type") == "code"]
            offenders += [f"{path.relative_to(REPO)}: code cell" for source in code if _CIRKEL_VARIABLE.search(source)]
    assert offenders == []


#: the lane folders of tests/, heaviest lane first: a file whose tests span lanes sits in its heaviest
LANE_FOLDERS = ("hub", "browser", "nbgrader", "notebook", "pg", "unit")
#: the fixtures that run a test on SQLite and on PostgreSQL (tests/pg_cluster.py)
BOTH_DATABASES = ("store_backend", "module_backend")


def _lanes_of(source: str) -> set[str]:
    """The lanes a test file's tests carry: its ``pytest.mark.<lane>`` markers, and ``pg`` where a test
    takes the stores on both databases (``pg_cluster.BACKENDS`` marks their PostgreSQL variant)."""
    lanes = set()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in LANE_FOLDERS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "mark"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "pytest"
        ):
            lanes.add(node.attr)
        elif isinstance(node, ast.arg) and node.arg in BOTH_DATABASES:
            lanes.add("pg")
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "usefixtures":
            if any(isinstance(arg, ast.Constant) and arg.value in BOTH_DATABASES for arg in node.args):
                lanes.add("pg")
    return lanes


def test_no_test_file_is_over_400_lines():
    """Issue 19: a test file that grows past 400 lines is split by what it tests."""
    too_long = {
        p.relative_to(REPO).as_posix(): lines
        for p in _tracked("tests/*.py")
        if (lines := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert too_long == {}


def test_every_test_file_sits_in_the_folder_of_its_heaviest_lane():
    """Issue 19: tests/unit, tests/notebook, tests/nbgrader, tests/pg, tests/browser, tests/hub, so that
    a reader finds a test by what it costs (``pytest tests/unit`` is the unit lane's files)."""
    astray = {}
    for path in _tracked("tests/*.py"):
        parts = path.relative_to(REPO / "tests").parts
        if not parts[-1].startswith("test_"):
            continue  # a helper, a conftest, a script
        lanes = _lanes_of(path.read_text(encoding="utf-8"))
        heaviest = next((lane for lane in LANE_FOLDERS if lane in lanes), "no lane")
        if len(parts) != 2 or parts[0] != heaviest:
            astray[path.relative_to(REPO).as_posix()] = f"tests/{heaviest}/"
    assert astray == {}


def test_the_lane_check_reads_markers_and_the_stores_on_both_databases():
    assert _lanes_of("import pytest\npytestmark = pytest.mark.unit\n") == {"unit"}
    both = "pytestmark = [pytest.mark.nbgrader, pytest.mark.usefixtures('store_backend')]\n@pytest.mark.unit\ndef t(): ...\n"
    assert _lanes_of(both) == {"nbgrader", "pg", "unit"}
    assert _lanes_of("def test_x(module_backend): ...\n") == {"pg"}
    # a lane named in a string or a comment is not a marker
    assert _lanes_of("# pytest.mark.hub\nx = 'pytest.mark.browser'\npytestmark = pytest.mark.unitx\n") == set()


def test_every_module_sits_in_a_folder_that_says_what_it_holds():
    """Issue 19 point 2: widgets and grading are sub-packages by responsibility, one naming habit.

    Nothing but ``__init__.py`` at either package's top, and no module named with a leading ``_``
    (the folder says what a module is for; docs/architecture.md draws the tree).
    """
    loose, underscored = [], []
    for p in _tracked("*.py"):
        parts = p.relative_to(REPO).parts
        if parts[0] not in ("widgets", "grading", "voila_apps"):
            continue
        if parts[0] in ("widgets", "grading") and len(parts) == 2 and parts[1] != "__init__.py":
            loose.append(p.relative_to(REPO).as_posix())
        if parts[-1].startswith("_") and parts[-1] != "__init__.py":
            underscored.append(p.relative_to(REPO).as_posix())
    assert loose == []
    assert underscored == []
