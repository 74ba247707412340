"""Exports for the course leader: completion (CSV, XLSX), a certificate (PDF), a circle's plans (DOCX)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib

import pytest

from grading.course_runs import access_log
from grading.reports.completion import completion_table
from grading.reports.exports import (
    ExportError,
    certificate_pdf,
    circle_plans_docx,
    completed_modules,
    completion_csv,
    completion_xlsx,
    plan_source,
)
from grading.reports.exports.certificate import certificate_bytes

from personal_data_checks import run_command
from personal_data_support import COURSE_TITLE, ERASED, KEPT, MODULE, learners_run

pytestmark = [pytest.mark.filterwarnings("ignore:.*not in session")]

ANNA, BO = ERASED, KEPT
CILLA = ("del-cilla5", "Cilla Ödmark")
HEADINGS = ["Id", "Namn", "Modul", "Läge", "Poäng", "Max poäng", "Väntar på bedömning", "Inlämnad", "Gruppuppgift"]


@pytest.fixture(scope="module")
def world(tmp_path_factory, courses_dir, cirkel, answer):
    """The two learners' run, and Cilla, who submitted but is not graded yet and is in the circle."""
    from grading.course_runs.roster import import_roster
    from widgets.pages.submit import submit_module

    base = tmp_path_factory.mktemp("exporter")
    with learners_run(base, courses_dir, cirkel, answer) as made:
        run = made["run"]
        roster = base / "cilla.csv"
        roster.write_text(f"id,namn\n{CILLA[0]},{CILLA[1]}\n", encoding="utf-8")
        import_roster(run, roster)
        cirkel("fetch", run.root, "--learner", CILLA[0], check=True)
        submit_module(run.notebook_path(CILLA[0], MODULE).parent)
        made["store"].add_member("cirkel1", CILLA[0])
        yield made


def _last_log(run) -> tuple[str, str, str]:
    entry = access_log.entries(run)[-1]
    return entry["action"], entry["subject"], entry["viewer"]


# -- completion ------------------------------------------------------------------------------------------
@pytest.mark.nbgrader
def test_completion_csv_opens_in_swedish_excel(world, tmp_path):
    run = world["run"]
    path = completion_csv(run, tmp_path / "genomforande.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == HEADINGS
    rows = {r[0]: r for r in (line.split(";") for line in lines[1:])}
    assert set(rows) == {ANNA[0], BO[0], CILLA[0]}
    table = completion_table(run).set_index("student_id")
    for sid, name in (ANNA, BO):
        row = rows[sid]
        assert row[1] == name and row[2] == MODULE and row[3] == "rättad"
        # numbers with a decimal comma, as Swedish Excel reads them
        assert "." not in row[4] + row[5]
        assert float(row[4].replace(",", ".")) == pytest.approx(table.loc[sid, "points"])
        assert float(row[5].replace(",", ".")) == pytest.approx(table.loc[sid, "max_points"])
    assert rows[ANNA[0]][6] == "ja" and rows[BO[0]][6] == "nej"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[ANNA[0]][7])
    assert rows[CILLA[0]][3] == "inlämnad" and rows[CILLA[0]][4] == ""
    assert _last_log(run) == ("exportera", "alla", "ledaren")


@pytest.mark.nbgrader
def test_completion_xlsx_has_points_as_numbers(world, tmp_path):
    from openpyxl import load_workbook

    run = world["run"]
    path = completion_xlsx(run, tmp_path / "genomforande.xlsx")
    sheet = load_workbook(path).active
    assert sheet.title == "Genomförande"
    values = list(sheet.values)
    assert list(values[0]) == HEADINGS
    rows = {r[0]: r for r in values[1:]}
    table = completion_table(run).set_index("student_id")
    for sid in (ANNA[0], BO[0]):
        points = rows[sid][4]
        assert isinstance(points, (int, float)) and points == pytest.approx(table.loc[sid, "points"])
        assert isinstance(rows[sid][5], (int, float))
    assert rows[CILLA[0]][4] is None and rows[CILLA[0]][3] == "inlämnad"
    assert sheet["A1"].font.bold
    assert _last_log(run) == ("exportera", "alla", "ledaren")


