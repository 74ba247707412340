"""Many table cells as a person reads them, each distinct value formatted once.

A report of 10,000 learners by 15 modules has 150,000 cells of points and
times. Formatting each through Babel (and reading the language setting each
time) took most of a minute. The texts here are the ones ``widgets.core.formats``
gives one at a time: a pair of points is formatted once per distinct pair, a
moment from Babel's own parts (the day once per day, the time once per minute)
joined by the locale's pattern, as Babel's ``format_datetime`` joins them.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable
from typing import Any

__all__ = ["format_points", "points_texts", "datetime_texts"]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value != value


def format_points(points: float | None, max_points: float | None) -> str:
    """Points as the gradebook has them (two decimals at most, the Swedish way): ``7,25/9``; empty until graded.

    The learner's exercises show the same numbers (``widgets.kit.points``).
    """
    import math

    from widgets.core.formats import format_number

    if points is None or (isinstance(points, float) and math.isnan(points)):
        return ""
    return f"{format_number(points)}/{format_number(max_points or 0)}"


def points_texts(points: Iterable[Any], max_points: Iterable[Any]) -> list[str]:
    """:func:`format_points` of each pair: ``7,25/9``, empty until graded."""
    done: dict[tuple[Any, Any], str] = {}
    out = []
    for got, most in zip(points, max_points):
        key = (None if _missing(got) else float(got), None if _missing(most) else float(most))
        if key not in done:
            done[key] = format_points(*key)
        out.append(done[key])
    return out


def datetime_texts(values: Iterable[Any], lang: str | None = None) -> list[str]:
    """``widgets.core.formats.format_datetime`` of each moment (``2026-12-03 14:05``), empty for a missing one."""
    from zoneinfo import ZoneInfo

    from babel import Locale
    from babel.dates import format_date, format_time, get_datetime_format

    from widgets.core.formats import TIME_ZONE
    from widgets.core.i18n import language

    locale = Locale.parse(lang or language())
    zone = ZoneInfo(TIME_ZONE)
    joined = str(get_datetime_format("short", locale=locale)).replace("'", "")
    days: dict[_dt.date, str] = {}
    times: dict[tuple[int, int, Any], str] = {}
    out = []
    for value in values:
        if _missing(value):
            out.append("")
            continue
        when = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
        if when.tzinfo is None:  # naive times are UTC, as nbgrader and the store keep them
            when = when.replace(tzinfo=_dt.UTC)
        local = when.astimezone(zone)
        day, minute = local.date(), (local.hour, local.minute, local.utcoffset())
        if day not in days:
            days[day] = format_date(local, "short", locale=locale)
        if minute not in times:
            times[minute] = format_time(local, "short", tzinfo=None, locale=locale)
        out.append(joined.replace("{0}", times[minute]).replace("{1}", days[day]))
    return out
