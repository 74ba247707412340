"""Erasing everyone kept too long: past the run's retention period, once the run has ended."""

from __future__ import annotations

import datetime as _dt
import os
from typing import TYPE_CHECKING

from grading.personal_data.erase import erase_person
from grading.personal_data.export import gradebook_record
from grading.personal_data.places import circle_data, workspace_of
from grading.personal_data.records import PersonDataError, PruneCandidate
from widgets.core.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun


def _utc(value: _dt.datetime) -> _dt.datetime:
    return value.replace(tzinfo=_dt.UTC) if value.tzinfo is None else value.astimezone(_dt.UTC)


def last_activity(run: CourseRun, student_id: str) -> _dt.datetime | None:
    """The learner's latest submission, answer-file write or attended meeting (UTC), or ``None``."""
    from grading.reports.completion import _submitted_at

    times: list[_dt.datetime] = []
    for submission in gradebook_record(run, student_id):
        if submission["timestamp"]:
            times.append(_dt.datetime.fromisoformat(submission["timestamp"]))
    for module in run.modules:
        found = _submitted_at(run, student_id, module)
        if found is not None:
            times.append(found)
    base = workspace_of(run, student_id) / run.course_id
    if base.is_dir():
        for path in base.glob("*/svar/*.json"):
            times.append(_dt.datetime.fromtimestamp(path.stat().st_mtime, _dt.UTC))
    for meeting in circle_data(run, student_id)["attendance"]:
        day = _dt.date.fromisoformat(meeting["date"])
        end = _dt.time.fromisoformat(meeting.get("end") or "23:59")
        times.append(_dt.datetime.combine(day, end).astimezone(_dt.UTC))
    return max((_utc(x) for x in times), default=None)


def run_end(run: CourseRun) -> _dt.date | None:
    """When the run ended: ``ends`` in ``cirkel-run.yml`` (a date), or ``None`` while it runs."""
    value = getattr(run, "ends", None) or run.info.get("ends")
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise PersonDataError(t("person.bad_end", value=value)) from None


def _created(run: CourseRun) -> _dt.datetime | None:
    """When the run was made (``created`` in ``cirkel-run.yml``; YAML may have parsed it already)."""
    value = run.info.get("created")
    if isinstance(value, _dt.datetime):
        return _utc(value)
    try:
        return _utc(_dt.datetime.fromisoformat(str(value))) if value else None
    except ValueError:
        return None


def _learner_ids(run: CourseRun) -> list[str]:
    with run.gradebook() as gb:
        return sorted(s.id for s in gb.students)


def prune(
    run: CourseRun,
    today: _dt.date | None = None,
    dry_run: bool = False,
    hub_folder: str | os.PathLike[str] | None = None,
    hub_db: str | os.PathLike[str] | None = None,
) -> list[PruneCandidate]:
    """Erase every learner whose last activity is older than the retention period, once the run has ended.

    A learner who never did anything counts from the run's creation. Returns
    the learners erased (with ``dry_run``: who would be, and nothing changes).
    Raises :class:`PersonDataError` while the run has no end date or has not ended.
    """
    today = today or _dt.date.today()
    ends = run_end(run)
    if ends is None:
        raise PersonDataError(t("person.prune_no_end", path=str(run.root / "cirkel-run.yml")))
    if today <= ends:
        raise PersonDataError(t("person.prune_not_ended", ends=ends.isoformat()))
    limit = _dt.datetime.combine(today - _dt.timedelta(days=run.retention_days), _dt.time(), tzinfo=_dt.UTC)
    fallback = _created(run)
    due = []
    for student_id in _learner_ids(run):
        latest = last_activity(run, student_id)
        if (latest or fallback or limit) < limit:
            due.append(PruneCandidate(student_id, latest))
    if not dry_run:
        for candidate in due:
            erase_person(run, candidate.student_id, hub_folder=hub_folder, hub_db=hub_db)
    return due
