"""The hub's account store on SQLite and on PostgreSQL: the same calls, the same answers.

What the hub and ``cirkel`` do with accounts (create, log in, choose a password,
lead a second run, list, erase) through ``grading.hub.accounts.AccountStore``,
once on an accounts file and once on a database of the tests' own PostgreSQL
server (tests/pg_cluster.py). The hub's own tests (tests/nbgrader/test_accounts.py)
cover the hashing and the command on the file.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from grading.hub.accounts import AccountError, AccountStore, LoginError
from grading.personal_data.erase import delete_account
from widgets.core.i18n import t


@pytest.fixture(params=[pytest.param("sqlite", marks=pytest.mark.unit), pytest.param("pg", marks=pytest.mark.pg)])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """The accounts file, or a fresh PostgreSQL database's URL."""
    return tmp_path / "konton.sqlite" if request.param == "sqlite" else request.getfixturevalue("pg_url")


def _rows(where: str | Path) -> list[tuple]:
    """Every stored row of both tables, read with a connection of the test's own."""
    url = f"sqlite:///{where}" if isinstance(where, Path) else where
    engine = sa.create_engine(url)
    try:
        with engine.connect() as db:
            return [
                *db.execute(sa.text("SELECT name, role, course_id, hash FROM accounts ORDER BY name")),
                *db.execute(sa.text("SELECT name, course_id, run_dir FROM memberships ORDER BY name, course_id")),
            ]
    finally:
        engine.dispose()


def test_accounts_are_made_logged_into_and_listed_alike(where):
    store = AccountStore(where)
    one_time = store.create("kim", "kursledare", "ht26", "/kurser/ht26")
    store.create("anna", "deltagare", "ht26", "/kurser/ht26", valid_for=timedelta(seconds=-1))
    assert store.verify("kim", one_time).must_change
    with pytest.raises(LoginError) as expired:
        store.verify("anna", store.create("anna", "deltagare", "ht26", valid_for=timedelta(seconds=-1)))
    assert expired.value.kind == "expired" and str(expired.value) == t("hub.login.failed")
    with pytest.raises(LoginError) as unknown:
        store.verify("nisse", "vad som helst")
    assert unknown.value.kind == "unknown"

    store.set_password("kim", "mitt eget lösenord", "mitt eget lösenord")
    with pytest.raises(LoginError):
        store.verify("kim", one_time)
    account = store.verify("kim", "mitt eget lösenord")
    assert not account.must_change and account.expires_at is None
    store.add_run("kim", "vt27", "/kurser/vt27")
    store.add_run("kim", "vt27", "/kurser/vt27-ny")  # again: the run's folder is updated, not doubled
    assert store.get("kim").runs == (("ht26", "/kurser/ht26"), ("vt27", "/kurser/vt27-ny"))
    assert [(a.name, a.groups) for a in store.all()] == [
        ("anna", ("deltagare-ht26",)),
        ("kim", ("kursledare-ht26", "kursledare-vt27")),
    ]
    with pytest.raises(AccountError, match=t("hub.account.one_run_only", name="anna", role="deltagare")):
        store.add_run("anna", "vt27", "")
    stored = _rows(where)
    assert not [row for row in stored if "mitt eget lösenord" in str(row) or one_time in str(row)]
    assert all(row[3].startswith("$argon2id$") for row in stored[:2])


def test_re_inviting_replaces_the_one_time_password(where):
    store = AccountStore(where)
    first = store.create("bo", "deltagare", "ht26")
    second = store.create("bo", "deltagare", "ht26")
    assert store.verify("bo", second).name == "bo"
    with pytest.raises(LoginError):
        store.verify("bo", first)
    assert [row[0] for row in _rows(where)] == ["bo"]


def test_erasing_an_account_removes_it_and_its_runs(where):
    store = AccountStore(where)
    store.create("kim", "kursledare", "ht26", "/kurser/ht26")
    store.add_run("kim", "vt27", "/kurser/vt27")
    store.create("bo", "deltagare", "ht26")
    assert store.delete("kim") is True
    assert store.get("kim") is None and store.delete("kim") is False
    assert [row[0] for row in _rows(where)] == ["bo"]


@pytest.mark.unit
def test_an_accounts_file_from_before_must_change_keeps_working(tmp_path):
    """A file made before people chose their own passwords gets the column, its accounts kept."""
    path = tmp_path / "konton.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, course_id TEXT NOT NULL,"
            " run_dir TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL, expires_at TEXT)"
        )
        db.execute("INSERT INTO accounts VALUES ('anna', 'deltagare', 'ht26', '', x'', 'x', NULL)")
    db.close()
    store = AccountStore(path)
    assert store.get("anna").must_change and store.get("anna").course_id == "ht26"
    assert delete_account(path, "anna") and store.all() == []
    assert b"anna" not in path.read_bytes()  # rebuilt: no copy left in a free page
