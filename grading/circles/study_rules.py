"""The study associations' rules for a study circle, as pure functions (no I/O).

DESIGN.md, "Rules the study-circle features follow": a study hour is 45
minutes and only whole hours count; breaks do not count; at most 4 study hours
a meeting, 3 meetings and 12 hours an (ISO) week; a circle counts with 3–20
participants including the leader, at least 3 meetings and 9 study hours; a
participant counts who attended at least 3 meetings, one of them among the
first three, and at least 9 study hours (the 3-3-3-9 rule). A meeting counts
only with at least 3 present, the cirkelledare among them (issue 21): one with
fewer, or without its leader, gives no study hours to anyone.

Every result is a small frozen dataclass carrying its reasons as Swedish
sentences (through ``t()``), so the attendance app, the ``cirkel circle
status`` command and the export show the same words. What a rule cuts is
also left out of the count: a meeting's hours above 4, a fourth meeting in a
week, hours above 12 in a week, and a meeting under one study hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from grading.circles.records import Circle, Meeting
from widgets.core.i18n import t

__all__ = [
    "STUDY_HOUR_MINUTES",
    "MAX_HOURS_PER_MEETING",
    "MAX_MEETINGS_PER_WEEK",
    "MAX_HOURS_PER_WEEK",
    "MIN_PARTICIPANTS",
    "MAX_PARTICIPANTS",
    "MIN_MEETINGS",
    "MIN_HOURS",
    "FIRST_MEETINGS",
    "MIN_PRESENT",
    "MeetingCheck",
    "ParticipantCheck",
    "CircleCheck",
    "net_minutes",
    "study_hours",
    "check_meetings",
    "check_participant",
    "check_circle",
]

STUDY_HOUR_MINUTES = 45
MAX_HOURS_PER_MEETING = 4
MAX_MEETINGS_PER_WEEK = 3
MAX_HOURS_PER_WEEK = 12
MIN_PARTICIPANTS = 3
MAX_PARTICIPANTS = 20
MIN_MEETINGS = 3
MIN_HOURS = 9
#: A participant must have been at one of the circle's first this-many meetings.
FIRST_MEETINGS = 3
#: A meeting counts with at least this many present, the cirkelledare among them.
MIN_PRESENT = 3


@dataclass(frozen=True)
class MeetingCheck:
    """One meeting under the rules.

    ``hours`` are its whole study hours; ``counted_hours`` what the rules let
    count (capped per meeting and per week); ``counted`` whether it counts as a
    meeting at all; ``reasons`` say why anything was cut.
    """

    meeting: Meeting
    minutes: int
    hours: int
    counted_hours: int
    counted: bool
    reasons: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class ParticipantCheck:
    """One person under the 3-3-3-9 rule: meetings and hours attended, and whether they count."""

    student_id: str
    meetings: int
    hours: int
    in_first_three: bool
    counts: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class CircleCheck:
    """A whole circle: its meetings, its people, its totals, and whether the circle counts."""

    circle: Circle
    meetings: tuple[MeetingCheck, ...]
    participants: tuple[ParticipantCheck, ...]
    size: int
    meeting_count: int
    hours: int
    valid: bool
    reasons: tuple[str, ...]

    @property
    def counted_participants(self) -> int:
        return sum(1 for p in self.participants if p.counts)


def net_minutes(meeting: Meeting) -> int:
    """Minutes from start to end, breaks taken out."""
    return max(meeting.minutes - meeting.break_minutes, 0)


def study_hours(minutes: int) -> int:
    """Whole 45-minute study hours in ``minutes`` (44 gives 0, 45 gives 1, 89 gives 1, 90 gives 2)."""
    return max(int(minutes), 0) // STUDY_HOUR_MINUTES


def _presence_reason(present: Iterable[str], leader_id: str) -> str | None:
    """Why too few were at a meeting to count it, or ``None`` when it may count.

    A circle whose leader was erased (``leader_id == ""``) is judged on the
    number present only: the circle itself says it has no leader.
    """
    people = set(present)
    if len(people) < MIN_PRESENT:  # first: a meeting nobody has ticked yet says "0 were there"
        return t("circles.rule.too_few_present", min=MIN_PRESENT, count=len(people))
    if leader_id and leader_id not in people:
        return t("circles.rule.leader_absent", min=MIN_PRESENT)
    return None


def check_meetings(
    meetings: Iterable[Meeting],
    present: Mapping[int, Iterable[str]] | None = None,
    leader_id: str = "",
) -> tuple[MeetingCheck, ...]:
    """Every meeting in time order with its study hours and what the per-meeting and week rules cut.

    With ``present`` (meeting id -> ids present), a meeting with fewer than
    :data:`MIN_PRESENT` present or without ``leader_id`` does not count and
    takes no place in its week. Without it only the time rules apply (a plan
    before anyone has met).
    """
    ordered = sorted(meetings, key=lambda m: (m.date, m.start, m.meeting_id))
    week_meetings: dict[tuple[int, int], int] = {}
    week_hours: dict[tuple[int, int], int] = {}
    week_held: dict[tuple[int, int], int] = {}
    checks = []
    for meeting in ordered:
        minutes = net_minutes(meeting)
        hours = study_hours(minutes)
        reasons: list[str] = []
        counted_hours = min(hours, MAX_HOURS_PER_MEETING)
        if hours == 0:
            reasons.append(t("circles.rule.no_hour"))
        elif hours > MAX_HOURS_PER_MEETING:
            reasons.append(t("circles.rule.over_four", hours=hours, max=MAX_HOURS_PER_MEETING))
        year, week, _ = meeting.date.isocalendar()
        key = (year, week)
        absent = None if present is None else _presence_reason(present.get(meeting.meeting_id, ()), leader_id)
        if absent is not None:
            reasons.append(absent)
            counted_hours = 0
        if counted_hours > 0:
            if week_meetings.get(key, 0) >= MAX_MEETINGS_PER_WEEK:
                reasons.append(t("circles.rule.week_meetings", week=week, year=year, max=MAX_MEETINGS_PER_WEEK))
                counted_hours = 0
            else:
                # the week's hours as held (a 5-hour meeting is 5 here), and what is left to count
                held = week_held.get(key, 0) + hours
                week_held[key] = held
                counted_hours = min(counted_hours, MAX_HOURS_PER_WEEK - week_hours.get(key, 0))
                if held > MAX_HOURS_PER_WEEK:
                    reasons.append(
                        t(
                            "circles.rule.week_hours",
                            week=week,
                            year=year,
                            max=MAX_HOURS_PER_WEEK,
                            held=held,
                            counted=counted_hours,
                        )
                    )
        counted = counted_hours > 0
        if counted:
            week_meetings[key] = week_meetings.get(key, 0) + 1
            week_hours[key] = week_hours.get(key, 0) + counted_hours
        checks.append(MeetingCheck(meeting, minutes, hours, counted_hours, counted, tuple(reasons)))
    return tuple(checks)


def check_participant(
    student_id: str, meetings: Sequence[MeetingCheck], present: Mapping[int, Iterable[str]]
) -> ParticipantCheck:
    """The 3-3-3-9 rule for one person, over checked meetings (from :func:`check_meetings`)."""
    counted = [m for m in meetings if m.counted]
    first = {m.meeting.meeting_id for m in counted[:FIRST_MEETINGS]}
    attended = [m for m in counted if student_id in set(present.get(m.meeting.meeting_id, ()))]
    hours = sum(m.counted_hours for m in attended)
    in_first = any(m.meeting.meeting_id in first for m in attended)
    reasons = []
    if len(attended) < MIN_MEETINGS:
        reasons.append(t("circles.rule.person_attended", count=len(attended), min=MIN_MEETINGS))
    if not in_first:
        reasons.append(t("circles.rule.person_not_first", first=FIRST_MEETINGS))
    if hours < MIN_HOURS:
        reasons.append(t("circles.rule.person_few_hours", hours=hours, min=MIN_HOURS))
    return ParticipantCheck(student_id, len(attended), hours, in_first, not reasons, tuple(reasons))


def check_circle(circle: Circle, meetings: Iterable[Meeting], present: Mapping[int, Iterable[str]]) -> CircleCheck:
    """The whole circle: whether it counts, with each reason it falls short, and each person's count."""
    checks = check_meetings(meetings, present, circle.leader_id)
    size = len(circle.members)
    meeting_count = sum(1 for m in checks if m.counted)
    hours = sum(m.counted_hours for m in checks)
    reasons = []
    if not circle.leader_id:
        reasons.append(t("circles.rule.no_leader"))
    if size < MIN_PARTICIPANTS:
        reasons.append(t("circles.rule.too_few_people", count=size, min=MIN_PARTICIPANTS))
    if size > MAX_PARTICIPANTS:
        reasons.append(t("circles.rule.too_many_people", count=size, max=MAX_PARTICIPANTS))
    if meeting_count < MIN_MEETINGS:
        reasons.append(t("circles.rule.few_meetings", count=meeting_count, min=MIN_MEETINGS))
    if hours < MIN_HOURS:
        reasons.append(t("circles.rule.few_hours", hours=hours, min=MIN_HOURS))
    people = tuple(check_participant(sid, checks, present) for sid in circle.members)
    return CircleCheck(circle, checks, people, size, meeting_count, hours, not reasons, tuple(reasons))
