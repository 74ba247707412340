"""nbgrader's exchange on the shared volume keeps learners apart by the uids their pods run as.

The values give the exchange's root mode 1777 (the hub pod's init container);
KubeSpawner runs each learner's pod as ``20000 + their hub id`` in group 100 and
a leader's as 1000 (``grading.hub.k8s.pod_settings``, z2jh's default). Here each
pod is a forked process that takes on that uid and group, and nbgrader's own
exchange classes release, fetch and submit, so the Unix modes nbgrader
sets are the ones that decide. What of the image this stands in for: the passwd
entry its ``start.sh`` writes for an unknown uid (named ``jovyan``, which nbgrader
answers with ``JUPYTERHUB_USER``): see ``deploy/z2jh/Dockerfile``; and a Python every
uid may start (:func:`pods_python`).
A run made for the cluster (``cirkel run create --exchange``) is then followed from the
leader's release through a learner's pod start (``grading.hub.k8s_learner``, her runs
from their rosters), her answers and hand-in, the run's grading service's grading and
feedback, to the points her page reads in her pod.
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
MODULE_PROV = "01-prov"  # the mini course's module (tests/mini_module.py)


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


def stdlib_for_the_pods() -> None:
    """Import here what the leaders' pod imports late from the standard library (see :func:`pods_python`)."""
    import concurrent.futures.process  # noqa: F401
    import encodings.ascii  # noqa: F401
    import encodings.idna  # noqa: F401

    from grading.autograde import parallel  # noqa: F401


def pods_python() -> None:
    """In a pod: the Python its kernels and children start with (a page's hand-in runs nbgrader in a child).

    The image's Python is every uid's; this machine's venv interpreter lies below root's home (mode
    700), which the pods' uids may not enter. So the grading service's grader runs in the leaders'
    pod itself (the service starts it as a child process), with what it imports late imported before
    the fork (:func:`stdlib_for_the_pods`), and the kernels it starts to run her notebook are the
    system's Python of the same minor version, with the venv's packages and data on its paths.
    """
    import sys
    import sysconfig

    paths = [os.environ.get("PYTHONPATH", ""), str(REPO), sysconfig.get_paths()["purelib"]]
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    data = [os.environ.get("JUPYTER_PATH", ""), str(Path(sys.prefix) / "share" / "jupyter")]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in data if p)
    sys.executable = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"


def pod_ok(uid: int, name: str, home: Path, work: Callable[[], object]) -> bool:
    """:func:`as_pod`, raising what failed in the pod (its traceback) if it failed."""
    ok, why = as_pod(uid, name, home, work)
    assert ok, why
    return ok


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


