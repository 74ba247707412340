"""Many answer files checked at once, on every core: the first report of a big run.

The first report of a run (or the first after an erasure) checks every answer
file: 173,000 at 10,000 learners, about 4 s on one core of open, read, JSON and
the answer model. Each check stands alone, so above a few thousand files they
are shared among worker processes forked from the report (they have its imports
already). Only a process with one thread forks: the dashboard in a Voilà kernel
(whose kernel threads may hold locks) checks in the one process, as a small run
does everywhere.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence

__all__ = ["PARALLEL_FROM", "check_all"]

#: fewer files than this are checked in the process itself: a fork costs more than it saves
PARALLEL_FROM = 4000
#: files handed to a worker at a time
_CHUNK = 1500

Check = Callable[[str, str], "bool | None"]
_check: Check | None = None  # the workers' check, set before they are forked


def check_all(paths: Sequence[tuple[str, str]], check: Check) -> list[bool | None]:
    """``check(folder, name)`` of every path, in order; in worker processes when there are many."""
    global _check
    workers = min(os.cpu_count() or 1, 4)
    if len(paths) < PARALLEL_FROM or workers < 2 or not _may_fork():
        return _check_chunk(paths, check)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this system
        return _check_chunk(paths, check)
    _check = check
    chunks = [paths[start : start + _CHUNK] for start in range(0, len(paths), _CHUNK)]
    try:
        with context.Pool(workers) as pool:
            return [verdict for done in pool.imap(_worker, chunks) for verdict in done]
    finally:
        _check = None


def _may_fork() -> bool:
    """Forking is safe: no other thread that could hold a lock the workers would inherit taken."""
    return threading.active_count() == 1


def _worker(chunk: Sequence[tuple[str, str]]) -> list[bool | None]:
    assert _check is not None
    return _check_chunk(chunk, _check)


def _check_chunk(paths: Sequence[tuple[str, str]], check: Check) -> list[bool | None]:
    """The checks with the cycle collector paused: each parsed record is garbage at once, never a cycle."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        return [check(folder, name) for folder, name in paths]
    finally:
        if was_on:
            gc.enable()
