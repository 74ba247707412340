"""Who looked at or exported whose data, and when: the course run's access log.

Taking a party's course reveals a political opinion, so every time a course
leader opens a learner's page, exports data or erases a person, one row is
added to the run's ``access_log`` table: the time (UTC), the viewer (the leader
logged in), the action and the subject (a learner id, or ``alla``). The table
goes through :mod:`widgets.storage.database` like the run's other stores: the run's
PostgreSQL database when it has one (``live_db`` in ``cirkel-run.yml`` or the ``live_db`` setting), else
``<run>/atkomstlogg.sqlite``. Each entry is its own transaction, so two
processes never mix their entries.

Earlier versions appended JSON lines to ``<run>/atkomstlogg.jsonl``. Such a file
is imported once, under a lock, the first time the log is read or written (its
lines in order, before any new entry; a damaged line, which was never shown,
is left out), and then removed, so the log is in one place only.

When a person is erased, their id is replaced in every earlier entry by a
pseudonymous marker ``raderad-<hash prefix>``: the log still shows that data
was viewed and erased, but no longer whose. The marker is a keyed hash, so the
same person gets the same marker within a period (an erase can tell it was
already done) and the marker cannot be turned back into an id without the key.

The key is kept apart from the log: not in the run folder (which is copied and
backed up with the log), but in the key folder (the ``key_dir`` setting, by default
``<hub folder>/nycklar``, readable by its owner only), one file per run and
period. The run holds only the key's random name. A period is the run's
retention period (``retention_days``): when a new one begins, a new key is
made and the old one destroyed, so a marker from an earlier period can no
longer be linked to the person, nor to a marker made later. (An id erased in an
earlier period is then unknown to ``cirkel person erase``, not "already erased".)
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import getpass
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from widgets.core import setting_env
from widgets.storage import database as storage

if TYPE_CHECKING:  # pragma: no cover
    from grading.course_runs.run import CourseRun

__all__ = [
    "DB_NAME",
    "METADATA",
    "ACCESS_LOG",
    "LOG_FILE",
    "log_url",
    "KEY_DIR_ENV",
    "record",
    "current_viewer",
    "entries",
    "key_dir",
    "period",
    "pseudonym",
    "pseudonymise",
    "mentions",
    "import_legacy",
]

#: the log's SQLite file in the run, when the run has no database server
DB_NAME = "atkomstlogg.sqlite"
METADATA = sa.MetaData()
ACCESS_LOG = sa.Table(
    "access_log",
    METADATA,
    sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),  # the order entries were made
    sa.Column("time", sa.Text, nullable=False),  # ISO 8601, UTC, to the second
    sa.Column("viewer", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sqlite_autoincrement=True,  # an entry's number is never given again
)
_FIELDS = ("time", "viewer", "action", "subject")
#: where earlier versions appended the log as JSON lines: imported once, then removed
LOG_FILE = "atkomstlogg.jsonl"
#: in the run: the random name of the run's key (not the key)
_KEY_ID_FILE = ".atkomstlogg-nyckel-id"
#: where older runs kept the key itself, beside the log: removed at first use
_LEGACY_KEY_FILE = ".atkomstlogg-nyckel"
#: the key folder, when not ``<hub folder>/nycklar`` (``CirkelHubSettings.key_dir``)
KEY_DIR_ENV = setting_env.KEY_DIR_ENV
KEY_DIRNAME = "nycklar"
_LOCK_FILE = ".atkomstlogg.lock"
PSEUDONYM_PREFIX = "raderad-"


def _root(run: CourseRun | str | os.PathLike[str]) -> Path:
    """The run folder from a ``CourseRun`` or a path (the log needs nothing else)."""
    if isinstance(run, (str, os.PathLike)):
        return Path(run)
    return Path(run.root)


def log_url(run: CourseRun | str | os.PathLike[str]) -> str:
    """Where the run's access log lives: its database server, else ``<run>/atkomstlogg.sqlite``."""
    return storage.run_url(_root(run), DB_NAME)


def _engine(root: Path) -> Engine:
    return storage.ready(log_url(root), METADATA, wait=30, pooled=False)


def _exists(root: Path) -> bool:
    """Whether the run may have a log (reading never creates a file)."""
    return storage.has_store(root, DB_NAME)


def current_viewer() -> str:
    """The course leader logged in: the run service's viewer, the hub user, else the OS user.

    The ``viewer`` setting comes first: in a course run's service (one server for all its
    leaders) it names the leader who opened the app (``grading.hub.viewer``).
    """
    from widgets.core.settings import cirkel_settings

    for value in (cirkel_settings().viewer, os.environ.get("JUPYTERHUB_USER", "").strip()):
        if value:
            return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """An exclusive lock over the old log file while it is imported (two processes never import it twice)."""
    import fcntl

    with open(root / _LOCK_FILE, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _legacy_rows(path: Path) -> list[dict[str, str]]:
    """The entries of an old ``atkomstlogg.jsonl``, in order; a damaged line is left out."""
    rows = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict):
            rows.append({name: str(item.get(name) or "") for name in _FIELDS})
    return rows


