"""``cirkel serve --hub --demo``: the demo course run behind JupyterHub on one machine.

The learners' workspaces are their hub homes (``<hub>/hem/<id>``), set through the
run's ``workspaces`` template before the modules are fetched, so what a learner's
Voilà server shows is exactly what nbgrader fetched and will collect. Accounts get
one-time passwords that are printed once and stored only as hashes.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from grading.hub.accounts import AccountStore
from grading.hub.config import PROXY_BIN, REPO, accounts_file, hub_dir
from grading.hub.runs import SERVICE_TIMEOUT
from grading.system.ports import free_port
from widgets.core.i18n import t
from widgets.core.live_names import live_service_name
from widgets.core.resources import data_folder
from widgets.core.setting_env import HUB_DIR_ENV
from widgets.core.settings import hub_settings

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun
    from grading.servers.serve import Learner

__all__ = ["LEADER", "HUB_CONFIG", "build_hub_demo", "create_demo_accounts", "start_hub", "run"]

#: the demo course leader's username
LEADER = "kursledare"
#: the hub's configuration: the checkout's deploy/; installed, deploy/ in the folder the command runs in
HUB_CONFIG = (REPO if REPO is not None else Path.cwd()) / "deploy" / "jupyterhub_config.py"


def build_hub_demo(
    folder: str | os.PathLike[str], run_dir: str | os.PathLike[str], learners: Sequence[Learner] | None = None
) -> CourseRun:
    """Create a demo course run whose learner workspaces are the learners' hub homes.

    Parameters
    ----------
    folder : the hub's data folder; homes are ``<folder>/hem/<id>``.
    run_dir : the course run folder to create (must not exist).
    learners : the learners; the three demo learners when not given.
    """
    from grading.servers.serve import DEMO_LEARNERS, build_demo_run, install_apps

    learners = DEMO_LEARNERS if learners is None else learners
    homes = hub_dir(folder) / "hem"
    homes.mkdir(parents=True, exist_ok=True)
    # the learners' workspaces are their hub homes: set before anything is fetched
    course_run = build_demo_run(run_dir, learners=learners, workspaces=str(homes / "{student_id}"))
    install_apps(course_run.root)  # "Mina moduler" into each learner's home
    return course_run


def create_demo_accounts(
    folder: str | os.PathLike[str], course_run: CourseRun, learners: Sequence[Learner] | None = None
) -> dict[str, str]:
    """Accounts for the course leader and the learners; their one-time passwords, by name.

    The passwords are returned (to be printed once) and stored only as hashes.
    """
    from grading.servers.serve import DEMO_LEARNERS

    learners = DEMO_LEARNERS if learners is None else learners
    store = AccountStore(accounts_file(folder))
    run_dir = str(course_run.root)
    passwords = {LEADER: store.create(LEADER, "kursledare", course_run.course_id, run_dir)}
    for learner in learners:
        passwords[learner.student_id] = store.create(learner.student_id, "deltagare", course_run.course_id, run_dir)
    return passwords


def hub_env(folder: str | os.PathLike[str]) -> dict[str, str]:
    """The hub's environment: the venv first on ``PATH``, and its data folder (the ``hub_dir`` setting).

    The data folder goes in the environment because the ``cirkel`` commands on this machine
    read it there too; the address and ports are the hub's own, on its command line
    (:func:`hub_arguments`).
    """
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
    env[HUB_DIR_ENV] = str(hub_dir(folder))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def hub_arguments(ip: str, port: int) -> list[str]:
    """The hub's address and internal ports as ``CirkelHubSettings`` on its command line (free ones when the defaults are taken)."""
    chosen = {
        "ip": ip,
        "port": port,
        "hub_api_port": free_port(preferred=port + 81),
        "proxy_api_port": free_port(preferred=port + 1),
    }
    return [f"--CirkelHubSettings.{name}={value}" for name, value in chosen.items()]


def start_hub(
    folder: str | os.PathLike[str],
    ip: str = "127.0.0.1",
    port: int = 8000,
    log_path: str | os.PathLike[str] | None = None,
    watch: Callable[[subprocess.Popen[bytes]], None] | None = None,
    extra_arguments: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """Start JupyterHub with ``deploy/jupyterhub_config.py`` and wait until it answers.

    ``watch`` is handed the hub's process as soon as it exists, before the wait (a stop
    asked for while the hub starts must find it). ``extra_arguments`` go on the hub's command
    line (``--Class.setting=value``, e.g. ``benchmarks/hub_load.py --stock-servers``).
    """
    if not HUB_CONFIG.is_file():  # the hub's configuration is the checkout's deploy/jupyterhub_config.py
        raise RuntimeError(t("serve.hub_config_missing", path=HUB_CONFIG))
    if not PROXY_BIN.is_file():  # `make install` puts JupyterHub's proxy there
        raise RuntimeError(t("serve.proxy_missing", path=PROXY_BIN))
    data = hub_dir(folder)
    log_path = Path(log_path or data / "jupyterhub.log")
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "grading.hub.app", "-f", str(HUB_CONFIG), *hub_arguments(ip, port), *extra_arguments],
        cwd=data,
        env=hub_env(data),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()  # the child holds its own copy
    if watch is not None:
        watch(proc)
    if not wait_for_hub(f"http://{ip}:{port}", proc):
        stop_hub(proc)
        raise RuntimeError("\n".join([*why_not_up(log_path), t("serve.hub_failed", log=log_path)]))
    return proc


