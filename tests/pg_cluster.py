"""A PostgreSQL server of the tests' own: Debian's PostgreSQL, started with ``initdb`` and ``pg_ctl``.

One server per pytest process (per xdist worker), in a temporary folder, on a
free port of 127.0.0.1, stopped at the end; each test that asks gets a database
of its own. ``initdb`` and ``postgres`` refuse to run as root (CI runs as
root), so as root they run as the ``postgres`` user that Debian's package
creates; as anyone else, as that person. PostgreSQL missing is a failure that
says how to install it, never a silent skip.

The store tests run twice through :func:`store_backend`: once on the SQLite
files of the course run, once with ``CIRKEL_LIVE_DB`` naming a fresh database
here (those variants carry the ``pg`` marker: ``pytest -m pg`` runs them alone).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["PgServer", "pg_server", "pg_url", "store_backend", "module_backend"]

#: Debian's PostgreSQL (the ``postgresql`` package; ``make test`` installs it through ``make postgresql``)
PG_BINS = "/usr/lib/postgresql/*/bin"


def _bin_dir() -> Path:
    found = sorted(glob.glob(PG_BINS), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    if not found or not (Path(found[-1]) / "initdb").exists():
        pytest.fail(
            f"PostgreSQL is missing (no initdb in {PG_BINS}): run `make postgresql` (part of `make test`), "
            "or `apt-get install postgresql` as root, for the PostgreSQL variants of the store tests",
            pytrace=False,
        )
    return Path(found[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """A throwaway PostgreSQL cluster: ``start()``, ``create_database()``, ``drop_database()``, ``stop()``."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.base = Path(tempfile.mkdtemp(prefix="cirkel-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run as Debian's postgres user, in a folder it owns
            try:
                shutil.chown(self.base, "postgres", "postgres")
            except LookupError:
                pytest.fail(
                    "PostgreSQL refuses to run as root and there is no `postgres` user to run it as: "
                    "install Debian's `postgresql` package (`make postgresql`), which makes that user",
                    pytrace=False,
                )
            self._as = ["runuser", "-u", "postgres", "--"]
        self._names = itertools.count(1)
        # databases are made one ahead and dropped behind, in one thread: a test never waits for either
        self._worker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-databases")
        self._ahead: concurrent.futures.Future[str] | None = None

    def _run(self, *argv: str) -> None:
        done = subprocess.run([*self._as, *argv], capture_output=True, text=True, timeout=120, cwd=self.base)
        if done.returncode != 0:
            log = self.base / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"{argv[0]} failed:\n{done.stdout}\n{done.stderr}\n{tail}", pytrace=False)

    def start(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        )
        # a test server: nothing needs to survive a crash, so nothing waits for the disk
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.base} -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.base / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True)

    def _make(self) -> str:
        name = f"cirkel_{os.getpid()}_{next(self._names)}"
        with self._admin() as db:
            # copying template1's files is quicker than writing them through the log (fsync is off)
            db.execute(f'CREATE DATABASE "{name}" STRATEGY FILE_COPY')
        return name

    def _drop(self, name: str) -> None:
        with self._admin() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def create_database(self) -> str:
        """A new, empty database; its name. The next one is made meanwhile, while the test runs."""
        name = self._ahead.result() if self._ahead is not None else self._make()
        self._ahead = self._worker.submit(self._make)
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name`` behind the next test's back (its engines are closed first by the caller)."""
        self._worker.submit(self._drop, name)

    @contextlib.contextmanager
    def database(self) -> Iterator[str]:
        """A fresh database's URL; its engines closed and the database dropped afterwards."""
        from widgets.storage import database as storage

        name = self.create_database()
        url = self.url(name)
        try:
            yield url
        finally:
            storage.dispose(url)
            self.drop_database(name)

    def stop(self) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)
        with contextlib.suppress(Exception):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """This process's PostgreSQL server (started on first use, stopped at the end of the session)."""
    server = PgServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """The URL of a fresh database of this test's own; its engines closed and the database dropped after."""
    with pg_server.database() as url:
        yield url


BACKENDS = ["sqlite", pytest.param("pg", marks=pytest.mark.pg)]


@pytest.fixture(params=BACKENDS)
def store_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on the course run's SQLite files, then on PostgreSQL (``CIRKEL_LIVE_DB``).

    Returns ``"sqlite"``, or the PostgreSQL URL every course run's stores use in this test.
    """
    if request.param == "sqlite":
        monkeypatch.delenv("CIRKEL_LIVE_DB", raising=False)
        return "sqlite"
    url = request.getfixturevalue("pg_url")
    monkeypatch.setenv("CIRKEL_LIVE_DB", url)
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """``store_backend`` for a module whose tests share one course run (one database for the module)."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "sqlite":
            patch.delenv("CIRKEL_LIVE_DB", raising=False)
            yield "sqlite"
            return
        with request.getfixturevalue("pg_server").database() as url:
            patch.setenv("CIRKEL_LIVE_DB", url)
            yield url
