"""Retention and erasing in a small run: prune by the retention period, erase at a terminal,
from the hub's PostgreSQL database, and beside what still runs or another run's part of a home."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import yaml

from grading.course_runs.run import CourseRun
from grading.personal_data import PersonDataError, erase_person, last_activity, prune
from widgets.core.i18n import t, yaml_data

from personal_data_checks import run_command
from personal_data_support import _hub_database
from run_cache import create_run

pytestmark = [pytest.mark.filterwarnings("ignore:.*not in session")]


# -- retention --------------------------------------------------------------------------------------------
LEARNERS = ("gammal", "aktiv", "cirkelgaende", "aldrig")


@pytest.fixture
def quiet_run(mini_course, tmp_path, monkeypatch, store_backend):
    """A run of the small course whose learners were last active at chosen times (no nbgrader flow needed),
    its circles on SQLite, then on PostgreSQL."""
    from grading.circles.store import CircleStore
    from grading.course_runs.roster import import_roster

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
    from grading.circles.store import CircleStore

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
    from grading.course_runs.roster import import_roster
    from grading.hub.accounts import AccountStore

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
