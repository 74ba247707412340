"""A circle's study plan: set by the cirkelledare, printed as a tagged Swedish PDF, exported as CSV/XLSX.

One real course run (nbgrader gradebook, learners from a roster) for the file;
each test plans its own circle. Planned time comes from the run's own
``module.yml`` files, read here with plain YAML to compare. The note and the
circle's name are hostile text: escaped in the PDF, never a formula in a sheet.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import unicodedata

import pytest

from grading.circles.store import CircleError, CircleStore
from grading.circles.study_plan import remove_planned_meeting, set_planned_meeting, study_plan
from grading.cli.circles import add_circle_commands
from grading.course_runs.roster import import_roster
from widgets.core.i18n import t, yaml_data

from hostile_text import FORMULA_NAME, HOSTILE_NAME
from run_cache import create_run

pytestmark = pytest.mark.nbgrader

LEARNERS = {"lena": "Lena", "anna": "Anna", "bo": "Bo"}
_counter = iter(range(1, 10_000))


@pytest.fixture(scope="module")
def run(course_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("studieplan")
    course_run = create_run(course_dir, folder / "omg")
    roster = folder / "deltagare.csv"
    roster.write_text("id,namn\n" + "".join(f"{k},{v}\n" for k, v in LEARNERS.items()), encoding="utf-8")
    import_roster(course_run, roster)
    return course_run


@pytest.fixture
def circle_id(run) -> str:
    """A circle of this test's own, led by lena."""
    circle_id = f"plan{next(_counter)}"
    CircleStore(run).create_circle(circle_id, "Planeringscirkeln", "lena", ["anna", "bo"])
    return circle_id


def module_yml(run, module: str) -> dict:
    return yaml_data((run.source_dir / module / "module.yml").read_text(encoding="utf-8"))


def minutes(run, module: str) -> int:
    return sum(module_yml(run, module)["minutes"].values())


