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


def _release(exchange: Path, module: str, text: str) -> None:
    folder = exchange / "ht26" / "outbound" / module
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
    anna = SimpleNamespace(name="anna", role="deltagare", runs=(("vt26", ""), ("ht26", "")))  # her latest run last
    environ = k8s.pod_settings(anna, user_id=7)["environment"]
    fetch_at_start(home, environ[LEARNER_ENV], exchange=str(exchange))
    learner = find_learner(home / "ht26" / "01-moten")  # what "Lämna in" reads
    assert (learner.student_id, learner.course_id, learner.exchange_root) == ("anna", "ht26", exchange)
    assert learner.workspace == home
    fetched = nbformat.read(home / "ht26" / "01-moten" / "01-moten.ipynb", as_version=4)
    assert fetched.cells[0].source == "released"
    kept = nbformat.read(home / "ht26" / "02-budget" / "02-budget.ipynb", as_version=4)
    assert kept.cells[0].source == "mitt svar"


def test_a_pod_without_a_run_writes_nothing(tmp_path: Path) -> None:
    assert fetch_at_start(tmp_path, None, exchange=str(tmp_path)) == []
    assert fetch_at_start(tmp_path, json.dumps({"student_id": "anna", "course_id": ".."})) == []
    assert not (tmp_path / LEARNER_FILE).exists()


def test_a_module_released_while_her_server_runs_reaches_her_home(tmp_path: Path) -> None:
    exchange, home = tmp_path / "exchange", tmp_path / "home"
    _release(exchange, "01-moten", "released")
    home.mkdir()
    given = json.dumps({"student_id": "anna", "course_id": "ht26"})
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