@pytest.mark.nbgrader
def test_export_command_checks_the_file_name(world, tmp_path, monkeypatch, capsys):
    run = world["run"]
    code, _out, err = run_command(["export", "completion", run.root, "--out", tmp_path / "x.txt"], monkeypatch, capsys)
    assert code == 1 and ".csv / .xlsx" in err and not (tmp_path / "x.txt").exists()
    code, _out, err = run_command(
        ["export", "completion", run.root, "--out", tmp_path / "saknas" / "x.csv"], monkeypatch, capsys
    )
    assert code == 1 and "Mappen" in err and "finns inte" in err
    code, out, _err = run_command(["export", "completion", run.root, "--out", tmp_path / "x.xlsx"], monkeypatch, capsys)
    assert code == 0 and "Sparade" in out and (tmp_path / "x.xlsx").is_file()


# -- certificate ----------------------------------------------------------------------------------------------
def _pdf_text(data: bytes) -> str:
    """The text drawn with the core fonts, from the PDF's (compressed) content streams."""
    text = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            stream = zlib.decompress(stream)
        except zlib.error:
            pass
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", stream):
            text.append(re.sub(rb"\\(.)", rb"\1", literal).decode("cp1252"))
    return "\n".join(text)


@pytest.mark.nbgrader
def test_certificate_lists_the_completed_modules(world, tmp_path):
    run = world["run"]
    path = certificate_pdf(run, ANNA[0], tmp_path / "intyg.pdf", today=dt.date(2026, 3, 5))
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    text = _pdf_text(data)
    assert "Intyg" in text
    assert ANNA[1] in text
    assert COURSE_TITLE in text
    assert "1. Strategiska planer" in text
    assert "Datum: 5 mars 2026" in text
    assert "Sammanlagt 3 studietimmar." in text
    assert BO[1] not in text
    assert _last_log(run) == ("exportera-intyg", ANNA[0], "ledaren")


@pytest.mark.nbgrader
def test_certificate_refuses_who_has_nothing_completed(world, tmp_path):
    run = world["run"]
    assert completed_modules(run, CILLA[0]) == []
    assert completed_modules(run, CILLA[0], count_submitted=True) == [MODULE]
    with pytest.raises(ExportError, match="har inte slutfört någon modul än"):
        certificate_pdf(run, CILLA[0], tmp_path / "cilla.pdf")
    assert not (tmp_path / "cilla.pdf").exists()
    # when the leader counts submitted modules, she gets one
    certificate_pdf(run, CILLA[0], tmp_path / "cilla.pdf", count_submitted=True)
    assert CILLA[1] in _pdf_text((tmp_path / "cilla.pdf").read_bytes())
    with pytest.raises(ExportError, match="Det finns ingen deltagare med id ”okand”"):
        certificate_pdf(run, "okand", tmp_path / "okand.pdf")


@pytest.mark.unit
def test_certificate_with_a_name_outside_latin1_and_many_modules_stays_one_page():
    data = certificate_bytes(
        "Đorđe Łukasiewicz-Nguyễn",
        "Partiföreningsskolan",
        [f"Modul nummer {n} om möten och mål" for n in range(1, 19)],
        40.5,
        dt.date(2026, 1, 31),
    )
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert b"DejaVu" in data  # a Unicode font, so the name is drawn as written


@pytest.mark.nbgrader
def test_certificate_command(world, tmp_path, monkeypatch, capsys):
    run = world["run"]
    code, out, _err = run_command(
        ["export", "certificate", run.root, BO[0], "--out", tmp_path / "bo.pdf"], monkeypatch, capsys
    )
    assert code == 0 and BO[1] in _pdf_text((tmp_path / "bo.pdf").read_bytes())
    code, _out, err = run_command(
        ["export", "certificate", run.root, CILLA[0], "--out", tmp_path / "c.pdf"], monkeypatch, capsys
    )
    assert code == 1 and "inget att skriva intyg om" in err and "Traceback" not in err


# -- a circle's plans ----------------------------------------------------------------------------------------
def _saved_plan(run, student_id):
    path = run.workspace(student_id) / run.course_id / MODULE / "svar" / "strategisk-plan.json"
    return json.loads(path.read_text(encoding="utf-8"))["data"]