def _flat(text: str) -> str:
    """Text as compared in a PDF: ligatures folded, no white space (a table cell wraps lines)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _cirkel(*argv) -> int:
    parser = argparse.ArgumentParser(prog="cirkel")
    add_circle_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args([str(a) for a in argv])
    return args.handler(args)


# -- setting the plan ---------------------------------------------------------------------------
def test_plan_meetings_with_modules_and_planned_time_from_module_yml(run, circle_id):
    first, second, third = run.modules[:3]
    set_planned_meeting(run, circle_id, "2026-12-08", [second, third], "Lokal: Folkets hus")
    set_planned_meeting(run, circle_id, "2026-12-01", [first])
    plan = study_plan(run, circle_id)
    assert [m.date.isoformat() for m in plan.meetings] == ["2026-12-01", "2026-12-08"]
    assert [m.number for m in plan.meetings] == [1, 2]
    assert [[x.name for x in m.modules] for m in plan.meetings] == [[first], [second, third]]
    assert plan.meetings[1].modules[0].title == module_yml(run, second)["title"]
    assert plan.meetings[1].minutes == minutes(run, second) + minutes(run, third)
    assert plan.meetings[1].hours == (minutes(run, second) + minutes(run, third)) // 45
    assert plan.meetings[1].note == "Lokal: Folkets hus"
    assert (plan.leader_name, plan.course_title) == ("Lena", run.title)
    # two meetings: the rules' remark says so
    assert t("circles.plan.few_meetings", count=2, min=3) in plan.reasons

    set_planned_meeting(run, circle_id, "2026-12-01", [third])  # the same date again: replaced
    assert [x.name for x in study_plan(run, circle_id).meetings[0].modules] == [third]
    remove_planned_meeting(run, circle_id, "2026-12-08")
    assert [m.date.isoformat() for m in study_plan(run, circle_id).meetings] == ["2026-12-01"]


def test_a_meeting_planned_over_four_study_hours_is_flagged(run, circle_id):
    plan_all = list(run.modules[:3])
    set_planned_meeting(run, circle_id, "2026-12-01", plan_all)
    (meeting,) = study_plan(run, circle_id).meetings
    assert meeting.hours > 4
    assert meeting.reasons == (t("circles.rule.over_four", hours=meeting.hours, max=4),)


@pytest.mark.parametrize(
    ("date", "modules", "note", "message"),
    [
        ("1 december", ["MODULE"], "", "går inte att läsa"),
        ("2026-12-01", [], "", "Ange vilka moduler"),
        ("2026-12-01", ["99-finns-inte"], "", "99-finns-inte"),
        ("2026-12-01", ["MODULE"], "x" * 201, "Anteckningen är för lång"),
    ],
)
def test_bad_plan_input_is_a_swedish_message_and_nothing_is_saved(run, circle_id, date, modules, note, message):
    modules = [run.modules[0] if m == "MODULE" else m for m in modules]
    with pytest.raises(CircleError, match=message):
        set_planned_meeting(run, circle_id, date, modules, note)
    assert study_plan(run, circle_id).meetings == ()


def test_unknown_circle_and_unplanned_date_are_refused(run, circle_id):
    with pytest.raises(CircleError, match="ingen cirkel med id ”finns-ej”"):
        set_planned_meeting(run, "finns-ej", "2026-12-01", [run.modules[0]])
    with pytest.raises(CircleError, match="Ingen träff är planerad 2026-12-24"):
        remove_planned_meeting(run, circle_id, "2026-12-24")


# -- the command, the PDF and the exports ------------------------------------------------------------
def test_plan_command_sets_shows_prints_and_exports(run, tmp_path, capsys):
    pypdf = pytest.importorskip("pypdf")
    circle_id = f"plan{next(_counter)}"
    CircleStore(run).create_circle(circle_id, HOSTILE_NAME, "lena", ["anna", "bo"])
    first, second = run.modules[:2]
    root = run.root
    assert _cirkel("circle", "plan", root, circle_id, "--date", "2026-12-01", "--modules", first) == 0
    assert (
        _cirkel("circle", "plan", root, circle_id, "--date", "2026-12-08", "--modules", second, "--note", FORMULA_NAME)
        == 0
    )
    shown = capsys.readouterr().out
    assert t("circles.plan.saved", date="2026-12-08") in shown
    title = module_yml(run, second)["title"]
    assert f"2. 2026-12-08: {title} ({minutes(run, second)} min)" in shown

    pdf, sheet, book = tmp_path / "plan.pdf", tmp_path / "plan.csv", tmp_path / "plan.xlsx"
    assert _cirkel("circle", "plan", root, circle_id, "--pdf", pdf, "--out", sheet) == 0
    assert _cirkel("circle", "plan", root, circle_id, "--out", book) == 0
    said = capsys.readouterr().out
    assert str(pdf) in said and str(sheet) in said and str(book) in said
    assert t("circles.plan.printed", path=str(pdf), count=1).endswith("(1 sida).") and "(1 sida)." in said

    # the PDF: tagged, Swedish, titled, with the meetings, modules, minutes and the note as text
    reader = pypdf.PdfReader(pdf)
    root_obj = reader.trailer["/Root"]
    assert root_obj["/Lang"] == "sv" and root_obj["/StructTreeRoot"]["/K"]
    assert reader.metadata.title == f"{HOSTILE_NAME}: {t('circles.plan.title')}"
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    for expected in ("2026-12-01", "2026-12-08", module_yml(run, first)["title"], title, FORMULA_NAME):
        assert _flat(expected) in text, expected
    assert _flat(f"({minutes(run, second)} min)") in text
    assert _flat(HOSTILE_NAME) in text, "the circle's name printed as text, not markup"

    # the CSV: the circle, its course and leader, then the columns in order; the note never a formula
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [t("circles.plan.title"), HOSTILE_NAME]
    assert rows[1:3] == [[t("circles.plan.course"), run.title], [t("circles.plan.leader"), "Lena"]]
    columns = ["number", "date", "modules", "minutes", "hours", "note", "remark"]
    assert rows[4] == [t(f"circles.plan.col.{c}") for c in columns]
    assert rows[6][:6] == [
        "2",
        "2026-12-08",
        f"{title} ({minutes(run, second)} min)",
        str(minutes(run, second)),
        str(minutes(run, second) // 45),
        "'" + FORMULA_NAME,
    ]
    total = minutes(run, first) + minutes(run, second)
    assert rows[7][:5] == ["Summa", "", "", str(total), str(minutes(run, first) // 45 + minutes(run, second) // 45)]

    # the XLSX: numbers as number cells, the note as neutralised text
    from openpyxl import load_workbook

    cells = list(load_workbook(book).active.iter_rows(values_only=True))
    assert list(cells[0]) == [t(f"circles.plan.col.{c}") for c in columns]
    assert cells[2][3] == minutes(run, second) and cells[2][5] == "'" + FORMULA_NAME


def test_plan_command_refuses_bad_input_with_exit_1_and_no_traceback(run, circle_id, tmp_path, capsys):
    root = run.root
    assert _cirkel("circle", "plan", root, circle_id, "--modules", run.modules[0]) == 1
    assert t("circles.plan.date_needed") in capsys.readouterr().err
    assert _cirkel("circle", "plan", root, circle_id, "--date", "2026-12-01", "--modules", "nej") == 1
    err = capsys.readouterr().err
    assert "nej" in err and "Traceback" not in err
    assert _cirkel("circle", "plan", root, circle_id, "--out", tmp_path / "plan.docx") == 1
    assert ".csv eller .xlsx" in capsys.readouterr().err
    assert _cirkel("circle", "plan", root, circle_id, "--out", tmp_path / "saknas" / "plan.csv") == 1
    assert "Det gick inte att spara" in capsys.readouterr().err


@pytest.mark.unit
def test_course_leader_guide_gives_the_rule_and_plan_commands_that_parse():
    import shlex
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "KURSLEDARE.md").read_text(encoding="utf-8")
    assert "Träffen räknas inte: minst 3 närvarande, cirkelledaren inräknad" in guide
    assert "samma ordning som studieförbundets närvarolista" in guide
    commands = [line.split("#")[0] for line in guide.splitlines() if line.startswith("cirkel circle plan ")]
    assert len(commands) >= 4
    parser = argparse.ArgumentParser(prog="cirkel")
    add_circle_commands(parser.add_subparsers(dest="command", required=True))
    for line in commands:
        args = parser.parse_args(shlex.split(line)[1:])
        assert args.handler.__name__ == "command_circle_plan", line


@pytest.mark.unit
def test_printed_booklet_and_guide_state_the_three_present_rule_and_the_plan():
    from grading.reports.printing.booklet import CIRCLE_TEXT
    from grading.reports.printing.document import shared_text
    from grading.reports.printing.rules import rule_values

    rule = "En träff räknas bara när minst 3 är med, cirkelledaren inräknad."
    guide = shared_text("handledning.md", **rule_values())
    assert rule in guide and rule in shared_text(CIRCLE_TEXT, **rule_values())
    assert "studieplan" in guide
