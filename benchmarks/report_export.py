"""``cirkel report`` and every export at 10,000 learners by 15 modules, against nbgrader's own API.

Makes a course run in a temporary folder as ``dashboard_table.py`` does
(nbgrader's own gradebook made by nbgrader's ``Gradebook``, the learners,
submissions and grades inserted in bulk with SQL, the folders each state
needs) and, as nbgrader leaves a real run, keeps every collected submission in
``submitted/<id>/<module>/`` with its ``timestamp.txt`` and ``--answers``
answer files in its ``svar/`` (the report reads them to name unreadable ones).

Then, in the same process on the same run:

- the completion table through nbgrader's API (``Gradebook.students``,
  ``max_score``, ``submission_dicts``: ``benchmarks/_stock_completion.py``)
  against ``grading.reports.completion.completion_table`` (SQL), checked equal on every
  row and column;
- each command a course leader runs (``cirkel report`` with ``--csv``, ``cirkel
  export completion`` to CSV and XLSX, ``cirkel export certificate``) and the
  dashboard's table, in process through ``grading.cli.main``, once on the SQL
  table and once with the table made through nbgrader's API in its place; the
  ratio is stock seconds over Cirkel's;
- every one of those commands as a person runs it (a new process, Python's
  start and imports included): ``cirkel report`` (with and without ``--csv``),
  ``cirkel export completion`` to CSV and to XLSX, ``cirkel export certificate``.

The report remembers which answer files can be read (``grading.reports.answer_verdicts``):
the first table and each "cold answer cache" command start without that cache and
read every answer file, as the first report after new submissions does; the
others find it warm and ``stat`` each file.

Run: ``.venv/bin/python benchmarks/report_export.py [--learners 10000] [--modules 15]
[--answers 2] [--keep] [--run KEPT] [--before CHECKOUT]``; ``--before`` runs each command as a new
process with an earlier checkout's code as well, in turn with this one. The circle plans' DOCX does not read completion (one
circle's members' plans) and is not timed here.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import _stock_completion  # noqa: E402
from dashboard_table import STAMP, make_run, timed  # noqa: E402

from grading.cli import main as cirkel  # noqa: E402
from grading.course_runs.run import CourseRun, ensure_tools_on_path  # noqa: E402
from grading.reports import answer_verdicts, completion, dashboard  # noqa: E402

#: the ``cirkel`` command as a new process (``-c``, like ``-m``, puts the working folder first on the path)
CIRKEL = "from grading.cli import main; raise SystemExit(main())"


def keep_submissions(run, answers: int) -> int:
    """Put every graded submission back in ``submitted/`` (nbgrader keeps it there) with its answer files."""
    import pandas as pd
    import sqlalchemy as sa

    engine = sa.create_engine(run.db_url)
    with engine.connect() as conn:
        rows = pd.read_sql(
            sa.text(
                "SELECT sa.student_id, a.name AS module, sa.timestamp FROM submitted_assignment sa "
                "JOIN assignment a ON a.id = sa.assignment_id"
            ),
            conn,
        )
    engine.dispose()
    made = 0
    for row in rows.itertuples(index=False):
        folder = run.root / "submitted" / row.student_id / row.module
        (folder / "svar").mkdir(parents=True, exist_ok=True)
        stamp = pd.Timestamp(row.timestamp).strftime(STAMP)
        (folder / "timestamp.txt").write_text(stamp + " UTC", encoding="utf-8")
        made += 1
    for folder in (run.root / "submitted").glob("*/*/"):
        svar = folder / "svar"
        svar.mkdir(exist_ok=True)
        for number in range(1, answers + 1):
            exercise = f"uppgift-{number}"
            record = {"schema": 1, "exercise_id": exercise, "kind": "quiz", "saved_at": "2026-11-01T10:00:00.000+00:00"}
            record["data"] = {"answers": {"q1": [number % 3]}, "tries": number}
            (svar / f"{exercise}.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    return made


def quiet(argv: list[str]) -> None:
    """``cirkel ARGV`` in this process, its printed lines kept from the terminal."""
    with contextlib.redirect_stdout(io.StringIO()):
        code = cirkel(argv)
    if code != 0:
        raise SystemExit(f"cirkel {' '.join(argv)} exited {code}")


@contextlib.contextmanager
def stock_tables():
    """Every caller of ``completion_table`` gets the table made through nbgrader's API instead."""
    original = completion.completion_table

    def stock(run, *, students=None, book=None, unreadable=True):
        frame = _stock_completion.stock_table(run)
        if not unreadable:
            frame = frame.drop(columns=["unreadable"])
        return frame if students is None else frame[frame["student_id"].isin(students)].reset_index(drop=True)

    completion.completion_table = stock
    dashboard.completion_table = stock
    try:
        yield
    finally:
        completion.completion_table = original
        dashboard.completion_table = original


