"""Cirkel runs from a normal install: `pip install .` (a wheel), not only from the repository.

The unit tests check that every file the code reads at runtime is package data (the
globs in pyproject.toml take every tracked data file of the packages and the course
content) and that no module reaches out of its package for a path. The install test
builds the wheel from the tracked files alone, installs it into a fresh venv (its
dependencies from the shared venv's site-packages, without the editable install's
finder), and runs the installed `cirkel` from an empty folder: `cirkel courses check`
reads the shipped courses, and `cirkel serve --demo` builds its demo run and answers a
learner's page, rendered by Voilà with Cirkel's template.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("widgets", "grading", "voila_apps")
#: where each package's files are in the repository (the course content ships as ``cirkel_courses``)
SOURCE_OF = {"widgets": "widgets", "grading": "grading", "voila_apps": "voila_apps", "cirkel_courses": "courses"}


def _tracked(*folders: str) -> list[str]:
    out = subprocess.run(["git", "ls-files", "--", *folders], cwd=REPO, capture_output=True, text=True, check=True)
    return out.stdout.split()


def _package_data() -> dict[str, list[str]]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]


def _covered(path: str) -> bool:
    """Whether a tracked file (``courses/...`` or ``grading/...``) is taken by a package-data glob."""
    for package, globs in _package_data().items():
        top = package.split(".")[0]
        folder = "/".join([SOURCE_OF[top], *package.split(".")[1:]])
        if path.startswith(folder + "/"):
            inside = path[len(folder) + 1 :]
            if any(fnmatch.fnmatchcase(inside, g) and inside.count("/") == g.count("/") for g in globs):
                return True
    return False


@pytest.mark.unit
def test_every_data_file_of_the_packages_and_courses_is_package_data():
    data = [p for p in _tracked(*SOURCE_OF.values()) if not p.endswith(".py") and not p.endswith("README.md")]
    assert len(data) > 150  # the string tables, apps, template, hub pages and the courses
    assert [p for p in data if not _covered(p)] == []


#: a path computed from a module's own file that climbs out of its package (``parents[2]``, ``.parent.parent``)
_CLIMBS = re.compile(r"__file__\)(\.resolve\(\))?\.(parents\[[1-9]\]|parent\.parent)")


@pytest.mark.unit
def test_no_module_reaches_out_of_its_package_for_a_file():
    climbing = []
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            climbing += [f"{path.relative_to(REPO)}: {m.group(0)}" for m in _CLIMBS.finditer(text)]
            ast.parse(text)  # every module is read, none skipped
    assert climbing == []


@pytest.mark.unit
def test_the_runtime_paths_are_inside_the_packages():
    from grading.course import curriculum
    from grading.course import loading as course
    from grading.reports.printing import document as _document
    from grading.servers import serve, statement
    from widgets.core import language as _language
    from widgets.core.resources import courses_folder, package_folder
    from widgets.pages import gallery

    roots = [package_folder(name) for name in PACKAGES] + [courses_folder()]
    paths = [
        serve.TEMPLATE_ROOT / "voila" / "templates" / "cirkel" / "index.html.j2",
        serve.REPORT_NOTEBOOK,
        serve.GALLERY_NOTEBOOK,
        serve.ATTENDANCE_NOTEBOOK,
        serve.DASHBOARD_NOTEBOOK,
        serve.HOME_NOTEBOOK,
        serve.LIVE_APPS,
        serve.SERVE_CONFIG,
        serve.DEMO_COURSE / "course.yml",
        course.SOURCE_DIR / "commitments.yml",
        curriculum.DEFAULT_COURSES,
        statement.SOURCE,
        _document.PRINT_DIR / "ordlista.yml",
        _document.CSS,
        _language.STRINGS_DIR / "sv.yml",
        gallery.DEFAULT_SOURCE,
    ]
    for path in paths:
        assert path.exists(), path
        assert any(path.resolve().is_relative_to(root) for root in roots), path
        relative = next(str(path.resolve().relative_to(r.parent)) for r in roots if path.resolve().is_relative_to(r))
        if path.is_file() and not relative.endswith(".py"):
            top = relative.split("/")[0]
            assert _covered(relative.replace(top, SOURCE_OF.get(top, top), 1)), relative


# -- the wheel, installed into a fresh venv --------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv with Cirkel's wheel installed (no repository on its path); its ``bin``."""
    work = tmp_path_factory.mktemp("installed")
    source = work / "src"
    for name in [*_tracked(*SOURCE_OF.values()), "pyproject.toml", "setup.py", "README.md"]:
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPO / name).read_bytes())
    pip = [sys.executable, "-m", "pip"]
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    # with this venv's setuptools (the test extra), no build isolation: nothing is fetched
    built = subprocess.run(
        [*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index", "-w", work / "wheel", source],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (work / "wheel").glob("cirkel-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "voila_apps/share/voila/templates/cirkel/index.html.j2" in names
    assert "cirkel_courses/partiforeningsskola/course.yml" in names and "grading/servers/tillganglighet.md" in names
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    # the dependencies: the shared venv's site-packages as a plain path (its .pth files, the editable
    # install's finder among them, are not run from there), after the venv's own
    (site / "shared-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run(
        [*pip, "--python", venv / "bin" / "python", "install", "-q", "--no-deps", "--no-index", wheel],
        check=True,
        env=env,
        timeout=300,
    )
    return venv / "bin"


def _env(bin_dir: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CIRKEL_", "JUPYTER", "VIRTUAL_ENV"))}
    env.update(
        PATH=os.pathsep.join([str(bin_dir), env.get("PATH", "")]),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        CIRKEL_LANG="sv",
        PYTHONWARNINGS="ignore",
        # the dependencies' Jupyter files (voila's and nbgrader's server extensions, voila's base
        # templates) are in the shared venv's prefix, as pip would have put them in this venv's
        JUPYTER_CONFIG_PATH=str(Path(sys.prefix) / "etc" / "jupyter"),
        JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"),
    )
    return env


@pytest.mark.nbgrader
def test_the_installed_cirkel_finds_its_files_without_the_repository(installed, tmp_path):
    env = _env(installed, tmp_path)
    code = (
        "import json, sys, grading, voila_apps, widgets.core.resources as r; "
        "print(json.dumps([grading.__file__, voila_apps.__file__, str(r.courses_folder()), r.checkout(), sys.path]))"
    )
    proc = subprocess.run([installed / "python", "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    grading_file, apps_file, courses, checkout, path = json.loads(proc.stdout)
    site = installed.parent / "lib"
    assert Path(grading_file).is_relative_to(site) and Path(apps_file).is_relative_to(site)
    assert Path(courses).is_relative_to(site) and Path(courses).name == "cirkel_courses" and checkout is None
    # no folder on the path holds Cirkel's packages but the venv's own site-packages: no repository
    folders = [Path(p) if p else tmp_path for p in path]  # "": the folder it ran in
    assert [f for f in folders if (f / "grading").is_dir() and not f.is_relative_to(site)] == []
    check = subprocess.run(
        [installed / "cirkel", "courses", "coverage"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Traceback" not in check.stderr


@pytest.mark.nbgrader
def test_the_installed_cirkel_serve_demo_answers_a_learners_page(installed, tmp_path):
    env = _env(installed, tmp_path)
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [installed / "cirkel", "serve", "--demo", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 300
        url = None
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            found = re.search(r"Mina moduler för Anna \(anna\): (\S+)", log.read_text(encoding="utf-8"))
            url = found.group(1) if found else None
            time.sleep(0.5)
        assert url is not None, log.read_text(encoding="utf-8")
        assert (tmp_path / "data" / "cirkel" / "demo" / "gradebook.db").is_file()  # never in site-packages
        with urllib.request.urlopen(url, timeout=240) as page:
            html = page.read().decode("utf-8")
        assert page.status == 200
        assert "cirkel.css" in html and "Mina moduler" in html  # Cirkel's template, the learner's home
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
    assert "Traceback" not in log.read_text(encoding="utf-8")
