"""How the ``cirkel`` command ends when something goes wrong: a message, never a traceback.

An expected problem is a :class:`~widgets.core.errors.CirkelError` and is shown as its
message. A busy gradebook or a full disk, raised by nbgrader or SQLite, is turned
into one (:func:`grading.course_runs.guard.known_cause`). Anything else is a bug: the
person reads one Swedish line saying so and where the details are, and the
traceback goes to a log file (``--debug`` shows it on the screen instead).

argparse's own messages ("the following arguments are required") are English
msgids passed through ``gettext``; :func:`argparse_in_language` gives argparse
the string table's wording of them while the command line is built and read.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path

from widgets.core.errors import CirkelError
from widgets.core.i18n import t

__all__ = ["ALL_OR_NOTHING", "argparse_in_language", "crash_log_path", "report_failure"]

#: commands that leave the course run as it was when they cannot finish (``grading.course_runs.guard``)
ALL_OR_NOTHING = frozenset({"release", "collect", "autograde", "learners"})
#: the log of the last unexpected failure, below the user's state folder (``$XDG_STATE_HOME``)
CRASH_LOG = Path("cirkel") / "senaste-fel.log"

#: argparse's msgids (Python 3.11+) -> the string-table key of their wording; argparse fills in the ``%`` fields
_ARGPARSE_KEYS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "the following arguments are required: %s": "cli.argparse.required",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "expected one argument": "cli.argparse.expected_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "not allowed with argument %s": "cli.argparse.not_allowed_with",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "ignored explicit argument %r": "cli.argparse.ignored_explicit",
}


def _translated(message: str) -> str:
    key = _ARGPARSE_KEYS.get(message)
    return t(key) if key else message


@contextlib.contextmanager
def argparse_in_language() -> Iterator[None]:
    """argparse's messages in the person's language while the ``cirkel`` command line is built and read."""
    saved = argparse._  # type: ignore[attr-defined]  # argparse's gettext, the hook it offers for translation
    argparse._ = _translated  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = saved  # type: ignore[attr-defined]


def crash_log_path() -> Path:
    """Where the traceback of the last unexpected failure is written (``$XDG_STATE_HOME/cirkel``)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / CRASH_LOG


def _write_crash_log(exc: BaseException, argv: Sequence[str]) -> Path | None:
    """The traceback, only the last one (it may name a learner), readable by its owner alone."""
    path = crash_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} cirkel {' '.join(argv)}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return path


def _error(message: str) -> None:
    print(t("cli.error", message=message), file=sys.stderr)


def report_failure(exc: Exception, command: str, argv: Sequence[str]) -> int:
    """Show ``exc`` as a person should read it and return the exit status."""
    if isinstance(exc, CirkelError):
        _error(exc.message or str(exc))
        return exc.exit_status
    from grading.course_runs.guard import known_cause  # a busy gradebook or a full disk, said plainly

    cause = known_cause(exc, nothing_changed=command in ALL_OR_NOTHING)
    if cause is not None:
        _error(cause.message)
        return cause.exit_status
    log = _write_crash_log(exc, argv)
    _error(t("cli.unexpected", log=str(log)) if log else t("cli.unexpected_no_log"))
    return 1
