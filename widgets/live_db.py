"""Where a course run's shared, live state lives: one database, SQLite by default.

A study circle's group quiz, live talarstatistik and shared plan are used from
several devices at once, each through its own Voilà kernel. What they share
lives in the course run: ``<run>/samverkan.sqlite`` in WAL mode (readers never
wait for a writer), or the PostgreSQL of a large deployment when the run's
``cirkel-run.yml`` has ``live_db: postgresql://...`` (or ``CIRKEL_LIVE_DB`` is
set). SQLAlchemy Core speaks both, so there is no separate server to start on
one machine.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine

__all__ = ["DB_NAME", "METADATA", "live_url", "live_engine"]

DB_NAME = "samverkan.sqlite"

#: every live table registers here (``Table(name, METADATA, ...)``) and is created on first use
METADATA = MetaData()

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def live_url(run_dir: str | os.PathLike[str]) -> str:
    """The database URL of a run's live state: ``CIRKEL_LIVE_DB``, the run's ``live_db``, else SQLite."""
    if os.environ.get("CIRKEL_LIVE_DB"):
        return os.environ["CIRKEL_LIVE_DB"]
    root = Path(run_dir)
    info_file = root / "cirkel-run.yml"
    if info_file.is_file():
        info: Any = yaml.safe_load(info_file.read_text(encoding="utf-8")) or {}
        if isinstance(info, dict) and info.get("live_db"):
            return str(info["live_db"])
    return f"sqlite:///{(root / DB_NAME).resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (big screens) never block a writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable across a crash of the app, fast enough to tap
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def live_engine(run_dir: str | os.PathLike[str]) -> Engine:
    """The run's engine (one per process and URL), its tables created if missing."""
    url = live_url(run_dir)
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _ENGINES[url] = engine
        METADATA.create_all(engine)  # cheap when the tables exist; tables registered late get made
    return engine
