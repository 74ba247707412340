"""The report remembers which answer files can be read, and still names a file damaged since.

A later report opens only files whose ``stat`` changed; the cache holds no
learner's id, name or path, and an erasure empties it. The unit tests drive
``widgets.storage.answers.unreadable_files`` with :class:`grading.reports.answer_verdicts.Verdicts`
on plain folders (well under a second); the nbgrader ones run ``cirkel report``
and ``cirkel person erase``'s function on a small run (a few seconds).
"""

from __future__ import annotations

import contextlib
import io
import os
import sqlite3
import time
from pathlib import Path

import pandas as pd
import pytest

from grading.reports import answer_verdicts
from grading.reports.answer_verdicts import DB_NAME, Verdicts
from widgets.storage.answers import AnswerStore, unreadable_files

from run_cache import create_run

MODULE = "01-prov"


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (a test cannot wait the two seconds a real report does)."""
    monkeypatch.setattr(answer_verdicts, "SETTLE_NS", 0)


def _look(root: Path, svar: Path, *, whole_run: bool = False) -> tuple[list[str], int]:
    """One report's look at ``svar``: the unreadable files, and how many files it opened."""
    verdicts = Verdicts(root)
    found = unreadable_files(svar, None, verdicts.readable)
    verdicts.save(whole_run=whole_run)
    return found, verdicts.read


def _rows(root: Path) -> int:
    with contextlib.closing(sqlite3.connect(root / DB_NAME)) as db:
        return db.execute("SELECT count(*) FROM answer_verdicts").fetchone()[0]


def _damage_in_place(path: Path, data: bytes) -> None:
    """Write ``data`` into the file itself (same inode), after the clock has moved on."""
    time.sleep(0.05)  # the file system's clock ticks every few milliseconds
    inode = path.stat().st_ino
    with open(path, "r+b") as handle:
        handle.write(data)
        handle.truncate()
    assert path.stat().st_ino == inode


@pytest.mark.unit
def test_an_unchanged_file_is_read_once_and_a_changed_one_again(tmp_path, settled):
    svar = tmp_path / "svar"
    store = AnswerStore(svar)
    store.save("fragor", "quiz", {"answers": {"q1": [1]}})
    store.save("plan", "plan", {"goals": ["fler medlemmar"]})
    assert _look(tmp_path, svar) == ([], 2)
    assert _look(tmp_path, svar) == ([], 0)  # the second report opens nothing

    same_size = (svar / "plan.json").read_bytes()
    _damage_in_place(svar / "plan.json", b"X" + same_size[1:])  # same size: only the times tell
    assert _look(tmp_path, svar) == (["plan.json"], 1)
    assert _look(tmp_path, svar) == (["plan.json"], 0)  # an unreadable verdict is remembered too

    store.save("plan", "plan", {"goals": []})  # saved again: a new file renamed into place
    assert _look(tmp_path, svar) == ([], 1)
    _damage_in_place(svar / "fragor.json", b'{"schema": 1, "exercise_id": "fr')  # cut short
    assert _look(tmp_path, svar) == (["fragor.json"], 1)


@pytest.mark.unit
def test_a_file_changed_in_the_last_seconds_is_not_remembered(tmp_path):
    """Two writes within one tick of the file system's clock can leave the same times: such a file is read again."""
    svar = tmp_path / "svar"
    AnswerStore(svar).save("fragor", "quiz", {"answers": {}})
    assert _look(tmp_path, svar) == ([], 1)
    assert _look(tmp_path, svar) == ([], 1)


@pytest.mark.unit
def test_the_cache_holds_no_id_name_or_path(tmp_path, settled):
    learner, name = "del-qvarn7", "Anna Qvarnström"
    svar = tmp_path / "submitted" / learner / MODULE / "svar"
    AnswerStore(svar).save("reflektion", "reflection", {"text": f"Jag heter {name}."})
    (svar / "fragor.json").write_text("{inte json", encoding="utf-8")
    assert _look(tmp_path, svar) == (["fragor.json"], 2)
    assert _rows(tmp_path) == 2
    cache = b"".join(p.read_bytes() for p in tmp_path.glob(DB_NAME + "*"))
    for word in (learner, name, "Qvarnstr", str(tmp_path), "submitted", "svar", MODULE, "reflektion", "fragor"):
        assert word.encode() not in cache, word


