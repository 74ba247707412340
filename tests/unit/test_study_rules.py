"""The study associations' rules on their edges: hours, week limits, circle validity, 3-3-3-9."""

from __future__ import annotations

import datetime as dt

import pytest

from grading.circles.store import Circle, Meeting
from grading.circles.study_rules import check_circle, check_meetings, check_participant, study_hours
from widgets.core.i18n import t

pytestmark = pytest.mark.unit

MONDAY = dt.date(2026, 11, 2)  # ISO week 45


def meeting(number: int, minutes: int, *, day: dt.date | None = None, pause: int = 0, start: str = "18:00") -> Meeting:
    """A meeting of ``minutes`` (breaks included) on ``day`` (one week after another by default)."""
    begins = dt.datetime.combine(day or MONDAY + dt.timedelta(weeks=number - 1), dt.time.fromisoformat(start))
    ends = begins + dt.timedelta(minutes=minutes)
    return Meeting(number, "c", begins.date(), begins.time(), ends.time(), pause)


def circle(size: int, leader: str = "p0") -> Circle:
    people = [leader] + [f"p{i}" for i in range(1, size)]
    return Circle("c", "Cirkeln", leader, tuple(people))


def weekly(count: int, minutes: int = 135) -> list[Meeting]:
    return [meeting(n, minutes) for n in range(1, count + 1)]


def all_there(size: int, count: int = 10) -> dict[int, set[str]]:
    """Everyone of ``circle(size)`` present at meetings 1 to ``count``."""
    return {n: set(circle(size).members) for n in range(1, count + 1)}


@pytest.mark.parametrize(
    ("minutes", "hours"), [(0, 0), (44, 0), (45, 1), (89, 1), (90, 2), (134, 2), (135, 3), (180, 4), (224, 4), (225, 5)]
)
def test_whole_45_minute_hours(minutes, hours):
    assert study_hours(minutes) == hours


def test_44_minutes_gives_no_hour_and_the_meeting_does_not_count_45_gives_one():
    short, enough = check_meetings([meeting(1, 44), meeting(2, 45)])
    assert (short.hours, short.counted_hours, short.counted) == (0, 0, False)
    assert short.reasons == (t("circles.rule.no_hour"),)
    assert (enough.hours, enough.counted_hours, enough.counted, enough.ok) == (1, 1, True, True)


def test_89_and_90_minutes():
    first, second = check_meetings([meeting(1, 89), meeting(2, 90)])
    assert (first.counted_hours, second.counted_hours) == (1, 2)


def test_a_break_takes_a_meeting_from_two_hours_to_one():
    without, with_break = check_meetings([meeting(1, 100), meeting(2, 100, pause=15)])
    assert (without.minutes, without.counted_hours) == (100, 2)
    assert (with_break.minutes, with_break.counted_hours) == (85, 1)


def test_four_study_hours_count_whole_and_four_hours_45_minutes_is_flagged_and_capped():
    four, more = check_meetings([meeting(1, 180), meeting(2, 225)])
    assert (four.hours, four.counted_hours, four.ok) == (4, 4, True)
    assert (more.hours, more.counted_hours, more.counted) == (5, 4, True)
    assert more.reasons == (t("circles.rule.over_four", hours=5, max=4),)


def test_a_fourth_meeting_in_one_iso_week_is_flagged_and_not_counted():
    days = [MONDAY + dt.timedelta(days=d) for d in range(4)]
    checks = check_meetings([meeting(n + 1, 90, day=day) for n, day in enumerate(days)])
    assert [c.counted for c in checks] == [True, True, True, False]
    assert checks[3].counted_hours == 0
    assert checks[3].reasons == (t("circles.rule.week_meetings", week=45, year=2026, max=3),)
    # the next Monday is a new ISO week: counted again
    monday_after = check_meetings(
        [meeting(n + 1, 90, day=day) for n, day in enumerate([*days[:3], MONDAY + dt.timedelta(days=7)])]
    )
    assert all(c.ok and c.counted for c in monday_after)


