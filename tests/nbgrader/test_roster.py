"""Importing learners: all or nothing, bad rows named by line, ids updated not duplicated."""

from __future__ import annotations

import pytest

from grading.course_runs.roster import RosterError, import_roster, read_roster

from run_cache import create_run

pytestmark = pytest.mark.nbgrader


@pytest.fixture(scope="module")
def run(course_dir, tmp_path_factory):
    return create_run(course_dir, tmp_path_factory.mktemp("roster") / "omg")


def _students(run):
    with run.gradebook() as gb:
        return {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}


def _write(tmp_path, text, name="deltagare.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_adds_learners_with_display_name_only(run, tmp_path):
    path = _write(tmp_path, "id,namn\nanna,Anna Andersson\nbo.berg,Bo Berg\n")
    result = import_roster(run, path)
    assert result.added == ["anna", "bo.berg"]
    students = _students(run)
    assert students["anna"] == ("Anna Andersson", None, None)
    assert students["bo.berg"] == ("Bo Berg", None, None)


def test_semicolon_and_bom_as_excel_saves_it_and_names_are_updated(run, tmp_path):
    import_roster(run, _write(tmp_path, "id,namn\nanna,Anna Andersson\n", name="forst.csv"))
    path = _write(tmp_path, "\ufeffid;namn\r\nanna;Anna Ek\r\ncecilia;Cecilia Cederlund\r\n")
    result = import_roster(run, path)
    assert result.updated == ["anna"]
    assert "cecilia" in result.added
    students = _students(run)
    assert students["anna"][0] == "Anna Ek"
    assert students["cecilia"][0] == "Cecilia Cederlund"


def test_bad_rows_are_named_and_nothing_is_imported(run, tmp_path):
    before = _students(run)
    path = _write(tmp_path, "id,namn\ndavid,David Dahl\nerik,\ndavid,David Igen\nFrida!,Frida Fors\n")
    with pytest.raises(RosterError) as info:
        import_roster(run, path)
    message = str(info.value)
    assert "rad 3: namn saknas" in message
    assert "rad 4: id ”david” finns redan på rad 2" in message
    assert "rad 5: id ”Frida!” går inte att använda" in message
    assert "Ingen deltagare har lagts in" in message
    assert [line for line, _ in info.value.problems] == [3, 4, 5]
    assert _students(run) == before
    assert "david" not in _students(run)


def test_wrong_header_is_refused(tmp_path):
    with pytest.raises(RosterError, match="rad 1: första raden ska vara rubrikerna id och namn"):
        read_roster(_write(tmp_path, "namn,id\nAnna,anna\n"))


def test_not_utf8_is_refused(tmp_path):
    with pytest.raises(RosterError, match="UTF-8"):
        read_roster(_write(tmp_path, "id,namn\nasa,Åsa Öberg\n", encoding="latin-1"))


def test_blank_lines_are_skipped_and_spaces_trimmed(tmp_path):
    learners = read_roster(_write(tmp_path, "id,namn\n\n  gustav , Gustav   Gran \n\n"))
    assert [(x.student_id, x.name, x.line) for x in learners] == [("gustav", "Gustav Gran", 3)]


# -- what a name may not hold: control characters, personal identity numbers ----------------------
SHAPES = ["850101-1234", "19850101-1234", "198501011234", "8501011234", "850101+1234", "850101 1234"]


@pytest.mark.parametrize("number", SHAPES)
def test_a_personal_number_in_a_name_or_as_an_id_is_refused_and_nothing_imported(run, cirkel, tmp_path, number):
    before = _students(run)
    path = _write(tmp_path, f'id,namn\nhanna,Hanna Holm\nivar,"Ivar Isaksson {number}"\n{number},Jon Jonsson\n')
    result = cirkel("learners", "import", run.root, path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "rad 3: namnet innehåller något som ser ut som ett personnummer" in result.stderr
    assert "Cirkel sparar aldrig personnummer" in result.stderr
    assert "rad 4: id ser ut som ett personnummer" in result.stderr
    assert number not in result.stderr  # the number itself is not repeated on the screen
    assert "Ingen deltagare har lagts in" in result.stderr
    assert _students(run) == before


@pytest.mark.parametrize(
    "name",
    [
        "Anna\tAndersson",
        "Anna\nAndersson",
        "Anna\x1b[31mAndersson",
        "Anna\u202eAndersson",
        "Anna\u200bAndersson",
        "A\x00",
    ],
    ids=["tab", "newline", "escape", "right-to-left-override", "zero-width-space", "nul"],
)
def test_a_name_with_a_control_character_is_refused_saying_why(run, cirkel, tmp_path, name):
    before = _students(run)
    path = tmp_path / "deltagare.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write('id,namn\nkarin,Karin Kvist\nlena,"' + name + '"\n')
    result = cirkel("learners", "import", run.root, path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "rad 3: namnet innehåller ett osynligt styrtecken" in result.stderr
    assert "Ingen deltagare har lagts in" in result.stderr
    assert _students(run) == before


@pytest.mark.parametrize("name", ["Åsa Öberg", "Zoë Ng", "Anna-Karin 2", "Jörgen i Lund 2024"])
def test_ordinary_names_are_still_taken(tmp_path, name):
    assert [x.name for x in read_roster(_write(tmp_path, f"id,namn\nmia,{name}\n"))] == [name]
