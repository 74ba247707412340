"""``make run`` (``cirkel serve --hub --demo``): the platform starts, prints each person once, and stops.

The command runs as a person runs it, in its own process with no standard input;
its hub folder is a temporary one (``CIRKEL_HUB_DIR``) and its port a free one
(``--port``), so the test does not touch the repository's ``.cirkel``.

Three starts, each stopped once: ``cirkel serve --hub`` over README's path (``leaders_hub``,
shared by the first test and the SIGTERM test that ends it), ``make run`` itself (its output,
then Ctrl+C to it in the background) and ``cirkel serve`` without the hub.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import requests

from grading.course_runs.run import CourseRun
from grading.hub.accounts import AccountStore
from grading.servers.serve import DEMO_LEARNERS
from grading.system.processes import KERNEL_NAME
from widgets.core.i18n import t

from hub_process import Hub, free_port, kernel_setting, processes_in
from mini_module import write_mini_course

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


def _check_what_make_run_printed(output: str, port: int, hub_folder: Path) -> dict[str, str]:
    """``make run``'s output names each person once with a one-time password, the run's apps and material."""
    assert f"http://127.0.0.1:{port}/" in output and "Traceback" not in output
    people = dict(re.findall(r"användarnamn (\S+), engångslösenord (\S+)", output))
    assert set(people) == {"kursledare", *(learner.student_id for learner in DEMO_LEARNERS)}
    assert len(set(people.values())) == len(people)  # no shared password

    store = AccountStore(hub_folder / "konton.sqlite")
    for name, password in people.items():
        assert store.verify(name, password).must_change
    assert not any(
        password in path.read_bytes().decode("latin-1")
        for path in hub_folder.glob("*.sqlite")
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
        assert (hub_folder / "omgang" / "material" / name).is_file()
    from grading.circles.store import CircleStore
    from grading.course_runs.run import CourseRun

    (circle,) = CircleStore(CourseRun(hub_folder / "omgang")).circles()  # a circle to try them with
    assert set(circle.members) == set(people) - {"kursledare"}
    return people


def _password(output: str, name: str) -> str:
    line = next(x for x in output.splitlines() if x.startswith(f"Kontot {name} "))
    return line.rsplit(": ", 1)[1].strip()


@dataclass
class LeadersHub:
    """``cirkel serve --hub`` over a run a course leader made by README's path, and its people."""

    proc: subprocess.Popen[str]
    hub: Hub
    folder: Path  # the test's folder: the hub's (``hub``), the run (``omgang``)
    course_run: CourseRun


@pytest.fixture(scope="module")
def leaders_hub(cirkel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LeadersHub]:
    """README's path: create the run for the hub, accounts, release, fetch, then ``cirkel serve --hub``.

    One start for the module: the first test checks what the course leader and a learner find
    on it, the second makes it busy and stops it with SIGTERM.
    """
    folder = tmp_path_factory.mktemp("ledarens-hub")
    hub_folder = folder / "hub"
    course = write_mini_course(folder / "minikurs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CIRKEL_HUB_DIR", str(hub_folder))
        run_dir = folder / "omgang"
        cirkel("run", "create", course, "--dir", run_dir, "--id", "mini-ht26", "--hub", check=True)
        leader = cirkel("hub", "adduser", "kim", "--role", "kursledare", "--run", run_dir, check=True)
        roster = folder / "deltagare.csv"
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
        passwords = {"kim": _password(leader.stdout, "kim")}
        passwords |= {name: _password(learners.stdout, name) for name in ("anna", "bo")}
        yield LeadersHub(proc, Hub(f"http://127.0.0.1:{port}", passwords, hub_folder), folder, CourseRun(run_dir))
    finally:
        _kill_all(proc, folder)


def test_a_course_leader_starts_a_real_course_run_on_the_hub(leaders_hub: LeadersHub) -> None:
    """README's path (``leaders_hub``): the learner lands in her modules, the leader on the start page."""
    hub, hub_folder = leaders_hub.hub, leaders_hub.hub.folder
    anna = hub.server("anna")
    home = anna.get(f"{hub.url}/user/anna/")
    assert home.url.endswith("/user/anna/voila/render/mina-moduler.ipynb")
    assert "Traceback" not in home.content.decode("utf-8")
    # the module nbgrader fetched into her home opens as its app
    assert (hub_folder / "hem" / "anna" / "mini-ht26" / "01-prov" / "01-prov.ipynb").is_file()
    app = anna.get(f"{hub.url}/user/anna/voila/render/mini-ht26/01-prov/01-prov.ipynb")
    assert app.status_code == 200 and "Traceback" not in app.content.decode("utf-8")
    kim = hub.logged_in("kim")
    assert kim.get(f"{hub.url}/").url.endswith("/hub/home")  # the leader's Swedish start page
    assert hub.service(anna, "mini-ht26").status_code == 403
    # one kernel a page she opened (the landing page at the spawn, her home again, the module): none
    # waits for a page she did not open (grading.servers.voila_settings.LEARNER_PREHEAT), even after the
    # 5 s in which a pool would refill. The landing page's was preheated, and the module's too if its
    # kernel, preheated as her next module two seconds after the landing page, had begun to start by then.
    time.sleep(REFILL_WAIT)
    kernels = _kernels_in(hub_folder / "hem" / "anna")
    assert len(kernels) == 3, kernels
    assert 1 <= sum(kernels.values()) <= 2, kernels


