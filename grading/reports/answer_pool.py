"""Many answer folders looked at once, on every core: a report of a big run.

A report lists every answer folder and takes a ``stat`` of every answer file
(89,000 folders and 173,000 files at 10,000 learners); the first report of a run,
or the first after an erasure, also checks every file: open, read, JSON and the
answer model, about 4 s on one core. Each folder stands alone, so above a few
thousand they are shared among worker processes forked from the report (they
have its imports and the cache already). Only a process with one thread forks: the dashboard in a Voilà kernel
(whose kernel threads may hold locks) checks in the one process, as a small run
does everywhere.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["PARALLEL_FROM", "each", "start"]

#: fewer items than this are done in the process itself: a fork costs more than it saves
PARALLEL_FROM = 2000
#: items handed to a worker at a time
_CHUNK = 500

T = TypeVar("T")
R = TypeVar("R")
_work: Callable[[Any], Any] | None = None  # the workers' task, set while they are forked


def each(items: Sequence[T], work: Callable[[T], R]) -> list[R]:
    """``work(item)`` of every item, in order; in worker processes when there are many."""
    return start(items, work)()


def start(items: Sequence[T], work: Callable[[T], R], *, parallel: bool = True) -> Callable[[], list[R]]:
    """Begin ``work(item)`` of every item; the function returned waits for the results, in order.

    With many items the workers begin at once and the caller goes on with its own work
    meanwhile; with few, the work is done when the results are asked for. ``work`` is
    not pickled (the workers are forked with it), its results are. ``parallel=False``: in
    this process, when the results are asked for.
    """
    global _work
    workers = min(os.cpu_count() or 1, 4)
    if not parallel or len(items) < PARALLEL_FROM or workers < 2 or not _may_fork():
        return lambda: _work_chunk(items, work)
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this system
        return lambda: _work_chunk(items, work)
    _work = work
    try:
        pool = context.Pool(workers)  # the workers are forked here, with the work
    finally:
        _work = None
    chunks = [items[start : start + _CHUNK] for start in range(0, len(items), _CHUNK)]
    done = pool.imap(_worker, chunks)

    def results() -> list[R]:
        try:
            return [result for part in done for result in part]
        finally:
            pool.terminate()

    return results


def _may_fork() -> bool:
    """Forking is safe: no other thread that could hold a lock the workers would inherit taken."""
    return threading.active_count() == 1


def _worker(chunk: Sequence[Any]) -> list[Any]:
    assert _work is not None
    return _work_chunk(chunk, _work)


def _work_chunk(items: Sequence[T], work: Callable[[T], R]) -> list[R]:
    """The work with the cycle collector paused: parsed records are garbage at once, never a cycle."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        return [work(item) for item in items]
    finally:
        if was_on:
            gc.enable()
