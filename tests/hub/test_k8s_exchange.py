"""nbgrader's exchange on the shared volume keeps learners apart by the uids their pods run as.

The values give the exchange's root mode 1777 (the hub pod's init container);
KubeSpawner runs each learner's pod as ``20000 + their hub id`` in group 100 and
a leader's as 1000 (``grading.hub.k8s.pod_settings``, z2jh's default). Here each
pod is a forked process that takes on that uid and group, and nbgrader's own
exchange classes release, fetch and submit, so the Unix modes nbgrader
sets are the ones that decide. The one thing of the image this stands in for is
the passwd entry its ``start.sh`` writes for an unknown uid (named ``jovyan``,
which nbgrader answers with ``JUPYTERHUB_USER``): see ``deploy/z2jh/Dockerfile``.
A run made for the cluster (``cirkel run create --exchange``) is then followed from the
leader's release through a learner's pod start (``grading.hub.k8s_learner``) and her
hand-in to what the run's grading service waits on.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeReleaseAssignment, ExchangeSubmit
from traitlets.config import Config

from grading.hub import k8s

from z2jh_values import REPO, values

pytestmark = [
    pytest.mark.hub,
    pytest.mark.skipif(os.geteuid() != 0, reason="taking on the pods' uids needs root (as CI runs)"),
]

LEADER_UID = 1000  # z2jh's singleuser.uid default: a leader's pod
MODULE = "01-moten"


def as_pod(uid: int, name: str, home: Path, work: Callable[[], object]) -> tuple[bool, str]:
    """Run ``work`` in a child process with the pod's uid and group 100; (it succeeded, what failed)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        code = 1
        try:
            os.setgroups([])
            os.setgid(k8s.USERS_GID)
            os.setuid(uid)
            os.environ.update(HOME=str(home), JUPYTERHUB_USER=name, USER="jovyan")
            entry = pwd.struct_passwd(("jovyan", "x", uid, k8s.USERS_GID, "", str(home), "/bin/bash"))
            pwd.getpwuid = lambda _uid: entry  # what start.sh's passwd line gives (see the module docstring)
            os.chdir(home)
            work()
            code = 0
        except BaseException:  # noqa: BLE001  (the parent reads it)
            os.write(write, traceback.format_exc()[-2000:].encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0, message


@pytest.fixture
def volume() -> Iterator[Path]:
    """A fresh volume (root's, mode 755, as a new claim is) with the leader's run and the homes."""
    top = Path(tempfile.mkdtemp(prefix="cirkel-exchange-"))
    top.chmod(0o755)
    (top / "exchange").mkdir(mode=0o755)
    release = top / "runs" / "ht26" / "release" / MODULE
    release.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), release / f"{MODULE}.ipynb")
    for path in [top / "runs", *(top / "runs").rglob("*")]:
        os.chown(path, LEADER_UID, k8s.USERS_GID)
    for name, uid in (("kim", LEADER_UID), ("anna", k8s.FIRST_UID + 7), ("bertil", k8s.FIRST_UID + 8)):
        (top / name).mkdir()
        os.chown(top / name, uid, k8s.USERS_GID)
    try:
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _run(exchange_class: type, top: Path, leader: bool = False) -> Callable[[], None]:
    def work() -> None:
        c = Config()
        c.Exchange.root = str(top / "exchange")
        c.Exchange.path_includes_course = True  # as the values' nbgrader configuration
        c.CourseDirectory.course_id = "ht26"
        c.CourseDirectory.assignment_id = MODULE
        if leader:
            c.CourseDirectory.root = str(top / "runs" / "ht26")
        coursedir = CourseDirectory(config=c)
        exchange_class(coursedir=coursedir, authenticator=Authenticator(config=c), config=c).start()

    return work


