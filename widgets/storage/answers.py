"""The answer store: the one record of what a learner entered.

Each exercise keeps its answers in ``svar/<exercise_id>.json`` beside the
notebook. nbgrader's submission carries that folder, so autograding reads
exactly what the learner saw. Writes are atomic (temporary file, fsync,
rename, fsync of the folder): a crash leaves either the old or the new
complete record, never half a file. A file that cannot be read (not JSON, nested
deeper than any answer: ``widgets.core.learner_json``, or not a record of the
exercise) is moved aside, never overwritten, and the caller is told so it can say it plainly.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import re
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from widgets.core import learner_json
from widgets.core.errors import CirkelError
from widgets.core.i18n import t
from widgets.core.numbers import format_number
from widgets.models.text_versions import SETTING_IDS

__all__ = [
    "SCHEMA_VERSION",
    "StoredAnswer",
    "AnswerStore",
    "UnreadableAnswer",
    "AnswerTooLarge",
    "MAX_ANSWER_BYTES",
    "validate_exercise_id",
    "default_store_dir",
    "SETTING_IDS",
    "on_saved",
    "unreadable_files",
    "answer_file_readable",
]

SCHEMA_VERSION = 1
STORE_DIRNAME = "svar"
#: The largest answer file the store writes, in bytes. The largest real answer (a plan with every
#: row filled, a reflection of 20 000 characters) is some tens of kilobytes; a file above this is a
#: paste gone wrong or an attack on the server's disk and memory, and is refused with the old kept.
MAX_ANSWER_BYTES = 1024 * 1024
_EXERCISE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: The mark in the name of a damaged answer file kept aside: ``<id>.olasbar-<time>.json.bak``.
KEPT_ASIDE_MARK = ".olasbar-"

_listeners: list[weakref.WeakMethod] = []


def on_saved(method: Callable[[Path], None]) -> None:
    """Call the bound ``method`` with the file's path after every save in this process.

    So the "Lämna in" panel knows an answer changed since the module was handed in;
    held weakly, so a panel that is gone is no longer called.
    """
    _listeners.append(weakref.WeakMethod(method))


def _tell_listeners(path: Path) -> None:
    for ref in list(_listeners):
        method = ref()
        if method is None:
            _listeners.remove(ref)
        else:
            method(path)


def validate_exercise_id(exercise_id: str) -> str:
    """Return ``exercise_id`` if it is a safe file stem, else raise ``ValueError``.

    Ids become file names, so only lower-case letters, digits, ``-`` and ``_``
    are allowed; that also rules out ``..`` and slashes.
    """
    if not isinstance(exercise_id, str) or not _EXERCISE_ID.match(exercise_id):
        raise ValueError(t("store.bad_id", exercise_id=exercise_id))
    return exercise_id


def default_store_dir() -> Path:
    """The ``answers_dir`` setting, or ``svar/`` in the working directory (the notebook's folder)."""
    from widgets.core.settings import cirkel_settings

    env = cirkel_settings().answers_dir
    return Path(env) if env else Path.cwd() / STORE_DIRNAME


@dataclass(frozen=True)
class StoredAnswer:
    """One exercise's saved answers, as read from or written to the store."""

    exercise_id: str
    kind: str
    data: dict[str, Any]
    saved_at: str
    schema: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": self.schema,
            "exercise_id": self.exercise_id,
            "kind": self.kind,
            "saved_at": self.saved_at,
            "data": self.data,
        }


class UnreadableAnswer(CirkelError):
    """An answer file that could not be read; it has been kept aside at ``kept_as``."""

    def __init__(self, exercise_id: str, kept_as: Path, reason: str):
        self.exercise_id = exercise_id
        self.kept_as = kept_as
        self.reason = reason
        super().__init__(t("store.unreadable", exercise_id=exercise_id, kept_as=kept_as.name))


class AnswerTooLarge(CirkelError, ValueError):
    """Answers too large to save (above ``limit`` bytes); nothing was written, the old file is kept."""

    def __init__(self, exercise_id: str, size: int, limit: int):
        self.exercise_id = exercise_id
        self.size = size
        self.limit = limit
        super().__init__(t("store.too_large", exercise_id=exercise_id, max=_kilobytes(limit)))


