"""Study circles in a course run: the store refuses bad input whole, keeps meetings and attendance, erases a person.

A real course run (nbgrader gradebook) with learners imported from a roster;
circles, meetings and attendance go through ``grading.circles.store.CircleStore``
as a course leader's commands and apps use it. The export, the commands and
the attendance app: ``test_circle_attendance.py``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from grading.circles.store import DB_NAME, Circle, CircleError, CircleStore, Meeting
from grading.circles.tables import ATTENDANCE, CIRCLES, MEETINGS, MEMBERS, METADATA

from circle_store_support import new_circle_id, run_with_learners

#: every test on the run's SQLite file and on PostgreSQL (tests/pg_cluster.py)
pytestmark = [pytest.mark.nbgrader, pytest.mark.usefixtures("store_backend")]


@pytest.fixture(scope="module")
def run(course_dir, tmp_path_factory):
    return run_with_learners(course_dir, tmp_path_factory.mktemp("cirklar"))


@pytest.fixture
def store(run):
    return CircleStore(run)


@pytest.fixture
def circle_id() -> str:
    return new_circle_id()


def _rows(store: CircleStore) -> dict[str, int]:
    with store.engine.connect() as db:
        return {
            table.name: db.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (CIRCLES, MEMBERS, MEETINGS, ATTENDANCE)
        }


def test_create_circle_leader_is_a_member_and_lookups_find_it(store, circle_id):
    circle = store.create_circle(circle_id, "  Studiecirkel   Norr ", "anna", ["bo", "cilla", "bo"])
    assert circle == Circle(circle_id, "Studiecirkel Norr", "anna", ("anna", "bo", "cilla"))
    assert store.circle(circle_id) == circle
    assert circle in store.circles()
    assert circle_id in store.circle_of("anna") and circle_id in store.circle_of("cilla")
    assert circle_id not in store.circle_of("dan")
    assert store.meetings(circle_id) == [] and store.attendance(circle_id) == {}


def test_the_circles_live_in_the_run_file_or_the_runs_postgresql(store, store_backend, circle_id):
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    if store_backend == "sqlite":  # as before: WAL mode, in the run folder, nothing in another database
        assert store.engine.url.database == str(store.run.root / DB_NAME)
        db = sqlite3.connect(store.path)
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("SELECT name FROM circles WHERE circle_id = ?", (circle_id,)).fetchone() == ("Norr",)
        finally:
            db.close()
    else:  # in the server's database, read back by a connection of its own
        assert store.engine.dialect.name == "postgresql"
        assert not store.path.exists() or circle_id.encode() not in store.path.read_bytes()
        with sa.create_engine(store_backend).connect() as db:
            names = db.execute(sa.text("SELECT name FROM circles WHERE circle_id = :c"), {"c": circle_id}).all()
        assert names == [("Norr",)]


def test_store_opens_from_the_run_folder_too(run, store, circle_id):
    store.create_circle(circle_id, "Söder", "bo", ["anna", "cilla"])
    assert CircleStore(str(run.root)).circle(circle_id).leader_id == "bo"


def test_two_people_is_a_circle_that_does_not_count_yet_not_a_refusal(store, circle_id):
    assert store.create_circle(circle_id, "Liten", "anna", ["bo"]).members == ("anna", "bo")


def test_unknown_people_are_named_and_nothing_is_saved(store, circle_id):
    before = _rows(store)
    with pytest.raises(CircleError) as info:
        store.create_circle(circle_id, "Norr", "anna", ["bo", "okand", "ingen"])
    assert "okand, ingen" in str(info.value) and "Inget har sparats" in str(info.value)
    with pytest.raises(CircleError, match="finns inte bland"):
        store.create_circle(circle_id, "Norr", "ledaren-saknas", ["bo", "cilla"])
    assert _rows(store) == before
    with pytest.raises(CircleError, match=f"ingen cirkel med id ”{circle_id}”"):
        store.circle(circle_id)


@pytest.mark.parametrize("bad_id", ["", "Norr", "norr 1", "ö-cirkeln", "x" * 41])
def test_bad_circle_ids_are_refused(store, bad_id):
    with pytest.raises(CircleError, match="går inte att använda"):
        store.create_circle(bad_id, "Norr", "anna", ["bo", "cilla"])


def test_same_id_twice_and_missing_name_are_refused(store, circle_id):
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    with pytest.raises(CircleError, match="finns redan"):
        store.create_circle(circle_id, "Annan", "dan", ["eva", "bo"])
    assert store.circle(circle_id).name == "Norr"
    with pytest.raises(CircleError, match="behöver ett namn"):
        store.create_circle(circle_id + "x", "   ", "anna", [])
    with pytest.raises(CircleError, match="Cirkelns namn är för långt"):
        store.create_circle(circle_id + "y", "N" * 101, "anna", [])


def test_members_are_added_and_removed_with_their_attendance_but_not_the_leader(store, circle_id):
    store.create_circle(circle_id, "Norr", "anna", ["bo"])
    assert store.add_member(circle_id, "cilla").members == ("anna", "bo", "cilla")
    assert store.add_member(circle_id, "cilla").members == ("anna", "bo", "cilla")
    with pytest.raises(CircleError, match="finns inte bland"):
        store.add_member(circle_id, "okand")
    meeting = store.add_meeting(circle_id, "2026-12-01", "18:00", "20:15")
    store.set_attendance(meeting.meeting_id, {"anna", "bo", "cilla"})
    assert store.remove_member(circle_id, "bo").members == ("anna", "cilla")
    assert store.attendance(circle_id) == {meeting.meeting_id: {"anna", "cilla"}}
    with pytest.raises(CircleError, match="är cirkelledare"):
        store.remove_member(circle_id, "anna")
    with pytest.raises(CircleError, match="inte med i cirkeln"):
        store.remove_member(circle_id, "dan")


def test_meeting_is_saved_with_its_times_and_break(store, circle_id):
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    meeting = store.add_meeting(circle_id, "2026-12-01", "18:00", "20:30", 15)
    assert meeting == Meeting(meeting.meeting_id, circle_id, dt.date(2026, 12, 1), dt.time(18), dt.time(20, 30), 15)
    later = store.add_meeting(circle_id, dt.date(2026, 12, 8), dt.time(18), dt.time(20), "0")
    earlier = store.add_meeting(circle_id, "2026-11-24", "18.00", "20:00")
    assert store.meetings(circle_id) == [earlier, meeting, later]
    assert store.meeting(meeting.meeting_id) == meeting
    assert store.attendance(circle_id) == {
        earlier.meeting_id: set(),
        meeting.meeting_id: set(),
        later.meeting_id: set(),
    }


@pytest.mark.parametrize(
    ("start", "end", "pause", "message"),
    [
        ("20:00", "18:00", 0, "slutet måste komma efter starten"),
        ("18:00", "18:00", 0, "slutet måste komma efter starten"),
        ("18:00", "19:00", 60, "lika lång som träffen"),
        ("18:00", "19:00", 75, "lika lång som träffen"),
        ("18:00", "19:00", -5, "Rasten ”-5” går inte att läsa"),
        ("18:00", "19:00", "en kvart", "Rasten ”en kvart” går inte att läsa"),
        ("kl sex", "19:00", 0, "Tiden för start ”kl sex” går inte att läsa"),
        ("18:00", "25:00", 0, "Tiden för slut ”25:00” går inte att läsa"),
    ],
)
def test_bad_meetings_are_refused_with_a_swedish_message_and_nothing_saved(
    store, circle_id, start, end, pause, message
):
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    before = _rows(store)
    with pytest.raises(CircleError, match=message):
        store.add_meeting(circle_id, "2026-12-01", start, end, pause)
    assert _rows(store) == before and store.meetings(circle_id) == []


def test_bad_date_and_unknown_circle_are_refused(store, circle_id):
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    with pytest.raises(CircleError, match="Datumet ”1 december” går inte att läsa"):
        store.add_meeting(circle_id, "1 december", "18:00", "20:00")
    with pytest.raises(CircleError, match="ingen cirkel med id ”finns-ej”"):
        store.add_meeting("finns-ej", "2026-12-01", "18:00", "20:00")


@pytest.mark.parametrize("number", ["tre", "99999999999", "-1"])
def test_a_meeting_number_that_names_no_meeting_is_a_plain_message(store, number):
    """Typed at the command line: any number, even one past PostgreSQL's integers, is just "no such meeting"."""
    with pytest.raises(CircleError, match=f"Det finns ingen träff med nummer ”{number}”"):
        store.meeting(number)
    with pytest.raises(CircleError, match=f"Det finns ingen träff med nummer ”{number}”"):
        store.set_attendance(number, ["anna"])