def import_legacy(run: CourseRun | str | os.PathLike[str]) -> int:
    """Move an old ``atkomstlogg.jsonl`` into the table, once, then remove it; the entries imported."""
    root = _root(run)
    if not (root / LOG_FILE).is_file():
        return 0
    with _locked(root):
        path = root / LOG_FILE
        if not path.is_file():  # another process imported it meanwhile
            return 0
        rows = _legacy_rows(path)
        if rows:
            with storage.writing(_engine(root)) as db:
                db.execute(ACCESS_LOG.insert(), rows)
        path.unlink()  # the table is the log now: no second copy for an erasure to miss
    return len(rows)


def record(run: CourseRun | str | os.PathLike[str], action: str, subject: str, viewer: str | None = None) -> None:
    """Add one entry (time UTC, viewer, action, subject) to the run's access log.

    Parameters
    ----------
    action : what was done, e.g. ``visa``, ``exportera``, ``exportera-person``, ``radera``.
    subject : whose data: a learner id, a circle id, or ``alla``.
    viewer : who did it; by default :func:`current_viewer`.
    """
    root = _root(run)
    import_legacy(root)
    entry = {
        "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "viewer": viewer if viewer is not None else current_viewer(),
        "action": str(action),
        "subject": str(subject),
    }
    with storage.writing(_engine(root)) as db:
        db.execute(ACCESS_LOG.insert(), entry)


def _select(run: CourseRun | str | os.PathLike[str], where: Any = None) -> list[dict[str, Any]]:
    root = _root(run)
    import_legacy(root)
    if not _exists(root):
        return []
    query = sa.select(*(ACCESS_LOG.c[name] for name in _FIELDS)).order_by(ACCESS_LOG.c.entry_id)
    if where is not None:
        query = query.where(where)
    with _engine(root).connect() as db:
        return [dict(row._mapping) for row in db.execute(query)]


def entries(run: CourseRun | str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every entry, oldest first: dicts of ``time``, ``viewer``, ``action``, ``subject``."""
    return _select(run)


def mentions(run: CourseRun | str | os.PathLike[str], student_id: str) -> list[dict[str, Any]]:
    """The entries about (or by) ``student_id``."""
    return _select(run, sa.or_(ACCESS_LOG.c.subject == student_id, ACCESS_LOG.c.viewer == student_id))


def key_dir() -> Path:
    """The folder of the access logs' keys (made owner-only): the ``key_dir`` setting or ``<hub folder>/nycklar``."""
    from widgets.core.settings import hub_settings

    value = hub_settings().key_dir
    if value:
        folder = Path(value)
    else:
        from grading.system.hub_folder import hub_dir

        folder = hub_dir() / KEY_DIRNAME
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _secret_file(path: Path, size: int) -> str:
    """The contents of an owner-only file of random hex, made on first use."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        try:
            os.write(fd, secrets.token_hex(size).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    return path.read_text(encoding="ascii").strip()


def _retention_days(root: Path) -> int:
    """The run's ``retention_days`` (``cirkel-run.yml``), or the default when it has none."""
    from grading.course_runs.run import DEFAULT_RETENTION_DAYS, RUN_FILE

    try:
        from widgets.core.i18n import yaml_data

        days = int((yaml_data((root / RUN_FILE).read_text(encoding="utf-8")) or {}).get("retention_days") or 0)
    except Exception:  # no file, bad YAML, not a number: the default period, never a failed erasure
        days = 0
    return days if days > 0 else DEFAULT_RETENTION_DAYS


def period(run: CourseRun | str | os.PathLike[str], today: _dt.date | None = None) -> int:
    """The number of the retention period ``today`` is in (periods of ``retention_days`` since year 1)."""
    day = today or _dt.datetime.now(_dt.UTC).date()
    return day.toordinal() // _retention_days(_root(run))


def _key(root: Path, today: _dt.date | None = None) -> bytes:
    """This period's secret for the run's pseudonyms; other periods' keys of the run are destroyed."""
    with contextlib.suppress(FileNotFoundError):
        (root / _LEGACY_KEY_FILE).unlink()  # a key beside its log re-identifies every marker
    key_id = _secret_file(root / _KEY_ID_FILE, 16)
    folder = key_dir()
    current = folder / f"{key_id}-{period(root, today)}.key"
    key = _secret_file(current, 32).encode("ascii")
    for old in folder.glob(f"{key_id}-*.key"):
        if old != current:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
    return key


def pseudonym(run: CourseRun | str | os.PathLike[str], student_id: str, today: _dt.date | None = None) -> str:
    """The marker that stands for an erased person in this run and period: ``raderad-<12 hex>``."""
    digest = hmac.new(_key(_root(run), today), student_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:12]


def pseudonymise(run: CourseRun | str | os.PathLike[str], student_id: str) -> int:
    """Replace ``student_id`` by its pseudonym in every entry; returns how many entries changed.

    One transaction: the log is either all old or all new. An SQLite file is
    rebuilt afterwards, so the id leaves its free pages and write-ahead log too.
    """
    root = _root(run)
    import_legacy(root)
    if not _exists(root):
        return 0
    marker = pseudonym(root, student_id)
    engine = _engine(root)
    with storage.writing(engine) as db:
        hit = sa.or_(ACCESS_LOG.c.subject == student_id, ACCESS_LOG.c.viewer == student_id)
        changed = db.execute(sa.select(sa.func.count()).select_from(ACCESS_LOG).where(hit)).scalar_one()
        for column in (ACCESS_LOG.c.subject, ACCESS_LOG.c.viewer):
            db.execute(ACCESS_LOG.update().where(column == student_id).values({column.name: marker}))
    if changed:
        storage.compact(engine)
    return changed
