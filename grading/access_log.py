"""Who looked at or exported whose data, and when: the course run's access log.

Taking a party's course reveals a political opinion, so every time a course
leader opens a learner's page, exports data or erases a person, one line is
appended to ``<run>/atkomstlogg.jsonl``: the time (UTC), the viewer (the leader
logged in), the action and the subject (a learner id, or ``alla``). Lines are
appended with ``O_APPEND`` and fsynced, under a lock, so two processes never
interleave half lines.

When a person is erased, their id is replaced in every earlier line by a
pseudonymous marker ``raderad-<hash prefix>``: the log still shows that data
was viewed and erased, but no longer whose. The marker is a keyed hash (the key
is a random secret kept in the run), so the same person always gets the same
marker (an erase can tell it was already done) and the marker cannot be turned
back into an id without the run's key.
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

if TYPE_CHECKING:  # pragma: no cover
    from .run import CourseRun

__all__ = ["LOG_FILE", "record", "current_viewer", "entries", "pseudonym", "pseudonymise", "mentions"]

LOG_FILE = "atkomstlogg.jsonl"
_KEY_FILE = ".atkomstlogg-nyckel"
_LOCK_FILE = ".atkomstlogg.lock"
PSEUDONYM_PREFIX = "raderad-"


def _root(run: CourseRun | str | os.PathLike[str]) -> Path:
    """The run folder from a ``CourseRun`` or a path (the log needs nothing else)."""
    if isinstance(run, (str, os.PathLike)):
        return Path(run)
    return Path(run.root)


def log_path(run: CourseRun | str | os.PathLike[str]) -> Path:
    """Where the run's access log lives."""
    return _root(run) / LOG_FILE


def current_viewer() -> str:
    """The course leader logged in: the run service's viewer, the hub user, else the OS user.

    ``CIRKEL_VIEWER`` comes first: in a course run's service (one server for all its
    leaders) it names the leader who opened the app (``grading.hub.viewer``).
    """
    for name in ("CIRKEL_VIEWER", "JUPYTERHUB_USER"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "?"


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """An exclusive lock over the log, shared by appends and the rewrite at an erasure."""
    import fcntl

    with open(root / _LOCK_FILE, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def record(run: CourseRun | str | os.PathLike[str], action: str, subject: str, viewer: str | None = None) -> None:
    """Append one entry (time UTC, viewer, action, subject) to the run's access log.

    Parameters
    ----------
    action : what was done, e.g. ``visa``, ``exportera``, ``exportera-person``, ``radera``.
    subject : whose data: a learner id, a circle id, or ``alla``.
    viewer : who did it; by default :func:`current_viewer`.
    """
    root = _root(run)
    entry = {
        "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "viewer": viewer if viewer is not None else current_viewer(),
        "action": str(action),
        "subject": str(subject),
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    with _locked(root):
        fd = os.open(root / LOG_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)


def entries(run: CourseRun | str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every entry, oldest first; a damaged line is skipped rather than hiding the rest."""
    path = log_path(run)
    if not path.is_file():
        return []
    found = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(item, dict):
            found.append(item)
    return found


def mentions(run: CourseRun | str | os.PathLike[str], student_id: str) -> list[dict[str, Any]]:
    """The entries about (or by) ``student_id``."""
    return [e for e in entries(run) if student_id in (e.get("subject"), e.get("viewer"))]


def _key(root: Path) -> bytes:
    """The run's secret for pseudonyms, made on first use (readable by the owner only)."""
    path = root / _KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        try:
            os.write(fd, secrets.token_hex(32).encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    return path.read_bytes().strip()


def pseudonym(run: CourseRun | str | os.PathLike[str], student_id: str) -> str:
    """The marker that stands for an erased person in this run: ``raderad-<12 hex>``."""
    digest = hmac.new(_key(_root(run)), student_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:12]


def pseudonymise(run: CourseRun | str | os.PathLike[str], student_id: str) -> int:
    """Replace ``student_id`` by its pseudonym in every entry; returns how many entries changed.

    The log is rewritten to a temporary file and renamed over the old one, so
    it is either all old or all new.
    """
    root = _root(run)
    path = root / LOG_FILE
    if not path.is_file():
        return 0
    marker = pseudonym(root, student_id)
    changed = 0
    with _locked(root):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        out = []
        for line in lines:
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                item = None
            if isinstance(item, dict):
                hit = False
                for field in ("subject", "viewer"):
                    if item.get(field) == student_id:
                        item[field] = marker
                        hit = True
                if hit:
                    changed += 1
                out.append(json.dumps(item, ensure_ascii=False))
            elif student_id not in line:
                out.append(line)
            else:  # a damaged line naming the person: drop it rather than keep the id
                changed += 1
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("".join(f"{line}\n" for line in out))
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o640)
        os.replace(tmp, path)
    return changed
