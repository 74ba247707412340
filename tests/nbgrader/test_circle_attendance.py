"""What a course leader does with a study circle: the study association's attendance form, the
``cirkel circle`` subcommands and the attendance app driven in-process (the run of
``tests/circle_store_support.py``, as in ``test_circles.py``).
"""

from __future__ import annotations

import argparse
import csv
import io

import pytest

from grading.circles.store import CircleError, CircleStore, Meeting
from grading.cli.circles import add_circle_commands
from grading.course_runs.run import RunError
from grading.reports.attendance_form import export_attendance
from widgets.core.i18n import t

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
    from grading.circles.study_plan import set_planned_meeting

    _attended_circle(store, circle_id)
    first, second = run.modules[:2]
    set_planned_meeting(run, circle_id, "2026-11-03", [first])
    set_planned_meeting(run, circle_id, "2026-11-10", [second, first])
    rows = _read_export(export_attendance(store, circle_id, tmp_path / "n.csv"))
    subject = rows[3][1]
    titles = [yaml_title(run, m) for m in (first, second)]
    assert subject == f"{run.title}: {titles[0]}; {titles[1]}"


def yaml_title(run, module: str) -> str:
    from widgets.core.i18n import yaml_data

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
