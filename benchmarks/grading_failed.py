"""A failed points-on-submit grading: seconds from "Lämna in" to the learner's page saying anything.

Builds a course run of the real module ``05-moten`` (partiföreningsskola) with one
learner, releases and fetches it, starts the run's grading service as the hub
does (``python -m grading.hub.grading_service RUN``), and ``--rounds`` times hands
in a submission nbgrader cannot grade: the module's notebook is not a notebook any
more (nbgrader's ``ExchangeSubmit`` hands it in, its ``collect`` takes it, Cirkel's
autograde fails on it). Her panel looks as her page does, every ``POLL_SECONDS``
(``widgets.kit.grading_wait.GradingWait.check``), and is timed from the hand-in
until it says something other than "Rättas …": "failed" with the service's mark,
"late" (after ``WAIT_SECONDS``, 120 s) without it. The first round is a cold start
(no grader kept ready yet). A grading stopped on its time limit instead says so
after ``GRADE_TIMEOUT`` (90 s) and one look.

Real: nbgrader, its gradebook (SQLite), the exchange, the service and its grader
processes. Simulated: the learner's click and her page's timer (this loop).

Run it from the repository root: ``.venv/bin/python benchmarks/grading_failed.py --rounds 3``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

from grading.servers.serve import Learner, build_demo_run  # noqa: E402
from widgets.kit.grading_wait import POLL_SECONDS, WAIT_SECONDS, GradingWait  # noqa: E402
from widgets.storage.feedback_points import SERVICE_MARK  # noqa: E402
from widgets.storage.submission import last_submission, submit_module  # noqa: E402

COURSE = REPO / "courses" / "partiforeningsskola"
MODULE = "05-moten"
LEARNER = "anna"
BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    return dict(os.environ, PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]), CIRKEL_LANG="sv")


def rounds_until_said(run, folder: Path, rounds: int, log: Path) -> list[tuple[float, str]]:
    """(seconds, state) from each failing hand-in to the page's first word after "Rättas …"."""
    with log.open("w", encoding="utf-8") as written:
        service = subprocess.Popen(
            [sys.executable, "-m", "grading.hub.grading_service", str(run.root)],
            cwd=run.root,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=written,
        )
    try:
        mark = run.exchange_root / run.course_id / SERVICE_MARK
        while not mark.exists():
            time.sleep(0.2)
        said = []
        notebook = folder / f"{MODULE}.ipynb"
        for round_no in range(1, rounds + 1):
            notebook.write_text(f"round {round_no}: not a notebook", encoding="utf-8")
            page = GradingWait(folder)
            submit_module(folder)
            start = time.perf_counter()
            page.follow(last_submission(folder))
            while page.grading == "waiting" and time.perf_counter() - start < WAIT_SECONDS + 10:
                time.sleep(POLL_SECONDS)
                page.check()
            said.append((time.perf_counter() - start, page.grading))
            time.sleep(5)  # the next grader process gets ready, as between two learners' hand-ins
        return said
    finally:
        service.terminate()
        service.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3, help="failing hand-ins timed")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cirkel-failed-"))
    try:
        run = build_demo_run(folder / "run", course_dir=COURSE, learners=[Learner(LEARNER, "Anna")])
        log = folder / "rattning.log"
        said = rounds_until_said(run, run.notebook_path(LEARNER, MODULE).parent, args.rounds, log)
        seconds = [s for s, _state in said]
        print(
            f"module {MODULE}, {args.rounds} failing hand-ins, {os.cpu_count()} cores, the page looking every "
            f"{POLL_SECONDS:g} s"
        )
        print("| round | seconds to the page's word | what it said |")
        print("|---|---|---|")
        for round_no, (s, state) in enumerate(said, 1):
            print(f"| {round_no} | {s:.1f} | {state} |")
        print(f"median {statistics.median(seconds):.1f} s (without the service's mark: {WAIT_SECONDS:.0f} s, 'late')")
        reasons = [line for line in log.read_text(encoding="utf-8").splitlines() if MODULE in line]
        print("the service said:", reasons[-1][:300] if reasons else "nothing")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