def test_twelve_hours_in_a_week_pass_thirteen_are_flagged_and_twelve_count():
    days = [MONDAY + dt.timedelta(days=d) for d in range(3)]
    twelve = check_meetings([meeting(n + 1, 180, day=day) for n, day in enumerate(days)])
    assert [c.counted_hours for c in twelve] == [4, 4, 4] and all(c.ok for c in twelve)
    thirteen = check_meetings(
        [meeting(1, 180, day=days[0]), meeting(2, 180, day=days[1]), meeting(3, 225, day=days[2])]
    )
    assert [c.hours for c in thirteen] == [4, 4, 5]
    assert [c.counted_hours for c in thirteen] == [4, 4, 4]
    assert thirteen[2].reasons == (
        t("circles.rule.over_four", hours=5, max=4),
        t("circles.rule.week_hours", week=45, year=2026, max=12, counted=4),
    )
    long_two = check_meetings([meeting(1, 270, day=days[0]), meeting(2, 315, day=days[1])])  # 6 + 7 hours
    assert [c.counted_hours for c in long_two] == [4, 4]
    assert t("circles.rule.week_hours", week=45, year=2026, max=12, counted=4) in long_two[1].reasons
    assert not any("12" in reason for reason in long_two[0].reasons)


def test_meetings_are_judged_in_time_order_whatever_order_they_come_in():
    days = [MONDAY + dt.timedelta(days=d) for d in (3, 0, 2, 1)]
    checks = check_meetings([meeting(n + 1, 90, day=day) for n, day in enumerate(days)])
    assert [c.meeting.date for c in checks] == sorted(days)
    assert not checks[-1].counted and checks[-1].meeting.date == MONDAY + dt.timedelta(days=3)


@pytest.mark.parametrize(("size", "valid"), [(2, False), (3, True), (20, True), (21, False)])
def test_three_to_twenty_people_including_the_leader(size, valid):
    everyone = set(circle(size).members)
    result = check_circle(circle(size), weekly(3), {n: everyone for n in (1, 2, 3)})
    assert result.size == size and result.valid is valid
    if size == 2:  # and no meeting of two people counts
        assert result.reasons[0] == t("circles.rule.too_few_people", count=2, min=3)
        assert result.meeting_count == 0
    if size == 21:
        assert result.reasons == (t("circles.rule.too_many_people", count=21, max=20),)


def test_a_circle_needs_three_meetings_and_nine_hours_and_says_each_shortfall():
    two_short = check_circle(circle(3), [meeting(1, 135), meeting(2, 90)], all_there(3))
    assert not two_short.valid
    assert two_short.reasons == (
        t("circles.rule.few_meetings", count=2, min=3),
        t("circles.rule.few_hours", hours=5, min=9),
    )
    eight = check_circle(circle(3), [meeting(1, 135), meeting(2, 135), meeting(3, 90)], all_there(3))
    assert eight.reasons == (t("circles.rule.few_hours", hours=8, min=9),)
    nine = check_circle(circle(3), weekly(3), all_there(3))
    assert nine.valid and (nine.meeting_count, nine.hours) == (3, 9) and nine.reasons == ()


def test_a_meeting_a_rule_cuts_does_not_make_up_the_three():
    result = check_circle(circle(3), [meeting(1, 135), meeting(2, 135), meeting(3, 44), meeting(4, 225)], all_there(3))
    assert (result.meeting_count, result.hours) == (3, 10) and result.valid


def test_a_circle_without_its_leader_does_not_count():
    leaderless = Circle("c", "Cirkeln", "", ("p1", "p2", "p3"))
    everyone = {n: {"p1", "p2", "p3"} for n in (1, 2, 3)}
    assert check_circle(leaderless, weekly(3), everyone).reasons == (t("circles.rule.no_leader"),)


# -- 3-3-3-9 ---------------------------------------------------------------------------
def test_present_at_three_meetings_one_of_the_first_three_and_nine_hours_counts():
    checks = check_meetings(weekly(5))
    person = check_participant("p1", checks, {3: {"p1"}, 4: {"p1"}, 5: {"p1"}})
    assert (person.meetings, person.hours, person.in_first_three, person.counts) == (3, 9, True, True)
    assert person.reasons == ()


def test_present_only_from_meeting_four_on_does_not_count():
    checks = check_meetings(weekly(6))
    person = check_participant("p1", checks, {4: {"p1"}, 5: {"p1"}, 6: {"p1"}})
    assert (person.meetings, person.hours, person.counts) == (3, 9, False)
    assert person.reasons == (t("circles.rule.person_not_first", first=3),)


def test_first_three_means_the_first_three_that_count():
    checks = check_meetings([meeting(1, 44), *[meeting(n, 135) for n in range(2, 6)]])
    person = check_participant("p1", checks, {4: {"p1"}, 5: {"p1"}, 3: {"p1"}})
    assert person.counts, "meeting 1 gave no study hour, so meetings 2-4 are the first three"


