"""One storage layer for Cirkel's own tables: SQLAlchemy Core on SQLite or PostgreSQL.

The live stores (group quiz, talarstatistik, shared plan), the study circles
with their meetings, attendance and group work, and the hub's accounts all get
their engine here, so they share one way of connecting: SQLite files in WAL
mode with foreign keys on for one machine, a PostgreSQL URL for a large
deployment. The stores write portable SQLAlchemy constructs; the few things
that differ by dialect (an insert that ignores or updates on conflict, how a
write waits for another, compacting after an erase) are the helpers below.

A course run's tables go to the database server named by the ``live_db`` setting
when set, else by the run's ``live_db`` in ``cirkel-run.yml`` (one database
holds all of the run's stores: their table names differ), else to one SQLite
file per store in the run folder (``samverkan.sqlite``, ``cirklar.sqlite``: the
names and table layouts of earlier versions, so existing runs keep working).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import NullPool

from widgets.core.i18n import yaml_data

__all__ = [
    "with_driver",
    "run_url",
    "has_store",
    "sqlite_url",
    "engine",
    "sqlite_setup",
    "ready",
    "writing",
    "insert_ignore",
    "upsert",
    "compact",
    "dispose",
]

_ENGINES: dict[str, Engine] = {}
_MADE: set[tuple[str, int, int]] = set()
_LOCK = threading.Lock()


def with_driver(url: str) -> str:
    """``url`` with the PostgreSQL driver Cirkel installs (psycopg 3) named, when it names none.

    SQLAlchemy reads a plain ``postgresql://`` as psycopg2, which is not installed:
    the address a person copies from their database provider works as it is.
    """
    return "postgresql+psycopg://" + url[len("postgresql://") :] if url.startswith("postgresql://") else url


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The URL of the SQLite file at ``path`` (made absolute: one engine per file)."""
    return f"sqlite:///{Path(path).resolve()}"


def _configured(run_dir: str | os.PathLike[str]) -> str | None:
    """The run's database server, if it has one: the ``live_db`` setting, else ``live_db`` in ``cirkel-run.yml``."""
    from widgets.core.settings import cirkel_settings  # traitlets only once a store is opened

    named = cirkel_settings().live_db
    if named:
        return named
    info_file = Path(run_dir) / "cirkel-run.yml"
    if info_file.is_file():
        info: Any = yaml_data(info_file.read_text(encoding="utf-8")) or {}
        if isinstance(info, dict) and info.get("live_db"):
            return str(info["live_db"])
    return None


def _server(run_dir: str | os.PathLike[str], sqlite_name: str, own: str | None) -> str | None:
    """The configured URL for this store: a database server serves every store of the run;
    an SQLite file named there is the store ``own``'s alone (the live state's, as before)."""
    url = _configured(run_dir)
    if url is None or (url.startswith("sqlite") and sqlite_name != own):
        return None
    return url


def run_url(run_dir: str | os.PathLike[str], sqlite_name: str, *, own: str | None = None) -> str:
    """Where a run's store lives: the run's database server, else ``<run>/<sqlite_name>``.

    ``own``: the store whose SQLite file the setting may name instead of a server
    (``samverkan.sqlite``: ``live_db`` has always named the live state's database).
    """
    return _server(run_dir, sqlite_name, own) or sqlite_url(Path(run_dir) / sqlite_name)


def has_store(run_dir: str | os.PathLike[str], sqlite_name: str, *, own: str | None = None) -> bool:
    """Whether the store may hold anything (reading, exporting and erasing never create a file)."""
    return _server(run_dir, sqlite_name, own) is not None or (Path(run_dir) / sqlite_name).exists()


