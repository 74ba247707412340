"""Autograde throughput: stock ``nbgrader autograde`` against ``cirkel autograde``, same submissions.

Builds a course run of the real module ``05-moten`` (partiföreningsskola),
releases it, and makes six real submissions by driving the real widgets as the
tests do (``tests/conftest.answer_module``): everything right, about half the
quiz, the plan only, the quiz and plan without the voting answers, everything
right but no meeting plan, and the release untouched. ``--submissions`` learners
(``l001`` ...) each hand in a copy of one of them, in turn, into ``submitted/``
with a timestamp, as ``cirkel collect`` leaves them.

The run is then copied. Stock nbgrader grades the copy with its own command,
``nbgrader autograde 05-moten`` (one process, one submission after the other);
Cirkel grades the original with ``cirkel autograde RUN`` (``--workers``,
default one per core, each worker keeping the next kernel starting). Both are
timed from the command's start to its exit, in the same run of this script, and
every grade row of the two gradebooks is compared. ``--profile`` also times one
submission's parts in stock nbgrader: kernel start, cell execution, and
nbgrader's own conversion and gradebook work, with the CPU seconds of the
grading process and of its kernel.

Real: nbgrader, its gradebook (SQLite), the kernels, the module and the
widgets' answers. Simulated: the learners (their answers are copies of six
real answer sets, not 200 people's), and the exchange (submissions are placed
in ``submitted/`` directly, as ``collect`` would).

Run it from the repository root:
``.venv/bin/python benchmarks/autograde_throughput.py --submissions 20``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest import answer_module  # noqa: E402

from grading.autograde.pipeline import release  # noqa: E402
from grading.course_runs.run import create_run, ensure_tools_on_path  # noqa: E402

MODULE = "05-moten"
BIN = Path(sys.executable).parent


def make_variants(run, folder: Path) -> list[Path]:
    """Six real submissions of the module, answered through the real widgets."""
    variants = []

    def fresh(name: str) -> Path:
        target = folder / name
        shutil.copytree(run.root / "release" / MODULE, target)
        variants.append(target)
        return target

    answer_module(fresh("full"), "full", reflection="Jag ska fråga de nya först.")
    answer_module(fresh("partial"), "partial")
    no_voting = fresh("no-voting")
    answer_module(no_voting, "full")
    (no_voting / "svar" / "voteringsordning.json").unlink(missing_ok=True)
    no_plan = fresh("no-plan")
    answer_module(no_plan, "full", reflection="Kortare möten.")
    (no_plan / "svar" / "motesplanering.json").unlink(missing_ok=True)
    plan_only = fresh("plan-only")
    answer_module(plan_only, "partial")
    (plan_only / "svar" / "motesroller.json").unlink(missing_ok=True)
    fresh("blank")
    return variants


def grade_rows(root: Path, course_id: str) -> dict:
    from nbgrader.api import Gradebook

    rows = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id) as gb:
        for submission in gb.assignment_submissions(MODULE):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows[(submission.student.id, grade.name)] = (grade.auto_score, grade.needs_manual_grade)
    return rows


def timed(cmd: list[str], cwd: Path, log: Path) -> float:
    env = dict(os.environ, PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]), CIRKEL_LANG="sv")
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}); see {log}")
    return seconds


def profile_one(root: Path, student: str) -> None:
    """One submission through stock nbgrader's API in this process, its parts timed."""
    import cProfile
    import pstats

    from grading.course_runs.run import CourseRun

    api = CourseRun(root).api()

    def cpu():
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime

    api.autograde(MODULE, student, force=True, create=True)  # imports and caches warm
    profiler = cProfile.Profile()
    before, start = cpu(), time.perf_counter()
    profiler.runcall(api.autograde, MODULE, student, force=True, create=True)
    wall, after = time.perf_counter() - start, cpu()
    stats = pstats.Stats(profiler).stats

    def cumulative(name: str, file_part: str) -> float:
        return sum(v[3] for (f, _line, fn), v in stats.items() if fn == name and file_part in f)

    cells = cumulative("preprocess_cell", "nbconvert")
    # a kernel started and waited for alone, as nbclient does it before the first cell
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", extra_arguments=["--HistoryManager.hist_file=:memory:"])
    kernel_start = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    print(f"\none submission in stock nbgrader (profiled, {student}): {wall:.2f} s wall")
    print(f"  kernel start (until it answers, timed alone): {kernel_start:.2f} s")
    print(f"  executing the cells:             {cells:.2f} s")
    print(f"  nbgrader's conversion, gradebook, writing: {wall - kernel_start - cells:.2f} s")
    print(f"  CPU: grading process {after[0] - before[0]:.2f} s, kernel {after[1] - before[1]:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--submissions", type=int, default=20, help="learners' submissions to grade (200 for the figure)"
    )
    parser.add_argument("--workers", type=int, default=None, help="cirkel autograde --workers (default: one per core)")
    parser.add_argument("--profile", action="store_true", help="also time the parts of one stock submission")
    parser.add_argument("--keep", action="store_true", help="keep the run folders")
    args = parser.parse_args()
    ensure_tools_on_path()

    folder = Path(tempfile.mkdtemp(prefix="cirkel-autograde-"))
    try:
        course = folder / "genomstromning"
        course.mkdir()
        shutil.copytree(REPO / "courses" / "partiforeningsskola" / MODULE, course / MODULE)
        (course / "course.yml").write_text(
            f"id: genomstromning\ntitle: Genomströmning\ndescription: Mätning.\nlanguage: sv\nmodules:\n  - {MODULE}\n",
            encoding="utf-8",
        )
        run = create_run(course, folder / "cirkel")
        release(run)
        variants = make_variants(run, folder / "varianter")
        for i in range(args.submissions):
            target = run.root / "submitted" / f"l{i + 1:03d}" / MODULE
            shutil.copytree(variants[i % len(variants)], target)
            (target / "timestamp.txt").write_text(f"2026-11-20 18:{i % 60:02d}:00.000000 UTC", encoding="utf-8")
        stock_root = folder / "stock"
        shutil.copytree(run.root, stock_root)
        config = stock_root / "nbgrader_config.py"
        config.write_text(config.read_text(encoding="utf-8").replace(str(run.root), str(stock_root)), encoding="utf-8")

        n = args.submissions
        stock_s = timed([str(BIN / "nbgrader"), "autograde", MODULE], stock_root, folder / "stock.log")
        cmd = [str(BIN / "cirkel"), "autograde", str(run.root)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        cirkel_s = timed(cmd, run.root, folder / "cirkel.log")

        ours, theirs = grade_rows(run.root, run.course_id), grade_rows(stock_root, run.course_id)
        graded = len({student for student, _ in ours})
        same = ours == theirs and graded == n
        workers = args.workers or len(os.sched_getaffinity(0))
        print(f"module {MODULE}, {n} submissions ({len(variants)} real answer sets), {os.cpu_count()} cores")
        print("| grader | seconds | submissions/min |")
        print("|---|---|---|")
        print(f"| stock `nbgrader autograde {MODULE}` | {stock_s:.1f} | {n / stock_s * 60:.1f} |")
        print(f"| `cirkel autograde` ({workers} workers) | {cirkel_s:.1f} | {n / cirkel_s * 60:.1f} |")
        print(f"ratio (Cirkel's throughput / stock's): {stock_s / cirkel_s:.2f}x")
        print(f"points: {'identical' if same else 'DIFFERENT'} in all {len(ours)} grade rows of {graded} submissions")
        if args.profile:
            profile_one(stock_root, "l001")
        if args.keep:
            print(f"kept: {folder}")
        return 0 if same else 1
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