def test_overlapping_meetings_of_one_circle_are_refused_but_back_to_back_and_other_circles_are_fine(store, circle_id):
    other = circle_id + "-b"
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    store.create_circle(other, "Söder", "dan", ["eva", "bo"])
    store.add_meeting(circle_id, "2026-12-01", "18:00", "20:00")
    for start, end in (
        ("19:00", "21:00"),
        ("17:00", "18:30"),
        ("18:30", "19:30"),
        ("17:00", "21:00"),
        ("18:00", "20:00"),
    ):
        with pytest.raises(CircleError, match=r"krockar med en annan träff i cirkeln \(2026-12-01 18:00–20:00\)"):
            store.add_meeting(circle_id, "2026-12-01", start, end)
    assert len(store.meetings(circle_id)) == 1
    store.add_meeting(circle_id, "2026-12-01", "20:00", "21:00")
    store.add_meeting(circle_id, "2026-12-02", "18:00", "20:00")
    store.add_meeting(other, "2026-12-01", "18:00", "20:00")
    assert len(store.meetings(circle_id)) == 3 and len(store.meetings(other)) == 1


def test_two_devices_adding_the_same_meeting_at_once_save_it_once(run, circle_id):
    """Two course leaders (or one double tap) add overlapping meetings at the same moment: one is saved,
    the other is refused as an overlap. SQLite queues the writers, PostgreSQL locks the circle's row."""
    CircleStore(run).create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def add(begins: str) -> None:
        store = CircleStore(run)
        start.wait()
        try:
            store.add_meeting(circle_id, "2026-12-01", begins, "20:00")
            outcomes.append("saved")
        except CircleError as exc:
            outcomes.append("overlap" if "krockar" in str(exc) else str(exc))

    threads = [threading.Thread(target=add, args=(f"18:{m:02d}",)) for m in (0, 5, 10, 15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["overlap", "overlap", "overlap", "saved"]
    assert len(CircleStore(run).meetings(circle_id)) == 1


def test_attendance_replaces_the_meeting_and_refuses_outsiders_by_name(store, circle_id):
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    first = store.add_meeting(circle_id, "2026-12-01", "18:00", "20:15")
    second = store.add_meeting(circle_id, "2026-12-08", "18:00", "20:15")
    store.set_attendance(first.meeting_id, {"anna", "bo", "cilla"})
    store.set_attendance(second.meeting_id, ["anna"])
    store.set_attendance(first.meeting_id, {"anna", "cilla"})
    assert store.attendance(circle_id) == {first.meeting_id: {"anna", "cilla"}, second.meeting_id: {"anna"}}
    with pytest.raises(CircleError) as info:
        store.set_attendance(first.meeting_id, {"anna", "dan", "okand"})
    assert f"inte med i cirkeln {circle_id}: dan, okand" in str(info.value)
    assert store.attendance(circle_id)[first.meeting_id] == {"anna", "cilla"}
    with pytest.raises(CircleError, match="ingen träff med nummer ”99999”"):
        store.set_attendance(99999, {"anna"})
    store.set_attendance(first.meeting_id, set())
    assert store.attendance(circle_id)[first.meeting_id] == set()


def test_removing_a_meeting_removes_its_attendance(store, circle_id):
    store.create_circle(circle_id, "Norr", "anna", ["bo", "cilla"])
    meeting = store.add_meeting(circle_id, "2026-12-01", "18:00", "20:15")
    store.set_attendance(meeting.meeting_id, {"anna"})
    store.remove_meeting(meeting.meeting_id)
    assert store.meetings(circle_id) == [] and store.attendance(circle_id) == {}


def test_person_data_and_erase_leave_the_circle_and_no_trace_in_the_file(run, tmp_path):
    store = CircleStore(run)
    store.create_circle("radera-a", "Radera A", "zelda.radera", ["anna", "bo"])
    store.create_circle("radera-b", "Radera B", "anna", ["zelda.radera", "bo"])
    meeting = store.add_meeting("radera-b", "2026-12-01", "18:00", "20:15")
    store.set_attendance(meeting.meeting_id, {"zelda.radera", "anna"})

    data = store.person_data("zelda.radera")
    assert data["student_id"] == "zelda.radera"
    assert [(m["circle_id"], m["leader"]) for m in data["memberships"]] == [("radera-a", True), ("radera-b", False)]
    assert data["leading"] == ["radera-a"]
    assert data["attendance"] == [
        {
            "circle_id": "radera-b",
            "meeting_id": meeting.meeting_id,
            "date": "2026-12-01",
            "start": "18:00",
            "end": "20:15",
        }
    ]

    assert store.erase_person("zelda.radera") == 4  # attendance, two memberships, one leadership
    assert store.person_data("zelda.radera") == {
        "student_id": "zelda.radera",
        "memberships": [],
        "leading": [],
        "attendance": [],
        "group_work": [],
    }
    assert store.circle("radera-a") == Circle("radera-a", "Radera A", "", ("anna", "bo"))
    assert store.attendance("radera-b") == {meeting.meeting_id: {"anna"}}
    assert store.circle_of("zelda.radera") == []
    assert store.erase_person("zelda.radera") == 0
    for path in run.root.glob(DB_NAME + "*"):
        assert b"zelda.radera" not in path.read_bytes(), path.name
    with store.engine.connect() as db:  # no table of the circles names them (on either database)
        for table in METADATA.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, sa.Text):
                    assert not db.execute(table.select().where(column == "zelda.radera")).first(), table.name
