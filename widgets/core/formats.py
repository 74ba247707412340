"""Numbers, shares and times as a person reads them, through Babel's CLDR data.

Swedish writes ``7,5`` and ``12 345`` (a non-breaking space groups thousands) and
``76 %``; English ``7.5``, ``12,345`` and ``76%``. Times are shown in Europe/Stockholm,
where the course is held, whatever the server's own zone.
"""

from __future__ import annotations

import datetime as _dt
import functools
from zoneinfo import ZoneInfo

from widgets.core.language import language

__all__ = [
    "TIME_ZONE",
    "format_number",
    "format_percent",
    "format_percent_range",
    "format_date",
    "format_day",
    "format_datetime",
    "format_time",
]

#: where Cirkel's people are: every time a person reads is in this zone
TIME_ZONE = "Europe/Stockholm"


@functools.cache
def _zone() -> ZoneInfo:
    return ZoneInfo(TIME_ZONE)


def _local(when: _dt.datetime) -> _dt.datetime:
    """``when`` in Stockholm; a naive time is taken as UTC (how nbgrader and the store keep them)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return when.astimezone(_zone())


def format_number(value: float, decimals: int = 2, lang: str | None = None) -> str:
    """``value`` with at most ``decimals`` decimals, no trailing zeros, thousands grouped."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(round(value, decimals), format=pattern, locale=lang or language())


def format_percent(share: float, lang: str | None = None, decimals: int = 0) -> str:
    """A share from 0 to 1 as a percentage: ``76 %`` in Swedish (a non-breaking space before the sign).

    Whole by default; ``decimals`` keeps up to that many (``12,5 %``), without trailing zeros.
    """
    from babel.numbers import format_percent as babel_percent

    if decimals:
        return babel_percent(round(share, 2 + decimals), locale=lang or language(), decimal_quantization=False)
    return babel_percent(share, locale=lang or language())


def format_percent_range(low: float, high: float, lang: str | None = None) -> str:
    """Two shares from 0 to 1 as a range of whole percentages: ``40–60 %`` in Swedish, ``40–60%`` in English.

    The sign is written once, after the range, where Babel puts it after one number (Swedish and
    English write the sign after the number; a language that writes it first would need its own rule).
    """
    from babel.numbers import format_decimal

    return f"{format_decimal(round(low * 100), locale=lang or language())}–{format_percent(high, lang)}"


def format_date(when: _dt.date | _dt.datetime, lang: str | None = None) -> str:
    """A day as written in running text: ``3 december 2026``."""
    from babel.dates import format_date as babel_date

    day = _local(when).date() if isinstance(when, _dt.datetime) else when
    return babel_date(day, "long", locale=lang or language())


def format_day(when: _dt.date | _dt.datetime, lang: str | None = None) -> str:
    """A day in a table, short: ``2026-12-03`` in Swedish (the day in Stockholm for a moment)."""
    from babel.dates import format_date as babel_date

    day = _local(when).date() if isinstance(when, _dt.datetime) else when
    return babel_date(day, "short", locale=lang or language())


def format_datetime(when: _dt.datetime, lang: str | None = None) -> str:
    """A moment, short: ``2026-12-03 14:05`` in Swedish, in Stockholm's time."""
    from babel.dates import format_datetime as babel_datetime

    return babel_datetime(_local(when), "short", tzinfo=_zone(), locale=lang or language())


def format_time(when: _dt.datetime, lang: str | None = None, seconds: bool = False) -> str:
    """The time of day, short: ``14:05`` in Swedish (``14:05:09`` with ``seconds``), in Stockholm's time."""
    from babel.dates import format_time as babel_time

    return babel_time(_local(when), "medium" if seconds else "short", tzinfo=_zone(), locale=lang or language())
