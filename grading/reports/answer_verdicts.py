"""Which answer files can be read, remembered, so a report reads each file once instead of every time.

The report and the dashboard name the answer files that cannot be read.
Reading and checking every one (173,000 at 10,000 learners: open, read, JSON,
the answer model) is half a report's time, yet a file's verdict cannot change
while the file does not. So each verdict is kept under a hash of what ``stat``
says about the file (device, inode, size, modification and change times in
nanoseconds) and its name (the exercise id, which the check compares), and a
later report needs one ``stat`` per file. A file written again, by a rename or in
place, has another key and is read again; a file changed within the last
seconds is not remembered, since a second write in the same clock tick could
leave its times as they were.

The cache lives in the run (``lasbarhet.sqlite``, through :mod:`widgets.storage.database`)
and holds 8-byte hashes and a yes/no only: no learner id, name or path. It is
emptied all the same when a person is erased (:func:`clear`), and a report of
the whole run drops the keys of files that are gone.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import sqlalchemy as sa

from widgets.storage import database as storage
from widgets.storage.answers import answer_file_readable

__all__ = ["DB_NAME", "VERDICTS", "Verdicts", "clear"]

DB_NAME = "lasbarhet.sqlite"
#: A file changed this recently is read but its verdict not kept: its next change may keep its times.
SETTLE_NS = 2_000_000_000

METADATA = sa.MetaData()
VERDICTS = sa.Table(
    "answer_verdicts",
    METADATA,
    sa.Column("key", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("readable", sa.Boolean, nullable=False),
)


def _url(run_root: str | os.PathLike[str]) -> str:
    return storage.sqlite_url(Path(run_root) / DB_NAME)


def _check_version() -> int:
    """The code that decides a verdict (the store, its depth limit, the answer model) and the Python that hashes keys.

    A new version of either judges every file again.
    """
    import sys

    from widgets.core import learner_json
    from widgets.models import answers as answer_models
    from widgets.storage import answers as store

    digest = hashlib.blake2b(str(sys.hexversion).encode(), digest_size=8)
    for module in (store, learner_json, answer_models):
        digest.update(Path(module.__file__ or "").read_bytes())
    return int.from_bytes(digest.digest(), "big", signed=True)


def _name_number(name: str, cache: dict[str, int] = {}) -> int:  # noqa: B006 (memo of a few exercise ids)
    """A file name as a number that is the same in every process (``hash`` of a ``str`` is not)."""
    found = cache.get(name)
    if found is None:
        found = cache[name] = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big")
    return found


def _key(version: int, info: os.stat_result, name: str) -> int:
    """The file's identity and state, its name and the checking code's version, as one 64-bit number.

    Python's hash of a tuple of integers: the same in every process of one Python
    version (which ``version`` includes), a few hundred nanoseconds a file.
    """
    stamp = (version, _name_number(name), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    return hash(stamp)


class Verdicts:
    """The run's remembered verdicts: :meth:`readable` for ``widgets.storage.answers.unreadable_files``, then :meth:`save`.

    ``run_root``: the course run's folder, where the cache lives.
    """

    def __init__(self, run_root: str | os.PathLike[str]) -> None:
        self.url = _url(run_root)
        self.path = Path(run_root) / DB_NAME
        self.known = self._load()
        self.new: dict[int, bool] = {}
        self.seen: set[int] = set()
        self.read = 0  # files opened, for the tests and the benchmark
        self._version = _check_version()
        self._settled_before = time.time_ns() - SETTLE_NS
        self._looked: dict[str, bool] = {}  # "folder/name" -> verdict, from :meth:`look_ahead`

    def _load(self) -> dict[int, bool]:
        if not self.path.is_file():  # a report of a run without the cache makes it only when saving
            return {}
        try:
            with storage.engine(self.url, wal=False, pooled=False).connect() as db:
                rows = db.execute(sa.select(VERDICTS.c.key, VERDICTS.c.readable))
                return dict(iter(rows.tuples()))  # a Result has keys(): dict would take it for a mapping
        except sa.exc.SQLAlchemyError:  # damaged or of another layout: read everything, as without it
            return {}

    def look_ahead(self, folders: Sequence[tuple[str, list[str] | None]]) -> Callable[[], dict[str, list[str]]]:
        """Begin listing these answer folders and finding each answer file's verdict, for :meth:`readable`.

        ``folders``: each folder with its names, or ``None`` to list it. The function
        returned waits for the work and gives each folder's names. The folders are
        listed, their files' ``stat`` taken and the files the cache does not know
        checked in worker processes when there are thousands and the cache knows fewer
        files than there are folders (:func:`grading.reports.answer_pool.start`), while the caller
        goes on: the first report of 10,000 learners reads 173,000 files in 89,000 folders.
        """
        from grading.reports.answer_pool import start

        # workers only when most files are to be read: forking and sending the results back cost
        # more CPU than the listing and the stats alone, and a shared machine may have no core free
        pending = start(folders, self._survey, parallel=len(self.known) < len(folders))

        def finish() -> dict[str, list[str]]:
            listings = {}
            for (folder, _names), (names, found) in zip(folders, pending()):
                listings[folder] = names
                for name, key, verdict, fresh, settled in found:
                    self.seen.add(key)
                    if fresh:
                        self.read += 1
                        if verdict is not None and settled:
                            self.new[key] = verdict
                    if verdict is not None:  # None: gone since the listing, readable() finds it gone
                        self._looked[f"{folder}/{name}"] = verdict
            return listings

        return finish

    def _survey(self, folder_names: tuple[str, list[str] | None]) -> tuple[list[str], list[tuple]]:
        """One folder's names, and (name, key, verdict, read now, settled) of each answer file in it."""
        folder, names = folder_names
        if names is None:
            try:
                names = os.listdir(folder)
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                names = []
        found = []
        for name in names:
            if not name.endswith(".json"):
                continue
            try:
                info = os.stat(f"{folder}/{name}")
            except OSError:  # readable() says what it is
                continue
            key = _key(self._version, info, name)
            verdict = self.known.get(key)
            fresh = verdict is None
            if fresh:
                verdict = answer_file_readable(folder, name)
            settled = info.st_ctime_ns < self._settled_before and info.st_mtime_ns < self._settled_before
            found.append((name, key, verdict, fresh, settled))
        return names, found

    def readable(self, folder: str, name: str) -> bool | None:
        """:func:`widgets.storage.answers.answer_file_readable`, from the cache when the file has not changed."""
        looked = self._looked.pop(f"{folder}/{name}", None)
        if looked is not None:
            return looked
        try:
            info = os.stat(f"{folder}/{name}")  # not os.path.join: a report does this 173,000 times
        except FileNotFoundError:
            return None
        except OSError:
            return False
        key = _key(self._version, info, name)
        self.seen.add(key)
        verdict = self.known.get(key)
        if verdict is None:
            verdict = self.new.get(key)
        if verdict is None:
            self.read += 1
            verdict = answer_file_readable(folder, name)
            if verdict is None:
                return None
            if info.st_ctime_ns < self._settled_before and info.st_mtime_ns < self._settled_before:
                self.new[key] = verdict
        return verdict

    def save(self, *, whole_run: bool = False) -> None:
        """Keep the new verdicts; with ``whole_run`` (every file was looked at) forget files that are gone.

        A run folder that cannot be written keeps the report working as before: nothing is cached.
        """
        gone = [key for key in self.known if key not in self.seen] if whole_run else []
        if not self.new and not gone:
            return
        try:
            eng = storage.ready(self.url, METADATA, wal=False, pooled=False)
            with storage.writing(eng) as db:
                if self.new:  # the driver's own executemany: SQLAlchemy's insert takes 10 µs a row
                    db.exec_driver_sql(
                        "INSERT OR IGNORE INTO answer_verdicts (key, readable) VALUES (?, ?)",
                        [(k, int(v)) for k, v in self.new.items()],
                    )
                for start in range(0, len(gone), 500):
                    db.execute(VERDICTS.delete().where(VERDICTS.c.key.in_(gone[start : start + 500])))
        except (sa.exc.SQLAlchemyError, OSError):
            return


def clear(run_root: str | os.PathLike[str]) -> bool:
    """Remove the run's cache (an erasure: the next report reads every file again); whether there was one."""
    storage.dispose(_url(run_root))
    path = Path(run_root) / DB_NAME
    found = path.exists()
    for part in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        part.unlink(missing_ok=True)
    return found
