"""``make run`` (``cirkel serve --hub --demo``): the platform starts, prints each person once, and stops.

The command runs as a person runs it, in its own process with no standard input;
its hub folder is a temporary one (``CIRKEL_HUB_DIR``) and its port a free one
(``--port``), so the test does not touch the repository's ``.cirkel``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from grading.hub.accounts import AccountStore
from grading.serve import DEMO_LEARNERS
from widgets.i18n import t

from hub_process import Hub, free_port, processes_in

pytestmark = pytest.mark.hub

CIRKEL = Path(sys.executable).parent / "cirkel"


def _read_until(proc: subprocess.Popen[str], marker: str, limit: float = 300, log_dir: Path | None = None) -> str:
    """The command's output up to the line holding ``marker`` (a readiness wait, not a timing).

    If it never comes, the failure carries the end of the hub's log found under ``log_dir``.
    """
    seen: list[str] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    logs = "".join(
        f"\n--- {log} ---\n" + log.read_text(errors="replace")[-4000:]
        for log in (log_dir.rglob("jupyterhub.log") if log_dir else ())
    )
    raise AssertionError("the command did not get ready:\n" + "".join(seen) + logs)


def test_make_run_starts_the_platform_and_prints_each_person_once(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "CIRKEL_HUB_DIR": str(tmp_path / "hub"), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [str(CIRKEL), "serve", "--hub", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        output = _read_until(proc, t("serve.hub_once"), log_dir=tmp_path)
        assert f"http://127.0.0.1:{port}/" in output and "Traceback" not in output
        people = dict(re.findall(r"användarnamn (\S+), engångslösenord (\S+)", output))
        assert set(people) == {"kursledare", *(learner.student_id for learner in DEMO_LEARNERS)}
        assert len(set(people.values())) == len(people)  # no shared password

        store = AccountStore(tmp_path / "hub" / "konton.sqlite")
        for name, password in people.items():
            assert store.verify(name, password).must_change
        assert not any(
            password in path.read_bytes().decode("latin-1")
            for path in (tmp_path / "hub").glob("*.sqlite")
            for password in people.values()
        )
        # the hub answers on the port asked for, its login page in Swedish
        login = requests.get(f"http://127.0.0.1:{port}/hub/login", timeout=30)
        assert login.status_code == 200 and t("hub.page.help") in login.content.decode("utf-8")
        course = store.get("kursledare").course_id
        assert f"/services/{course}/voila/render/" in output  # the leader's report, in the run's service
        assert f"/services/{course}-samverkan/voila/render/gruppquiz.ipynb" in output  # the circle's live apps
        for name in ("deltagarhafte.pdf", "cirkelledarhandledning.pdf"):  # the run's printed material
            assert f"/services/{course}/files/material/{name}" in output
            assert (tmp_path / "hub" / "omgang" / "material" / name).is_file()
        from grading.circles import CircleStore
        from grading.run import CourseRun

        (circle,) = CircleStore(CourseRun(tmp_path / "hub" / "omgang")).circles()  # a circle to try them with
        assert set(circle.members) == set(people) - {"kursledare"}
        assert processes_in(tmp_path)  # the witness below can see the hub's processes
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            rest, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            rest, _ = proc.communicate()
    assert proc.returncode == 0, rest
    assert t("serve.hub_stopping") in rest
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/hub/login", timeout=5)
    assert not processes_in(tmp_path), "a server of the hub outlived it"


def _password(output: str, name: str) -> str:
    line = next(x for x in output.splitlines() if x.startswith(f"Kontot {name} "))
    return line.rsplit(": ", 1)[1].strip()


def test_a_course_leader_starts_a_real_course_run_on_the_hub(
    cirkel, mini_course: Path, tmp_path: Path, monkeypatch
) -> None:
    """README's path: create the run for the hub, accounts, release, fetch, serve --hub."""
    hub_folder = tmp_path / "hub"
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(hub_folder))
    run_dir = tmp_path / "omgang"
    cirkel("run", "create", mini_course, "--dir", run_dir, "--id", "mini-ht26", "--hub", check=True)
    leader = cirkel("hub", "adduser", "kim", "--role", "kursledare", "--run", run_dir, check=True)
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna\nbo,Bo\n", encoding="utf-8")
    learners = cirkel("learners", "import", run_dir, roster, "--accounts", check=True)
    cirkel("release", run_dir, check=True)
    cirkel("fetch", run_dir, check=True)  # every learner, into their hub home
    assert sorted(p.name for p in (hub_folder / "hem").iterdir()) == ["anna", "bo"]

    port = free_port()
    proc = subprocess.Popen(
        [str(CIRKEL), "serve", "--hub", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    try:
        _read_until(proc, f"http://127.0.0.1:{port}/")
        _read_until(proc, "Ctrl+C", log_dir=hub_folder)
        hub = Hub(
            f"http://127.0.0.1:{port}",
            {"kim": _password(leader.stdout, "kim"), "anna": _password(learners.stdout, "anna")},
            hub_folder,
        )
        anna = hub.server("anna")
        home = anna.get(f"{hub.url}/user/anna/")
        assert home.url.endswith("/user/anna/voila/render/mina-moduler.ipynb")
        assert "Traceback" not in home.content.decode("utf-8")
        # the module nbgrader fetched into her home opens as its app
        assert (hub_folder / "hem" / "anna" / "mini-ht26" / "01-prov" / "01-prov.ipynb").is_file()
        app = anna.get(f"{hub.url}/user/anna/voila/render/mini-ht26/01-prov/01-prov.ipynb")
        assert app.status_code == 200 and "Traceback" not in app.content.decode("utf-8")
        kim = hub.logged_in("kim")
        assert kim.get(f"{hub.url}/").url.endswith("/services/mini-ht26/lab")
        assert hub.service(anna, "mini-ht26").status_code == 403
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 0