@pytest.mark.nbgrader
def test_circle_plans_in_one_document_a_heading_per_member(world, tmp_path):
    import docx

    run = world["run"]
    assert plan_source(run).module == MODULE and plan_source(run).exercise_id == "strategisk-plan"
    path = circle_plans_docx(run, "cirkel1", tmp_path / "planer.docx")
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "Strategiska planer – Planerarna")
    members = [text for style, text in paragraphs if style == "Heading 1"]
    assert members == [BO[1], ANNA[1], CILLA[1]]  # the leader first
    # Anna's plan, made by the plan widget's own export, under her heading, its headings one level down
    start = next(i for i, p in enumerate(paragraphs) if p == ("Heading 1", ANNA[1]))
    end = next(i for i, p in enumerate(paragraphs) if p == ("Heading 1", CILLA[1]))
    hers = paragraphs[start + 1 : end]
    plan = _saved_plan(run, ANNA[0])
    goals = [g["text"] for g in plan["goals"] if g["text"].strip()]
    numbered = [text for style, text in hers if style == "List Number"]
    assert goals and [n.split(" (")[0] for n in numbered] == goals
    from widgets.models.plan import load_prompts

    prompts = load_prompts(plan_source(run).prompts_path)
    subheadings = [text for style, text in hers if style == "Heading 2"]
    assert [s.title for s in prompts.steps.values()] == subheadings[:6]
    assert not any(style == "Title" for style, _ in hers)
    # Bo's plan has only his picture of the branch; Cilla saved none
    bos = paragraphs[1:start]
    assert any(_saved_plan(run, BO[0])["perception"] in text for _s, text in bos)
    assert paragraphs[end + 1] == ("Normal", "Ingen plan sparad ännu.")
    log = [(e["action"], e["subject"]) for e in access_log.entries(run)[-3:]]
    assert log == [("exportera-plan", BO[0]), ("exportera-plan", ANNA[0]), ("exportera-plan", CILLA[0])]


@pytest.mark.nbgrader
def test_each_members_goals_are_numbered_from_one(world, tmp_path):
    import docx

    from widgets.storage.answers import AnswerStore

    run = world["run"]
    plan = {
        "perception": "Vi syns i Ödmarks by.",
        "goals": [{"id": "m1", "text": "Fler aktiva", "years": 3}, {"id": "m2", "text": "Egen lokal", "years": 4}],
    }
    folder = run.workspace(CILLA[0]) / run.course_id / MODULE / "svar"
    AnswerStore(folder).save("strategisk-plan", "StrategicPlanBuilder", plan)
    try:
        document = docx.Document(str(circle_plans_docx(run, "cirkel1", tmp_path / "planer.docx")))
    finally:
        (folder / "strategisk-plan.json").unlink()
    numbering = document.part.numbering_part.element
    lists: dict[str, list[str]] = {}
    member = ""
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            member = p.text
        elif p.style.name == "List Number":
            num_id = p._p.pPr.numPr.numId.val
            start = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:lvlOverride/w:startOverride/@w:val')
            assert start == ["1"]
            lists.setdefault(member, []).append(num_id)
    assert set(lists) == {ANNA[1], CILLA[1]}
    assert len(set(lists[ANNA[1]])) == 1 and len(set(lists[CILLA[1]])) == 1
    assert set(lists[ANNA[1]]) != set(lists[CILLA[1]])


@pytest.mark.nbgrader
def test_plans_command_refuses_an_unknown_circle(world, tmp_path, monkeypatch, capsys):
    run = world["run"]
    code, _out, err = run_command(
        ["export", "plans", run.root, "ingen", "--out", tmp_path / "p.docx"], monkeypatch, capsys
    )
    assert code == 1 and "ingen" in err and "Traceback" not in err
    assert not (tmp_path / "p.docx").exists()
    code, out, _err = run_command(
        ["export", "plans", run.root, "cirkel1", "--out", tmp_path / "p.docx"], monkeypatch, capsys
    )
    assert code == 0 and (tmp_path / "p.docx").is_file()


@pytest.mark.nbgrader
def test_a_run_without_a_plan_module_says_so(mini_course, tmp_path):
    from run_cache import create_run

    run = create_run(mini_course, tmp_path / "omgang")
    with pytest.raises(ExportError, match="ingen modul med en strategisk plan"):
        plan_source(run)
