"""The access log: who viewed or exported whose data, and when; erased ids become pseudonyms.

Every test runs on the run's SQLite file and on PostgreSQL (``store_backend``:
``CIRKEL_LIVE_DB`` names a database of the tests' own server).
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing

import pytest
import sqlalchemy as sa

from grading.course_runs import access_log
from grading.course_runs.access_log import current_viewer, entries, pseudonym, pseudonymise, record

pytestmark = [pytest.mark.unit, pytest.mark.usefixtures("store_backend")]


@pytest.fixture(autouse=True)
def key_dir(tmp_path, monkeypatch):
    """The key folder, apart from the runs (as the hub's folder is)."""
    folder = tmp_path / "nycklar"
    monkeypatch.setenv("CIRKEL_KEY_DIR", str(folder))
    return folder


@pytest.fixture
def viewer_env(monkeypatch):
    for name in ("JUPYTERHUB_USER", "CIRKEL_VIEWER"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_an_entry_says_who_what_whose_and_when(tmp_path, viewer_env):
    viewer_env.setenv("JUPYTERHUB_USER", "kim")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    record(tmp_path, "visa", "anna")
    record(tmp_path, "exportera", "alla", viewer="lena")
    found = entries(tmp_path)
    assert [(e["viewer"], e["action"], e["subject"]) for e in found] == [
        ("kim", "visa", "anna"),
        ("lena", "exportera", "alla"),
    ]
    when = dt.datetime.fromisoformat(found[0]["time"])
    assert when.utcoffset() == dt.timedelta(0)
    assert before <= when <= dt.datetime.now(dt.UTC)


def _rows(store_backend, run) -> list[tuple[str, str, str]]:
    """The log's rows as its database holds them (not through the module under test)."""
    url = f"sqlite:///{run / access_log.DB_NAME}" if store_backend == "sqlite" else store_backend
    engine = sa.create_engine(url)
    try:
        with engine.connect() as db:
            return [
                tuple(r)
                for r in db.execute(sa.text("SELECT viewer, action, subject FROM access_log ORDER BY entry_id"))
            ]
    finally:
        engine.dispose()


def test_the_log_is_a_table_in_the_runs_database(tmp_path, store_backend):
    record(tmp_path, "visa", "anna", viewer="kim")
    record(tmp_path, "exportera", "alla", viewer="lena")
    assert _rows(store_backend, tmp_path) == [("kim", "visa", "anna"), ("lena", "exportera", "alla")]
    assert not (tmp_path / "atkomstlogg.jsonl").exists()
    # on PostgreSQL nothing of the log is in the run folder
    assert (tmp_path / access_log.DB_NAME).exists() == (store_backend == "sqlite")


def test_an_old_jsonl_log_is_imported_once_in_order_then_removed(tmp_path, store_backend):
    old = [
        {"time": "2026-01-05T10:00:00+00:00", "viewer": "kim", "action": "visa", "subject": "anna"},
        {"time": "2026-01-06T11:00:00+00:00", "viewer": "kim", "action": "exportera", "subject": "alla"},
    ]
    lines = [json.dumps(old[0]), '{"time": "halv rad', json.dumps(old[1])]  # a damaged line was never shown
    (tmp_path / "atkomstlogg.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert entries(tmp_path) == old
    assert not (tmp_path / "atkomstlogg.jsonl").exists()
    record(tmp_path, "visa", "bo", viewer="lena")
    assert entries(tmp_path)[:2] == old and entries(tmp_path)[2]["subject"] == "bo"
    assert _rows(store_backend, tmp_path)[0] == ("kim", "visa", "anna")
    # the erasure reaches the imported entries too
    assert pseudonymise(tmp_path, "anna") == 1
    assert [e["subject"] for e in entries(tmp_path)] == [pseudonym(tmp_path, "anna"), "alla", "bo"]


def test_the_viewer_is_the_service_viewer_then_the_hub_user_then_the_os_user(viewer_env):
    import getpass

    assert current_viewer() == getpass.getuser()
    viewer_env.setenv("JUPYTERHUB_USER", "kim")
    assert current_viewer() == "kim"
    # in a run's service the app's kernel is told who opened it (grading.hub.viewer)
    viewer_env.setenv("CIRKEL_VIEWER", "lena")
    assert current_viewer() == "lena"


def test_a_run_without_a_log_reads_as_empty_and_gets_no_file(tmp_path, store_backend):
    assert entries(tmp_path) == [] and access_log.mentions(tmp_path, "anna") == []
    assert pseudonymise(tmp_path, "anna") == 0
    assert not (tmp_path / access_log.DB_NAME).exists()


def test_an_erased_id_becomes_a_stable_pseudonym(tmp_path, viewer_env, store_backend):
    record(tmp_path, "visa", "anna", viewer="kim")
    record(tmp_path, "visa", "bo", viewer="kim")
    record(tmp_path, "exportera-person", "anna", viewer="kim")
    marker = pseudonym(tmp_path, "anna")
    assert marker.startswith("raderad-") and "anna" not in marker
    assert marker == pseudonym(tmp_path, "anna") != pseudonym(tmp_path, "bo")
    assert pseudonymise(tmp_path, "anna") == 2
    assert [e["subject"] for e in entries(tmp_path)] == [marker, "bo", marker]
    assert all("anna" not in str(v) for row in _rows(store_backend, tmp_path) for v in row)
    # nor in the SQLite file's free pages or write-ahead log
    assert all(b"anna" not in path.read_bytes() for path in tmp_path.glob("atkomstlogg.sqlite*"))
    # again: nothing left to change
    assert pseudonymise(tmp_path, "anna") == 0


def test_the_pseudonym_needs_the_runs_key(tmp_path):
    one, other = tmp_path / "ett", tmp_path / "annat"
    one.mkdir()
    other.mkdir()
    # the same id in two runs: unrelated markers, so a marker cannot be looked up by hashing guesses
    assert pseudonym(one, "anna") != pseudonym(other, "anna")


def test_the_key_is_kept_apart_from_the_run_and_its_log(tmp_path, key_dir):
    run = tmp_path / "omgang"
    run.mkdir()
    (run / ".atkomstlogg-nyckel").write_text("a" * 64, encoding="ascii")  # where older runs kept it
    record(run, "visa", "anna", viewer="kim")
    marker = pseudonym(run, "anna")
    # a copy of the run folder (a backup, a colleague's laptop) cannot recompute the marker
    assert not (run / ".atkomstlogg-nyckel").exists()
    (key,) = key_dir.glob("*.key")
    secret = key.read_bytes().strip()
    assert all(secret not in path.read_bytes() for path in run.rglob("*") if path.is_file())
    assert key.stat().st_mode & 0o077 == 0 and key_dir.stat().st_mode & 0o077 == 0
    assert marker == pseudonym(run, "anna")  # the same key while it lasts


def test_a_new_key_each_retention_period_unlinks_old_markers(tmp_path, key_dir):
    import yaml

    run = tmp_path / "omgang"
    run.mkdir()
    (run / "cirkel-run.yml").write_text(yaml.safe_dump({"retention_days": 30}), encoding="utf-8")
    day = dt.date(2026, 3, 1)
    first = pseudonym(run, "anna", today=day)
    assert access_log.period(run, day) == day.toordinal() // 30
    later_same = day + dt.timedelta(days=(30 - day.toordinal() % 30) - 1)  # the period's last day
    assert pseudonym(run, "anna", today=later_same) == first
    next_period = later_same + dt.timedelta(days=1)
    second = pseudonym(run, "anna", today=next_period)
    assert second != first
    # the old key is destroyed: the old marker can no longer be made again, by anyone
    assert len(list(key_dir.glob("*.key"))) == 1
    assert pseudonym(run, "anna", today=day) != first


def _append_many(folder: str, who: str) -> None:
    for n in range(40):
        access_log.record(folder, "visa", f"{who}-{n}", viewer=who)


def test_processes_appending_at_once_never_interleave(tmp_path):
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_append_many, args=(str(tmp_path), f"ledare{i}")) for i in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert all(w.exitcode == 0 for w in workers)
    found = entries(tmp_path)
    assert len(found) == 120
    assert {e["subject"] for e in found} == {f"ledare{i}-{n}" for i in range(3) for n in range(40)}
    for i in range(3):  # each leader's entries in the order they were made
        mine = [e["subject"] for e in found if e["viewer"] == f"ledare{i}"]
        assert mine == [f"ledare{i}-{n}" for n in range(40)]
