"""A learner's pod at its start (``grading.hub.k8s_learner``): her learner file and released modules in her home.

nbgrader's own fetch copies from an exchange laid out as a release leaves it; the pod's
environment is what the hub gives it (``grading.hub.k8s.pod_settings``).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from grading.hub import k8s
from grading.hub.k8s_learner import fetch_at_start, keep_fetching
from widgets.core.setting_env import LEARNER_ENV
from widgets.storage.submission import LEARNER_FILE, find_learner

pytestmark = pytest.mark.unit


def _release(exchange: Path, module: str, text: str, course: str = "ht26") -> None:
    folder = exchange / course / "outbound" / module
    folder.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text)]), folder / f"{module}.ipynb")


def test_her_pod_fetches_her_runs_released_modules_and_keeps_her_answers(tmp_path: Path) -> None:
    exchange, home = tmp_path / "exchange", tmp_path / "home"
    _release(exchange, "01-moten", "released")
    _release(exchange, "02-budget", "released")
    home.mkdir()
    (home / "ht26" / "02-budget").mkdir(parents=True)  # fetched before: her answer stays as it is
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("mitt svar")]),
        home / "ht26" / "02-budget" / "02-budget.ipynb",
    )
    anna = SimpleNamespace(name="anna", role="deltagare", runs=(("ht26", ""),))
    environ = k8s.pod_settings(anna, user_id=7)["environment"]
    fetch_at_start(home, environ[LEARNER_ENV], exchange=str(exchange))
    learner = find_learner(home / "ht26" / "01-moten")  # what "Lämna in" reads
    assert (learner.student_id, learner.course_id, learner.exchange_root) == ("anna", "ht26", exchange)
    assert learner.workspace == home
    fetched = nbformat.read(home / "ht26" / "01-moten" / "01-moten.ipynb", as_version=4)
    assert fetched.cells[0].source == "released"
    kept = nbformat.read(home / "ht26" / "02-budget" / "02-budget.ipynb", as_version=4)
    assert kept.cells[0].source == "mitt svar"


def test_a_learner_in_two_runs_gets_both_each_in_a_workspace_of_its_own(tmp_path: Path) -> None:
    """As ``cirkel fetch`` for two runs on one machine: a workspace per run, each with its learner file."""
    exchange, home = tmp_path / "exchange", tmp_path / "home"
    _release(exchange, "01-moten", "hösten")
    _release(exchange, "01-moten", "våren", course="vt27")
    home.mkdir()
    given = k8s.learner_setting("anna", [("ht26", "Hösten"), ("vt27", "Våren")])
    assert [r.ok for r in fetch_at_start(home, given, exchange=str(exchange))] == [True, True]
    for course, workspace, text in (("ht26", home, "hösten"), ("vt27", home / "vt27", "våren")):
        module = workspace / course / "01-moten"
        assert nbformat.read(module / "01-moten.ipynb", as_version=4).cells[0].source == text
        learner = find_learner(module)  # "Lämna in" hands each module in to its own run
        assert (learner.course_id, learner.workspace) == (course, workspace)
    # later she is on vt27's roster only: her home stays ht26's workspace, vt27 keeps its own
    nbformat.write(nbformat.v4.new_notebook(), home / "vt27" / "vt27" / "01-moten" / "01-moten.ipynb")
    fetch_at_start(home, k8s.learner_setting("anna", [("vt27", "Våren")]), exchange=str(exchange))
    assert find_learner(home).course_id == "ht26" and find_learner(home / "vt27").course_id == "vt27"
    assert not nbformat.read(home / "vt27" / "vt27" / "01-moten" / "01-moten.ipynb", as_version=4).cells  # hers


def test_a_pod_without_a_run_writes_nothing(tmp_path: Path) -> None:
    assert fetch_at_start(tmp_path, None, exchange=str(tmp_path)) == []
    assert fetch_at_start(tmp_path, json.dumps({"student_id": "anna", "runs": [{"course_id": ".."}]})) == []
    assert fetch_at_start(tmp_path, k8s.learner_setting("anna", [])) == []
    assert not (tmp_path / LEARNER_FILE).exists()


def test_a_module_released_while_her_server_runs_reaches_her_home(tmp_path: Path) -> None:
    exchange, home = tmp_path / "exchange", tmp_path / "home"
    _release(exchange, "01-moten", "released")
    home.mkdir()
    given = k8s.learner_setting("anna", [("ht26", "")])
    fetch_at_start(home, given, exchange=str(exchange))
    stop = threading.Event()
    thread = keep_fetching(home, given, every=0.05, exchange=str(exchange), stop=stop)
    try:
        assert thread is not None and thread.daemon  # never holds her server's exit
        _release(exchange, "02-budget", "released later")  # the leader releases the next module
        module = home / "ht26" / "02-budget" / "02-budget.ipynb"
        deadline = time.monotonic() + 30
        while not module.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert nbformat.read(module, as_version=4).cells[0].source == "released later"
        assert (home / "ht26" / "01-moten" / "01-moten.ipynb").exists()
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert keep_fetching(home, None) is None  # no run, no thread


def test_the_learner_setting_keeps_within_its_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A learner on very many rosters: the hub leaves out what does not fit; her pod refuses a longer value."""
    from traitlets import TraitError

    from widgets.core.settings import LEARNER_MAX_CHARS, cirkel_settings

    runs = [(f"run{i:04d}", "En lång titel " * 20) for i in range(200)]
    given = k8s.learner_setting("anna", runs)
    assert len(given) <= LEARNER_MAX_CHARS
    kept = json.loads(given)["runs"]
    assert 10 < len(kept) < len(runs) and [r["course_id"] for r in kept] == [c for c, _ in runs[: len(kept)]]
    monkeypatch.setenv(LEARNER_ENV, given)
    assert cirkel_settings().learner == given
    monkeypatch.setenv(LEARNER_ENV, "x" * (LEARNER_MAX_CHARS + 1))
    with pytest.raises(TraitError, match=str(LEARNER_MAX_CHARS)):
        cirkel_settings()
