"""Study circles in a course run: the store refuses bad input whole, the commands, the export.

A real course run (nbgrader gradebook) with learners imported from a roster;
circles, meetings and attendance go through ``grading.circles.CircleStore``
and the ``cirkel circle`` subcommands as a course leader would use them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from grading.attendance_form import export_attendance
from grading.circle_commands import add_circle_commands
from grading.circle_tables import ATTENDANCE, CIRCLES, MEETINGS, MEMBERS, METADATA
from grading.circles import DB_NAME, Circle, CircleError, CircleStore, Meeting
from grading.roster import import_roster
from grading.run import RunError
from widgets.i18n import t

from run_cache import create_run

#: every test on the run's SQLite file and on PostgreSQL (tests/pg_cluster.py)
pytestmark = [pytest.mark.nbgrader, pytest.mark.usefixtures("store_backend")]

LEARNERS = ["anna", "bo", "cilla", "dan", "eva", "zelda.radera"]


@pytest.fixture(scope="module")
def run(course_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cirklar")
    course_run = create_run(course_dir, folder / "omg")
    roster = folder / "deltagare.csv"
    roster.write_text(
        "id,namn\n" + "".join(f"{sid},{sid.split('.')[0].title()} Efternamn\n" for sid in LEARNERS), encoding="utf-8"
    )
    import_roster(course_run, roster)
    return course_run


@pytest.fixture
def store(run):
    return CircleStore(run)


_counter = iter(range(1, 10_000))


@pytest.fixture
def circle_id() -> str:
    """A circle id of this test's own (the run is shared by the module)."""
    return f"c{next(_counter)}"


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


# -- the export ------------------------------------------------------------------------------
def _attended_circle(store: CircleStore, circle_id: str) -> list[Meeting]:
    """Four weekly meetings of 3 study hours: anna (leading), bo and cilla at the first three; at the
    last only anna and bo, so it does not count (at least 3 present, the leader included)."""
    store.create_circle(circle_id, "Export", "anna", ["bo", "cilla", "dan"])
    meetings = [
        store.add_meeting(circle_id, day, "18:00", "20:30", 15)  # 135 min: 3 study hours
        for day in ("2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24")
    ]
    for number, meeting in enumerate(meetings):
        present = {"anna", "bo"} | ({"cilla"} if number < 3 else set()) | ({"dan"} if number == 2 else set())
        store.set_attendance(meeting.meeting_id, present)
    return meetings