def wait_for_hub(url: str, proc: subprocess.Popen[bytes]) -> bool:
    """Whether the hub at ``url`` answers its API; ``False`` as soon as its process has ended.

    The hub answers only once its proxy and every managed service are up (each asked
    over HTTP by the hub, :mod:`grading.hub.app`), so this waits as long as they take.
    The only bound is for a hub that neither answers nor ends: well past the time its
    services are given.
    """
    deadline = time.monotonic() + SERVICE_TIMEOUT + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/hub/api", timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.3)
    return False


def why_not_up(log_path: str | os.PathLike[str]) -> list[str]:
    """The hub log's Swedish lines naming a service that did not come up."""
    marker = t("hub.service_not_up", service="\0", seconds="\0").split("\0")[0]
    with contextlib.suppress(OSError):
        text = Path(log_path).read_text(encoding="utf-8", errors="replace")
        return [line[line.index(marker) :] for line in text.splitlines() if marker in line]
    return []


def stop_hub(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Stop the hub; it stops its proxy and the servers it spawned."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run(args: argparse.Namespace) -> int:
    """``cirkel serve --hub [--demo]``: the hub until Ctrl+C; with ``--demo`` a fresh demo first.

    Whenever it ends (SIGTERM, Ctrl+C, a failure, even while the demo is built or the
    hub starts), everything it started is stopped (:func:`grading.servers.supervise.supervised`).
    """
    from grading.servers.supervise import supervised

    ip = getattr(args, "ip", None) or "127.0.0.1"
    port = int(getattr(args, "port", None) or 8000)
    demo = getattr(args, "demo", False)
    folder = hub_dir() if not demo else hub_dir(hub_settings().hub_dir or data_folder() / "hub-demo")
    status = 0
    with supervised(folder, t("serve.hub_stopping")) as guard:
        status = _run_demo(folder, ip, port, guard) if demo else _serve_runs(folder, ip, port, guard)
    return status


def _run_demo(folder: Path, ip: str, port: int, guard) -> int:
    # a fresh demo each start: one-time passwords are printed once, so old accounts cannot be shown again
    if folder.exists():
        from grading.system import processes

        processes.end(processes.working_in(folder))  # anything a killed earlier start left working there
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    print(t("serve.demo_creating", path=folder), flush=True)
    course_run = build_hub_demo(folder, folder / "omgang")
    from grading.reports.printing.command import material_for_new_run

    material_for_new_run(course_run)  # the leader's start page links the run's booklet and guide
    passwords = create_demo_accounts(folder, course_run)
    _demo_circle(course_run)
    proc = _start_and_say(folder, ip, port, guard)
    if proc is None:
        return 1
    lines = [
        "",
        t("serve.hub_heading", url=f"http://{ip}:{port}/"),
        t("serve.hub_person", role=t("serve.hub_role_leader"), name=LEADER, password=passwords[LEADER]),
    ]
    for name, password in passwords.items():
        if name != LEADER:
            lines.append(t("serve.hub_person", role=t("serve.hub_role_learner"), name=name, password=password))
    from grading.servers.serve import gallery_path, report_path

    leader_home = f"http://{ip}:{port}/services/{course_run.course_id}/voila/render/"
    lines += [
        t("serve.hub_report", url=leader_home + report_path()),
        t("serve.hub_gallery", url=leader_home + gallery_path()),
        t(
            "serve.hub_live",
            url=f"http://{ip}:{port}/services/{live_service_name(course_run.course_id)}/voila/render/gruppquiz.ipynb",
        ),
    ]
    lines += _material_lines(course_run, f"http://{ip}:{port}/services/{course_run.course_id}/files/")
    lines += [t("serve.hub_first_login"), t("serve.hub_once")]
    print("\n".join(lines), flush=True)
    passwords.clear()
    guard.wait()
    return 0


def _material_lines(course_run: CourseRun, files_url: str) -> list[str]:
    """Where the leader opens the run's booklet and guide, if they were made."""
    from grading.reports.printing import BOOKLET, GUIDE, RUN_FOLDER, run_material

    if len(run_material(course_run.root)) < 2:
        return []
    url = files_url + RUN_FOLDER + "/"
    return [t("serve.hub_material", booklet=url + BOOKLET, guide=url + GUIDE)]


def _demo_circle(course_run: CourseRun) -> None:
    """A study circle of the demo learners, the first as its cirkelledare, for the live apps."""
    from grading.circles.store import CircleStore
    from grading.servers.serve import DEMO_LEARNERS

    leader, *members = DEMO_LEARNERS
    CircleStore(course_run).create_circle(
        "demo", t("serve.demo_circle"), leader.student_id, [learner.student_id for learner in members]
    )


def _serve_runs(folder: Path, ip: str, port: int, guard) -> int:
    """The hub over the accounts ``cirkel`` made in ``folder``, with the apps installed in every run."""
    from grading.servers.serve import install_apps

    store = AccountStore(accounts_file(folder))
    runs = {run_dir for account in store.all() for _, run_dir in account.runs if run_dir and Path(run_dir).is_dir()}
    if not store.all():
        print(t("serve.hub_no_accounts", path=folder), file=sys.stderr)
        return 2
    for run_dir in sorted(runs):
        install_apps(run_dir)  # the report in the run, "Mina moduler" in each learner's home
    proc = _start_and_say(folder, ip, port, guard)
    if proc is None:
        return 1
    print(t("serve.hub_running", url=f"http://{ip}:{port}/", count=len(runs)), flush=True)
    guard.wait()
    return 0


def _start_and_say(folder: Path, ip: str, port: int, guard) -> subprocess.Popen[bytes] | None:
    """Start the hub under ``guard``, saying so; ``None`` (and the reason on stderr) if it did not start."""
    print(t("serve.hub_starting", url=f"http://{ip}:{port}/"), flush=True)
    try:
        return start_hub(folder, ip, port, watch=guard.watch)
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return None
