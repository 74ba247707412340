"""Where a course run's shared, live state lives: one database, SQLite by default.

A study circle's group quiz, live talarstatistik and shared plan are used from
several devices at once, each through its own Voilà kernel. What they share
lives in the course run: ``<run>/samverkan.sqlite`` in WAL mode (readers never
wait for a writer), or the PostgreSQL of a large deployment when the run's
``cirkel-run.yml`` has ``live_db: postgresql://...`` (or the ``live_db`` setting is
set). SQLAlchemy Core speaks both, so there is no separate server to start on
one machine; the engine comes from :mod:`widgets.storage.database`, as the circles' does.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.engine import Engine

from widgets.storage import database as storage

__all__ = ["DB_NAME", "METADATA", "PERSON", "DELETE", "BLANK", "live_url", "live_engine", "person_rows", "erase_person"]

DB_NAME = "samverkan.sqlite"

#: every live table registers here (``Table(name, METADATA, ...)``) and is created on first use
METADATA = MetaData()


def live_url(run_dir: str | os.PathLike[str]) -> str:
    """The database URL of a run's live state: the ``live_db`` setting, the run's ``live_db``, else SQLite."""
    return storage.run_url(run_dir, DB_NAME, own=DB_NAME)


def live_engine(run_dir: str | os.PathLike[str]) -> Engine:
    """The run's engine (one per process and URL), its tables created if missing."""
    return storage.ready(live_url(run_dir), METADATA)


#: how a table says which columns name a person: ``Column(..., info={PERSON: DELETE})`` drops the
#: row when that person is erased (their own answers, their membership of a session);
#: ``info={PERSON: BLANK}`` keeps the row (the circle's shared work) and blanks the name
PERSON = "person"
DELETE = "delete"
BLANK = "blank"
#: what a blanked name becomes
ERASED = ""


def _person_columns() -> list[tuple[Any, Any, str]]:
    """(table, column, DELETE | BLANK) for every live column that names a person."""
    return [
        (table, column, column.info[PERSON])
        for table in METADATA.sorted_tables
        for column in table.columns
        if column.info.get(PERSON) in (DELETE, BLANK)
    ]


def _existing(run_dir: str | os.PathLike[str]) -> bool:
    """Whether the run has live state at all (export and erase never create the database)."""
    return storage.has_store(run_dir, DB_NAME, own=DB_NAME)


def person_rows(run_dir: str | os.PathLike[str], person: str) -> dict[str, list[dict[str, Any]]]:
    """Every live row that names ``person``, by table (for ``cirkel person export``).

    Other people a row names (e.g. who replaced their text in the shared plan) are not
    named: an export gives one person their own data, nobody else's.
    """
    if not _existing(run_dir):
        return {}
    from widgets.core.i18n import t

    others = t("live.other_person")
    columns = _person_columns()
    found: dict[str, list[dict[str, Any]]] = {}
    with live_engine(run_dir).connect() as db:
        for table, column, _how in columns:
            named = [c.name for tb, c, _ in columns if tb is table]
            for row in db.execute(table.select().where(column == person)):
                # their row, with anyone else it names (who replaced their text, say) left unnamed
                data = {k: (others if k in named and v not in (person, ERASED) else v) for k, v in row._mapping.items()}
                if data not in found.setdefault(table.name, []):
                    found[table.name].append(data)
    return {
        name: [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()} for row in rows]
        for name, rows in found.items()
        if rows
    }


def erase_person(run_dir: str | os.PathLike[str], person: str) -> int:
    """Remove ``person`` from the live state in one transaction; returns the rows touched.

    Rows that are the person's own (answers, memberships) go; rows that are a
    circle's shared work (a plan field, a session) stay with the name blanked.
    Children go before parents (``METADATA.sorted_tables`` reversed).
    """
    if not _existing(run_dir):
        return 0
    engine = live_engine(run_dir)
    touched = 0
    with engine.begin() as db:
        for table, column, how in reversed(_person_columns()):
            if how == DELETE:
                touched += db.execute(table.delete().where(column == person)).rowcount or 0
            else:
                touched += (
                    db.execute(table.update().where(column == person).values({column.name: ERASED})).rowcount or 0
                )
    storage.compact(engine)  # the erased rows leave the file's free pages and its log too
    return touched