@pytest.mark.unit
def test_a_report_of_the_whole_run_forgets_files_that_are_gone(tmp_path, settled):
    svar = tmp_path / "svar"
    store = AnswerStore(svar)
    store.save("fragor", "quiz", {"answers": {}})
    store.save("plan", "plan", {"goals": []})
    _look(tmp_path, svar)
    (svar / "plan.json").unlink()
    assert _look(tmp_path, svar) == ([], 0) and _rows(tmp_path) == 2  # one learner's page: all kept
    assert _look(tmp_path, svar, whole_run=True) == ([], 0) and _rows(tmp_path) == 1


@pytest.mark.unit
def test_a_damaged_cache_only_means_reading_every_file(tmp_path, settled):
    svar = tmp_path / "svar"
    AnswerStore(svar).save("fragor", "quiz", {"answers": {}})
    (svar / "plan.json").write_text("[]", encoding="utf-8")
    (tmp_path / DB_NAME).write_bytes(b"inte en databas" * 100)
    assert _look(tmp_path, svar) == (["plan.json"], 2)
    assert answer_verdicts.clear(tmp_path) and not (tmp_path / DB_NAME).exists()
    assert _look(tmp_path, svar) == (["plan.json"], 2)
    assert _look(tmp_path, svar) == (["plan.json"], 0)


# -- through the report and the erasure on a small run --------------------------------------------------
def _small_run(mini_course, folder: Path, monkeypatch):
    """anna's submission collected (one answer readable, one not), bo's answers in his workspace."""
    from grading.course_runs.roster import import_roster

    monkeypatch.setenv("CIRKEL_HUB_DIR", str(folder / "hub"))
    run = create_run(mini_course, folder / "omgang")
    roster = folder / "deltagare.csv"
    roster.write_text("id,namn\nanna,Anna Qvarnström\nbo,Bo Zetterlund\ncecilia,Cecilia Ek\n", encoding="utf-8")
    import_roster(run, roster)
    collected = run.root / "submitted" / "anna" / MODULE
    AnswerStore(collected / "svar").save("fragor", "quiz", {"answers": {"q1": [0]}})
    (collected / "svar" / "reflektion.json").write_text('{"schema": 1', encoding="utf-8")
    (collected / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC", encoding="utf-8")
    bo = run.workspace("bo") / run.course_id / MODULE / "svar"
    AnswerStore(bo).save("fragor", "quiz", {"answers": {"q1": [1]}})
    return run


def _report(cirkel, run) -> str:
    done = cirkel("report", run.root)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.nbgrader
def test_a_warm_report_says_what_a_cold_one_says_and_names_a_file_damaged_since(
    mini_course, tmp_path, monkeypatch, settled, cirkel
):
    from grading.reports.completion import completion_table
    from grading.reports.dashboard import dashboard_table

    run = _small_run(mini_course, tmp_path, monkeypatch)
    cold = _report(cirkel, run)
    cold_table, cold_dashboard = completion_table(run), dashboard_table(run)
    assert "anna / 01-prov: reflektion.json" in cold and (run.root / DB_NAME).is_file()

    def no_reading(folder, name):
        raise AssertionError(f"{name} was opened again")

    with monkeypatch.context() as patched:
        patched.setattr(answer_verdicts, "answer_file_readable", no_reading)
        assert _report(cirkel, run) == cold
        pd.testing.assert_frame_equal(completion_table(run), cold_table)
        pd.testing.assert_frame_equal(dashboard_table(run), cold_dashboard)

    _damage_in_place(run.workspace("bo") / run.course_id / MODULE / "svar" / "fragor.json", b"{")
    warm = _report(cirkel, run)
    assert "bo / 01-prov: fragor.json" in warm and "anna / 01-prov: reflektion.json" in warm
    answer_verdicts.clear(run.root)
    assert _report(cirkel, run) == warm  # a cold cache again: the same report


@pytest.mark.nbgrader
def test_an_erasure_leaves_nothing_of_the_person_in_the_cache(mini_course, tmp_path, monkeypatch, settled):
    from grading.personal_data import erase_person
    from grading.reports.completion import completion_table

    run = _small_run(mini_course, tmp_path, monkeypatch)
    with contextlib.redirect_stdout(io.StringIO()):
        completion_table(run)
    assert _rows(run.root) == 3
    erase_person(run, "anna")
    assert not list(run.root.glob(DB_NAME + "*"))  # emptied: not even a hash of her files' state is kept
    assert not any(b"anna" in p.read_bytes() for p in run.root.rglob("*") if p.is_file() and "sqlite" in p.name)
    table = completion_table(run)
    assert list(table["student_id"]) == ["bo", "cecilia"] and os.path.isfile(run.root / DB_NAME)
