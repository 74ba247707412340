"""The builders' grading checks: complete gives full points, blank 0, partial partial, damaged 0."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from grading.checks.builders import score_handover_plan, score_meeting_plan, score_role_expectations
from widgets.models.content import ContentError

from builders_support import gallery_content, write_content

pytestmark = pytest.mark.unit

NAMES = ("motesplanering", "forvantningar", "overlamning")


@pytest.fixture(autouse=True)
def _workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CIRKEL_SVAR_DIR", raising=False)
    monkeypatch.delenv("CIRKEL_LANG", raising=False)
    for name in NAMES:
        write_content(name)


def meeting(parts: set[str]):
    from widgets.exercises.meeting_planner import MeetingPlanner

    p = MeetingPlanner.from_file("motesplanering.yml", exercise_id="motesplanering")
    if "when" in parts:
        p.name.value, p.date.value, p.start.value = "Medlemsmöte", dt.date(2025, 3, 12), dt.time(18, 0)
    if "political" in parts:
        p.political.value = "Besluta om höstens plan"
    if "social" in parts:
        p.social.value = "Nya lär känna någon"
    if "agenda" in parts:
        p.add_item("Fika", 20)
        p.add_item("Samtal", 60)
    if "roles" in parts:
        for role_id in ("chair", "notes", "welcome"):
            p.role_inputs[role_id].value = "Eva"
    if "practical" in parts:
        p.practical_boxes["barnpassning"].value = True
    return p


MEETING_ALL = {"when", "political", "social", "agenda", "roles", "practical"}


def test_meeting_plan_full_blank_partial():
    assert score_meeting_plan("motesplanering", points=7) == 0  # nothing saved yet
    meeting(MEETING_ALL)
    assert score_meeting_plan("motesplanering", points=7) == 7.0
    assert score_meeting_plan("motesplanering", points=7, content="motesplanering.yml") == 7.0
    Path("svar/motesplanering.json").unlink()
    meeting({"political", "social"})  # two of seven parts
    assert score_meeting_plan("motesplanering", points=7) == 2.0


def test_meeting_plan_over_time_loses_the_fits_part():
    p = meeting(MEETING_ALL)
    p.length.value = 60  # the agenda takes 80
    assert score_meeting_plan("motesplanering", points=7) == 6.0
    p.add_item("Övrigt", 0)  # and an item with no minutes loses the agenda part
    assert score_meeting_plan("motesplanering", points=7) == 5.0


def role(parts: set[str]):
    from widgets.exercises.role_expectations import RoleExpectations

    b = RoleExpectations.from_file("forvantningar.yml", exercise_id="forvantningar")
    if "assignment" in parts:
        b.assignment.value = "Kassör"
    if "period" in parts:
        b.period.value = "Ett verksamhetsår"
    if "tasks" in parts:
        b.add_task("Bokföring", hours=4)
    if "drop" in parts:
        b.add_task("Insamling", hours=2, optional=True)
    if "support" in parts:
        b.support.value = "En mentor"
    if "available" in parts:
        b.available.value = 3
    return b


def test_role_expectations_full_blank_partial():
    assert score_role_expectations("forvantningar", points=6) == 0
    b = role({"assignment", "period", "tasks", "drop", "support", "available"})
    assert b.warnings == ["over_time"]  # not enough time is the exercise's finding, not a fault
    assert score_role_expectations("forvantningar", points=6) == 6.0
    Path("svar/forvantningar.json").unlink()
    role({"assignment", "tasks", "available"})
    assert score_role_expectations("forvantningar", points=6) == 3.0
    assert score_role_expectations("forvantningar", points=1) == 0.5


def handover(complete: bool):
    from widgets.exercises.handover_plan import HandoverPlan

    h = HandoverPlan.from_file("overlamning.yml", exercise_id="overlamning")
    h.assignment.value = "Kassör"
    for row in h.item_rows.values():
        row.note.value = "Finns i föreningens gemensamma mapp."
    if complete:
        h.mentor_role.value = "styrelsen"
        h.focus.value = "Budgeten"
        h.add_meeting("2025-03-01", "Bokföringen")
        h.add_meeting("2025-04-01", "Kalendern")
    return h


def test_handover_plan_full_blank_partial():
    assert score_handover_plan("overlamning", points=8) == 0
    handover(complete=True)
    assert score_handover_plan("overlamning", points=8) == 8.0
    Path("svar/overlamning.json").unlink()
    handover(complete=False)  # assignment and five items: six of eight parts
    assert score_handover_plan("overlamning", points=8) == 6.0


def test_handover_text_the_widget_refuses_does_not_count():
    handover(complete=True)
    record = json.loads(Path("svar/overlamning.json").read_text(encoding="utf-8"))
    record["data"]["items"]["konton"]["note"] = "lösenord: Hemligt99"
    Path("svar/overlamning.json").write_text(json.dumps(record), encoding="utf-8")
    assert score_handover_plan("overlamning", points=8) == 7.0
    assert "Hemligt99" in Path("svar/overlamning.json").read_text(encoding="utf-8")  # a check never writes


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"\xff\xfe",
        b"[]",
        b'{"schema": 1, "exercise_id": "X", "kind": "quiz", "saved_at": "", "data": {}}',
    ],
)
def test_damaged_or_foreign_answers_give_zero_and_stay_untouched(damage, capfd):
    Path("svar").mkdir()
    for name in NAMES:
        Path(f"svar/{name}.json").write_bytes(damage.replace(b'"X"', f'"{name}"'.encode()))
    assert score_meeting_plan("motesplanering", points=7) == 0
    assert score_role_expectations("forvantningar", points=6) == 0
    assert score_handover_plan("overlamning", points=8) == 0
    for name in NAMES:
        assert Path(f"svar/{name}.json").read_bytes() == damage.replace(b'"X"', f'"{name}"'.encode())
    assert capfd.readouterr().err == ""


def test_broken_content_is_the_authors_error():
    meeting(MEETING_ALL)
    content = gallery_content("motesplanering")
    content["roles"] = content["roles"][:2]
    write_content("motesplanering", content)
    with pytest.raises(ContentError) as caught:
        score_meeting_plan("motesplanering", points=7)
    assert "motesplanering.yml (roles)" in str(caught.value)
    with pytest.raises(ContentError):
        score_role_expectations("forvantningar", points=6, content="finns-inte.yml")


def test_checks_do_not_import_ipywidgets_or_docx():
    code = (
        "import sys, grading.checks.builders; "
        "print([m for m in ('ipywidgets', 'pandas', 'nbgrader', 'docx') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
