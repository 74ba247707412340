"""The group's answer taken from the circle's live apps, for the meeting where it was made.

The live apps keep a circle's shared work in the run's live database, by
circle: talarstatistik as sessions with their start time, the strategic plan
as one plan per circle. :func:`record_from_live` turns that into an answer file
of the module's group exercise (the same record a learner's widget writes) and
records it for the meeting through ``grading.circles.group_work``: talarstatistik from
the circle's session started on the meeting's day, the plan as the circle's
shared plan stands.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from grading.circles.group_work import GroupAnswer, group_exercise, record_group_answer
from grading.circles.store import CircleError, CircleStore, Meeting
from grading.course_runs.run import CourseRun
from widgets.core.i18n import t
from widgets.storage.answers import StoredAnswer

__all__ = ["record_from_live", "LIVE_KINDS"]

#: the exercise kinds a live app makes, by widget: (answer kind, how to read the circle's work)
LIVE_KINDS = {"SpeakerStats": "speaker-stats", "StrategicPlanBuilder": "plan"}


def _speaker_data(run: CourseRun, meeting: Meeting) -> dict[str, Any]:
    from sqlalchemy import select

    from widgets.storage.live_speaker import SESSIONS, LiveSpeakerStore

    store = LiveSpeakerStore(run.root)
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(SESSIONS.c.session_id, SESSIONS.c.started_at)
            .where(SESSIONS.c.circle_id == meeting.circle_id)
            .order_by(SESSIONS.c.session_id.desc())
        ).all()
    for session_id, started in rows:
        if dt.datetime.fromtimestamp(float(started)).date() == meeting.date:
            return store.session(int(session_id)).tally.to_json()
    raise CircleError(t("group.no_live_session", date=meeting.date.isoformat()))


def _plan_data(run: CourseRun, meeting: Meeting) -> dict[str, Any]:
    from widgets.storage.shared_plan import SharedPlanStore

    return SharedPlanStore(run.root, meeting.circle_id).snapshot().plan().to_json()


def record_from_live(run: CourseRun, meeting_id: int | str, module: str, exercise_id: str) -> GroupAnswer:
    """Record as the group's answer what the circle made in its live app for the meeting."""
    meeting = CircleStore(run).meeting(meeting_id)
    exercise = group_exercise(run, module, exercise_id)
    widget = str(exercise.get("widget"))
    if widget not in LIVE_KINDS:
        raise CircleError(t("group.no_live_app", exercise=exercise_id))
    data = _speaker_data(run, meeting) if widget == "SpeakerStats" else _plan_data(run, meeting)
    saved_at = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    record = StoredAnswer(exercise_id=exercise_id, kind=LIVE_KINDS[widget], data=data, saved_at=saved_at)
    text = json.dumps(record.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
    return record_group_answer(run, meeting.meeting_id, module, exercise_id, text)
