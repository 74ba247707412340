"""One person's data: export everything, erase everything and prove nothing remains
(retention and erasing in a small run: ``test_retention.py``)."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest

from grading.course_runs import access_log
from grading.personal_data import PersonDataError, erase_person, export_person
from widgets.core.i18n import t

from personal_data_checks import _one_file_per_database, _traces_under, run_command
from personal_data_support import ERASED, KEPT, LEADER_REFLECTION, MODULE, learners_run

pytestmark = [pytest.mark.filterwarnings("ignore:.*not in session")]


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
    from widgets.storage.shared_plan import SharedPlanStore

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
