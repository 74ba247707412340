"""A course run left as it was when a step cannot finish: a busy gradebook or a full disk.

``cirkel release``, ``collect``, ``autograde`` and ``learners import`` write into
the run's folders and its SQLite gradebook. When another program holds the
gradebook (formgrader in the middle of a save, a second ``cirkel`` command, a
database browser with an open transaction) or the disk is full, the step used
to stop with a raw traceback and leave half its work behind. Here:

* :func:`check_gradebook` asks for the gradebook's write lock before anything is
  written, and waits a little (:data:`GRADEBOOK_WAIT_SECONDS`) as SQLite does;
* :class:`Undo` sets aside what a step replaces (folders are renamed, which
  needs no room on the disk; the gradebook is copied with SQLite's backup) and
  puts it back if the step does not finish;
* :func:`known_cause` turns the errors of a busy gradebook and a full disk, raised
  or written in nbgrader's log, into a ``RunError`` with a plain Swedish message.

This module speaks ``sqlite3`` directly, not Cirkel's storage layer
(:mod:`widgets.storage.database`): it deals with nbgrader's gradebook as an SQLite file
(its write lock, its backup), which is what that file is by nature.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

from grading.course_runs.run import CourseRun, RunError
from widgets.core.i18n import t

__all__ = [
    "GRADEBOOK_WAIT_SECONDS",
    "UNDO_DIRNAME",
    "GradebookBusy",
    "NoRoom",
    "Undo",
    "UndoIncomplete",
    "check_gradebook",
    "known_cause",
    "cause_in_text",
    "nbgrader_failure",
]

#: Seconds a step waits for another program's hold on the gradebook before it gives up
#: (formgrader holds it for a few milliseconds per save).
GRADEBOOK_WAIT_SECONDS = 10.0
#: Where in the run a step keeps what it replaces until it has finished (a hidden folder).
UNDO_DIRNAME = ".cirkel-angra"
#: The gradebook's tables of people and grading: a step that is undone never overwrites them
#: if someone else changed them meanwhile (the structure tables are the released modules').
_GRADING_TABLES = ("student", "submitted_assignment", "submitted_notebook", "grade", "comment")
#: a full disk, as the system says it (raised, or written in nbgrader's log) -> which words say it
_NO_ROOM = {errno.ENOSPC: "full", errno.EDQUOT: "quota", errno.EFBIG: "file_size"}
_NO_ROOM_TEXT = {
    "No space left on device": "full",
    "database or disk is full": "full",
    "Disk quota exceeded": "quota",
    "File too large": "file_size",
}
_BUSY_TEXT = ("database is locked", "database table is locked", "database is busy")


class GradebookBusy(RunError):
    """Another program holds the run's gradebook; ``nothing_changed``: said before anything was written."""

    def __init__(self, run: CourseRun | Path | None = None, *, nothing_changed: bool = False):
        root = run.root if isinstance(run, CourseRun) else Path(run) if run is not None else None
        message = t("guard.gradebook_busy", path=str(root / "gradebook.db") if root else "gradebook.db")
        super().__init__(message + (" " + t("guard.nothing_changed") if nothing_changed else ""))


class UndoIncomplete(RunError):
    """What a step set aside could not all be put back; it is kept in ``folder``."""

    def __init__(self, folder: Path, problems: list[str]):
        self.folder = folder
        super().__init__(t("guard.undo_incomplete", folder=str(folder), problems="; ".join(problems)))


class NoRoom(RunError):
    """The disk (or the file size the system allows) is full."""

    def __init__(self, kind: str = "full", *, nothing_changed: bool = False):
        message = t("guard.no_room", detail=t(f"guard.no_room_{kind}"))
        super().__init__(message + (" " + t("guard.nothing_changed") if nothing_changed else ""))


