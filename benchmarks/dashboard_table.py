"""The dashboard's table for 5,000 learners by 15 modules: SQL against nbgrader's own API.

Makes a course run in a temporary folder whose gradebook (nbgrader's, created
by nbgrader's ``Gradebook``) holds 5,000 learners and 15 modules, each module
one notebook with three automatically graded cells and one reflection graded
by hand. The rows are inserted in bulk with SQL; the folders a state needs are
made too, with a realistic mix: every learner has come some way through the
course, most of what they submitted is autograded (``autograded/``), some is
collected but not graded (``submitted/``), a few submissions still wait in
the exchange's inbound, the next module is often started (``svar/``), some
reflections still wait for the course leader.

Then, in the same process and on the same run, it times
``grading.reports.dashboard.dashboard_table`` (the gradebook read with four SQL
queries, each folder listed once) against the same table built through
nbgrader's ``Gradebook`` objects (students, assignments, submissions, each
submission's score and manual-grading flag: the path ``cirkel report`` took
until it moved to the dashboard's SQL, kept as ``orm_table`` in
``benchmarks/_stock_completion.py``),
checks that both give the same table, and prints both times and the ratio.
It also times the gradebook part alone (read_gradebook against the ORM walk).

Why the API is slow: each submission's ``score`` and ``needs_manual_grade`` are
deferred column properties, so every submission costs extra queries, and
nbgrader's schema has no index on ``grade.notebook_id`` or
``submitted_notebook.assignment_id``, so each of those queries scans the whole
grade table: the time grows with the square of the run's size. At 5,000 x 15
the API path takes the better part of an hour on a shared two-core machine.

Run: ``.venv/bin/python benchmarks/dashboard_table.py [--learners 5000] [--modules 15]
[--gradebook-part]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from _stock_completion import orm_table as completion_table  # noqa: E402

from grading.course_runs.run import RUN_FILE, CourseRun, ensure_tools_on_path  # noqa: E402
from grading.reports.completion import COLUMNS  # noqa: E402
from grading.reports.dashboard import dashboard_table, read_gradebook  # noqa: E402

COURSE_ID = "matning"
AUTO_CELLS = 3  # automatically graded cells per module, 2 points each
AUTO_POINTS = 2.0
REFLECTION_POINTS = 2.0
STAMP = "%Y-%m-%d %H:%M:%S.%f"


def _uid() -> str:
    return uuid.uuid4().hex


def make_run(root: Path, learners: int, modules: int, seed: int) -> tuple[CourseRun, dict[str, int]]:
    """Write the run, its gradebook and its folders; returns the run and the count of each state."""
    rng = random.Random(seed)
    names = [f"m{i:02d}" for i in range(1, modules + 1)]
    root.mkdir(parents=True)
    (root / "exchange").mkdir()
    (root / RUN_FILE).write_text(
        f"course_id: {COURSE_ID}\ntitle: Mätning\nmodules:\n" + "".join(f"  - {m}\n" for m in names), encoding="utf-8"
    )
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(root)!r}\nc.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(root / 'exchange')!r}\nc.Exchange.path_includes_course = True\n",
        encoding="utf-8",
    )
    run = CourseRun(root)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    start = now - dt.timedelta(days=120)

    # the assignments, notebooks and grade cells through nbgrader's own Gradebook
    cells: dict[str, tuple[str, list[str], str]] = {}  # module -> (notebook id, auto cell ids, reflection id)
    with run.gradebook() as gb:
        for module in names:
            gb.update_or_create_assignment(module)
            notebook = gb.add_notebook(module, module)
            auto = [
                gb.add_grade_cell(f"q{i}-check", module, module, max_score=AUTO_POINTS, cell_type="code").id
                for i in range(1, AUTO_CELLS + 1)
            ]
            reflection = gb.add_grade_cell(
                "reflektion-svar", module, module, max_score=REFLECTION_POINTS, cell_type="markdown"
            ).id
            cells[module] = (notebook.id, auto, reflection)
        assignment_ids = {a.name: a.id for a in gb.assignments}

    released = {m: start + dt.timedelta(days=7 * i) for i, m in enumerate(names)}
    outbound = root / "exchange" / COURSE_ID / "outbound"
    for module, when in released.items():
        (outbound / module).mkdir(parents=True)
        stamp = when.replace(tzinfo=dt.UTC).timestamp()
        os.utime(outbound / module, (stamp, stamp))

    students, subs, sub_nbs, grades = [], [], [], []
    counts = {"rattad": 0, "inlamnad": 0, "inkorg": 0, "paborjad": 0, "ej_paborjad": 0}
    inbound = root / "exchange" / COURSE_ID / "inbound"
    inbound.mkdir(parents=True)
    for n in range(1, learners + 1):
        sid = f"d{n:05d}"
        students.append((sid, f"Deltagare {n}"))
        # how far this learner has come: most are under way, some done, some never started
        reached = min(modules, max(0, int(rng.triangular(0, modules + 3, modules * 0.6))))
        for index, module in enumerate(names):
            when = released[module] + dt.timedelta(days=rng.uniform(0.5, 20), seconds=rng.randrange(86400))
            when = min(when, now - dt.timedelta(minutes=5))
            if index < reached:
                roll = rng.random()
                if roll < 0.85:  # autograded: gradebook rows and the autograded notebook
                    counts["rattad"] += 1
                    sub_id, nb_id = _uid(), _uid()
                    subs.append((sub_id, assignment_ids[module], sid, when.strftime(STAMP)))
                    notebook_id, auto, reflection = cells[module]
                    sub_nbs.append((nb_id, sub_id, notebook_id))
                    for cell in auto:
                        grades.append((_uid(), nb_id, cell, rng.choice([0.0, 1.0, 1.5, 2.0, 2.0]), None, False))
                    if rng.random() < 0.7:  # the leader has graded the reflection
                        grades.append((_uid(), nb_id, reflection, None, rng.choice([1.0, 1.5, 2.0]), False))
                    else:
                        grades.append((_uid(), nb_id, reflection, None, None, True))
                    folder = root / "autograded" / sid / module
                    folder.mkdir(parents=True)
                    (folder / f"{module}.ipynb").write_text("{}", encoding="utf-8")
                elif roll < 0.995:  # collected, not yet autograded
                    counts["inlamnad"] += 1
                    folder = root / "submitted" / sid / module
                    folder.mkdir(parents=True)
                    (folder / "timestamp.txt").write_text(when.strftime(STAMP) + " UTC", encoding="utf-8")
                else:  # still in the exchange's inbound
                    counts["inkorg"] += 1
                    (inbound / f"{sid}+{module}+{when.strftime(STAMP)} UTC+{_uid()[:10]}").mkdir()
            elif index == reached and rng.random() < 0.5:  # the next module begun
                counts["paborjad"] += 1
                svar = run.workspace(sid) / COURSE_ID / module / "svar"
                svar.mkdir(parents=True)
                (svar / "fragor.json").write_text("{}", encoding="utf-8")
            else:
                counts["ej_paborjad"] += 1

    import sqlite3

    db = sqlite3.connect(root / "gradebook.db")
    with db:
        db.executemany("INSERT INTO student (id, first_name) VALUES (?, ?)", students)
        db.executemany(
            "INSERT INTO submitted_assignment (id, assignment_id, student_id, timestamp) VALUES (?, ?, ?, ?)", subs
        )
        db.executemany(
            "INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged, "
            "late_submission_penalty) VALUES (?, ?, ?, 0, NULL)",
            sub_nbs,
        )
        db.executemany(
            "INSERT INTO grade (id, notebook_id, cell_id, auto_score, manual_score, extra_credit, "
            "needs_manual_grade) VALUES (?, ?, ?, ?, ?, NULL, ?)",
            grades,
        )
    db.close()
    return run, counts


def orm_gradebook_walk(run: CourseRun) -> int:
    """The gradebook part of ``completion_table`` alone: nbgrader's objects, as completion.py walks them."""
    from nbgrader.api import MissingEntry

    seen = 0
    with run.gradebook() as gb:
        students = sorted(gb.students, key=lambda s: s.id)
        for module in run.modules:
            try:
                assignment = gb.find_assignment(module)
            except MissingEntry:
                continue
            if assignment.notebooks:
                float(assignment.max_score)
            for sub in assignment.submissions:
                (sub.student.id, float(sub.score), bool(sub.needs_manual_grade), sub.timestamp)
                seen += 1
    return seen + len(students)