def build(root: Path, learners: int, args) -> tuple:
    began = time.perf_counter()
    run, counts = make_run(root, learners, args.modules, args.seed)
    kept = keep_submissions(run, args.answers)
    rows = learners * args.modules
    print(
        f"run: {learners} learners x {args.modules} modules = {rows} rows, made in {time.perf_counter() - began:.1f} s"
    )
    print("states: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"graded submissions kept in submitted/: {kept}; {args.answers} answer files in each submission's svar/")
    return run, rows


def measure(run, rows: int, out: Path, args, stock: bool) -> None:
    """Time the table, each command and the dashboard; with ``stock`` also through nbgrader's API."""
    import pandas as pd

    out.mkdir()
    commands = {
        "cirkel report --csv": ["report", str(run.root), "--csv", str(out / "rapport.csv")],
        "cirkel export completion (CSV)": ["export", "completion", str(run.root), "--out", str(out / "klar.csv")],
        "cirkel export completion (XLSX)": ["export", "completion", str(run.root), "--out", str(out / "klar.xlsx")],
        "cirkel export certificate": ["export", "certificate", str(run.root), "d00001", "--out", str(out / "i.pdf")],
    }
    tasks = {"completion table": lambda: completion.completion_table(run)}
    tasks.update({name: (lambda command=command: quiet(command)) for name, command in commands.items()})
    tasks["dashboard table"] = lambda: dashboard.dashboard_table(run)
    answer_verdicts.clear(run.root)  # the first report after new submissions reads every answer file
    began = time.perf_counter()
    tasks["completion table"]()  # imports and the file system's caches warm, as for every later figure
    print(f"completion table, cold answer cache (every answer file read): {time.perf_counter() - began:.2f} s")
    if stock:
        pd.testing.assert_frame_equal(
            completion.completion_table(run), _stock_completion.stock_table(run), check_dtype=False
        )
        print(f"the two tables agree on all {rows} rows and columns {', '.join(completion.COLUMNS)}")
    print(f"{'':34} {'nbgrader API':>13} {'Cirkel':>9} {'ratio':>8}")
    for name, task in tasks.items() if not args.processes_only else ():
        cirkel_s, _ = timed(task, repeat=args.repeat)
        if stock:
            with stock_tables():
                slow_s, _ = timed(task)
            print(f"{name:34} {slow_s:12.2f}s {cirkel_s:8.2f}s {slow_s / cirkel_s:7.1f}x")
        else:
            print(f"{name:34} {'':>13} {cirkel_s:8.2f}s")
    codes = {"": str(REPO)} if args.before is None else {"before: ": str(args.before.resolve()), "": str(REPO)}
    report, csv = ["report", str(run.root)], ["--csv", str(out / "rapport.csv")]
    groups = (  # a warm report right after its cold one, with the same code: each code keeps its own cache
        (("cirkel report, cold answer cache", report), ("cirkel report", report)),
        (("cirkel report --csv, cold answer cache", report + csv), ("cirkel report --csv", report + csv)),
        (
            (
                "cirkel export completion --out .csv",
                ["export", "completion", str(run.root), "--out", str(out / "n.csv")],
            ),
        ),
        (
            (
                "cirkel export completion --out .xlsx",
                ["export", "completion", str(run.root), "--out", str(out / "n.xlsx")],
            ),
        ),
        (
            (
                "cirkel export certificate",
                ["export", "certificate", str(run.root), "d00001", "--out", str(out / "n.pdf")],
            ),
        ),
    )
    for group in groups:
        for label, code in codes.items():  # with --before: that code, then this, in the same minutes
            env = {**os.environ, "PYTHONPATH": os.pathsep.join([code, os.environ.get("PYTHONPATH", "")])}
            for name, command in group:
                if "cold" in name:
                    answer_verdicts.clear(run.root)
                began, used = time.perf_counter(), _children_cpu()
                subprocess.run(
                    [sys.executable, "-c", CIRKEL, *command],
                    env=env,
                    cwd=code,  # "-c" puts the working folder first on the path
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                wall, cpu = time.perf_counter() - began, _children_cpu() - used
                load = os.getloadavg()[0]
                print(f"{label}{name}, a new process: {wall:.2f} s ({cpu:.2f} s of CPU, load {load:.1f})")


def _children_cpu() -> float:
    """User and system CPU seconds of the finished child processes: others' load moves it less than the wall time."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=10000)
    parser.add_argument("--modules", type=int, default=15)
    parser.add_argument("--answers", type=int, default=2, help="answer files in each submission's svar/")
    parser.add_argument(
        "--stock-learners",
        type=int,
        default=500,
        help="learners of the run on which nbgrader's API is timed too (its time grows with the square "
        "of the run: at 10,000 it takes hours); 0 skips it",
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each Cirkel command (the median is shown)")
    parser.add_argument("--keep", action="store_true", help="keep the generated run folder")
    parser.add_argument(
        "--run", type=Path, help="time the big run on this run folder (kept by an earlier --keep) instead of a new one"
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="a checkout of earlier code (a git worktree): each command as a new process is run with it too, "
        "in turn with this code, so both see the same load",
    )
    parser.add_argument(
        "--processes-only", action="store_true", help="time only the commands as new processes (the big run)"
    )
    args = parser.parse_args(argv)
    ensure_tools_on_path()

    folder = Path(tempfile.mkdtemp(prefix="cirkel-report-bench-"))
    try:
        if args.stock_learners:
            run, rows = build(folder / "small", args.stock_learners, args)
            measure(run, rows, folder / "small-out", args, stock=True)
            print()
        if args.run:
            run = CourseRun(args.run.resolve() / "run" if (args.run / "run").is_dir() else args.run.resolve())
            rows = len(completion.completion_table(run, unreadable=False))
            print(f"run: {run.root}, {rows} rows (made by an earlier --keep)")
            measure(run, rows, folder / "out", args, stock=False)
        elif args.learners != args.stock_learners:
            run, rows = build(folder / "run", args.learners, args)
            measure(run, rows, folder / "out", args, stock=False)
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