def _kilobytes(size: int) -> str:
    return format_number(size // 1024, 0) + "\u00a0kB"


class AnswerStore:
    """Read and write ``svar/<exercise_id>.json`` in one folder.

    Parameters
    ----------
    directory : the folder; the ``answers_dir`` setting or ``svar/`` in the working directory by default.
    max_bytes : the largest file ``save`` writes (:data:`MAX_ANSWER_BYTES`).
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, max_bytes: int = MAX_ANSWER_BYTES):
        self.directory = Path(directory) if directory is not None else default_store_dir()
        self.max_bytes = max_bytes

    def path_for(self, exercise_id: str) -> Path:
        return self.directory / f"{validate_exercise_id(exercise_id)}.json"

    def exists(self, exercise_id: str) -> bool:
        return self.path_for(exercise_id).exists()

    def load(self, exercise_id: str, kind: str | None = None, *, keep_aside: bool = True) -> StoredAnswer | None:
        """The saved answers, or ``None`` when the learner has not started.

        Raises ``UnreadableAnswer`` after moving a damaged file aside, so the
        next save starts a fresh file and the damaged one is never lost. With
        ``keep_aside=False`` (grading, reports) the file is left untouched and
        ``kept_as`` is its own path.
        """
        path = self.path_for(exercise_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            record = learner_json.loads(raw)
            answer = _parse_record(record, exercise_id, kind)
        except (UnicodeDecodeError, json.JSONDecodeError, _SchemaError) as exc:
            kept_as = self._keep_aside(path) if keep_aside else path
            raise UnreadableAnswer(exercise_id, kept_as, str(exc)) from exc
        return answer

    def save(self, exercise_id: str, kind: str, data: dict[str, Any]) -> StoredAnswer:
        """Write the answers atomically and return the stored record.

        Raises ``AnswerTooLarge`` (before anything is written) when the record is above ``max_bytes``.
        """
        answer = StoredAnswer(
            exercise_id=validate_exercise_id(exercise_id),
            kind=kind,
            data=data,
            saved_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds"),
        )
        payload = json.dumps(answer.to_json(), ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        if len(payload) > self.max_bytes:
            raise AnswerTooLarge(answer.exercise_id, len(payload), self.max_bytes)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path_for(exercise_id)
        _atomic_write(path, payload)
        _remove_stale_temporaries(path)
        _tell_listeners(path)
        return answer

    def saved_ids(self) -> list[str]:
        """Exercise ids that have a saved file."""
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.json") if _EXERCISE_ID.match(p.stem))

    def unreadable(self) -> list[str]:
        """File names of answers that cannot be read, for the course leader (a check scores them 0).

        Answer files that do not parse, and damaged files kept aside (``<id>.olasbar-….json.bak``)
        whose exercise has no readable file now. Nothing is moved or changed.
        """
        return unreadable_files(self.directory)

    def _keep_aside(self, path: Path) -> Path:
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        kept_as = path.with_name(f"{path.stem}{KEPT_ASIDE_MARK}{stamp}.json.bak")
        os.replace(path, kept_as)
        _fsync_dir(path.parent)
        return kept_as


def unreadable_files(
    directory: str | os.PathLike[str],
    names: list[str] | None = None,
    readable: Callable[[str, str], bool | None] | None = None,
) -> list[str]:
    """:meth:`AnswerStore.unreadable` of ``directory``; ``names`` is its listing when the caller has one.

    ``readable(folder, name)`` says whether one answer file can be read (``None``: it is gone);
    :func:`answer_file_readable` by default, a report passes one that remembers verdicts.
    Plain ``os`` calls, no ``Path`` per file: a report looks at every answer file of
    thousands of submissions through here.
    """
    folder = os.fspath(directory)
    if names is None:
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return []
    check = readable or answer_file_readable
    found: list[str] = []
    readable_ids: set[str] = set()
    kept: list[str] = []
    for name in names:
        if name.endswith(".json") and _EXERCISE_ID.match(name[:-5]):
            if check(folder, name) is False:
                found.append(name)
            else:  # removed since it was listed: not saved, so nothing unreadable
                readable_ids.add(name[:-5])
        elif name.endswith(".json.bak") and KEPT_ASIDE_MARK in name:
            kept.append(name)
    found += [name for name in kept if name.split(KEPT_ASIDE_MARK, 1)[0] not in readable_ids]
    return sorted(found)


def answer_file_readable(folder: str, name: str) -> bool | None:
    """Whether ``folder/name`` (``<exercise_id>.json``) holds a record the store can read; ``None``: no file.

    What :meth:`AnswerStore.load` would accept, checked with plain ``os`` reads and
    the record's model alone: the first report of a big run checks every answer file.
    """
    try:
        handle = os.open(f"{folder}/{name}", os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    try:
        parts = []
        while part := os.read(handle, _READ_SIZE):
            parts.append(part)
        record = learner_json.loads(b"".join(parts))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    finally:
        os.close(handle)
    return _record_matches(record, name[:-5])


#: bytes read at a time: an answer file is a few hundred bytes, a large one some tens of kilobytes
_READ_SIZE = 65536


def _record_matches(record: Any, exercise_id: str) -> bool:
    """:func:`_parse_record` without the kind: the record is an answer record of this exercise."""
    model, invalid = _record_model()
    try:
        return bool(model.model_validate(record).exercise_id == exercise_id)
    except invalid:
        return False


@functools.cache
def _record_model() -> tuple[Any, type[Exception]]:
    """The answer record's model and pydantic's error, imported once (a report checks thousands of files)."""
    from pydantic import ValidationError

    from widgets.models.answers import AnswerRecord

    return AnswerRecord, ValidationError


class _SchemaError(CirkelError, ValueError):
    pass


def _parse_record(record: Any, exercise_id: str, kind: str | None) -> StoredAnswer:
    """The record as its model (``widgets.models.answers.AnswerRecord``) reads it, for this exercise and kind."""
    from pydantic import ValidationError

    from widgets.models.answers import AnswerRecord

    try:
        parsed = AnswerRecord.model_validate(record)
    except ValidationError as exc:
        raise _SchemaError(str(exc)) from None
    if parsed.exercise_id != exercise_id:
        raise _SchemaError(f"file belongs to {parsed.exercise_id!r}")
    if kind is not None and parsed.kind != kind:
        raise _SchemaError(f"file holds a {parsed.kind!r}, not a {kind!r}")
    return StoredAnswer(
        exercise_id=exercise_id,
        kind=parsed.kind,
        data=record["data"],
        saved_at=parsed.saved_at,
        schema=parsed.schema_version,
    )


def _atomic_write(path: Path, payload: bytes) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


_STALE_AFTER_SECONDS = 60.0


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files a crashed save left behind, so they are not submitted.

    Only files older than a minute go: a save in progress elsewhere is never touched.
    """
    now = _dt.datetime.now().timestamp()
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > _STALE_AFTER_SECONDS:
                tmp.unlink()
        except FileNotFoundError:
            pass


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