def _read_export(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads å, ä, ö"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_export_lays_out_the_study_associations_form_in_its_order(store, circle_id, tmp_path):
    _attended_circle(store, circle_id)
    rows = _read_export(export_attendance(store, circle_id, tmp_path / "närvaro.csv"))
    assert rows[0][0].startswith("Fälten står i samma ordning som studieförbundets närvarolista")
    head = [row[:2] for row in rows[1:7]]
    assert head == [
        ["Cirkelns nummer", circle_id],
        ["Cirkelns namn", "Export"],
        ["Ämne / studieplan", store.run.title],
        ["Cirkelledare", "Anna Efternamn"],
        ["Startdatum", "2026-11-03"],
        ["Slutdatum", "2026-11-17"],
    ], "the last meeting had two present: it is not on the form, nor its date"
    assert rows[7] == []
    assert rows[8] == [
        "Nr",
        "Namn",
        "Id (i stället för personnummer)",
        "2026-11-03",
        "2026-11-10",
        "2026-11-17",
        "Summa studietimmar",
    ]
    assert rows[9] == ["", "Studietimmar per träff", "", "3", "3", "3", "9"]
    assert rows[10:14] == [
        ["1", "Anna Efternamn", "anna", "X", "X", "X", "9"],
        ["2", "Bo Efternamn", "bo", "X", "X", "X", "9"],
        ["3", "Cilla Efternamn", "cilla", "X", "X", "X", "9"],
        ["4", "Dan Efternamn", "dan", "", "", "X", "3"],
    ]
    assert rows[14] == ["", "Antal närvarande", "", "3", "3", "4", ""]
    # below the form, for the cirkelledare: the meeting the rule cut, and who counts
    check = rows[rows.index([t("circles.form.check_heading")]) :]
    cut = [row for row in check if row[0].startswith("2026-11-24")]
    assert cut and t("circles.rule.too_few_present", min=3, count=2) in cut[0][2]
    assert cut[0][2].startswith("Träffen räknas inte: minst 3 närvarande, cirkelledaren inräknad")
    dan = next(row for row in check if row[0] == "Dan Efternamn")
    assert dan[1] == "nej" and t("circles.rule.person_attended", count=1, min=3) in dan[2]
    assert ["Räknas cirkeln", "ja", ""] in check


def test_export_names_the_plans_modules_as_its_subject(run, store, circle_id, tmp_path):
    from grading.study_plan import set_planned_meeting

    _attended_circle(store, circle_id)
    first, second = run.modules[:2]
    set_planned_meeting(run, circle_id, "2026-11-03", [first])
    set_planned_meeting(run, circle_id, "2026-11-10", [second, first])
    rows = _read_export(export_attendance(store, circle_id, tmp_path / "n.csv"))
    subject = rows[3][1]
    titles = [yaml_title(run, m) for m in (first, second)]
    assert subject == f"{run.title}: {titles[0]}; {titles[1]}"


def yaml_title(run, module: str) -> str:
    from widgets.i18n import yaml_data

    return yaml_data((run.source_dir / module / "module.yml").read_text(encoding="utf-8"))["title"]


def test_export_refuses_anything_shaped_like_a_personnummer(run, tmp_path):
    # the roster import refuses these (tests/nbgrader/test_roster.py); a gradebook filled before it did, or
    # by hand, may still hold them, and the export is the last guard
    with run.gradebook() as gb:
        gb.update_or_create_student("pnr.namn", first_name="19900101-1234")
        gb.update_or_create_student("199001011234", first_name="Pelle")
    store = CircleStore(run)
    for circle_id, leader in (("pnr-a", "pnr.namn"), ("pnr-b", "199001011234")):
        store.create_circle(circle_id, "Pnr", leader, ["anna", "bo"])
        out = tmp_path / f"{circle_id}.csv"
        with pytest.raises(CircleError, match=f"uppgiften om {leader} ser ut som ett personnummer"):
            export_attendance(store, circle_id, out)
        assert not out.exists() and not list(tmp_path.glob(f".{circle_id}*"))


def test_export_to_a_missing_folder_is_a_plain_message(store, circle_id, tmp_path):
    _attended_circle(store, circle_id)
    with pytest.raises(CircleError, match="Det gick inte att skriva närvarolistan"):
        export_attendance(store, circle_id, tmp_path / "finns-inte" / "n.csv")


# -- the commands -------------------------------------------------------------------------------
def _cirkel(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="cirkel")
    add_circle_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([str(a) for a in argv])
    return args.handler(args)


def test_commands_create_meet_attend_status_and_export(run, circle_id, tmp_path, capsys):
    root = run.root
    assert (
        _cirkel(
            "circle",
            "create",
            root,
            circle_id,
            "--name",
            "Kvällscirkeln",
            "--leader",
            "anna",
            "--members",
            "bo,cilla,dan",
        )
        == 0
    )
    assert "är skapad med 4 personer" in capsys.readouterr().out
    for day in ("2026-12-01", "2026-12-08", "2026-12-15"):
        assert (
            _cirkel(
                "circle",
                "meeting",
                root,
                circle_id,
                "--date",
                day,
                "--start",
                "18:00",
                "--end",
                "20:30",
                "--break",
                "15",
            )
            == 0
        )
    out = capsys.readouterr().out
    assert out.count("Studietimmar: 3.") == 3
    meetings = CircleStore(run).meetings(circle_id)
    assert _cirkel("circle", "attendance", root, str(meetings[0].meeting_id), "--present", "anna,bo") == 0
    said = capsys.readouterr().out
    assert "2 var med" in said
    assert "⚠ Träffen räknas inte: minst 3 närvarande, cirkelledaren inräknad. Här var 2 med." in said
    assert _cirkel("circle", "attendance", root, str(meetings[1].meeting_id), "--present", "bo,cilla,dan") == 0
    assert "Cirkelledaren var inte med." in capsys.readouterr().out
    for meeting in meetings:
        assert _cirkel("circle", "attendance", root, str(meeting.meeting_id), "--present", "anna,bo,cilla") == 0
    said = capsys.readouterr().out
    assert "3 var med" in said and "Träffen räknas inte" not in said

    assert _cirkel("circle", "status", root, circle_id) == 0
    status = capsys.readouterr().out
    assert "Cirkeln räknas." in status
    assert "Anna Efternamn (anna): träffar 3, studietimmar 9, räknas" in status

    assert _cirkel("circle", "attendance", root, str(meetings[2].meeting_id), "--present", "bo,cilla,dan") == 0
    capsys.readouterr()
    assert _cirkel("circle", "status", root, circle_id) == 0
    status = capsys.readouterr().out
    assert "⚠ Träffen räknas inte: minst 3 närvarande, cirkelledaren inräknad. Cirkelledaren var inte med." in status
    assert "Cirkeln räknas inte än:" in status
    assert "Bo Efternamn (bo): träffar 2, studietimmar 6, räknas inte" in status

    out_file = tmp_path / "lista.csv"
    assert _cirkel("circle", "export", root, circle_id, "--out", out_file) == 0
    assert "inga personnummer" in capsys.readouterr().out and out_file.is_file()


def test_commands_refuse_bad_input_with_a_message_and_exit_1(run, circle_id, capsys):
    root = run.root
    assert _cirkel("circle", "create", root, circle_id, "--name", "N", "--leader", "anna", "--members", "okand") == 1
    err = capsys.readouterr().err
    assert "okand" in err and "Traceback" not in err
    _cirkel("circle", "create", root, circle_id, "--name", "N", "--leader", "anna", "--members", "bo,cilla")
    capsys.readouterr()
    assert (
        _cirkel("circle", "meeting", root, circle_id, "--date", "2026-12-01", "--start", "20:00", "--end", "18:00") == 1
    )
    assert "slutet måste komma efter starten" in capsys.readouterr().err
    assert _cirkel("circle", "attendance", root, "abc", "--present", "anna") == 1
    assert "ingen träff med nummer ”abc”" in capsys.readouterr().err
    assert _cirkel("circle", "status", root, "finns-ej") == 1
    assert "ingen cirkel" in capsys.readouterr().err
    assert _cirkel("circle", "status", root / "inte-en-omgang") == 1
    assert capsys.readouterr().err.strip()


def test_circle_error_is_a_run_error_so_the_cirkel_command_shows_it_plainly():
    assert issubclass(CircleError, RunError)


# -- the attendance app's view, driven in-process (the browser test drives it in Chromium) ------------
def test_attendance_app_adds_a_meeting_saves_ticks_and_shows_the_rules(run, circle_id):
    import datetime as dt

    from voila_apps.views.attendance import AttendanceApp

    store = CircleStore(run)
    store.create_circle(circle_id, "Appcirkeln", "anna", ["bo", "cilla"])
    app = AttendanceApp(run.root)
    app.circle_picker.value = circle_id
    assert "Cirkeln har inga träffar än" in app.meetings_view.value
    assert app.attendance_part.layout.display == "none"

    app.date.value, app.start.value, app.end.value = dt.date(2026, 12, 1), dt.time(20), dt.time(18)
    app.add_meeting()
    region = app.add_message  # live regions there before the message: the same after each
    assert "cirkel-live-alert" in region.alert._dom_classes and "role=" not in region.value
    assert "-error" in region.alert.value and "slutet måste komma efter starten" in region.alert.value
    assert region.status.value == "", "an error is said as an alert, not politely"
    assert store.meetings(circle_id) == []

    app.start.value, app.end.value, app.break_minutes.value = dt.time(18), dt.time(22, 45), 0  # 5 study hours
    app.add_meeting()
    assert app.add_message is region and "-ok" in region.status.value and "Studietimmar: 6." in region.status.value
    assert region.alert.value == "" and "cirkel-live-alert" not in region.status._dom_classes
    assert t("circles.rule.over_four", hours=6, max=4) in app.meetings_view.value
    assert app.meeting_picker.index == 0, "the new meeting is the one chosen, in the browser too"
    assert list(app.boxes) == ["anna", "bo", "cilla"]
    assert app.boxes["anna"].description == "Anna Efternamn (cirkelledare)"
    app.boxes["anna"].value = app.boxes["cilla"].value = True
    app.save_attendance()
    assert "2 var med" in app.save_message.status.value and "cirkel-live" in app.save_message.status._dom_classes
    too_few = t("circles.rule.too_few_present", min=3, count=2)
    assert too_few in app.save_message.status.value, "the person who saved is told why the meeting does not count"
    assert too_few in app.meetings_view.value
    assert store.attendance(circle_id) == {app.meeting_picker.value: {"anna", "cilla"}}
    assert t("circles.rule.few_meetings", count=0, min=3) in app.status_view.value
    app.boxes["bo"].value = True
    app.save_attendance()
    assert "3 var med" in app.save_message.status.value and too_few not in app.save_message.status.value
    assert too_few not in app.meetings_view.value
    assert t("circles.rule.few_meetings", count=1, min=3) in app.status_view.value
    assert 'download="narvaro-' in app.download.value

    again = AttendanceApp(run.root)
    again.circle_picker.value = circle_id
    assert {sid for sid, box in again.boxes.items() if box.value} == {"anna", "bo", "cilla"}


def test_attendance_app_without_a_run_says_so():
    from voila_apps.views.attendance import AttendanceApp

    app = AttendanceApp(None)
    assert "cirkel-attendance-error" in app.message.alert.value and "Traceback" not in app.message.value


def test_attendance_app_plans_a_meeting_and_offers_the_plan_as_csv_and_pdf(run, circle_id):
    import base64
    import datetime as dt

    from voila_apps.views.attendance import AttendanceApp

    CircleStore(run).create_circle(circle_id, "Plancirkeln", "anna", ["bo", "cilla"])
    app = AttendanceApp(run.root)
    app.circle_picker.value = circle_id
    panel = app.plan_panel
    assert t("circles.plan.empty") in panel.table.value
    first = run.modules[0]
    assert list(panel.module_boxes) == run.modules

    panel.date.value = dt.date(2026, 12, 1)
    panel.plan_meeting()  # no module ticked: refused, said, nothing saved
    assert "Ange vilka moduler" in panel.message.alert.value
    assert t("circles.plan.empty") in panel.table.value

    panel.module_boxes[first].value = True
    panel.note.value = "Folkets hus"
    panel.plan_meeting()
    assert t("circles.plan.saved", date="2026-12-01") in panel.message.status.value
    assert "2026-12-01" in panel.table.value and "Folkets hus" in panel.table.value
    assert panel.module_boxes[first].description in panel.table.value
    assert f'download="studieplan-{circle_id}.csv"' in panel.download.value

    panel.make_pdf()
    link = panel.pdf_link.value
    assert f'download="studieplan-{circle_id}.pdf"' in link
    payload = base64.b64decode(link.split("base64,", 1)[1].split('"', 1)[0])
    assert payload.startswith(b"%PDF")
