"""One person's data: export everything, erase everything (and prove nothing remains), prune by retention."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
import yaml

from grading import access_log
from grading.personal_data import PersonDataError, erase_person, export_person, last_activity, prune
from grading.run import CourseRun
from widgets.i18n import t, yaml_data

from personal_data_support import ERASED, KEPT, LEADER_REFLECTION, MODULE, _hub_database, learners_run
from run_cache import create_run

pytestmark = [pytest.mark.filterwarnings("ignore:.*not in session")]


# -- the command line, as `cirkel` runs it once the lead has wired the commands in ----------------
def run_command(argv: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    """``cirkel ARGV`` in this process: the real ``grading.cli.main`` with these commands declared."""
    from grading import cli
    from grading.person_commands import add_export_commands, add_person_commands

    original = cli.build_parser

    def build_parser():
        parser = original()
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        if "person" not in sub.choices:
            add_person_commands(sub)
        if "export" not in sub.choices:
            add_export_commands(sub)
        return parser

    monkeypatch.setattr(cli, "build_parser", build_parser)
    monkeypatch.setenv("CIRKEL_LANG", "sv")
    code = cli.main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def world(tmp_path_factory, courses_dir, cirkel, answer):
    with learners_run(tmp_path_factory.mktemp("personuppgifter"), courses_dir, cirkel, answer) as made:
        yield made


# -- export -------------------------------------------------------------------------------------------
@pytest.mark.nbgrader
def test_export_gives_everything_about_one_person(world, tmp_path):
    run = world["run"]
    out = export_person(run, ERASED[0], tmp_path / "ut")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    text = (out / "manifest.json").read_text(encoding="utf-8")
    (entry,) = manifest["kursomgangar"]
    assert entry["deltagare"]["id"] == ERASED[0] and entry["deltagare"]["namn"] == ERASED[1]
    (submission,) = entry["inlamningar"]
    assert submission["module"] == MODULE and submission["score"] > 0
    grades = {g["name"]: g for nb in submission["notebooks"] for g in nb["grades"]}
    assert grades["reflektion-svar"]["needs_manual_grade"] is True
    answers = entry["svar"][MODULE]
    assert LEADER_REFLECTION in json.dumps(answers, ensure_ascii=False)
    assert answers["strategisk-plan"]["data"]["goals"]
    circles = entry["studiecirklar"]
    assert [m["circle_id"] for m in circles["memberships"]] == ["cirkel1"]
    assert len(circles["attendance"]) == 3
    assert manifest["hubbkonto"]["roll"] == "deltagare"
    assert manifest["hubbkonto"]["kursomgangar"][0]["kurs_id"] == run.course_id
    assert [(e["action"], e["viewer"]) for e in entry["atkomstlogg"]] == [("visa", "ledaren")]
    assert entry["deltagarlistor"] == [{"fil": "deltagare.csv", "rad": [ERASED[0], ERASED[1]]}]
    # their files: submission, graded copy, feedback (as given, released and fetched), answers
    files = entry["filer"]
    for wanted in (
        f"submitted/{MODULE}/{MODULE}.ipynb",
        f"autograded/{MODULE}/{MODULE}.ipynb",
        f"feedback/{MODULE}/{MODULE}.html",
        "svar/strategisk-plan.json",
    ):
        assert any(f.endswith(wanted) for f in files), wanted
    assert any(f.startswith(f"{run.course_id}/exchange-feedback/") for f in files)
    assert any("/arbetsmapp/" in f and f.endswith(f"/{MODULE}.html") for f in files), "fetched feedback"
    for f in files:
        assert (out / f).is_file()
    # never the password hash, never the other learner
    assert "hash" not in text and "salt" not in text
    assert KEPT[0] not in text and KEPT[1] not in text
    last = access_log.entries(run)[-1]
    assert (last["action"], last["subject"], last["viewer"]) == ("exportera-person", ERASED[0], "ledaren")


@pytest.mark.nbgrader
def test_export_as_zip_and_refusals(world, tmp_path):
    run = world["run"]
    archive = export_person(run, KEPT[0], tmp_path / "bo", as_zip=True)
    assert archive.suffix == ".zip" and not (tmp_path / "bo").exists()
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["kursomgangar"][0]["deltagare"]["namn"] == KEPT[1]
    with pytest.raises(PersonDataError, match="Det finns ingen deltagare med id ”okand”"):
        export_person(run, "okand", tmp_path / "x")
    with pytest.raises(PersonDataError, match="går inte att använda|ogiltig|id"):
        export_person(run, "../etc", tmp_path / "y")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "annat.txt").write_text("x", encoding="utf-8")
    with pytest.raises(PersonDataError, match="inte tom"):
        export_person(run, KEPT[0], tmp_path / "full")


@pytest.mark.nbgrader
def test_person_export_command(world, tmp_path, monkeypatch, capsys):
    code, out, _err = run_command(
        ["person", "export", world["run"].root, ERASED[0], "--out", tmp_path / "ut"], monkeypatch, capsys
    )
    assert code == 0
    assert f"Allt om {ERASED[0]} är sparat i" in out
    assert (tmp_path / "ut" / "manifest.json").is_file()
    code, _out, err = run_command(
        ["person", "export", world["run"].root, "okand", "--out", tmp_path / "x"], monkeypatch, capsys
    )
    assert code == 1 and "Det finns ingen deltagare" in err and "Traceback" not in err


# -- erase ----------------------------------------------------------------------------------------------
@pytest.mark.nbgrader
def test_erase_without_yes_and_without_a_terminal_refuses(world, monkeypatch, capsys):
    code, _out, err = run_command(["person", "erase", world["run"].root, ERASED[0]], monkeypatch, capsys)
    assert code == 1
    assert "Radering måste bekräftas" in err and "--yes" in err
    assert world["run"].workspace(ERASED[0]).is_dir()
    code, _out, err = run_command(["person", "erase", world["run"].root, "okand", "--yes"], monkeypatch, capsys)
    assert code == 1 and "Det finns ingen deltagare med id ”okand”" in err


def _needles(student_id: str, name: str) -> list[bytes]:
    surname = name.split()[-1]
    ascii_part = surname[: next((i for i, c in enumerate(surname) if ord(c) > 127), len(surname))]
    return [student_id.encode(), name.encode("utf-8"), ascii_part.encode()]


def _sqlite_rows(path: Path) -> list[str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = []
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                rows.append(" ".join(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in row))
        return rows
    finally:
        db.close()


def _traces_under(folder: Path, student_id: str, name: str) -> list[str]:
    """Every file (name or content) and SQLite row under ``folder`` that mentions the person."""
    needles = _needles(student_id, name)
    found = []
    for path in sorted(folder.rglob("*")):
        if any(n.decode("utf-8") in str(path.relative_to(folder)) for n in needles):
            found.append(f"path {path}")
        if not path.is_file():
            continue
        data = path.read_bytes()
        if any(n in data for n in needles):
            found.append(f"bytes {path}")
        if data.startswith(b"SQLite format 3"):
            for row in _sqlite_rows(path):
                if any(n.decode("utf-8") in row for n in needles):
                    found.append(f"row {path}: {row[:80]}")
    return found


def _one_file_per_database(traces: list[str]) -> list[str]:
    """The places of the traces: a database and its write-ahead log as one (a checkpoint moves
    bytes between them); a row by its file only (the erased person's name blanked in it is not
    the kept person's data), counted."""
    files = sorted({trace.removesuffix("-wal") for trace in traces if not trace.startswith("row ")})
    rows = sorted(trace.split(": ", 1)[0] for trace in traces if trace.startswith("row "))
    return files + rows


@pytest.mark.nbgrader
def test_erase_leaves_no_trace_and_keeps_the_other_learner(world, monkeypatch, capsys):
    run, hub = world["run"], world["hub"]
    # before: both learners are found everywhere, so the search below can find them
    assert _traces_under(run.root, *ERASED) and _traces_under(hub, *ERASED)
    kept_before = _one_file_per_database(_traces_under(run.root, *KEPT) + _traces_under(hub, *KEPT))
    with run.gradebook() as gb:
        kept_score = gb.find_submission(MODULE, KEPT[0]).score

    code, out, err = run_command(["person", "erase", run.root, ERASED[0], "--yes"], monkeypatch, capsys)
    assert code == 0, err
    assert f"{ERASED[0]} är raderad" in out
    for place in (
        "rättningsdatabasen",
        "inlämningarna",
        "återkopplingen",
        "utväxlingsmappen",
        "arbetsmappen",
        "studiecirklarna",
        "deltagarlistan",
        "hubben",
        "åtkomstloggen",
        t("person.place.live"),
        t("person.place.collaboration"),
    ):
        assert place in out

    # nothing about the erased person anywhere: run folder (exchange included) and hub folder, files and rows
    assert _traces_under(run.root, *ERASED) == []
    assert _traces_under(hub, *ERASED) == []
    assert run.exchange_root.is_relative_to(run.root)

    # the other learner: untouched
    assert _one_file_per_database(_traces_under(run.root, *KEPT) + _traces_under(hub, *KEPT)) == kept_before
    with run.gradebook() as gb:
        assert [s.id for s in gb.students] == [KEPT[0]]
        assert gb.find_submission(MODULE, KEPT[0]).score == kept_score
    assert (run.workspace(KEPT[0]) / run.course_id / MODULE / "feedback").is_dir()
    store = world["store"]
    assert store.circle("cirkel1").members == (KEPT[0],)
    assert all(present == {KEPT[0]} for present in store.attendance("cirkel1").values())
    assert len(store.attendance("cirkel1")) == 3
    from grading.hub.accounts import AccountStore

    accounts = AccountStore(hub / "konton.sqlite")
    assert accounts.get(ERASED[0]) is None and accounts.get(KEPT[0]) is not None
    assert (hub / "hem" / KEPT[0] / "anteckning.txt").is_file()
    hub_users = [r[0] for r in sqlite3.connect(hub / "jupyterhub.sqlite").execute("SELECT name FROM users")]
    assert hub_users == [KEPT[0]]
    # the circle's shared plan keeps its text, without the erased writer's name
    from widgets._shared_plan_store import SharedPlanStore

    plan = SharedPlanStore(run.root, "cirkel1")
    assert plan.snapshot().value("perception") == "Ett parti som syns och lyssnar."
    assert "Ett parti som syns i vardagen." in [entry.value for entry in plan.history()]
    # the other learner's notebook stays in JupyterLab's collaboration state
    ids = sqlite3.connect(run.root / ".jupyter" / "file_id_manager.db").execute("SELECT id FROM Files").fetchall()
    assert ids == [(f"id-{KEPT[0]}",)]
    roster = (run.root / "deltagare.csv").read_text(encoding="utf-8").splitlines()
    assert roster == ["id;namn", f"{KEPT[0]};{KEPT[1]}"]

    # the access log keeps the fact of the erasure, under a pseudonym
    marker = access_log.pseudonym(run, ERASED[0])
    log = access_log.entries(run)
    assert ("visa", marker) in [(e["action"], e["subject"]) for e in log]
    assert ("visa", KEPT[0]) in [(e["action"], e["subject"]) for e in log]
    assert (log[-1]["action"], log[-1]["subject"], log[-1]["viewer"]) == ("radera", marker, "ledaren")


@pytest.mark.nbgrader
def test_erasing_again_says_it_is_done(world, monkeypatch, capsys):
    run = world["run"]
    before = access_log.entries(run)
    code, out, _err = run_command(["person", "erase", run.root, ERASED[0]], monkeypatch, capsys)
    assert code == 0 and f"{ERASED[0]} är redan raderad" in out
    assert erase_person(run, ERASED[0]).already_erased
    assert access_log.entries(run) == before


# -- retention --------------------------------------------------------------------------------------------
LEARNERS = ("gammal", "aktiv", "cirkelgaende", "aldrig")


@pytest.fixture
def quiet_run(mini_course, tmp_path, monkeypatch, store_backend):
    """A run of the small course whose learners were last active at chosen times (no nbgrader flow needed),
    its circles on SQLite, then on PostgreSQL."""
    from grading.circles import CircleStore
    from grading.roster import import_roster

    monkeypatch.setenv("CIRKEL_HUB_DIR", str(tmp_path / "hub"))
    run = create_run(mini_course, tmp_path / "omgang")
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\n" + "".join(f"{sid},{sid.title()} Testsson\n" for sid in LEARNERS), encoding="utf-8")
    import_roster(run, roster)
    now = dt.datetime.now().timestamp()
    for sid, age_days in (("gammal", 400), ("aktiv", 0), ("cirkelgaende", 400)):
        svar = run.workspace(sid) / run.course_id / "01-prov" / "svar"
        svar.mkdir(parents=True)
        answer = svar / "fragor.json"
        answer.write_text('{"schema": 1, "data": {}}', encoding="utf-8")
        os.utime(answer, (now - age_days * 86400, now - age_days * 86400))
    store = CircleStore(run)
    store.create_circle("c1", "Cirkeln", "cirkelgaende", ["aktiv"])
    meeting = store.add_meeting("c1", dt.date.today() - dt.timedelta(days=5), "18:00", "20:00", 0)
    store.set_attendance(meeting.meeting_id, ["cirkelgaende"])
    return run


@pytest.mark.nbgrader
@pytest.mark.pg
def test_an_erasure_removes_them_from_the_hubs_own_postgresql_database(quiet_run, pg_server, monkeypatch):
    import sqlalchemy as sa

    with pg_server.database() as hub_url:
        _hub_database(hub_url, ["gammal", "aktiv"])
        monkeypatch.setenv("CIRKEL_HUB_DB", hub_url)  # the hub's own database, as deploy/jupyterhub_config.py reads it
        assert "hub" in erase_person(quiet_run, "gammal").removed
        engine = sa.create_engine(hub_url)
        try:
            with engine.connect() as db:
                users = list(db.execute(sa.text("SELECT name FROM users ORDER BY name")).scalars())
                clients = list(
                    db.execute(sa.text("SELECT identifier FROM oauth_clients ORDER BY identifier")).scalars()
                )
                spawners = db.execute(sa.text("SELECT count(*) FROM spawners")).scalar_one()
        finally:
            engine.dispose()
    assert users == ["aktiv"] and clients == ["jupyterhub-user-aktiv"] and spawners == 1


def _set_run(run: CourseRun, **values) -> CourseRun:
    path = run.root / "cirkel-run.yml"
    info = yaml_data(path.read_text(encoding="utf-8"))
    info.update(values)
    path.write_text(yaml.safe_dump(info, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return CourseRun(run.root)


@pytest.mark.nbgrader
def test_prune_waits_for_the_run_to_end(quiet_run):
    with pytest.raises(PersonDataError, match="inget slutdatum"):
        prune(quiet_run)
    run = _set_run(quiet_run, ends=(dt.date.today() + dt.timedelta(days=30)).isoformat())
    with pytest.raises(PersonDataError, match="gallras först när den har slutat"):
        prune(run)
    run = _set_run(quiet_run, ends="30 juni")
    with pytest.raises(PersonDataError, match="ÅÅÅÅ-MM-DD"):
        prune(run)


@pytest.mark.nbgrader
def test_prune_erases_only_those_inactive_past_the_retention_period(quiet_run):
    run = _set_run(quiet_run, ends=(dt.date.today() - dt.timedelta(days=1)).isoformat(), retention_days=365)
    today = dt.date.today() + dt.timedelta(days=10)
    # attendance counts as activity: old answers but a recent meeting
    assert last_activity(run, "cirkelgaende").date() == dt.date.today() - dt.timedelta(days=5)
    assert last_activity(run, "aldrig") is None
    due = prune(run, today=today, dry_run=True)
    assert [d.student_id for d in due] == ["gammal"]
    assert run.workspace("gammal").is_dir()  # a dry run changes nothing
    with run.gradebook() as gb:
        assert len(gb.students) == 4
    assert [d.student_id for d in prune(run, today=today)] == ["gammal"]
    with run.gradebook() as gb:
        assert sorted(s.id for s in gb.students) == ["aktiv", "aldrig", "cirkelgaende"]
    assert not run.workspace("gammal").exists()
    assert run.workspace("aktiv").is_dir()
    # a year and more later, everyone is past the period (the never active one counts from the run's creation)
    later = dt.date.today() + dt.timedelta(days=400)
    assert [d.student_id for d in prune(run, today=later, dry_run=True)] == ["aktiv", "aldrig", "cirkelgaende"]


@pytest.mark.nbgrader
def test_prune_command_dry_run_lists_who_would_go(quiet_run, monkeypatch, capsys):
    run = _set_run(quiet_run, ends=(dt.date.today() - dt.timedelta(days=1)).isoformat(), retention_days=365)
    code, out, _err = run_command(["prune", run.root, "--dry-run"], monkeypatch, capsys)
    assert code == 0
    assert "Skulle raderas (1)" in out and "gammal: senast aktiv" in out
    assert run.workspace("gammal").is_dir()
    code, out, _err = run_command(["prune", run.root], monkeypatch, capsys)
    assert code == 0 and "Raderade (1)" in out
    assert not run.workspace("gammal").exists()
    code, out, _err = run_command(["prune", run.root], monkeypatch, capsys)
    assert code == 0 and "Ingen deltagare har varit borta längre än lagringstiden (365 dagar)" in out


class _Terminal:
    """Standard input at a terminal, where a person types ``answer``."""

    def __init__(self, answer: str):
        self.answer = answer
        self.closed = False

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return self.answer + "\n"


@pytest.mark.nbgrader
def test_erase_at_a_terminal_asks_first(quiet_run, monkeypatch, capsys):
    import builtins

    monkeypatch.setattr("sys.stdin", _Terminal("nej"))
    monkeypatch.setattr(builtins, "input", lambda prompt="": (print(prompt, end=""), "nej")[1])
    code, out, _err = run_command(["person", "erase", quiet_run.root, "aktiv"], monkeypatch, capsys)
    assert code == 1 and "Skriv ja för att radera" in out and "Inget raderades." in out
    assert quiet_run.workspace("aktiv").is_dir()
    monkeypatch.setattr(builtins, "input", lambda prompt="": "ja")
    code, out, _err = run_command(["person", "erase", quiet_run.root, "aktiv"], monkeypatch, capsys)
    assert code == 0 and "aktiv är raderad" in out
    assert not quiet_run.workspace("aktiv").exists()
    with quiet_run.gradebook() as gb:
        assert "aktiv" not in {s.id for s in gb.students}
    # the circle keeps its other member
    from grading.circles import CircleStore

    assert CircleStore(quiet_run).circle("c1").members == ("cirkelgaende",)


@pytest.mark.nbgrader
def test_erase_ends_what_still_runs_in_the_learners_folder_and_nothing_else(quiet_run, monkeypatch, capsys):
    """cirkel serve (no hub) runs a learner's module kernel in their workspace: it would write answers back."""
    import subprocess
    import sys

    workspace = quiet_run.workspace("gammal")
    kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], cwd=workspace)
    own = subprocess.Popen(["sleep", "60"], cwd=workspace)  # a person's own program there is not Cirkel's
    try:
        code, out, err = run_command(["person", "erase", quiet_run.root, "gammal", "--yes"], monkeypatch, capsys)
        assert code == 0, err
        assert t("person.cli.erased_line", place=t("person.place.processes")) in out.splitlines()
        assert kernel.wait(timeout=5) is not None
        assert own.poll() is None
    finally:
        for process in (kernel, own):
            process.kill()
            process.wait()


@pytest.mark.nbgrader
def test_a_home_shared_by_two_runs_loses_only_the_erased_runs_part(mini_course, tmp_path, monkeypatch):
    """With workspaces in the hub homes, one person's home holds every run they take."""
    from grading.hub.accounts import AccountStore
    from grading.roster import import_roster

    hub = tmp_path / "hub"
    monkeypatch.setenv("CIRKEL_HUB_DIR", str(hub))
    pattern = f"{hub}/hem/{{student_id}}"
    roster = tmp_path / "deltagare.csv"
    roster.write_text("id,namn\ndelad,Delad Person\n", encoding="utf-8")
    runs = [create_run(mini_course, tmp_path / cid, course_id=cid, workspaces=pattern) for cid in ("varen", "hosten")]
    for run in runs:
        import_roster(run, roster)
        module = run.workspace("delad") / run.course_id / "01-prov"
        (module / "svar").mkdir(parents=True)
        (module / "01-prov.ipynb").write_text("{}", encoding="utf-8")
        (module / "svar" / "fragor.json").write_text('{"data": {}}', encoding="utf-8")
    AccountStore(hub / "konton.sqlite").create("delad", "deltagare", "varen", str(runs[0].root))
    home = hub / "hem" / "delad"
    assert runs[0].workspace("delad") == home

    result = erase_person(runs[0], "delad")
    assert "workspace" in result.removed and "hub" in result.removed
    assert not (home / "varen").exists()
    assert (home / "hosten" / "01-prov" / "svar" / "fragor.json").is_file()  # the other run's part stays
    assert AccountStore(hub / "konton.sqlite").get("delad") is None
    assert erase_person(runs[0], "delad").already_erased
    with runs[1].gradebook() as gb:
        assert [s.id for s in gb.students] == ["delad"]