def timed(function, *args, repeat: int = 1):
    """(median seconds, last result) over ``repeat`` calls."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--modules", type=int, default=15)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the SQL path (the median is shown)")
    parser.add_argument("--keep", action="store_true", help="keep the generated run folder")
    parser.add_argument(
        "--gradebook-part",
        action="store_true",
        help="also time the gradebook part alone (SQL against the ORM walk: doubles the run time)",
    )
    args = parser.parse_args(argv)
    ensure_tools_on_path()

    folder = Path(tempfile.mkdtemp(prefix="cirkel-dashboard-bench-"))
    try:
        began = time.perf_counter()
        run, counts = make_run(folder / "run", args.learners, args.modules, args.seed)
        made = time.perf_counter() - began
        rows = args.learners * args.modules
        print(f"run: {args.learners} learners x {args.modules} modules = {rows} rows, made in {made:.1f} s")
        print("states: " + ", ".join(f"{k} {v}" for k, v in counts.items()))

        fast_s, fast = timed(dashboard_table, run, repeat=args.repeat)
        slow_s, slow = timed(completion_table, run)

        import pandas as pd

        pd.testing.assert_frame_equal(fast[COLUMNS], slow[COLUMNS], check_dtype=False)
        shown = fast["state"].value_counts().to_dict()
        print(f"the two tables agree on all {len(fast)} rows and columns {', '.join(COLUMNS)}")
        print(f"states in the table: {shown}")
        print()
        print(
            f"dashboard_table (SQL via pandas.read_sql, folders listed once): {fast_s:8.2f} s"
            f"  (median of {args.repeat})"
        )
        print(f"completion_table (nbgrader Gradebook objects):                  {slow_s:8.2f} s")
        print(f"ratio: {slow_s / fast_s:.1f}x faster")

        if args.gradebook_part:
            sql_s, _ = timed(read_gradebook, run, repeat=args.repeat)
            orm_s, _ = timed(orm_gradebook_walk, run)
            print()
            print(f"gradebook part only: SQL {sql_s:.2f} s, nbgrader objects {orm_s:.2f} s, ratio {orm_s / sql_s:.1f}x")
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
