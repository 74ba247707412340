"""What a person types about a study circle, checked: ids, dates, times, minutes, never a personnummer.

Kept apart from the store (:mod:`grading.circles.store`) so a form or a command can check an input
the same way before anything is written; a bad one is a :class:`CircleError` in plain Swedish.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from grading.course_runs.run import RunError
from widgets.core.i18n import t

CIRCLE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
MAX_NAME = 100
#: A Swedish personal identity or coordination number: (YY)YYMMDD, optional - or +, four digits.
PERSONNUMMER = re.compile(r"(?<!\d)(\d{2})?\d{6}\s*[-+]?\s*\d{4}(?!\d)")


class CircleError(RunError):
    """A study-circle input that cannot be saved; the message is plain Swedish.

    A kind of :class:`~grading.course_runs.run.RunError`, so the ``cirkel`` command shows
    it as a message (exit 1), never a traceback.
    """


def looks_like_personnummer(text: str) -> bool:
    """True when ``text`` holds something shaped like a personal identity number."""
    return bool(PERSONNUMMER.search(str(text or "")))


def as_date(value: dt.date | str) -> dt.date:
    """A date typed or given (ISO ``2026-09-14``, a date or a datetime); a Swedish ``CircleError`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CircleError(t("circles.bad_date", value=value)) from None


def as_time(value: dt.time | str, what: str) -> dt.time:
    """A time of day typed (``18:30``, ``18.30``) or given; a Swedish ``CircleError`` otherwise."""
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    text = str(value).strip().replace(".", ":")
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    raise CircleError(t("circles.bad_time", what=t(f"circles.{what}"), value=value))


def as_minutes(value: int | str) -> int:
    """Whole minutes, zero or more (a meeting's break); a Swedish ``CircleError`` otherwise."""
    try:
        minutes = int(str(value).strip() or 0)
    except ValueError:
        raise CircleError(t("circles.bad_break", value=value)) from None
    if minutes < 0:
        raise CircleError(t("circles.bad_break", value=value))
    return minutes


def unique_ids(values: Iterable[str]) -> list[str]:
    """Ids as given (trimmed, empty ones dropped), each once, in the order given."""
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
