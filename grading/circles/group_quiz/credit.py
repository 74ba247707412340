"""Completion: the group's final answers written into each learner's own answer store."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa

from grading.circles.group_quiz.db import closed_positions, parse_chosen, questions_of, run_engine, session_row
from grading.circles.group_quiz.tables import ANSWERS, CREDIT_KEPT, CREDIT_NONE, CREDIT_SAVED, PARTICIPANTS, QUIZ_KIND

# -- completion: the group's answers in each learner's own answer store -----------------------------


def credit_answers(run_dir: str | os.PathLike[str], session_id: int) -> dict[str, int]:
    """Write the session's final answers into the participants' own answer stores; returns counts per outcome.

    Called after every step that makes answers final (and safe to call again):
    for each answer not yet credited to a closed question,

    - a guest's answer, or any answer of a session that does not count, counts for nobody;
    - a learner who already chose or answered that question in their own module
      keeps their own answer (nothing of theirs is overwritten);
    - otherwise the group answer becomes their first try
      (``{"chosen": c, "tries": [c], "retrying": false}``), exactly as if they
      had answered it in the module: the bank's tries and retry rules go on from there.

    A learner whose module is not fetched yet, or whose answer file cannot be
    read or written, stays pending and is tried again at the next step (the
    damaged file is left exactly as it is; their module tells them about it).
    """
    from grading.course_runs.run import CourseRun, RunError
    from widgets.storage.answers import AnswerStore, UnreadableAnswer

    engine = run_engine(run_dir)
    outcome = {CREDIT_SAVED: 0, CREDIT_KEPT: 0, CREDIT_NONE: 0, "pending": 0}
    with engine.connect() as db:
        info = session_row(db, session_id)
        final = {q.question_id for q in questions_of(db, info.session_id)[: closed_positions(info)]}
        rows = list(
            db.execute(
                sa.select(ANSWERS.c.question_id, ANSWERS.c.person, ANSWERS.c.chosen, PARTICIPANTS.c.is_guest)
                .join(
                    PARTICIPANTS,
                    (PARTICIPANTS.c.session_id == ANSWERS.c.session_id) & (PARTICIPANTS.c.person == ANSWERS.c.person),
                )
                .where(ANSWERS.c.session_id == info.session_id, ANSWERS.c.credit.is_(None))
            )
        )
    rows = [r for r in rows if r.question_id in final]
    decided: list[tuple[str, str, str]] = []  # (question_id, person, credit)
    by_person: dict[str, list[Any]] = {}
    for row in rows:
        if row.is_guest or not info.counts:
            decided.append((row.question_id, row.person, CREDIT_NONE))
        else:
            by_person.setdefault(row.person, []).append(row)
    try:
        course_run = CourseRun(run_dir)
    except RunError:
        course_run = None
    for person, answers in by_person.items():
        try:
            folder = course_run.notebook_path(person, info.module).parent if course_run else None
        except (RunError, ValueError):
            folder = None
        if folder is None or not folder.is_dir():
            outcome["pending"] += len(answers)
            continue
        store = AnswerStore(folder / "svar")
        try:
            saved = store.load(info.exercise_id, kind=QUIZ_KIND, keep_aside=False)
        except (UnreadableAnswer, OSError):
            outcome["pending"] += len(answers)
            continue
        data = dict(saved.data) if saved is not None else {}
        questions = dict(data.get("questions") or {}) if isinstance(data.get("questions"), dict) else {}
        changed = False
        for row in answers:
            entry = questions.get(row.question_id)
            if isinstance(entry, dict) and (entry.get("chosen") or entry.get("tries")):
                decided.append((row.question_id, person, CREDIT_KEPT))
                continue
            chosen = list(parse_chosen(row.chosen))
            questions[row.question_id] = {"chosen": chosen, "tries": [chosen], "retrying": False}
            decided.append((row.question_id, person, CREDIT_SAVED))
            changed = True
        if changed:
            data["questions"] = questions
            try:
                store.save(info.exercise_id, QUIZ_KIND, data)
            except OSError:
                decided = [d for d in decided if d[1] != person]
                outcome["pending"] += len(answers)
                continue
    if decided:
        with engine.begin() as db:
            for question_id, person, credit in decided:
                db.execute(
                    ANSWERS.update()
                    .where(
                        ANSWERS.c.session_id == info.session_id,
                        ANSWERS.c.question_id == question_id,
                        ANSWERS.c.person == person,
                        ANSWERS.c.credit.is_(None),
                    )
                    .values(credit=credit)
                )
    for _q, _p, credit in decided:
        outcome[credit] += 1
    return outcome
