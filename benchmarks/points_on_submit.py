"""Points on submit: seconds from "Lämna in" to the points on the learner's page, against the leader's steps.

Builds a course run of the real module ``05-moten`` (partiföreningsskola) with one
learner, releases and fetches it, and answers it through the real widgets
(``tests/conftest.answer_module``: everything right). Then, ``--rounds`` times
each, in the same run of this script:

* **on submit**: the run's grading service runs as the hub starts it
  (``python -m grading.hub.grading_service RUN``; a grader process is kept ready
  only after a first hand-in, so the first round is a cold start); the learner
  hands in (``submit_module``, nbgrader's ``ExchangeSubmit``) and her panel looks
  as her page does, every
  ``POLL_SECONDS`` (``widgets.kit.grading_wait.GradingWait.check``: nbgrader's
  ``ExchangeFetchFeedback``, then the points read from the feedback; ``--poll 0.1``
  looks more often, to see the time under the page's one-second steps). Timed from
  the hand-in to the points shown. The service's memory (PSS of its process tree,
  before any hand-in and with a grader ready) and its CPU seconds idle and per
  hand-in are printed too.
* **the leader's steps**: the service stopped, the learner hands in anew and the
  course leader runs ``cirkel collect RUN 05-moten`` and ``cirkel autograde RUN
  05-moten`` (the real commands, in processes of their own). Timed from the
  first command's start to the second's end; the points are then in the
  gradebook, not yet on the learner's page (feedback still to make and release),
  and no person's time is counted.

Each hand-in changes the reflection, so every round is a new submission.
Real: nbgrader, its gradebook (SQLite), the exchange, the kernels, the module,
the service and the commands. Simulated: the learner's clicks (her widgets are
driven in this process) and her page's timer (this loop).

Run it from the repository root: ``.venv/bin/python benchmarks/points_on_submit.py --rounds 3``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import answer_module  # noqa: E402

from grading.servers.serve import Learner, build_demo_run  # noqa: E402
from widgets.kit.grading_wait import POLL_SECONDS, GradingWait  # noqa: E402
from widgets.storage.answers import AnswerStore  # noqa: E402
from widgets.storage.feedback_points import SERVICE_MARK  # noqa: E402
from widgets.storage.submission import last_submission, submit_module  # noqa: E402

COURSE = REPO / "courses" / "partiforeningsskola"
MODULE = "05-moten"
LEARNER = "anna"
BIN = Path(sys.executable).parent
#: seconds the learner's page waits for its points before the round counts as failed
GIVE_UP = 120.0


def _env() -> dict[str, str]:
    return dict(os.environ, PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]), CIRKEL_LANG="sv")


def _hand_in(folder: Path, round_no: int, kind: str) -> None:
    """A new submission: the reflection says which round it is."""
    store = AnswerStore(folder / "svar")
    store.save("reflektion", "reflection", {"text": f"Omgång {round_no} ({kind}): jag tar med mig syftet."})
    submit_module(folder)


#: what the service costs: idle PSS (MiB), idle CPU seconds a minute, CPU seconds per hand-in
COSTS: dict[str, float] = {}


def _sample_peak(pid: int, stop: threading.Event, every: float = 0.2) -> None:
    """The most PSS (MiB) the service's tree holds while hand-ins are graded, in ``COSTS["peak_mib"]``."""
    from _tree_cost import tree_pss_kib

    while not stop.wait(every):
        try:
            COSTS["peak_mib"] = max(COSTS.get("peak_mib", 0.0), tree_pss_kib(pid) / 1024)
        except Exception:  # noqa: BLE001  a grader process ended while it was read
            continue


