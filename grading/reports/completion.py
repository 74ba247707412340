"""The completion report: who has done what, from nbgrader's gradebook and exchange.

One row per learner and module, with a state a course leader reads at a
glance: ``ej påbörjad`` (nothing saved), ``påbörjad`` (answers saved in the
learner's workspace), ``inlämnad`` (submitted: in the exchange's inbound or
collected into ``submitted/``), ``rättad`` (autograded in the gradebook), and
the points. This is the one computation of it: ``cirkel report``, the
dashboard (:mod:`grading.reports.dashboard` adds circles and "behind") and every
export read this table. The gradebook is read with SQL
(:mod:`grading.reports.gradebook_sql`) and each folder listed once
(:mod:`grading.reports.completion_files`), so a run of 10,000 learners takes seconds.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import yaml

from grading.reports import completion_files as files
from grading.reports.table_text import format_points, points_texts
from widgets.core.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from grading.course_runs.run import CourseRun
    from grading.reports.gradebook_sql import GradebookFrames

__all__ = [
    "STATES",
    "COLUMNS",
    "completion_table",
    "format_points",
    "terminal_table",
    "state_label",
    "unreadable_answers",
    "UNREADABLE_MARK",
    "GROUP_MARK",
]

#: States in order of progress; the value is the string key of the label.
STATES = ("ej_paborjad", "paborjad", "inlamnad", "rattad")
COLUMNS = [
    "student_id",
    "namn",
    "module",
    "state",
    "points",
    "max_points",
    "needs_manual_grade",
    "submitted_at",
    "unreadable",
    "group_work",
]
#: What marks a cell whose points include group work done at a meeting.
GROUP_MARK = "G"
#: What marks a cell of the terminal table whose answers could not all be read.
UNREADABLE_MARK = "!"


def unreadable_answers(run: CourseRun, student_id: str, module: str) -> list[str]:
    """Answer files of the learner's module that cannot be read (a check scores such an exercise 0).

    Looked for in the collected submission (``submitted/<id>/<module>/svar``, what autograde
    grades), else in the learner's workspace. See ``widgets.storage.answers.AnswerStore.unreadable``.
    """
    from grading.course_runs.run import RunError
    from widgets.storage.answers import AnswerStore

    submission = run.root / "submitted" / student_id / module
    if submission.is_dir():
        folder = submission / "svar"
    else:
        try:
            folder = run.notebook_path(student_id, module).parent / "svar"
        except (ValueError, RunError):
            return []
    return AnswerStore(folder).unreadable()


def state_label(state: str) -> str:
    """The state as a person reads it (``ej påbörjad`` ...)."""
    return t(f"completion.state.{state}")


def completion_table(
    run: CourseRun,
    *,
    students: Sequence[str] | None = None,
    book: GradebookFrames | None = None,
    unreadable: bool = True,
) -> pd.DataFrame:
    """One row per learner and module: the one completion computation (report, dashboard, exports).

    Parameters
    ----------
    run
        The course run.
    students
        Only these learners' rows (a certificate needs one learner's); all by default.
    book
        The gradebook as :func:`grading.reports.gradebook_sql.read_gradebook` read it, when the caller has it.
    unreadable
        Whether to read every answer file to name those that cannot be read. The exports and the
        certificate show no such column and pass ``False``: the table then has no ``unreadable``
        column, and no answer file is opened (at 10,000 learners that reading is most of the time).

    Returns
    -------
    DataFrame
        ``COLUMNS``: ``student_id``, ``namn``, ``module``, ``state`` (one of ``STATES``
        as its label), ``points`` (float, or NaN until graded), ``max_points``,
        ``needs_manual_grade`` (a reflection waits for the course leader),
        ``submitted_at`` (UTC timestamp or NaT), ``unreadable`` (the learner's answer files
        that cannot be read, joined by ``", "``; empty when all can be), ``group_work``
        ("gruppuppgift ... (träff <date>)" for group work credited to the learner, else empty).
        Graded means the gradebook has the submission and its autograded notebook exists;
        submitted, that ``submitted/`` or the exchange's inbound has it; started, that the
        learner's answer store has a file.
    """
    import numpy as np
    import pandas as pd

    from grading.circles.group_work import group_work_labels
    from grading.reports.gradebook_sql import read_gradebook

    modules = list(run.modules)
    module_set = set(modules)
    verdicts = early = None
    if unreadable and students is None:  # the collected answers looked at in worker processes meanwhile
        from grading.reports.answer_verdicts import Verdicts

        collected = files.collected_dirs(run, module_set)
        verdicts = Verdicts(run.root)  # a file unchanged since an earlier report is not read again
        early = verdicts.look_ahead([(os.path.join(folder, "svar"), None) for folder in collected.values()])
    book = read_gradebook(run, students) if book is None else book
    ids = book.students["student_id"].astype(str).tolist()
    names = book.students["first_name"].fillna("").astype(str).tolist()
    frame = pd.DataFrame(
        {
            "student_id": pd.Series(np.repeat(ids, len(modules)), dtype=object),
            "namn": pd.Series(np.repeat(names, len(modules)), dtype=object),
            "module": pd.Series(modules * len(ids), dtype=object),
        }
    )
    subs = book.submissions[book.submissions["module"].isin(module_set)].copy()
    subs["has_submission"] = True
    frame = frame.merge(subs, on=["student_id", "module"], how="left")
    pairs = list(zip(frame["student_id"], frame["module"]))

    learners = None if students is None else set(ids)  # one learner's certificate lists only their folders
    has_sub = frame["has_submission"].eq(True).to_numpy()
    autograded = files.autograded_of(run, [p for p, h in zip(pairs, has_sub) if h])
    graded = np.fromiter((h and p in autograded for h, p in zip(has_sub, pairs)), dtype=bool, count=len(pairs))
    if early is None:
        collected = files.collected_dirs(run, module_set, learners)
    times = files.submission_times(run, collected, {p for p, g in zip(pairs, graded) if not g})
    submitted = np.fromiter((not g and p in times for p, g in zip(pairs, graded)), dtype=bool, count=len(pairs))
    workspaces = files.Workspaces(run)
    started = np.fromiter(
        (not (g or s) and workspaces.started(*p) for p, g, s in zip(pairs, graded, submitted)),
        dtype=bool,
        count=len(pairs),
    )

    labels = {s: state_label(s) for s in STATES}
    frame["state"] = np.where(
        graded,
        labels["rattad"],
        np.where(submitted, labels["inlamnad"], np.where(started, labels["paborjad"], labels["ej_paborjad"])),
    )
    frame["points"] = np.where(graded, frame["points"].astype(float), np.nan)
    frame["needs_manual_grade"] = graded & frame["needs_manual_grade"].eq(True).to_numpy()
    maxima = {m: book.max_points[m] if m in book.max_points else _module_points(run, m) for m in modules}
    frame["max_points"] = pd.to_numeric(frame["module"].map(maxima), errors="coerce")
    graded_at = pd.to_datetime(frame["timestamp"], utc=True, errors="coerce")
    fs_at = pd.to_datetime(pd.Series([times.get(p) for p in pairs], index=frame.index, dtype=object), utc=True)
    frame["submitted_at"] = graded_at.where(graded, fs_at)
    if unreadable:
        from grading.reports.answer_verdicts import Verdicts

        verdicts = Verdicts(run.root) if verdicts is None else verdicts
        folders = [_answer_folder(collected, workspaces, p) for p in pairs]
        listed = {}
        for finish in (verdicts.look_ahead([f for f in folders if f[0] and not (early and f[1] is None)]), early):
            listed.update(finish() if finish else {})
        listings = [(folder, listed.get(folder, [])) for folder, _names in folders]
        frame["unreadable"] = [
            ", ".join(files.unreadable_in(folder, names, verdicts.readable)) if names else ""
            for folder, names in listings
        ]
        verdicts.save(whole_run=students is None)
    group = group_work_labels(run)
    frame["group_work"] = [group.get(p, "") for p in pairs]

    frame = frame[[c for c in COLUMNS if unreadable or c != "unreadable"]].reset_index(drop=True)
    frame["points"] = pd.to_numeric(frame["points"], errors="coerce")
    frame["max_points"] = pd.to_numeric(frame["max_points"], errors="coerce")
    frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True, errors="coerce")
    return frame


def _answer_folder(
    collected: dict, workspaces: files.Workspaces, pair: tuple[str, str]
) -> tuple[str, list[str] | None]:
    """The answer folder :func:`unreadable_answers` looks in, with its names when already listed.

    ``("", [])`` when there is none; names ``None`` when the folder is still to be listed.
    """
    if pair in collected:
        return os.path.join(collected[pair], "svar"), None
    names = workspaces.answers(*pair)
    return (os.fspath(workspaces.svar_dir(*pair)), names) if names else ("", [])


def _module_points(run: CourseRun, module: str) -> float | None:
    try:
        return run.module_points(module)
    except (OSError, yaml.YAMLError, TypeError, ValueError):
        return None


def _submitted_at(run: CourseRun, student_id: str, module: str) -> _dt.datetime | None:
    """The latest submission time of one learner's module in ``submitted/`` or the exchange's inbound."""
    pair = (student_id, module)
    folder = run.root / "submitted" / student_id / module
    collected = {pair: str(folder)} if folder.is_dir() else {}
    return files.submission_times(run, collected, {pair}).get(pair)


def terminal_table(frame: pd.DataFrame) -> str:
    """Learners × modules as plain text: state and points in each cell."""
    if frame.empty:
        return t("completion.no_learners")
    modules = list(dict.fromkeys(frame["module"]))

    cells: dict[tuple[str, str], str] = {}
    names: dict[str, str] = {}
    # plain lists, not itertuples or a Series' iterator: 150,000 rows at 10,000 learners
    points = points_texts(frame["points"].tolist(), frame["max_points"].tolist())
    columns = ("student_id", "namn", "module", "state", "needs_manual_grade", "unreadable", "group_work")
    for (sid, name, module, state, manual, unreadable, group), got in zip(
        zip(*(frame[c].tolist() for c in columns)), points
    ):
        text = state
        if got:
            text += f" {got}"
        if manual:
            text += " *"
        if unreadable:
            text += f" {UNREADABLE_MARK}"
        if group:
            text += f" {GROUP_MARK}"
        cells[(sid, module)] = text
        names[sid] = name
    header = [t("completion.col.learner"), *modules]
    body = [[f"{names[sid]} ({sid})", *[cells.get((sid, m), "") for m in modules]] for sid in names]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if frame["needs_manual_grade"].any():
        lines += ["", t("completion.manual_note")]
    grouped = frame[frame["group_work"].astype(bool)]
    if not grouped.empty:
        lines += ["", t("completion.group_note", mark=GROUP_MARK)]
        lines += [
            "  " + t("completion.group_line", learner=row.student_id, module=row.module, work=row.group_work)
            for row in grouped.itertuples(index=False)
        ]
    unreadable = frame[frame["unreadable"].astype(bool)]
    if not unreadable.empty:
        lines += ["", t("completion.unreadable_note", mark=UNREADABLE_MARK)]
        lines += [
            "  " + t("completion.unreadable_line", learner=row.student_id, module=row.module, files=row.unreadable)
            for row in unreadable.itertuples(index=False)
        ]
    return "\n".join(lines)