def test_learners_submit_through_the_shared_exchange_but_never_see_each_other(volume: Path) -> None:
    anna, bertil = k8s.FIRST_UID + 7, k8s.FIRST_UID + 8
    assert k8s.pod_settings(None, user_id=7)["uid"] == anna  # the uid the hub gives anna's pod
    # a fresh claim's root is root's: nbgrader's release refuses it (it cannot make it 777)
    released, why = as_pod(LEADER_UID, "kim", volume / "kim", _run(ExchangeReleaseAssignment, volume, leader=True))
    assert not released, "released into an exchange no learner could write to"
    # the hub pod's init container, as values.yaml has it, on this volume's exchange
    (init,) = values()["hub"]["initContainers"]
    command = init["command"][-1].replace(k8s.EXCHANGE, str(volume / "exchange"))
    subprocess.run(["sh", "-c", command], check=True)
    assert as_pod(LEADER_UID, "kim", volume / "kim", _run(ExchangeReleaseAssignment, volume, leader=True)) == (True, "")
    for uid, name in ((anna, "anna"), (bertil, "bertil")):
        assert as_pod(uid, name, volume / name, _run(ExchangeFetchAssignment, volume)) == (True, "")
    assert (volume / "anna" / "ht26" / MODULE / f"{MODULE}.ipynb").is_file()  # path_includes_course
    assert as_pod(anna, "anna", volume / "anna", _run(ExchangeSubmit, volume)) == (True, "")
    inbound = volume / "exchange" / "ht26" / "inbound"
    (submission,) = os.listdir(inbound)
    assert submission.startswith(f"anna+{MODULE}+") and (inbound / submission).stat().st_uid == anna

    def peek() -> None:
        os.listdir(inbound)

    # bertil's pod cannot list the submissions (inbound is 2733), nor write into anna's home
    listed, why = as_pod(bertil, "bertil", volume / "bertil", peek)
    assert not listed and "PermissionError" in why
    written, why = as_pod(bertil, "bertil", volume / "bertil", lambda: (volume / "anna" / "x").write_text("x"))
    assert not written and "PermissionError" in why

    # the leader's pod, which owns inbound, lists and reads it, as nbgrader's collect does (collect
    # itself opens the gradebook through the `alembic` command, which that uid cannot run here)
    def read_submissions() -> None:
        (found,) = os.listdir(inbound)
        nbformat.read(inbound / found / f"{MODULE}.ipynb", as_version=4)

    assert as_pod(LEADER_UID, "kim", volume / "kim", read_submissions) == (True, "")


def test_the_image_lets_start_sh_name_a_learners_uid() -> None:
    """nbgrader asks the passwd file for the user's name; start.sh adds the pod's uid when it may write it."""
    dockerfile = (REPO / "deploy" / "z2jh" / "Dockerfile").read_text(encoding="utf-8")
    assert "chgrp users /etc/passwd" in dockerfile and "chmod g+w /etc/passwd" in dockerfile
    assert values()["singleuser"].get("uid", 1000) == LEADER_UID


def test_a_release_reaches_her_home_at_her_pods_start_and_her_hand_in_reaches_the_grading_service(volume: Path) -> None:
    """One exchange on a cluster: the run's (``run create --exchange``), her pod's and the grading service's."""
    from grading.autograde.points_on_submit import waiting_submissions
    from grading.course_runs.run import CourseRun, create_run
    from grading.hub.k8s_learner import fetch_at_start
    from widgets.storage.submission import submit_module

    from mini_module import write_mini_course

    (init,) = values()["hub"]["initContainers"]
    subprocess.run(["sh", "-c", init["command"][-1].replace(k8s.EXCHANGE, str(volume / "exchange"))], check=True)
    course = write_mini_course(volume / "minikurs")
    run = create_run(course, volume / "runs" / "vt27", course_id="vt27", exchange=volume / "exchange")
    release = run.root / "release" / "01-prov"
    release.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("släppt")]), release / "01-prov.ipynb")
    for path in [run.root, *run.root.rglob("*")]:
        os.chown(path, LEADER_UID, k8s.USERS_GID)

    def leader_releases() -> None:  # with the run's own nbgrader configuration, as in the leader's run server
        cfg = CourseRun(run.root).config()
        cfg.CourseDirectory.assignment_id = "01-prov"
        coursedir = CourseDirectory(config=cfg)
        ExchangeReleaseAssignment(coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg).start()

    assert as_pod(LEADER_UID, "kim", volume / "kim", leader_releases) == (True, "")
    anna, home = k8s.FIRST_UID + 7, volume / "anna"
    environ = k8s.pod_settings(SimpleNamespace(name="anna", role="deltagare", runs=(("vt27", ""),)), 7)["environment"]

    def pod_starts() -> None:  # what deploy/z2jh/jupyter_server_config.py does in her pod
        (result,) = fetch_at_start(home, environ["CIRKEL_LEARNER"], exchange=str(volume / "exchange"))
        assert result.ok and result.released, result

    assert as_pod(anna, "anna", home, pod_starts) == (True, "")
    fetched = home / "vt27" / "01-prov" / "01-prov.ipynb"
    assert nbformat.read(fetched, as_version=4).cells[0].source == "släppt" and fetched.stat().st_uid == anna
    mine = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("mitt svar")])
    assert as_pod(anna, "anna", home, lambda: nbformat.write(mine, fetched)) == (True, "")
    assert as_pod(anna, "anna", home, pod_starts) == (True, "")  # her pod starts again: her answer stays
    assert nbformat.read(fetched, as_version=4).cells[0].source == "mitt svar"
    assert as_pod(anna, "anna", home, lambda: submit_module(fetched.parent)) == (True, "")  # "Lämna in"

    def service_sees_it() -> None:  # the grading service runs as the leader's uid on the run's folder
        (waiting,) = waiting_submissions(CourseRun(run.root))
        assert (waiting.student_id, waiting.module) == ("anna", "01-prov"), waiting

    assert as_pod(LEADER_UID, "kim", volume / "kim", service_sees_it) == (True, "")