def on_submit(run, folder: Path, rounds: int, poll: float = POLL_SECONDS) -> list[float]:
    # after tests/conftest.py is imported: _tree_cost's session_memory puts tests/browser first on the path
    from _tree_cost import tree_cpu, tree_pss_kib

    service = subprocess.Popen(
        [sys.executable, "-m", "grading.hub.grading_service", str(run.root)],
        cwd=run.root,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        mark = run.exchange_root / run.course_id / SERVICE_MARK
        while not mark.exists():
            time.sleep(0.2)
        time.sleep(5)
        COSTS["idle_mib"] = tree_pss_kib(service.pid) / 1024  # before any hand-in: no grader kept ready
        idle_from = tree_cpu(service.pid)
        time.sleep(20)
        COSTS["idle_cpu_per_min"] = (tree_cpu(service.pid) - idle_from) * 3
        busy_from = tree_cpu(service.pid)
        seconds = []
        for round_no in range(1, rounds + 1):
            page = GradingWait(folder)
            stop = threading.Event()
            sampler = threading.Thread(target=_sample_peak, args=(service.pid, stop), daemon=True)
            sampler.start()
            _hand_in(folder, round_no, "on submit")
            start = time.perf_counter()
            page.follow(last_submission(folder))
            while page.grading == "waiting" and time.perf_counter() - start < GIVE_UP:
                time.sleep(poll)
                page.check()
            stop.set()
            sampler.join()
            if page.grading != "graded":
                raise SystemExit(f"round {round_no}: no points after {GIVE_UP:.0f} s ({page.grading!r})")
            seconds.append(time.perf_counter() - start)
            time.sleep(10)  # the next grader process gets ready, as between two learners' hand-ins
            COSTS["ready_mib"] = tree_pss_kib(service.pid) / 1024
        # the grader processes are the service's children, reaped when they end: counted in its children's CPU
        COSTS["cpu_per_hand_in"] = (
            tree_cpu(service.pid) - busy_from - COSTS["idle_cpu_per_min"] / 60 * 10 * rounds
        ) / rounds
        return seconds
    finally:
        service.terminate()
        service.wait(timeout=30)


def leader_steps(run, folder: Path, rounds: int) -> list[float]:
    seconds = []
    for round_no in range(1, rounds + 1):
        _hand_in(folder, round_no, "the leader's steps")
        start = time.perf_counter()
        for step in ("collect", "autograde"):
            done = subprocess.run(
                [str(BIN / "cirkel"), step, str(run.root), MODULE], cwd=run.root, env=_env(), capture_output=True
            )
            if done.returncode != 0:
                raise SystemExit(f"cirkel {step} failed: {done.stdout.decode()[-500:]}{done.stderr.decode()[-500:]}")
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="hand-ins timed each way")
    parser.add_argument(
        "--poll", type=float, default=POLL_SECONDS, help="seconds between the page's looks (the page's own by default)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cirkel-points-"))
    try:
        run = build_demo_run(folder / "run", course_dir=COURSE, learners=[Learner(LEARNER, "Anna")])
        module_dir = run.notebook_path(LEARNER, MODULE).parent
        os.environ.setdefault("CIRKEL_FACIT", str(run.root / "facit"))  # where her kernels find the keys
        answer_module(module_dir)
        ours = on_submit(run, module_dir, args.rounds, args.poll)
        theirs = leader_steps(run, module_dir, args.rounds)
        with run.gradebook() as gb:
            graded = gb.find_submission(MODULE, LEARNER)
            points = f"{graded.score:g} of {graded.max_score:g}"
        mine, leader = statistics.median(ours), statistics.median(theirs)
        print(
            f"module {MODULE}, {args.rounds} hand-ins each way, {os.cpu_count()} cores, points {points}, "
            f"the page looking every {args.poll:g} s"
        )
        print("| path | median s | each (s) |")
        print("|---|---|---|")
        print(f"| on submit: hand-in to points on the page | {mine:.1f} | {', '.join(f'{s:.1f}' for s in ours)} |")
        print(
            f"| leader: `cirkel collect` + `cirkel autograde` | {leader:.1f} | "
            f"{', '.join(f'{s:.1f}' for s in theirs)} |"
        )
        print(f"ratio (on submit / the leader's two commands): {mine / leader:.2f}")
        print(
            f"the service: {COSTS['idle_mib']:.0f} MiB PSS before any hand-in, {COSTS['ready_mib']:.0f} MiB "
            f"with a grader ready (while hand-ins come), {COSTS.get('peak_mib', 0):.0f} MiB at most while one is graded, "
            f"{COSTS['idle_cpu_per_min']:.2f} CPU s a minute idle, {COSTS['cpu_per_hand_in']:.2f} CPU s per hand-in"
        )
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