def sqlite_setup(wal: bool, wait: float) -> Callable[[Any, Any], None]:
    """What every new SQLite connection is told: WAL (``wal``), how long to wait for a writer, foreign keys."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")  # readers (big screens) never block a writer
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable across a crash of the app, fast enough to tap
        cursor.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE, as PostgreSQL always does
        cursor.close()

    return on_connect


def engine(url: str, *, wal: bool = True, wait: float = 10, pooled: bool = True) -> Engine:
    """The engine for ``url``, one per process (threads may share it).

    SQLite only: ``wal=False`` leaves a file in its rollback journal (the hub's
    accounts file, written rarely, stays one file as it always was); ``wait`` is
    how many seconds a write waits for another before it fails (the live
    stores say so after 10 s and retry on the next tick); ``pooled=False`` opens
    the file for each use and keeps nothing open between uses (the circles and
    the accounts, read now and then, as they always were; the live stores,
    polled every second, keep their connections). PostgreSQL's are always pooled.
    """
    with _LOCK:
        found = _ENGINES.get(url)
        if found is None:
            if url.startswith("sqlite"):
                found = create_engine(
                    url,
                    connect_args={"timeout": wait, "check_same_thread": False},
                    **({} if pooled else {"poolclass": NullPool}),
                )
                event.listen(found, "connect", sqlite_setup(wal, wait))
            else:
                found = create_engine(with_driver(url), pool_pre_ping=True)
            _ENGINES[url] = found
    return found


def ready(url: str, metadata: MetaData, *, wal: bool = True, wait: float = 10, pooled: bool = True) -> Engine:
    """The engine for ``url`` with ``metadata``'s tables created if missing (checked once per process)."""
    found = engine(url, wal=wal, wait=wait, pooled=pooled)
    key = (url, id(metadata), len(metadata.tables))  # a table registered late is made too
    gone = found.dialect.name == "sqlite" and not Path(found.url.database or "").exists()
    if gone:
        found.dispose()  # pooled connections to a file since removed would write to nothing
    if key not in _MADE or gone:
        try:
            metadata.create_all(found)  # existing tables are left as they are
        except DatabaseError:  # another process made a table between the check and the CREATE: look again
            metadata.create_all(found)
        with _LOCK:
            _MADE.add(key)
    return found


@contextlib.contextmanager
def writing(eng: Engine) -> Iterator[Connection]:
    """One write transaction: all of it is saved, or none of it.

    On SQLite the transaction takes the write lock first (``BEGIN IMMEDIATE``), so
    two writers queue instead of one failing when its read turns into a write;
    PostgreSQL's row locks (``with_for_update``) and constraints do that there.
    """
    with eng.begin() as db:
        if db.dialect.name == "sqlite":
            db.exec_driver_sql("BEGIN IMMEDIATE")
        yield db


def _insert(db: Connection, table: Table) -> Any:
    return (postgresql.insert if db.dialect.name == "postgresql" else sqlite.insert)(table)


def insert_ignore(db: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert ``rows``, skipping any that would repeat a key already stored; the rows added."""
    rows = list(rows)
    if not rows:
        return 0
    return db.execute(_insert(db, table).on_conflict_do_nothing(), rows).rowcount or 0


def upsert(db: Connection, table: Table, row: dict[str, Any], keys: Iterable[str]) -> None:
    """Insert ``row``, or update the other columns of the row with the same ``keys``."""
    keys = list(keys)
    statement = _insert(db, table).values(row)
    changed = {name: statement.excluded[name] for name in row if name not in keys}
    db.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))


def compact(eng: Engine) -> None:
    """After an erase: rebuild an SQLite file so the erased rows leave no copy in free pages or the log.

    PostgreSQL keeps erased rows as dead tuples until its autovacuum reuses the
    space; the database server's own storage is the operator's to protect.
    """
    if eng.dialect.name != "sqlite":
        return
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.exec_driver_sql("VACUUM")
        db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def dispose(url: str) -> None:
    """Close the engine for ``url`` (a database about to be dropped, a file about to be replaced)."""
    with _LOCK:
        found = _ENGINES.pop(url, None)
        for key in [k for k in _MADE if k[0] == url]:
            _MADE.discard(key)
    if found is not None:
        found.dispose()