def test_two_meetings_or_eight_hours_are_too_few():
    checks = check_meetings([meeting(1, 135), meeting(2, 135), meeting(3, 90), meeting(4, 135)])
    two = check_participant("p1", checks, {1: {"p1"}, 2: {"p1"}})
    assert two.reasons == (
        t("circles.rule.person_attended", count=2, min=3),
        t("circles.rule.person_few_hours", hours=6, min=9),
    )
    eight = check_participant("p1", checks, {1: {"p1"}, 2: {"p1"}, 3: {"p1"}})
    assert (eight.meetings, eight.hours) == (3, 8)
    assert eight.reasons == (t("circles.rule.person_few_hours", hours=8, min=9),)


def test_never_present_says_every_reason():
    person = check_participant("p1", check_meetings(weekly(3)), {})
    assert person.reasons == (
        t("circles.rule.person_attended", count=0, min=3),
        t("circles.rule.person_not_first", first=3),
        t("circles.rule.person_few_hours", hours=0, min=9),
    )


def test_circle_check_counts_each_member_the_leader_too():
    present = {1: {"p0", "p1", "p2"}, 2: {"p0", "p1", "p3"}, 3: {"p0", "p1", "p3"}, 4: {"p0", "p2", "p3"}}
    result = check_circle(circle(4), weekly(4), present)
    verdict = {p.student_id: p.counts for p in result.participants}
    assert verdict == {"p0": True, "p1": True, "p2": False, "p3": True}
    assert result.counted_participants == 3


# -- a meeting counts with at least 3 present, the cirkelledare among them (issue 21) -----
def test_two_present_with_the_leader_is_no_meeting():
    result = check_circle(circle(4), weekly(4), {**all_there(4, 3), 4: {"p0", "p1"}})
    last = result.meetings[-1]
    assert (last.counted, last.counted_hours) == (False, 0)
    assert last.reasons == (t("circles.rule.too_few_present", min=3, count=2),)
    assert last.reasons[0].startswith("Träffen räknas inte: minst 3 närvarande, cirkelledaren inräknad")
    assert (result.meeting_count, result.hours) == (3, 9)
    assert {p.student_id: p.hours for p in result.participants}["p1"] == 9, "no hours from the short meeting"


def test_three_present_without_the_leader_is_no_meeting():
    result = check_circle(circle(4), weekly(3), {1: {"p1", "p2", "p3"}, 2: {"p0", "p1", "p2"}, 3: {"p0", "p1", "p2"}})
    first = result.meetings[0]
    assert not first.counted and first.reasons == (t("circles.rule.leader_absent", min=3),)
    assert "cirkelledaren inräknad" in first.reasons[0] and "Cirkelledaren var inte med" in first.reasons[0]
    assert (result.meeting_count, result.hours, result.valid) == (2, 6, False)
    people = {p.student_id: p for p in result.participants}
    assert (people["p3"].meetings, people["p3"].hours) == (0, 0)


def test_three_present_with_the_leader_is_a_meeting():
    result = check_circle(circle(4), weekly(3), {n: {"p0", "p1", "p2"} for n in (1, 2, 3)})
    assert all(m.counted and m.ok for m in result.meetings)
    assert (result.meeting_count, result.hours, result.valid) == (3, 9, True)


def test_a_meeting_too_few_attended_takes_no_place_in_its_week():
    monday = MONDAY + dt.timedelta(weeks=10)
    days = [monday + dt.timedelta(days=n) for n in range(4)]
    present = {1: {"p0"}, 2: {"p0", "p1", "p2"}, 3: {"p0", "p1", "p2"}, 4: {"p0", "p1", "p2"}}
    checks = check_meetings([meeting(n + 1, 90, day=day) for n, day in enumerate(days)], present, "p0")
    assert [c.counted for c in checks] == [False, True, True, True]


def test_reasons_are_english_when_asked(monkeypatch):
    monkeypatch.setenv("CIRKEL_LANG", "en")
    (short,) = check_meetings([meeting(1, 44)])
    assert short.reasons == ("Shorter than one study hour (45 minutes without breaks): the meeting does not count.",)


def test_a_meeting_nobody_has_ticked_yet_says_nobody_was_there():
    (fresh,) = check_circle(circle(4), weekly(1), {}).meetings
    assert not fresh.counted and fresh.reasons == (t("circles.rule.too_few_present", min=3, count=0),)


def test_an_erased_leader_leaves_the_count_of_three_to_judge_by():
    leaderless = Circle("c", "Cirkeln", "", ("p1", "p2", "p3"))
    result = check_circle(leaderless, weekly(2), {1: {"p1", "p2", "p3"}, 2: {"p1", "p2"}})
    assert [m.counted for m in result.meetings] == [True, False]
