"""The completion table computed through nbgrader's own API (``Gradebook``): the stock baseline.

The same rows and columns as ``grading.reports.completion.completion_table``, the
gradebook part read the way nbgrader's formgrader reads it: ``Gradebook.students``,
each assignment's ``max_score`` and ``Gradebook.submission_dicts`` (nbgrader's
own joined query for a module's submissions, its fastest call for this). The
folder part is Cirkel's own (the same functions as the SQL path), so the two
tables differ only in how the gradebook is read.

``orm_table`` is the path Cirkel itself used before: each submission's
``score`` and ``needs_manual_grade`` read from nbgrader's objects (deferred
properties, queries per submission, growing with the square of the run's
size: 55 minutes at 5,000 learners). Only for small runs.
"""

from __future__ import annotations

import datetime as dt


def _frame(run, students, max_points, submissions):
    import pandas as pd

    from grading.circles.group_work import group_work_labels
    from grading.reports import completion
    from grading.reports import completion_files as files

    modules = list(run.modules)
    module_set = set(modules)
    autograded = files.autograded_pairs(run, module_set)
    collected = files.collected_dirs(run, module_set)
    pairs = [(sid, m) for sid, _ in students for m in modules]
    graded = {p for p in pairs if p in submissions and p in autograded}
    times = files.submission_times(run, collected, set(pairs) - graded)
    workspaces = files.Workspaces(run)
    group = group_work_labels(run)
    label = completion.state_label
    rows = []
    for sid, name in students:
        for module in modules:
            pair = (sid, module)
            most = max_points[module] if module in max_points else completion._module_points(run, module)
            row = {"student_id": sid, "namn": name, "module": module, "points": None, "max_points": most}
            row.update(needs_manual_grade=False, submitted_at=None)
            if pair in graded:
                score, manual, stamp = submissions[pair]
                row.update(state=label("rattad"), points=score, needs_manual_grade=manual, submitted_at=stamp)
            elif pair in times:
                row.update(state=label("inlamnad"), submitted_at=times[pair])
            elif workspaces.started(sid, module):
                row.update(state=label("paborjad"))
            else:
                row.update(state=label("ej_paborjad"))
            folder, names = completion._answer_folder(collected, workspaces, pair)
            row["unreadable"] = ", ".join(files.unreadable_in(folder, names)) if folder else ""
            row["group_work"] = group.get(pair, "")
            rows.append(row)
    frame = pd.DataFrame(rows, columns=completion.COLUMNS)
    frame["points"] = pd.to_numeric(frame["points"], errors="coerce")
    frame["max_points"] = pd.to_numeric(frame["max_points"], errors="coerce")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, errors="coerce")
    return frame


def _utc(value):
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def stock_table(run):
    """The table with the gradebook read through ``Gradebook.submission_dicts``."""
    from nbgrader.api import MissingEntry

    with run.gradebook() as gb:
        students = [(s.id, s.first_name or "") for s in sorted(gb.students, key=lambda s: s.id)]
        max_points, submissions = {}, {}
        for module in run.modules:
            try:
                assignment = gb.find_assignment(module)
            except MissingEntry:
                continue
            if assignment.notebooks:
                max_points[module] = float(assignment.max_score)
            for sub in gb.submission_dicts(module):
                submissions[(sub["student"], module)] = (
                    float(sub["score"]),
                    bool(sub["needs_manual_grade"]),
                    _utc(sub["timestamp"]),
                )
    return _frame(run, students, max_points, submissions)


def orm_table(run):
    """The table with each submission read from nbgrader's objects (the old path; small runs only)."""
    from nbgrader.api import MissingEntry

    with run.gradebook() as gb:
        students = [(s.id, s.first_name or "") for s in sorted(gb.students, key=lambda s: s.id)]
        max_points, submissions = {}, {}
        for module in run.modules:
            try:
                assignment = gb.find_assignment(module)
            except MissingEntry:
                continue
            if assignment.notebooks:
                max_points[module] = float(assignment.max_score)
            for sub in assignment.submissions:
                submissions[(sub.student.id, module)] = (
                    float(sub.score),
                    bool(sub.needs_manual_grade),
                    _utc(sub.timestamp),
                )
    return _frame(run, students, max_points, submissions)