def check_gradebook(run: CourseRun, wait: float | None = None) -> None:
    """Raise ``GradebookBusy`` unless the gradebook can be written within ``wait`` seconds.

    ``wait`` is :data:`GRADEBOOK_WAIT_SECONDS` when not given.
    """
    path = run.root / "gradebook.db"
    if not path.is_file():
        return
    wait = GRADEBOOK_WAIT_SECONDS if wait is None else wait
    connection = sqlite3.connect(path, timeout=wait, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        cause = cause_in_text(str(exc), run, nothing_changed=True)
        raise (cause if isinstance(cause, NoRoom) else GradebookBusy(run, nothing_changed=True)) from None
    finally:
        connection.close()


def known_cause(
    exc: BaseException, run: CourseRun | Path | None = None, *, nothing_changed: bool = False
) -> RunError | None:
    """A busy gradebook or a full disk behind ``exc`` (or what caused it), as a Swedish ``RunError``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _NO_ROOM:
            return NoRoom(_NO_ROOM[current.errno], nothing_changed=nothing_changed)
        found = cause_in_text(str(current), run, nothing_changed=nothing_changed)
        if found is not None and type(current).__name__ in ("OperationalError", "DatabaseError"):
            return found
        current = current.__cause__ or current.__context__
    return None


def cause_in_text(text: str, run: CourseRun | Path | None = None, *, nothing_changed: bool = False) -> RunError | None:
    """The same, from a message or log (nbgrader writes its errors into its log, not raised)."""
    for marker, kind in _NO_ROOM_TEXT.items():
        if marker in text:
            return NoRoom(kind, nothing_changed=nothing_changed)
    if any(marker in text for marker in _BUSY_TEXT):
        return GradebookBusy(run, nothing_changed=nothing_changed)
    return None


class Undo:
    """What a step replaces, set aside until it finishes, and put back if it does not.

    Use ``with Undo(run) as undo:``; on leaving by an exception everything set
    aside is put back (and the exception goes on), on leaving normally it is removed.
    """

    def __init__(self, run: CourseRun):
        self.run = run
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.folder = run.root / UNDO_DIRNAME / stamp
        self._moved: list[tuple[Path, Path]] = []
        self._new: list[Path] = []
        self._gradebook: Path | None = None
        self._grading_digest = ""
        self.kept_gradebook = False  # after an undo: the gradebook was not put back (someone graded)

    def __enter__(self) -> Undo:
        self.folder.mkdir(parents=True)
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.finish()
        else:
            self.undo()

    def set_aside(self, path: Path) -> None:
        """Move ``path`` (a file or folder) aside before the step writes it again; a new one is removed on undo."""
        if any(path == moved for moved, _ in self._moved) or path in self._new:
            return
        if path.exists():
            target = self.folder / f"{len(self._moved)}-{path.name}"
            os.replace(path, target)
            self._moved.append((path, target))
        else:
            self._new.append(path)

    def new_if_missing(self, path: Path) -> None:
        """Remove ``path`` on undo if it does not exist now (a folder the step creates)."""
        if not path.exists() and path not in self._new:
            self._new.append(path)

    def keep_linked(self, folder: Path) -> None:
        """Keep ``folder`` as it is now (hard links: no room needed for the files' data); put back on undo."""
        if not folder.is_dir():
            self._new.append(folder)
            return
        target = self.folder / f"{len(self._moved)}-{folder.name}"
        shutil.copytree(folder, target, copy_function=os.link, symlinks=True)
        self._moved.append((folder, target))

    def keep_gradebook(self) -> None:
        """Copy the gradebook (SQLite's own backup, consistent while others use it)."""
        source = self.run.root / "gradebook.db"
        if not source.is_file():
            return
        target = self.folder / "gradebook.db"
        with _connect(source) as live, _connect(target) as copy:
            live.backup(copy)
        self._gradebook = target
        self._grading_digest = _grading_digest(source)

    def undo(self) -> None:
        """Put back everything set aside; the gradebook only if nobody graded meanwhile.

        Raises ``UndoIncomplete`` (keeping what was set aside) if something cannot be put back.
        """
        problems: list[str] = []
        for path in reversed(self._new):
            try:
                _remove(path)
            except OSError as exc:
                problems.append(f"{path}: {exc.strerror or exc}")
        for path, target in reversed(self._moved):
            try:
                _remove(path)
                os.replace(target, path)
            except OSError as exc:
                problems.append(f"{path}: {exc.strerror or exc}")
        if self._gradebook is not None:
            live = self.run.root / "gradebook.db"
            try:
                if _grading_digest(live) == self._grading_digest:
                    with _connect(self._gradebook) as copy, _connect(live) as live_db:
                        copy.backup(live_db)
                else:
                    self.kept_gradebook = True
            except sqlite3.Error as exc:
                problems.append(f"{live}: {exc}")
        if problems:
            raise UndoIncomplete(self.folder, problems)
        self.finish()

    def finish(self) -> None:
        """Remove what was set aside (the step finished, or all is put back)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        parent = self.folder.parent
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()


def nbgrader_failure(result: dict) -> str:
    """A busy gradebook or a full disk in plain Swedish, else the last meaningful line of nbgrader's log or error."""
    text = (result.get("error") or "") + "\n" + (result.get("log") or "")
    cause = cause_in_text(text)
    if cause is not None:
        return str(cause)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "CRITICAL" in line or "Error" in line]
    return (errors or lines or ["?"])[-1]


def _connect(path: Path) -> _Closing:
    return _Closing(sqlite3.connect(path, timeout=GRADEBOOK_WAIT_SECONDS))


class _Closing:
    """A SQLite connection that is closed (not only committed) at the end of a ``with``."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *exc_info) -> None:
        self.connection.close()


def _grading_digest(path: Path) -> str:
    """A digest of the gradebook's people and grading tables, to see whether anyone changed them."""
    digest = hashlib.sha256()
    with _connect(path) as connection:
        for table in _GRADING_TABLES:
            try:
                rows = connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # fixed table names
            except sqlite3.OperationalError:
                rows = []
            digest.update(f"{table}:{rows!r}".encode())
    return digest.hexdigest()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