#: seconds after a page's handover by which a preheat pool would have started its replacement
#: (``PreheatKernelManager.fill_delay``, 5 s, and a second for the kernel's process to appear)
REFILL_WAIT = 6.0


def _kernels_in(home: Path) -> dict[str, bool]:
    """A learner's running kernels (their connection files in her home): name -> whether Voilà started it for a
    preheat pool, asked of the kernel itself (one forked by the hub's zygote shows the zygote's environment in /proc)."""
    return {path.name: kernel_setting(path, "VOILA_PREHEAT") == "True" for path in sorted(home.rglob("kernel-*.json"))}


# -- stopping: nothing Cirkel started outlives SIGTERM or Ctrl+C by more than 10 s -------------------
#: seconds after the signal by which every process must be gone (issue 17)
STOP_LIMIT = 10.0


def _started_by(proc: subprocess.Popen[str]) -> dict[int, float]:
    """Every process below the command (hub, proxy, services, servers, kernels): pid -> start time."""
    found = {}
    for child in psutil.Process(proc.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            found[child.pid] = child.create_time()
    return found


def _still_there(started: dict[int, float], folder: Path, proc: subprocess.Popen[str]) -> list[str]:
    """What is left: the processes seen before, anything working in or naming the hub folder, the command."""
    left = []
    for process in psutil.process_iter():
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                continue
            same = started.get(process.pid) == process.create_time()
            cwd, command = process.cwd(), " ".join(process.cmdline())
        except psutil.Error:
            continue
        if same or cwd.startswith(str(folder)) or str(folder) in command or process.pid == proc.pid:
            left.append(f"{process.pid} {cwd} {command[:120]}")
    return left


def _busy_platform(tmp_path: Path, *, ignore_sigint: bool = False):
    """``cirkel serve --hub --demo`` with two learners in several module apps, the leader's report
    and a learner's live app open: every kind of process the platform starts is running.

    Returns the command, its course run, its port and what it printed until it was ready.
    """
    port = free_port()
    env = {**os.environ, "CIRKEL_HUB_DIR": str(tmp_path / "hub"), "PYTHONUNBUFFERED": "1"}

    def background() -> None:  # a shell starts a background job (`make run &`) with SIGINT ignored
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    proc = subprocess.Popen(
        [str(CIRKEL), "serve", "--hub", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
        preexec_fn=background if ignore_sigint else None,
    )
    try:
        output = _read_until(proc, t("serve.hub_once"), log_dir=tmp_path)
        people = _check_what_make_run_printed(output, port, tmp_path / "hub")
        hub = Hub(f"http://127.0.0.1:{port}", people, tmp_path / "hub")
        from grading.course_runs.run import CourseRun

        course_run = CourseRun(tmp_path / "hub" / "omgang")
        for name in ("anna", "bilal"):
            session = hub.server(name)
            for module in course_run.modules[:2]:
                page = session.get(f"{hub.url}/user/{name}/voila/render/{course_run.course_id}/{module}/{module}.ipynb")
                assert page.status_code == 200, (name, module, page.status_code)
        anna = hub.logged_in("anna")
        live = anna.get(f"{hub.url}/services/{course_run.course_id}-samverkan/voila/render/gruppquiz.ipynb")
        assert live.status_code == 200
        leader = hub.logged_in("kursledare")
        report = hub.service(leader, course_run.course_id, "voila/render/appar/rapport.ipynb")
        assert report.status_code == 200
    except BaseException:
        _kill_all(proc, tmp_path)
        raise
    return proc, course_run, port


def _is_kernel(pid: int) -> bool:
    """A kernel started the stock way, or forked by the hub's zygote (named so: its command line is the zygote's)."""
    with contextlib.suppress(psutil.Error):
        return "ipykernel" in " ".join(_cmdline(pid)) or psutil.Process(pid).name() == KERNEL_NAME
    return False


def _stops_within_the_limit(
    proc: subprocess.Popen[str], folder: Path, started: dict[int, float], send, min_kernels: int = 6
) -> str:
    kernels = [pid for pid in started if _is_kernel(pid)]
    assert len(kernels) >= min_kernels, "the platform was not busy: too few kernels"
    began = time.monotonic()
    send()
    left: list[str] = []
    seen: dict[str, float] = {}  # when each process was last seen (for the failure message)
    while time.monotonic() - began < STOP_LIMIT:
        left = _still_there(started, folder, proc)
        seen.update({item: time.monotonic() - began for item in left})
        if not left and proc.poll() is not None:
            break
        time.sleep(0.2)
    took = time.monotonic() - began
    print(
        "last seen after the signal:\n"
        + "\n".join(f"{s:4.1f} s {item}" for item, s in sorted(seen.items(), key=lambda x: x[1]))
    )
    rest, _ = proc.communicate(timeout=30) if proc.poll() is not None else ("", None)
    assert not left, f"still running {STOP_LIMIT:.0f} s after the signal:\n" + "\n".join(left)
    assert proc.returncode == 0, rest
    print(f"everything stopped {took:.1f} s after the signal ({len(started)} processes, {len(kernels)} kernels)")
    return rest


def _cmdline(pid: int) -> list[str]:
    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:
        return []


def test_sigterm_stops_a_busy_hub_and_everything_it_started_within_ten_seconds(leaders_hub: LeadersHub) -> None:
    """The hub of README's path, busy (both learners in their modules, the live app, the report), then SIGTERM.

    ``make run`` (``--demo``) stops the same way (``grading.servers.supervise``): what it prints and its Ctrl+C
    are the next test's.
    """
    proc, hub, course_run = leaders_hub.proc, leaders_hub.hub, leaders_hub.course_run
    for name in ("anna", "bo"):
        session = hub.server(name)
        for module in course_run.modules:
            page = session.get(f"{hub.url}/user/{name}/voila/render/{course_run.course_id}/{module}/{module}.ipynb")
            assert page.status_code == 200, (name, module, page.status_code)
    live = hub.logged_in("anna").get(
        f"{hub.url}/services/{course_run.course_id}-samverkan/voila/render/gruppquiz.ipynb"
    )
    assert live.status_code == 200
    report = hub.service(hub.logged_in("kim"), course_run.course_id, "voila/render/appar/rapport.ipynb")
    assert report.status_code == 200
    assert processes_in(leaders_hub.folder)  # the witness below can see the hub's processes
    started = _started_by(proc)
    rest = _stops_within_the_limit(proc, hub.folder, started, lambda: proc.send_signal(signal.SIGTERM))
    assert t("serve.hub_stopping") in rest and "Traceback" not in rest
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{hub.url}/hub/login", timeout=5)
    assert not processes_in(leaders_hub.folder), "a server of the hub outlived it"


def test_ctrl_c_to_a_backgrounded_make_run_after_an_erase_stops_everything(cirkel, tmp_path: Path, monkeypatch) -> None:
    proc, course_run, _port = _busy_platform(tmp_path, ignore_sigint=True)
    try:
        monkeypatch.setenv("CIRKEL_HUB_DIR", str(tmp_path / "hub"))
        erased = cirkel("person", "erase", course_run.root, "bilal", "--yes")
        assert erased.returncode == 0, erased.stderr
        started = _started_by(proc)
        # one kernel a page still open: anna's landing page and two modules, her live app, the leader's
        # report (bilal's went with him; no preheated kernel waits: grading.servers.voila_settings)
        rest = _stops_within_the_limit(
            proc, tmp_path / "hub", started, lambda: os.killpg(proc.pid, signal.SIGINT), min_kernels=5
        )
        assert "Traceback" not in rest
        log = (tmp_path / "hub" / "jupyterhub.log").read_text(encoding="utf-8")
        assert "Failed to stop user" not in log and "were matched" not in log
    finally:
        _kill_all(proc, tmp_path)


def _kill_all(proc: subprocess.Popen[str], folder: Path) -> None:
    """After a failure: nothing of this test left running for the next one."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    for pid in processes_in(folder):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=10)


def test_cirkel_serve_without_the_hub_stops_with_its_kernels(cirkel, mini_course: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "omgang"
    cirkel("run", "create", mini_course, "--dir", run_dir, check=True)
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna\nbo,Bo\n", encoding="utf-8")
    cirkel("learners", "import", run_dir, roster, check=True)
    cirkel("release", run_dir, check=True)
    cirkel("fetch", run_dir, check=True)
    port = free_port()
    proc = subprocess.Popen(
        [str(CIRKEL), "serve", "--run", str(run_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    try:
        output = _read_until(proc, "(bo), 01-prov")
        apps = re.findall(rf"(http://127\.0\.0\.1:{port}/voila/render/\S+)", output)
        assert len(apps) >= 4, output  # each learner's home and module
        for url in apps:
            assert requests.get(url, timeout=120).status_code == 200, url
        started = _started_by(proc)
        rest = _stops_within_the_limit(
            proc, run_dir, started, lambda: proc.send_signal(signal.SIGTERM), min_kernels=len(apps)
        )
        assert t("serve.stopping") in rest and "Traceback" not in rest
    finally:
        _kill_all(proc, run_dir)