def test_a_release_reaches_her_home_her_hand_in_is_graded_and_her_pod_reads_the_points(volume: Path, answer) -> None:
    """One exchange on a cluster, the whole leg: the run's (``run create --exchange``), her pod's, the grading service's.

    The leader's uid releases with the run's own pipeline; the hub names her runs from their rosters;
    her pod's uid fetches at start, answers and hands in; the grading service, as the leaders' uid (as
    the hub pod runs it), grades and releases feedback; her pod's uid reads the points with the code of
    her page (``widgets.storage.feedback_points``). A learner taken off the roster gets nothing new.
    """
    from grading.autograde.pipeline import release
    from grading.autograde.points_on_submit import Grader, waiting_submissions
    from grading.course_runs.run import CourseRun, create_run
    from grading.hub.k8s_learner import fetch_at_start
    from grading.hub.k8s_rosters import rostered_runs
    from widgets.models.answer_keys import KEYS_DIRNAME, KEYS_ENV
    from widgets.storage.answers import STORE_DIRNAME
    from widgets.storage.feedback_points import feedback_points, fetch_module_feedback
    from widgets.storage.submission import find_learner, last_submission, submit_module

    from mini_module import write_mini_course

    stdlib_for_the_pods()
    (init,) = values()["hub"]["initContainers"]
    subprocess.run(["sh", "-c", init["command"][-1].replace(k8s.EXCHANGE, str(volume / "exchange"))], check=True)
    course = write_mini_course(volume / "minikurs")
    run = create_run(course, volume / "runs" / "vt27", course_id="vt27", exchange=volume / "exchange")
    with run.gradebook() as gb:  # the roster (cirkel learners import)
        for learner in ("anna", "bertil"):
            gb.update_or_create_student(learner)
    for path in [run.root, *run.root.rglob("*")]:
        os.chown(path, LEADER_UID, k8s.USERS_GID)
    homes = {"anna": (k8s.FIRST_UID + 7, volume / "anna"), "bertil": (k8s.FIRST_UID + 8, volume / "bertil")}

    def pod_starts(name: str) -> str | None:
        """The hub gives her pod her runs from their rosters; her pod, as her uid, fetches at start. The setting."""
        account = SimpleNamespace(name=name, role="deltagare", runs=(("vt27", str(run.root)),))
        runs = rostered_runs(name, {"vt27": str(run.root)})  # as the hub pod reads the run's gradebook
        given = k8s.pod_settings(account, 7, runs=runs)["environment"].get("CIRKEL_LEARNER")
        uid, home = homes[name]
        assert pod_ok(uid, name, home, lambda: fetch_at_start(home, given, str(volume / "exchange")))
        return given

    # both pods start before anything is released; then bertil is taken off the roster
    assert all(pod_starts(name) for name in homes)

    def leader_removes_bertil() -> None:  # the leader's command on the run's gradebook
        with CourseRun(run.root).gradebook() as gb:
            gb.remove_student("bertil")

    assert pod_ok(LEADER_UID, "kim", volume / "kim", leader_removes_bertil)

    def leader_releases() -> None:  # the run's own release, as in the leader's run server
        release(CourseRun(run.root), [MODULE_PROV])

    assert pod_ok(LEADER_UID, "kim", volume / "kim", leader_releases)
    assert pod_starts("anna") and pod_starts("bertil") is None  # the hub names no run for bertil now
    anna, home = homes["anna"]
    fetched = home / "vt27" / MODULE_PROV / f"{MODULE_PROV}.ipynb"
    assert fetched.is_file() and fetched.stat().st_uid == anna
    assert not (homes["bertil"][1] / "vt27" / MODULE_PROV).exists()  # off the roster: nothing new

    module = fetched.parent

    def she_answers() -> None:  # her kernel, with the run's keys where her pod mounts them (read-only)
        os.environ[KEYS_ENV] = str(run.root / KEYS_DIRNAME)
        answer(module)

    assert pod_ok(anna, "anna", home, she_answers)
    answers = {p.name: p.read_bytes() for p in (module / STORE_DIRNAME).glob("*.json")}
    assert answers and all(p.stat().st_uid == anna for p in (module / STORE_DIRNAME).glob("*.json"))
    pod_starts("anna")  # her pod starts again: her answers stay as they are
    assert {p.name: p.read_bytes() for p in (module / STORE_DIRNAME).glob("*.json")} == answers

    def she_hands_in() -> None:  # "Lämna in": nbgrader's submit in a child of her kernel
        pods_python()
        submit_module(module)

    assert pod_ok(anna, "anna", home, she_hands_in)

    def service_grades() -> None:  # the run's grading service, as the leaders' uid, on the run's folder
        pods_python()
        (waiting,) = waiting_submissions(CourseRun(run.root))
        assert (waiting.student_id, waiting.module) == ("anna", MODULE_PROV), waiting
        Grader(CourseRun(run.root)).grade(waiting)  # what its grader process does: collect, autograde, feedback

    assert pod_ok(LEADER_UID, "kim", volume / "kim", service_grades)
    with run.gradebook() as gb:
        graded = gb.find_submission(MODULE_PROV, "anna")
        expected = (float(graded.score), float(graded.max_score))
    assert 0 < expected[0] <= expected[1]  # her quiz answers earned points

    def her_page_reads_the_points() -> None:  # what "Lämna in" and "Mina moduler" do in her kernel
        pods_python()
        learner = find_learner(module)
        fetch_module_feedback(learner, MODULE_PROV)
        last = last_submission(module)
        assert last is not None
        points = feedback_points(module, last.timestamp)
        assert points is not None and (points.score, points.max_score) == expected, points

    assert pod_ok(anna, "anna", home, her_page_reads_the_points)
