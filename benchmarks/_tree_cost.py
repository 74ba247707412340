"""What a tree of processes costs: CPU seconds and PSS, and what a run's databases hold.

Shared by ``hub_load.py`` and ``live_service_cost.py``, which size Cirkel from
measurements (``docs/scaling.md``). CPU is read with psutil: a live process's own
user and system time plus the time of its children that have ended and been
waited for (``children_user``/``children_system``), so a Voilà kernel shut down
during the load still counts, in its server's figure. PSS comes from
``/proc/<pid>/smaps_rollup`` (``session_memory.rollup_kib``): summed over
processes it is the physical memory they use, shared libraries split fairly.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import sqlalchemy as sa
from session_memory import rollup_kib

REPO = Path(__file__).resolve().parents[1]

__all__ = ["tree", "tree_cpu", "tree_pss_kib", "postmaster_pid", "PgCluster", "database_figures", "sqlite_figures"]


def tree(root: int) -> list[psutil.Process]:
    """``root`` and every process below it that is alive now."""
    try:
        top = psutil.Process(root)
        return [top, *top.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root``'s tree, ended-and-reaped descendants included."""
    total = 0.0
    for proc in tree(root):
        with contextlib.suppress(psutil.Error):
            cpu = proc.cpu_times()
            total += cpu.user + cpu.system + cpu.children_user + cpu.children_system
    return total


def tree_pss_kib(root: int) -> int:
    """Summed PSS in KiB of ``root``'s tree as it is now."""
    total = 0
    for proc in tree(root):
        with contextlib.suppress(OSError, RuntimeError, psutil.Error):
            total += rollup_kib(proc.pid)
    return total


def postmaster_pid(data: Path) -> int:
    """The PostgreSQL server's main process, from ``postmaster.pid`` in its data folder."""
    return int((data / "postmaster.pid").read_text().split()[0])


class PgCluster:
    """A throwaway PostgreSQL 15 cluster, started exactly as the tests start theirs (``tests/pg_cluster.py``).

    ``tests/pg_cluster.py`` reports a failure with ``pytest.fail``; here it becomes a
    ``RuntimeError`` with the same message. Its settings are a test server's
    (``fsync=off``, ``synchronous_commit=off``): the figures say so.
    """

    def __init__(self) -> None:
        sys.path.insert(0, str(REPO / "tests"))
        from pg_cluster import PgServer

        self.server = None
        try:
            self.server = PgServer()
            self.server.start()
        except BaseException as exc:  # pytest's Failed is not an Exception
            if self.server is not None:
                self.server.stop()
            if isinstance(exc, KeyboardInterrupt):
                raise
            raise RuntimeError(f"PostgreSQL did not start: {exc}") from None

    def new_database(self) -> str:
        """A fresh empty database's SQLAlchemy URL."""
        return self.server.url(self.server.create_database())

    @property
    def pid(self) -> int:
        return postmaster_pid(self.server.data)

    def stop(self) -> None:
        self.server.stop()


def database_figures(url: str) -> tuple[int, dict[str, int]]:
    """Bytes of a PostgreSQL database and the rows of each of its tables (those with any)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as db:
            size = db.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one()
            rows = {}
            for schema, table in db.execute(
                sa.text(
                    "SELECT table_schema, table_name FROM information_schema.tables"
                    " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
                )
            ):
                count = db.execute(sa.text(f'SELECT count(*) FROM "{schema}"."{table}"')).scalar_one()
                if count:
                    rows[table] = count
        return size, rows
    finally:
        engine.dispose()


def sqlite_figures(path: Path) -> tuple[int, dict[str, int]]:
    """Bytes of an SQLite file (with its write-ahead log) and the rows of each of its tables."""
    if not path.exists():
        return 0, {}
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as db:
            rows = {}
            for (table,) in db.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'table'")):
                count = db.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                if count:
                    rows[table] = count
        return size, rows
    finally:
        engine.dispose()


@contextlib.contextmanager
def environ(**values: str) -> Iterator[None]:
    """Set environment variables for the processes started inside, then put them back."""
    old = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
