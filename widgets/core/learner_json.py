"""JSON a learner wrote (answer files, the learner file), parsed only when no deeper than Cirkel writes it.

``json.loads`` recurses once per level of nesting: a file of ``[[[[…]]]]`` 100,000 levels deep
(a few hundred kilobytes) raises ``RecursionError``, which no handler of damaged files expects,
so one learner's file would stop the course leader's report for everyone. :func:`loads` measures
the depth first, without recursion and with C string operations only, and refuses a deeper file
with ``json.JSONDecodeError``: every reader already treats that as a damaged file. So is
an integer too long for Python to convert (over 4,300 digits), which ``json.loads`` refuses with a
plain ``ValueError`` that the readers did not expect either.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_JSON_DEPTH", "loads", "check_depth"]

MAX_JSON_DEPTH = 32
"""The deepest nesting of arrays and objects a learner's JSON file may have.

Answers are a few levels deep: the deepest Cirkel writes is six (the record, its ``data``, the
quiz's questions, one question, its tries, one try). 32 leaves room for new kinds and stays far
below the depth at which ``json.loads`` runs out of Python's recursion limit (about 1,000, less
whatever the caller's stack already holds).
"""

#: every byte but brackets and quotes (UTF-8 never has an ASCII byte inside a longer character)
_NOISE = bytes(b for b in range(256) if b not in b'[]{}"')
#: objects nest as arrays do: one kind of bracket is enough to measure the depth
_ONE_KIND = bytes.maketrans(b"{}", b"[]")


def check_depth(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> None:
    """Raise ``json.JSONDecodeError`` when arrays and objects in ``text`` nest deeper than ``limit``.

    Brackets inside strings do not count. Escapes go first (``\\\\`` pairs, then ``\\"``, left to
    right as JSON reads them), then all but brackets and quotes; what lies between quotes is a
    string. Each pass of ``replace(b"[]", b"")`` then takes away one level: brackets left after
    ``limit`` passes nest deeper (or do not close, which ``json.loads`` would refuse too). A text
    that passes cannot take ``json.loads`` deeper than ``limit``, valid JSON or not.
    """
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else text
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    specials = raw.translate(_ONE_KIND, _NOISE)
    if specials.count(b"[") <= limit:  # most answer files: too few brackets (those in strings too) to nest deeper
        return
    brackets = b"".join(specials.split(b'"')[::2])
    if b"[" * (limit + 1) in brackets:  # the usual attack, ``[[[[…``: found without a pass
        brackets = b"["
    for _level in range(limit):
        if not brackets:
            return
        brackets = brackets.replace(b"[]", b"")
    if brackets:
        raise json.JSONDecodeError(f"arrays and objects nested deeper than {limit} levels", "", 0)


def loads(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> Any:
    """``json.loads`` of a learner's file (bytes as UTF-8); ``json.JSONDecodeError`` for any it refuses.

    ``UnicodeDecodeError`` for bytes that are not UTF-8, as ``bytes.decode`` says it.
    """
    check_depth(text, limit)
    decoded = text.decode("utf-8") if isinstance(text, bytes) else text
    try:
        return json.loads(decoded)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer of more digits than int() converts
        raise json.JSONDecodeError(str(exc), "", 0) from None
