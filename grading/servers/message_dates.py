"""Kernel message dates read with the standard library instead of dateutil.

jupyter_client parses every ISO 8601 string in every message's headers with
``dateutil.parser.isoparse``, some 10 µs a string, and a learner's server reads each of its
kernels' messages two or three times (its activity watch, the page's executor, the websocket):
about a tenth of the server's CPU from login to a drawn module (``benchmarks/hub_load.py`` under
py-spy). ``datetime.fromisoformat`` reads every string jupyter_client's own pattern lets through to
the same instant in 0.3 µs. A string it refuses (an hour of 24) still goes to dateutil.
"""

from __future__ import annotations

import datetime

from jupyter_client import jsonutil

__all__ = ["install", "parse"]

_DATEUTIL = jsonutil._dateutil_parse


def parse(text: str) -> datetime.datetime:
    """``text`` (an ISO 8601 date and time) as dateutil's ``isoparse`` reads it: the same instant and offset."""
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return _DATEUTIL(text)


def install() -> None:
    """Make jupyter_client's ``parse_date`` (and so every ``Session.deserialize``) use :func:`parse`."""
    jsonutil._dateutil_parse = parse
